package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/notify"
)

// Prepared names a draft the job stored.
type Prepared struct {
	CustomerID uint
	Customer   string
	Month      string
}

// PrepareDrafts stores, for every customer with shared or joint
// postmortems, the draft review of its last month once that month has
// ended in the customer's time zone. It is idempotent: a draft that exists
// is left alone, so every replica may run it.
func PrepareDrafts(ctx context.Context, store *models.Store) ([]Prepared, error) {
	return Reviews{Store: store}.PrepareDrafts(ctx)
}

// PrepareDrafts is the package's PrepareDrafts with the SLIs measured.
func (rv Reviews) PrepareDrafts(ctx context.Context) ([]Prepared, error) {
	store := rv.Store
	customers, err := store.CustomersWithSharedPostmortems(ctx)
	if err != nil {
		return nil, err
	}
	var out []Prepared
	for _, c := range customers {
		p, err := rv.prepareDraft(ctx, c)
		if err != nil {
			return out, err
		}
		if p != nil {
			out = append(out, *p)
		}
	}
	return out, nil
}

func (rv Reviews) prepareDraft(ctx context.Context, c models.Customer) (*Prepared, error) {
	store := rv.Store
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("time zone of customer %d: %w", c.ID, err)
	}
	m := MonthOf(store.Now(), loc).Add(-1)
	if has, err := store.HasReviewDraft(ctx, c.ID, m.String()); err != nil || has {
		return nil, err
	}
	reader := &models.User{Role: models.RoleCustomer, CustomerID: &c.ID}
	r, err := rv.Build(ctx, reader, c.ID, m)
	if err != nil {
		return nil, fmt.Errorf("draft review of %s for %s: %w", c.Slug, m, err)
	}
	r.Stage = StageDraft
	snapshot, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("snapshot draft of %s for %s: %w", c.Slug, m, err)
	}
	saved, err := store.SaveReviewDraft(ctx, c.ID, m.String(), string(snapshot))
	if err != nil || !saved {
		return nil, err
	}
	return &Prepared{CustomerID: c.ID, Customer: c.Slug, Month: m.String()}, nil
}

// DraftInterval is how often serve looks for months that have ended: an
// hour, so that a customer's draft is ready soon after its own midnight
// whatever its time zone.
const DraftInterval = time.Hour

// DraftsPass returns one pass of PrepareDrafts for serve's scheduler; it
// tells the staff leads what the pass prepared (DraftsReady). A second
// pass, even on another replica, prepares nothing twice: drafts are unique
// per customer and month.
func DraftsPass(ctx context.Context, rv Reviews, outbox *notify.Outbox, baseURL string, log *slog.Logger) func() {
	store := rv.Store
	return func() {
		prepared, err := rv.PrepareDrafts(ctx)
		if err != nil {
			log.Error("prepare review drafts", "err", err)
		}
		log.Info("review drafts pass", "prepared", len(prepared))
		if _, err := DraftsReady(ctx, store, outbox, baseURL, prepared); err != nil {
			log.Error("tell the leads the review drafts are ready", "err", err)
		}
	}
}
