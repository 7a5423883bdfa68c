package reports_test

import (
	"github.com/amendsdev/amends/models/database"

	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/reports"
	"github.com/amendsdev/amends/reports/reporttest"
)

// TestIssuedReviewIsImmutable issues February, then changes what it showed:
// the issued review still reads as it was issued.
func TestIssuedReviewIsImmutable(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		sc := reporttest.New(t, db)
		ctx := context.Background()
		ir, err := reports.Issue(ctx, sc.Store, sc.SRE, sc.K.ID, month(t, "2026-02"), reports.IssueOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sc.Store.SetClock(func() time.Time { return reporttest.Now.Add(time.Hour) })
		// Rewrite history the way a database fix would: no audit event.
		if err := db.W.Model(&models.ActionItem{}).Where("id = ?", sc.Alerting.ID).Update("title", "Renamed later").Error; err != nil {
			t.Fatal(err)
		}
		r, _, err := reports.LoadIssued(ctx, sc.Store, sc.CustK, ir.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.OpenOurs) != 1 || r.OpenOurs[0].Title != "Alert on checkout error rate" || r.OpenOurs[0].Assignee != models.DefaultTeamName {
			t.Errorf("issued review changed or shows the provider's assignee: %+v", r.OpenOurs)
		}
		var md bytes.Buffer
		if err := reports.Render(&md, r, "md"); err != nil || !bytes.Contains(md.Bytes(), []byte("Alert on checkout error rate")) {
			t.Errorf("render issued review: %v", err)
		}
		list, err := sc.Store.ListIssuedReviews(ctx, sc.CustK, sc.K.ID)
		if err != nil || len(list) != 1 || list[0].Month != "2026-02" || list[0].Snapshot != "" {
			t.Errorf("list = %+v, %v", list, err)
		}
		checks := []struct {
			name string
			err  error
			want error
		}{
			{"another customer reads it", second(reports.LoadIssued(ctx, sc.Store, sc.CustA, ir.ID)), models.ErrNotFound},
			{"a viewer issues", second2(reports.Issue(ctx, sc.Store, sc.Viewer, sc.K.ID, month(t, "2026-02"), reports.IssueOptions{})), models.ErrForbidden},
			{"a customer issues", second2(reports.Issue(ctx, sc.Store, sc.CustK, sc.K.ID, month(t, "2026-02"), reports.IssueOptions{})), models.ErrNotFound},
		}
		for _, c := range checks {
			if !errors.Is(c.err, c.want) {
				t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
			}
		}
		var verr *models.ValidationError
		if _, err := reports.Issue(ctx, sc.Store, sc.SRE, sc.K.ID, month(t, "2026-05"), reports.IssueOptions{}); !errors.As(err, &verr) {
			t.Errorf("issuing the current month: err = %v, want a validation error", err)
		}
	})
}

func second(_ *reports.Review, _ *models.IssuedReview, err error) error { return err }
func second2(_ *reports.Issued, err error) error                        { return err }
