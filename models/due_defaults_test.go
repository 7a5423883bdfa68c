package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestDefaultDueDates: an item without a due date gets one by priority,
// from the defaults or from the admin setting; an explicit one is kept.
func TestDefaultDueDates(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		ctx := context.Background()
		f.Store.SetClock(func() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) })
		given, _ := models.ParseDate("2026-06-30")
		create := func(priority string, due *models.Date) string {
			it, err := f.Store.CreateItem(ctx, f.SRE, f.SharedA.ID, models.ItemInput{Title: "x", Type: "repair", Priority: priority, DueDate: due})
			if err != nil {
				t.Fatal(err)
			}
			if it.DueDate == nil {
				return ""
			}
			return it.DueDate.String()
		}
		scenarios := []struct {
			name, priority string
			due            *models.Date
			setting        map[string]int
			want           string
		}{
			{"P0 default", "P0", nil, nil, "2026-05-15"},
			{"P1 default", "P1", nil, nil, "2026-05-31"},
			{"P2 has none", "P2", nil, nil, ""},
			{"explicit date kept", "P0", &given, nil, "2026-06-30"},
			{"setting overrides", "P2", nil, map[string]int{"P2": 60}, "2026-06-30"},
			{"setting drops P0", "P0", nil, map[string]int{"P2": 60}, ""},
		}
		for _, sc := range scenarios {
			if sc.setting != nil {
				if err := f.Store.SaveSetting(ctx, f.Admin, models.DueDaysSetting, sc.setting); err != nil {
					t.Fatal(err)
				}
			}
			if got := create(sc.priority, sc.due); got != sc.want {
				t.Errorf("%s: due %q, want %q", sc.name, got, sc.want)
			}
		}
	})
}
