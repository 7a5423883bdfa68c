package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/amendsdev/amends/admit"
	"github.com/amendsdev/amends/models/testdb"
)

// A request waiting for the SQLite writer gives its admission slot to
// another request meanwhile, and takes it back once its write is done.
func TestWaitingForTheWriterFreesTheAdmissionSlot(t *testing.T) {
	db := testdb.SQLite(t)
	gate := admit.New(1)
	holder := db.W.Begin() // holds the writer's turn
	if holder.Error != nil {
		t.Fatal(holder.Error)
	}
	ctx, leave, err := gate.Enter(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() { wrote <- db.W.WithContext(ctx).Exec("CREATE TABLE waited (x INTEGER)").Error }()

	other, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, leaveOther, err := gate.Enter(other)
	if err != nil {
		t.Fatalf("the only slot stayed with a request waiting for the writer: %v", err)
	}
	if err := holder.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-wrote:
		t.Fatalf("the write finished (%v) while the other request held the slot it needs back", err)
	case <-time.After(50 * time.Millisecond):
	}
	leaveOther()
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	leave()
	if !db.W.Migrator().HasTable("waited") {
		t.Fatal("the write was lost")
	}
}
