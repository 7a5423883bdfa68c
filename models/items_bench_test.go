package models_test

import (
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/amendsdev/amends/models"
)

// BenchmarkUpdateItemStatus is the store's side of an item update, without
// HTTP: 32 concurrent updates of random items' status, planned on readers
// and committed in groups by the one writer. It runs against
// AMENDS_BENCH_DB, as the start page benchmarks do, and writes to it.
func BenchmarkUpdateItemStatus(b *testing.B) {
	db := openBenchDB(b)
	store := models.NewStore(db)
	var items int64
	if err := db.R.Model(&models.ActionItem{}).Count(&items).Error; err != nil || items == 0 {
		b.Fatalf("count items: %d, %v", items, err)
	}
	admin := &models.User{Role: models.RoleAdmin, Name: "bench"}
	statuses := []string{models.StatusOpen, models.StatusInProgress, models.StatusBlocked}
	b.ResetTimer()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			id := uint(rand.IntN(int(items)) + 1)
			p := models.ItemPatch{Status: models.Opt[string]{Set: true, V: statuses[i%len(statuses)]}}
			if _, err := store.UpdateItem(ctx, admin, id, p); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkListOpenItemsOfCustomer is the store's side of the staff list
// of one customer's open items, each call another of 2,000 customers, on
// AMENDS_BENCH_DB: the query, the scan and the policy, without HTTP.
func BenchmarkListOpenItemsOfCustomer(b *testing.B) {
	store := models.NewStore(openBenchDB(b))
	admin := &models.User{Role: models.RoleAdmin, Name: "bench"}
	b.SetParallelism(16)
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := uint(1 + n.Add(7)%2000)
			f := models.ItemFilter{Status: []string{models.StatusOpen}, CustomerID: &id}
			if _, _, err := store.ListItems(ctx, admin, f, models.Page{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
