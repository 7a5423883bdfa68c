package server

import (
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/reports"
)

// reviewMonths is how many monthly reviews a page links to.
const reviewMonths = 6

// reviewLinks are the monthly reviews a customer page links to: the
// current month and the ones before it, in the customer's time zone.
type reviewLinks struct {
	CustomerID uint
	Months     []string
}

func (s *Server) reviewLinksFor(c *models.Customer) reviewLinks {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	m := reports.MonthOf(s.store.Now(), loc)
	out := reviewLinks{CustomerID: c.ID}
	for i := 0; i < reviewMonths; i++ {
		out.Months = append(out.Months, m.Add(-i).String())
	}
	return out
}
