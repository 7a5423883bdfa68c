package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"errors"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestPublicListPagesNewestFirst: the list runs from the newest
// publication back, a page at a time, skipping what is not public; a
// cursor that is not one of its postmortems is refused.
func TestPublicListPagesNewestFirst(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s, ctx := f.Store, context.Background()
		now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
		s.SetClock(func() time.Time { return now })
		var want []uint
		for _, title := range []string{"First", "Second", "Third"} {
			pm, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: title, Visibility: models.VisibilityPublic, Severity: "SEV3",
				ExternalSummary: "Some requests failed."})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Publish(ctx, f.Admin, pm.ID, nil); err != nil {
				t.Fatal(err)
			}
			want = append([]uint{pm.ID}, want...)
			now = now.Add(time.Hour)
		}
		// Published, then taken back to a draft: off the list.
		draft, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "Withdrawn", Visibility: models.VisibilityPublic, Severity: "SEV3"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Publish(ctx, f.Admin, draft.ID, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdatePostmortem(ctx, f.SRE, draft.ID, models.PostmortemPatch{Status: models.Some(models.PMDraft)}); err != nil {
			t.Fatal(err)
		}
		var got []uint
		var before uint
		for range 5 {
			page, err := s.PublicPostmortems(ctx, before, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				got = append(got, p.ID)
			}
			if before = page.Before; before == 0 {
				break
			}
		}
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("pages read %v, want %v", got, want)
		}
		for _, cursor := range []uint{f.SharedA.ID, draft.ID, 987654} {
			var invalid *models.ValidationError
			if _, err := s.PublicPostmortems(ctx, cursor, 1); !errors.As(err, &invalid) {
				t.Errorf("cursor %d: %v, want a validation error", cursor, err)
			}
		}
		if _, err := s.PublicPostmortem(ctx, draft.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("the withdrawn postmortem: %v, want not found", err)
		}
	})
}
