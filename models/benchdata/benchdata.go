// Package benchdata fills a database with generated data at scale, for
// benchmarks and for people sizing a deployment.
package benchdata

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models"
)

// Options size the data: ten postmortems per customer, and the items spread
// evenly over the postmortems. As in real use, the items of one incident are
// written together, and incidents of different customers alternate.
type Options struct {
	Customers int
	Items     int
	// Progress, when set, is called after each batch with items written.
	Progress func(done, total int)
}

const postmortemsPerCustomer = 10

// Fill writes the data in large transactions of multi-row inserts; it
// writes no audit events, which a benchmark of reads does not need.
func Fill(ctx context.Context, db *database.DB, o Options) error {
	if o.Customers < 1 || o.Items < 0 {
		return fmt.Errorf("benchdata: need at least one customer, got %d", o.Customers)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UTC().Truncate(time.Second)
	custIDs, pmIDs, err := fillCustomers(ctx, db.W, o.Customers, now)
	if err != nil {
		return err
	}
	perPM := max(1, o.Items/(o.Customers*postmortemsPerCustomer))
	const batch = 500
	perTx := 50 * batch
	for done := 0; done < o.Items; {
		err := db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for end := min(done+perTx, o.Items); done < end; {
				n := min(batch, end-done)
				if err := insertItems(tx, rng, custIDs, pmIDs, perPM, done, n, now); err != nil {
					return err
				}
				done += n
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("benchdata: items: %w", err)
		}
		if o.Progress != nil {
			o.Progress(done, o.Items)
		}
	}
	return nil
}

// fillCustomers writes the customers, their SLOs and postmortems, and
// returns the customer ids and their postmortem ids by customer index.
func fillCustomers(ctx context.Context, db *gorm.DB, n int, now time.Time) ([]uint, [][]uint, error) {
	custIDs, pmIDs := make([]uint, n), make([][]uint, n)
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := 0; i < n; i++ {
			c := models.Customer{Name: fmt.Sprintf("Customer %04d", i), Slug: fmt.Sprintf("customer-%04d", i),
				TimeZone: "UTC", Contacts: []string{fmt.Sprintf("ops@customer-%04d.example", i)}}
			if err := tx.Create(&c).Error; err != nil {
				return fmt.Errorf("customer %d: %w", i, err)
			}
			custIDs[i] = c.ID
			slo := models.SLO{CustomerID: c.ID, Name: "availability", DisplayName: "Availability", Target: 0.999, WindowDays: 30, BudgetingMethod: "Occurrences"}
			if err := tx.Create(&slo).Error; err != nil {
				return fmt.Errorf("SLO of customer %d: %w", i, err)
			}
			for j := 0; j < postmortemsPerCustomer; j++ {
				started := now.AddDate(0, 0, -7*j-i%7)
				pm := models.Postmortem{Title: fmt.Sprintf("Incident %d of %s", j, c.Name), Severity: models.Severities[j%4],
					Status: models.PMPublished, Visibility: models.VisibilityShared, StartedAt: &started, ResolvedAt: &started,
					PublishedAt: &started, ExternalSummary: "Requests failed for a while.", CreatedAt: started, UpdatedAt: started,
					Customers: []models.Customer{c}}
				if err := tx.Omit("Customers.*").Create(&pm).Error; err != nil {
					return fmt.Errorf("postmortem %d of customer %d: %w", j, i, err)
				}
				pmIDs[i] = append(pmIDs[i], pm.ID)
			}
		}
		return nil
	})
	return custIDs, pmIDs, err
}

var itemColumns = []string{"postmortem_id", "title", "description", "owner", "customer_id", "assignee", "type",
	"priority", "status", "due_date", "customer_visible", "github_url", "github_state", "closed_at", "created_at", "updated_at"}

// weighted statuses: most items of old incidents are closed.
var statuses = []string{"done", "done", "done", "done", "wont_fix", "open", "open", "in_progress", "blocked"}

func insertItems(tx *gorm.DB, rng *rand.Rand, custIDs []uint, pmIDs [][]uint, perPM, from, n int, now time.Time) error {
	customers := len(pmIDs)
	var sb strings.Builder
	sb.WriteString("INSERT INTO action_items (" + strings.Join(itemColumns, ", ") + ") VALUES ")
	args := make([]any, 0, n*len(itemColumns))
	placeholders := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(itemColumns)), ", ") + ")"
	for k := 0; k < n; k++ {
		i := from + k
		p := i / perPM
		cust := p % customers
		pm := pmIDs[cust][(p/customers)%postmortemsPerCustomer]
		owner, custID := models.OwnerProvider, any(nil)
		if i%4 == 0 {
			owner, custID = models.OwnerCustomer, custIDs[cust]
		}
		status := statuses[rng.IntN(len(statuses))]
		created := now.AddDate(0, 0, -rng.IntN(365))
		due := models.DateOf(created).AddDays(14 + rng.IntN(60)).String()
		var closed any
		if models.IsClosedStatus(status) {
			closed = created.AddDate(0, 0, rng.IntN(30))
		}
		if k > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(placeholders)
		args = append(args, pm, fmt.Sprintf("Follow-up %d", i), "Generated for benchmarks.", owner, custID,
			fmt.Sprintf("engineer%03d@provider.example", rng.IntN(500)), models.ItemTypes[rng.IntN(6)],
			models.Priorities[rng.IntN(4)], status, due, i%10 != 0, "", "", closed, created, created)
	}
	return tx.Exec(sb.String(), args...).Error
}
