package benchdata_test

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"testing"

	"github.com/amendsdev/amends/models/benchdata"
	"github.com/amendsdev/amends/models/testdb"
)

func TestFillWritesWhatWasAskedFor(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		var progress []int
		err := benchdata.Fill(context.Background(), db, benchdata.Options{Customers: 3, Items: 30_000,
			Progress: func(done, total int) { progress = append(progress, done) }})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int64{}
		for _, table := range []string{"customers", "slos", "postmortems", "postmortem_customers", "action_items"} {
			var n int64
			db.R.Table(table).Count(&n)
			counts[table] = n
		}
		want := map[string]int64{"customers": 3, "slos": 3, "postmortems": 30, "postmortem_customers": 30, "action_items": 30_000}
		for table, n := range want {
			if counts[table] != n {
				t.Errorf("%s: %d rows, want %d", table, counts[table], n)
			}
		}
		if len(progress) < 2 || progress[len(progress)-1] != 30_000 {
			t.Errorf("progress reports %v", progress)
		}
		// Customer-owned items belong to a customer their postmortem names.
		var stray int64
		db.R.Table("action_items").Where("owner = 'customer' AND postmortem_id NOT IN (SELECT postmortem_id FROM postmortem_customers pc WHERE pc.customer_id = action_items.customer_id)").Count(&stray)
		if stray != 0 {
			t.Errorf("%d customer-owned items on postmortems that do not name their customer", stray)
		}
	})
}
