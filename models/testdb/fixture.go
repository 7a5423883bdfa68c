package testdb

import (
	"github.com/amendsdev/amends/models/database"

	"context"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/subscribe/egress"
)

// Marker is planted in every internal field of the fixture, so that tests
// can search customer-facing output for it.
const Marker = "ZZINTERNALZZ"

// Fixture is a small world with every role and every kind of object: two
// customers A and B, postmortems internal, shared (draft and published) and
// joint, and items on both sides, some internal-only.
type Fixture struct {
	Store *models.Store
	A, B  *models.Customer

	Admin, SRE, Viewer, CustA, CustAdminA, CustB *models.User
	Tokens                                       map[string]string // by user email

	Internal, SharedDraftA, SharedA, JointA, SharedB, SharedAB *models.Postmortem

	ProviderItemA, InternalItemA, CustomerItemA, JointItemA *models.ActionItem
	ItemB, CustomerItemBOnAB, InternalPMItem                *models.ActionItem
}

// Password is the password of every fixture user.
const Password = "correct horse battery"

var (
	hashOnce sync.Once
	hash     string
)

// passwordHash hashes Password once per test binary; argon2id is slow on
// purpose.
func passwordHash(t testing.TB) string {
	hashOnce.Do(func() {
		var err error
		if hash, err = models.HashPassword(Password); err != nil {
			t.Fatalf("hash password: %v", err)
		}
	})
	return hash
}

// NewFixture builds the fixture in db.
func NewFixture(t testing.TB, db *database.DB) *Fixture {
	t.Helper()
	ctx := context.Background()
	s := models.NewStore(db)
	f := &Fixture{Store: s, Tokens: map[string]string{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	var err error
	f.A, err = s.CreateCustomer(ctx, models.CustomerInput{Name: "Acme", Slug: "acme", TimeZone: "Europe/Berlin", Contacts: []string{"ops@acme.example"}})
	must(err)
	f.B, err = s.CreateCustomer(ctx, models.CustomerInput{Name: "Bravo", Slug: "bravo", TimeZone: "UTC", Contacts: []string{"ops@bravo.example"}})
	must(err)
	user := func(email, name, role, slug string, custAdmin bool) *models.User {
		u, err := s.CreateUser(ctx, models.UserInput{Email: email, Name: name, Role: role, CustomerSlug: slug,
			CustomerAdmin: custAdmin, PasswordHash: passwordHash(t)})
		must(err)
		f.Tokens[email], err = s.CreateToken(ctx, u.ID, "test")
		must(err)
		return u
	}
	f.Admin = user("admin@provider.example", "Ada Admin", models.RoleAdmin, "", false)
	f.SRE = user("sre@provider.example", "Sid Sre", models.RoleSRE, "", false)
	f.Viewer = user("viewer@provider.example", "Vic Viewer", models.RoleViewer, "", false)
	f.CustA = user("user@acme.example", "Alice Acme", models.RoleCustomer, "acme", false)
	f.CustAdminA = user("admin@acme.example", "Arno Acme", models.RoleCustomer, "acme", true)
	f.CustB = user("user@bravo.example", "Bob Bravo", models.RoleCustomer, "bravo", false)

	pm := func(title, vis string, customers []uint, publish bool) *models.Postmortem {
		start := time.Date(2026, 3, 1, 13, 0, 0, 0, time.UTC)
		end := start.Add(47 * time.Minute)
		p, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{
			Title: title, Visibility: vis, CustomerIDs: customers, Severity: "SEV2", StartedAt: &start, ResolvedAt: &end,
			Summary: "summary " + Marker, RootCauses: "cause " + Marker, Timeline: "13:00 Sid paged " + Marker,
			ExternalSummary: "What happened to " + title, ExternalImpact: "Some requests failed.",
			ExternalCause: "A configuration change.", ExternalNextSteps: "We are adding a check.",
		})
		must(err)
		if publish {
			p, _, err = s.Publish(ctx, f.Admin, p.ID, nil)
			must(err)
		}
		return p
	}
	f.Internal = pm("Internal incident", models.VisibilityInternal, []uint{f.A.ID}, false)
	f.SharedDraftA = pm("Shared draft for A", models.VisibilityShared, []uint{f.A.ID}, false)
	f.SharedA = pm("Shared with A", models.VisibilityShared, []uint{f.A.ID}, true)
	f.JointA = pm("Joint with A", models.VisibilityJoint, []uint{f.A.ID}, false)
	f.SharedB = pm("Shared with B", models.VisibilityShared, []uint{f.B.ID}, true)
	f.SharedAB = pm("Shared with A and B", models.VisibilityShared, []uint{f.A.ID, f.B.ID}, true)

	no := false
	item := func(p *models.Postmortem, title, owner string, cust *models.Customer, internal bool) *models.ActionItem {
		in := models.ItemInput{Title: title, Description: "details", Owner: owner, Type: "repair", Priority: "P1", Assignee: "sre@provider.example"}
		if cust != nil {
			in.CustomerID = &cust.ID
			in.Assignee = "ops@" + cust.Slug + ".example"
		}
		if internal {
			in.CustomerVisible = &no
			in.Title = title + " " + Marker
		}
		it, err := s.CreateItem(ctx, f.SRE, p.ID, in)
		must(err)
		return it
	}
	f.ProviderItemA = item(f.SharedA, "Provider fix for A", models.OwnerProvider, nil, false)
	f.InternalItemA = item(f.SharedA, "Internal-only item", models.OwnerProvider, nil, true)
	f.CustomerItemA = item(f.SharedA, "Acme's own fix", models.OwnerCustomer, f.A, false)
	f.JointItemA = item(f.JointA, "Acme joint item", models.OwnerCustomer, f.A, false)
	f.ItemB = item(f.SharedB, "Provider fix for B", models.OwnerProvider, nil, false)
	f.CustomerItemBOnAB = item(f.SharedAB, "Bravo's own fix", models.OwnerCustomer, f.B, false)
	f.InternalPMItem = item(f.Internal, "Internal postmortem item", models.OwnerProvider, nil, false)
	_, err = s.AddComment(ctx, f.SRE, f.ProviderItemA.ID, models.CommentInput{Body: "internal note " + Marker})
	must(err)
	_, err = s.SaveJointSection(ctx, f.SRE, f.SharedAB.ID, f.B.ID, models.JointSectionInput{Impact: "Bravo's impact"})
	if err == nil {
		t.Fatal("fixture: a shared postmortem took a joint section")
	}
	return f
}

// AllowLoopback lets the store's webhooks reach loopback addresses, where
// tests run their receivers, as an operator would with
// AMENDS_WEBHOOK_ALLOW_CIDRS=127.0.0.0/8,::1.
func AllowLoopback(t testing.TB, s *models.Store) {
	t.Helper()
	allow, err := egress.ParseAllow("127.0.0.0/8,::1")
	if err != nil {
		t.Fatal(err)
	}
	s.SetEgress(egress.New(allow))
}
