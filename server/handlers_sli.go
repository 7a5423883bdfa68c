package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/sli"
)

var errSLIDisabled = &APIError{Status: http.StatusUnprocessableEntity, Code: "prometheus_disabled",
	Message: "measuring is off: set AMENDS_PROMETHEUS_URL to a Prometheus-compatible API holding the SLIs and restart"}

// prometheusStatus says whether the SLI data source answers (staff only:
// it names the store and its error).
func (s *Server) prometheusStatus(c echo.Context) error {
	return c.JSON(http.StatusOK, s.cfg.SLI.Status(c.Request().Context(), s.store.Now()))
}

// setSLI sets or removes an SLO's SLI.
func (s *Server) setSLI(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sloID, err := pathID(c, "slo_id")
	if err != nil {
		return err
	}
	var in models.SLIInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	slo, err := s.store.SetSLI(c.Request().Context(), id, sloID, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newSLOView(slo).withSLI(slo))
}

// measuredImpacts shows staff what the SLIs measured over the incident,
// beside what was typed. Its route is staff-only: to a customer it does
// not exist.
func (s *Server) measuredImpacts(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	if s.cfg.SLI == nil {
		return errSLIDisabled
	}
	imps, err := s.cfg.SLI.MeasurePostmortem(c.Request().Context(), s.store, u, id)
	if err != nil {
		return measureError(err)
	}
	return page(c, imps, "")
}

type measureInput struct {
	SLOID uint `json:"slo_id"`
}

// measureImpacts measures the incident and adopts the figures as its
// impacts: every SLO with an SLI, or the one slo_id names. Its route needs
// PermWritePostmortems, which no customer user has.
func (s *Server) measureImpacts(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	var in measureInput
	if body, _ := requestBody(c); len(strings.TrimSpace(string(body))) > 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	if s.cfg.SLI == nil {
		return errSLIDisabled
	}
	imps, err := s.adopt(c.Request().Context(), u, id, in.SLOID)
	if err != nil {
		return err
	}
	return page(c, imps, "")
}

func (s *Server) adopt(ctx context.Context, u *models.User, pmID, sloID uint) ([]sli.Impact, error) {
	imps, err := s.cfg.SLI.Adopt(ctx, s.store, u, pmID, sloID)
	if err != nil {
		return nil, measureError(err)
	}
	return imps, nil
}

// measureError makes a postmortem without a resolved window a refusal.
func measureError(err error) error {
	if errors.Is(err, sli.ErrNoWindow) {
		return &models.RuleError{Code: "incident_window_unknown", Message: sli.ErrNoWindow.Error()}
	}
	return err
}
