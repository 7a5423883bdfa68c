// Package openapitest checks the server against its OpenAPI description,
// for tests: which routes the description names, and whether an answer the
// server gave is one the description allows. Every API test that goes
// through the shared request helpers is a contract check this way.
package openapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/amendsdev/amends/server/openapi"
)

// Prefix is the part of the server the description covers.
const Prefix = "/api/v1/"

// Checker validates exchanges against the description.
type Checker struct {
	doc    *openapi3.T
	router routers.Router
}

// New loads the description as the server serves it, and checks that it
// is a valid OpenAPI document.
func New() (*Checker, error) {
	raw, err := openapi.JSON()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI description: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the OpenAPI description is not valid: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI description: %w", err)
	}
	return &Checker{doc: doc, router: router}, nil
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// Routes lists the described operations as "METHOD /path/:param", the
// way Echo writes its routes, sorted.
func (c *Checker) Routes() []string {
	var out []string
	for path, item := range c.doc.Paths.Map() {
		echoPath := pathParam.ReplaceAllString(path, ":$1")
		for method := range item.Operations() {
			out = append(out, method+" "+echoPath)
		}
	}
	slices.Sort(out)
	return out
}

// Check says whether an exchange is one the description allows: the
// answer's status is listed for the operation and a JSON body matches that
// status's schema; and a request the server accepted (2xx) is one the
// description accepts too, its parameters and body valid. reqBody is the
// body the request carried. Exchanges outside /api/v1 are not described
// and pass; an answer to a request the description has no operation for
// must be a 404 or 405 in the one error shape.
func (c *Checker) Check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	if !strings.HasPrefix(req.URL.Path, Prefix) {
		return nil
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return c.checkUnrouted(req, status, header, body, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if status >= 200 && status < 300 {
		sent := req.Clone(req.Context())
		sent.Body = io.NopCloser(bytes.NewReader(reqBody))
		in.Request = sent
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("%s %s was accepted (%d), but the OpenAPI description refuses the request: %w\nrequest body: %s",
				req.Method, req.URL.RequestURI(), status, err, clip(reqBody))
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s %s answered %d, which the OpenAPI description does not allow: %w\nbody: %s",
			req.Method, req.URL.RequestURI(), status, err, clip(body))
	}
	return nil
}

// checkUnrouted checks an answer to a method and path the description does
// not name: only 404 and 405 in the error shape fit.
func (c *Checker) checkUnrouted(req *http.Request, status int, header http.Header, body []byte, routeErr error) error {
	if !errors.Is(routeErr, routers.ErrPathNotFound) && !errors.Is(routeErr, routers.ErrMethodNotAllowed) {
		return fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, routeErr)
	}
	if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
		return fmt.Errorf("%s %s answered %d, but the OpenAPI description has no such operation (%v)",
			req.Method, req.URL.Path, status, routeErr)
	}
	if ct, _, _ := mime.ParseMediaType(header.Get("Content-Type")); ct != "application/json" {
		return fmt.Errorf("%s %s answered %d as %q, not the JSON error shape", req.Method, req.URL.Path, status, ct)
	}
	schema := c.doc.Components.Schemas["Error"]
	var v any
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); err != nil {
		return fmt.Errorf("%s %s answered %d with a body that is not JSON: %w", req.Method, req.URL.Path, status, err)
	}
	if err := schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("%s %s answered %d outside the error shape: %w\nbody: %s", req.Method, req.URL.Path, status, err, clip(body))
	}
	return nil
}

// clip shortens a body for an error message.
func clip(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}

// Transport is a round tripper that checks every exchange it carries, for
// tests that talk to a real listening server through an http.Client. It
// reads a request's body through GetBody, which http.NewRequest sets for
// in-memory bodies.
type Transport struct {
	Checker *Checker
	Next    http.RoundTripper
	// Fail is told about every answer the description does not allow.
	Fail func(error)
}

// RoundTrip sends the request and checks the answer.
func (r *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	var reqBody []byte
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		reqBody, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	resp, err := next.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, Prefix) {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if resp.Header.Get("Content-Encoding") == "" {
		if err := r.Checker.Check(req, reqBody, resp.StatusCode, resp.Header, body); err != nil {
			r.Fail(err)
		}
	}
	return resp, nil
}
