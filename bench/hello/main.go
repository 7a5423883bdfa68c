// Command hello is the baseline of the load benchmark: an Echo server with
// one JSON handler and no middleware, measured in the same run as amends.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "address to listen on")
	flag.Parse()
	e := echo.New()
	e.HideBanner = true
	e.GET("/hello", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"hello": "world"}) })
	log.Fatal(e.Start(*addr))
}
