package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"reflect"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// GetItem's hand-scanned read gives what GORM reads, every field set,
// and applies the access rules of the item's postmortem.
func TestGetItemReadsEveryField(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		fx := testdb.NewFixture(t, db)
		at := time.Date(2026, 11, 2, 3, 4, 5, 600000, time.UTC)
		due := models.DateOf(at)
		full := map[string]any{
			"github_url": "https://github.com/acme/api/issues/7", "github_state": "closed", "github_repo": "acme/api",
			"github_number": 7, "github_state_reason": "completed", "github_title": "Fix it", "github_assignees": "octocat",
			"github_gone": "transferred", "github_moved_to": "acme/other#9", "github_synced_at": at,
			"github_updated_at": at.Add(time.Minute), "closed_at": at.Add(time.Hour), "due_date": due,
			"status": models.StatusDone, "created_by_id": fx.SRE.ID,
		}
		if err := db.W.Model(&models.ActionItem{}).Where("id = ?", fx.CustomerItemBOnAB.ID).Updates(full).Error; err != nil {
			t.Fatal(err)
		}
		for _, item := range []*models.ActionItem{fx.ProviderItemA, fx.CustomerItemBOnAB, fx.InternalPMItem} {
			var want models.ActionItem
			if err := db.R.First(&want, item.ID).Error; err != nil {
				t.Fatal(err)
			}
			got, err := fx.Store.GetItem(ctx, fx.Admin, item.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("item %d:\n got %+v\nwant %+v", item.ID, *got, want)
			}
		}
		// Of two customers, B's user sees B's item on the postmortem
		// shared with A and B; A's user does not see it.
		if _, err := fx.Store.GetItem(ctx, fx.CustB, fx.CustomerItemBOnAB.ID); err != nil {
			t.Errorf("customer B: %v", err)
		}
		if _, err := fx.Store.GetItem(ctx, fx.CustA, fx.CustomerItemBOnAB.ID); err == nil {
			t.Error("customer A read customer B's item")
		}
		if _, err := fx.Store.GetItem(ctx, fx.Admin, 1<<30); err == nil {
			t.Error("a missing item was read")
		}
	})
}
