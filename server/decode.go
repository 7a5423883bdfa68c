package server

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// decodeJSON reads a JSON object into dst field by field, so that every bad
// field is named at once: unknown fields, wrong types, bad values and
// text the one text rule refuses (input.go). When some field is wrong, the
// values of the others are checked here as well (valueChecker). The body was read and
// bounded before the handler ran (readBodyFirst).
func decodeJSON(c echo.Context, dst any) error {
	body, err := requestBody(c)
	if err != nil {
		return badRequest("bad_request", "could not read the request body", nil)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return badRequest("malformed_json", "the body must be a JSON object", nil)
	}
	fields := jsonFields(dst)
	bad := map[string]string{}
	for key, val := range raw {
		f, ok := fields[key]
		if !ok {
			bad[key] = "is not a known field"
			continue
		}
		if err := json.Unmarshal(val, f.Addr().Interface()); err != nil {
			bad[key] = typeMessage(f.Type(), err)
			continue
		}
		checkJSONText(bad, key, val)
	}
	if len(bad) == 0 {
		return nil
	}
	// The body will not reach the store, so its values are judged here
	// too: one answer names the bad values beside the wrong types.
	if vc, ok := dst.(valueChecker); ok {
		for k, msg := range vc.ValueProblems() {
			if _, seen := bad[k]; !seen {
				bad[k] = msg
			}
		}
	}
	return &models.ValidationError{Fields: bad}
}

// valueChecker is an input whose values can be checked without the
// database (models/value_checks.go).
type valueChecker interface {
	ValueProblems() map[string]string
}

// jsonFields maps each JSON name of a struct to its field.
func jsonFields(dst any) map[string]reflect.Value {
	v := reflect.ValueOf(dst).Elem()
	out := make(map[string]reflect.Value, v.NumField())
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = v.Field(i)
		}
	}
	return out
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(models.Date{})
)

// typeMessage explains what a field expects, in words a person understands.
func typeMessage(t reflect.Type, err error) string {
	if o, ok := reflect.Zero(t).Interface().(interface{ ValueType() reflect.Type }); ok {
		t = o.ValueType()
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return "must be an RFC 3339 time such as 2026-03-01T14:05:00Z"
	case t == dateType:
		return "must be a date YYYY-MM-DD"
	}
	switch t.Kind() {
	case reflect.String:
		return "must be a string"
	case reflect.Bool:
		return "must be true or false"
	case reflect.Int, reflect.Int64:
		return "must be a whole number"
	case reflect.Uint, reflect.Uint64:
		return "must be a positive whole number (an id)"
	case reflect.Float64:
		return "must be a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return "must be a list of strings"
		}
		return "must be a list of ids"
	}
	return "has the wrong type: " + err.Error()
}
