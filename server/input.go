package server

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// checkText refuses a request any of whose query or form values breaks
// the one text rule (models.TextProblem): NUL and other control
// characters, bidirectional overrides, bytes that are not UTF-8. It runs
// once for every route, so no handler can forget it; JSON bodies are
// checked by decodeJSON the same way. Values may have lines here; the
// domain refuses them where a field is one line (a title, a name).
func checkText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		bad := map[string]string{}
		checkValues(bad, req.URL.Query())
		if req.PostForm != nil {
			checkValues(bad, req.PostForm)
		}
		if req.MultipartForm != nil {
			checkValues(bad, req.MultipartForm.Value)
		}
		if len(bad) > 0 {
			return &models.ValidationError{Fields: bad}
		}
		return next(c)
	}
}

func checkValues(bad map[string]string, values url.Values) {
	for name, vs := range values {
		if msg := models.TextProblem(name, false); msg != "" {
			bad[safeFieldName(name)] = "the field's name " + msg
			continue
		}
		for _, v := range vs {
			if msg := models.TextProblem(v, true); msg != "" {
				bad[name] = msg
				break
			}
		}
	}
}

// safeFieldName shows a field name that is itself bad text quoted, so
// that an error answer never carries the characters it refuses.
func safeFieldName(name string) string { return strconv.QuoteToASCII(name) }

// checkJSONText applies the text rule to every string of a JSON value,
// nested ones included, naming the top-level field. Most values hold no
// escape and only ASCII, and are not decoded twice.
func checkJSONText(bad map[string]string, field string, raw json.RawMessage) {
	if !needsTextCheck(raw) {
		return
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return // the field's own decoding names it
	}
	if msg := textProblemIn(v); msg != "" {
		bad[field] = msg
	}
}

func needsTextCheck(raw []byte) bool {
	if bytes.IndexByte(raw, '\\') >= 0 {
		return true
	}
	for _, b := range raw {
		if b < 0x20 || b >= 0x7f {
			return true
		}
	}
	return false
}

func textProblemIn(v any) string {
	switch v := v.(type) {
	case string:
		return models.TextProblem(v, true)
	case []any:
		for _, e := range v {
			if msg := textProblemIn(e); msg != "" {
				return msg
			}
		}
	case map[string]any:
		for k, e := range v {
			if msg := models.TextProblem(k, false); msg != "" {
				return msg
			}
			if msg := textProblemIn(e); msg != "" {
				return msg
			}
		}
	}
	return ""
}
