package server

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/sharecheck"
)

type timelinessView struct {
	Resolved       bool       `json:"resolved"`
	Published      bool       `json:"published"`
	ElapsedMinutes float64    `json:"elapsed_minutes"`
	Late           bool       `json:"late"`
	Deadline       *time.Time `json:"deadline"`
}

func newTimelinessView(t sharecheck.TimelinessResult) timelinessView {
	v := timelinessView{Resolved: t.Resolved, Published: t.Published, ElapsedMinutes: t.Elapsed.Minutes(), Late: t.Late}
	if !t.Deadline.IsZero() {
		v.Deadline = &t.Deadline
	}
	return v
}

type shareReviewView struct {
	Findings     []models.ShareFinding         `json:"findings"`
	Completeness sharecheck.CompletenessResult `json:"completeness"`
	Timeliness   timelinessView                `json:"timeliness"`
}

func newShareReviewView(r *models.ShareReview) *shareReviewView {
	if r == nil {
		return nil
	}
	return &shareReviewView{r.Findings, r.Completeness, newTimelinessView(r.Timeliness)}
}

// checkDraft is what the editor sends while typing: the text fields as they
// are in the form, saved or not.
type checkDraft struct {
	Fields map[string]string `json:"fields"`
}

// checkPostmortem runs the share-safety, completeness and timeliness checks
// on a postmortem, or on the editor's unsaved text.
func (s *Server) checkPostmortem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in checkDraft
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	r, err := s.store.ReviewShare(c.Request().Context(), currentUser(c), id, in.Fields)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newShareReviewView(r))
}

type override struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

type publishInput struct {
	Overrides []override `json:"overrides"`
}

func (s *Server) publishPostmortem(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in publishInput
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	overrides := map[string]string{}
	for _, o := range in.Overrides {
		overrides[o.Key] = o.Reason
	}
	pm, review, err := s.store.Publish(c.Request().Context(), currentUser(c), id, overrides)
	if err != nil {
		return err
	}
	out := map[string]any{"postmortem": newPostmortemView(pm), "warnings": []sharecheck.Criterion{}}
	if review != nil {
		out["review"] = newShareReviewView(review)
		out["warnings"] = missingCriteria(review.Completeness)
	}
	return c.JSON(http.StatusOK, out)
}

// missingCriteria are the required items of the guideline not met.
func missingCriteria(r sharecheck.CompletenessResult) []sharecheck.Criterion {
	out := []sharecheck.Criterion{}
	for _, c := range r.Required {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

func (s *Server) getShareSettings(c echo.Context) error {
	st, err := s.store.ShareCheckSettings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (s *Server) putShareSettings(c echo.Context) error {
	var st models.ShareSettings
	if err := decodeJSON(c, &st); err != nil {
		return err
	}
	if err := s.store.SaveShareCheckSettings(c.Request().Context(), currentUser(c), st); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
