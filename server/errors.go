package server

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// APIError is the one error shape of the API:
// {"error": {"code": …, "message": …, "fields": {…}}}.
type APIError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Details any               `json:"details,omitempty"`
}

func (e *APIError) Error() string { return e.Message }

func badRequest(code, msg string, fields map[string]string) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: code, Message: msg, Fields: fields}
}

var (
	errUnauthorized = &APIError{Status: http.StatusUnauthorized, Code: "unauthorized", Message: "sign in or send Authorization: Bearer TOKEN"}
	errForbidden    = &APIError{Status: http.StatusForbidden, Code: "forbidden", Message: "your role does not allow this"}
	errNotFound     = &APIError{Status: http.StatusNotFound, Code: "not_found", Message: "not found"}
	errTooLarge     = &APIError{Status: http.StatusRequestEntityTooLarge, Code: "body_too_large", Message: "the request body is too large"}
)

// toAPIError maps domain and framework errors to the error shape. Anything
// unknown is an internal error whose details stay in the log.
func toAPIError(err error) *APIError {
	var apiErr *APIError
	var verr *models.ValidationError
	var conflict *models.ConflictError
	var rule *models.RuleError
	var httpErr *echo.HTTPError
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &verr):
		return validationError(verr)
	case errors.Is(err, models.ErrNotFound):
		return errNotFound
	case errors.Is(err, models.ErrForbidden):
		return errForbidden
	case errors.As(err, &conflict):
		e := &APIError{Status: http.StatusConflict, Code: "conflict", Message: conflict.Message}
		if conflict.Field != "" {
			e.Fields = map[string]string{conflict.Field: conflict.Message}
		}
		return e
	case errors.As(err, &rule):
		return &APIError{Status: http.StatusUnprocessableEntity, Code: rule.Code, Message: rule.Message, Details: rule.Details}
	case errors.As(err, &httpErr):
		return fromEchoError(httpErr)
	}
	return nil
}

// maxErrorFields is how many fields an error answer names; past it, it
// says how many more there are, so that a body of thousands of unknown
// keys does not make an answer larger than itself.
const maxErrorFields = 20

func validationError(verr *models.ValidationError) *APIError {
	if len(verr.Fields) <= maxErrorFields {
		return &APIError{Status: http.StatusBadRequest, Code: "validation_failed", Message: verr.Error(), Fields: verr.Fields}
	}
	names := slices.Sorted(maps.Keys(verr.Fields))
	shown := make(map[string]string, maxErrorFields)
	for _, k := range names[:maxErrorFields] {
		shown[k] = verr.Fields[k]
	}
	more := len(names) - maxErrorFields
	msg := (&models.ValidationError{Fields: shown}).Error() + fmt.Sprintf("; and %d more fields", more)
	return &APIError{Status: http.StatusBadRequest, Code: "validation_failed", Message: msg, Fields: shown,
		Details: map[string]int{"more_fields": more}}
}

func fromEchoError(he *echo.HTTPError) *APIError {
	switch he.Code {
	case http.StatusNotFound:
		return errNotFound
	case http.StatusMethodNotAllowed:
		return &APIError{Status: he.Code, Code: "method_not_allowed", Message: "method not allowed on this route"}
	case http.StatusRequestEntityTooLarge:
		return errTooLarge
	case http.StatusUnauthorized:
		return errUnauthorized
	case http.StatusTooManyRequests:
		return &APIError{Status: he.Code, Code: "rate_limited", Message: "too many requests, slow down"}
	}
	return &APIError{Status: he.Code, Code: "error", Message: fmt.Sprint(he.Message)}
}

// errorHandler renders every error in the one shape.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if clientGone(c, err) {
		// Nobody reads an answer; the log and the metrics say what
		// happened instead of counting a server error.
		c.Response().Status = statusClientClosedRequest
		return
	}
	apiErr := toAPIError(err)
	if apiErr == nil {
		s.log.Error("request failed", "request_id", requestID(c), "method", c.Request().Method,
			"path", loggedPath(c), "error", err)
		apiErr = &APIError{Status: http.StatusInternalServerError, Code: "internal", Message: "internal error; the details are in the server log"}
	}
	if wantsHTML(c) {
		s.renderError(c, apiErr)
		return
	}
	if err := c.JSON(apiErr.Status, map[string]*APIError{"error": apiErr}); err != nil {
		s.log.Warn("write error response", "request_id", requestID(c), "error", err)
	}
}

// statusClientClosedRequest is nginx's status for a request whose client
// went away before the answer.
const statusClientClosedRequest = 499

// clientGone reports whether err is the request's own context ending
// because its client closed the connection.
func clientGone(c echo.Context, err error) bool {
	return errors.Is(err, context.Canceled) && errors.Is(c.Request().Context().Err(), context.Canceled)
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}
