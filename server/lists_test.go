package server_test

import (
	"github.com/amendsdev/amends/models/database"

	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

// TestListsShowItemsAsTheirOwnPagesDo: lists read only the columns their
// views show (a customer's fewer than staff's), so every item in a list
// must render exactly as GET of that item renders it, for every viewer
// and list. A column left out of a list's selection would show as its
// zero value here.
func TestListsShowItemsAsTheirOwnPagesDo(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		e := newEnv(t, db)
		// Something in every column a view shows: a due date, a closed
		// item, a linked issue.
		_, err := e.f.Store.UpdateItem(t.Context(), e.f.SRE, e.f.ProviderItemA.ID,
			models.ItemPatch{Status: models.Some(models.StatusDone), DueDate: models.Some(e.f.Store.Today().AddDays(-3))})
		if err != nil {
			t.Fatal(err)
		}
		err = db.W.Model(&models.ActionItem{}).Where("id = ?", e.f.ProviderItemA.ID).Updates(map[string]any{
			"github_url": "https://github.com/acme/ops/issues/7", "github_state": "closed",
			"github_repo": "acme/ops", "github_number": 7, "github_title": "Fix it"}).Error
		if err != nil {
			t.Fatal(err)
		}
		lists := []string{
			"/api/v1/action-items",
			"/api/v1/action-items?sort=due_date",
			fmt.Sprintf("/api/v1/postmortems/%d/action-items", e.f.SharedA.ID),
		}
		for _, viewer := range []*models.User{e.f.SRE, e.f.CustA} {
			for _, path := range lists {
				res := e.do("GET", path, viewer.Email, nil)
				if res.Status != 200 {
					t.Fatalf("%s as %s: %d %s", path, viewer.Email, res.Status, res.Body)
				}
				var list struct{ Items []map[string]any }
				if err := json.Unmarshal(res.Body, &list); err != nil {
					t.Fatal(err)
				}
				if len(list.Items) == 0 {
					t.Fatalf("%s as %s: no items", path, viewer.Email)
				}
				for _, it := range list.Items {
					one := e.do("GET", fmt.Sprintf("/api/v1/action-items/%v", it["id"]), viewer.Email, nil).json(t)
					if !reflect.DeepEqual(it, one) {
						t.Errorf("%s as %s: item %v listed as\n%v\nbut reads as\n%v", path, viewer.Email, it["id"], it, one)
					}
				}
			}
		}
	})
}
