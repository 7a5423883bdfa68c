package main

import (
	"net/http"
	"sync"
	"testing"

	"github.com/amendsdev/amends/server/openapi/openapitest"
)

// contract is the OpenAPI description, loaded once: the API answers these
// tests receive through checkedClient are checked against it.
var contract = sync.OnceValues(openapitest.New)

// checkedTransport fails the test on any /api/v1 answer the OpenAPI
// description does not allow.
func checkedTransport(t *testing.T) http.RoundTripper {
	t.Helper()
	c, err := contract()
	if err != nil {
		t.Fatal(err)
	}
	return &openapitest.Transport{Checker: c, Fail: func(err error) { t.Error(err) }}
}

// checkedClient is an HTTP client whose API answers are contract-checked.
func checkedClient(t *testing.T) *http.Client {
	t.Helper()
	return &http.Client{Transport: checkedTransport(t)}
}
