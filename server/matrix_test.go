package server_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
	"github.com/amendsdev/amends/web"
)

// roles in the order of every row's expected statuses.
var roleNames = []string{"admin", "sre", "viewer", "customer A", "customer admin A", "customer B", "anonymous"}

func (e *env) roleEmails() []string {
	f := e.f
	return []string{f.Admin.Email, f.SRE.Email, f.Viewer.Email, f.CustA.Email, f.CustAdminA.Email, f.CustB.Email, ""}
}

type matrixCase struct {
	method, route string // route is the registered pattern it covers
	path          func(f *testdb.Fixture) string
	body          func(e *env, role int) any
	want          [7]int
}

func id(n uint) string { return fmt.Sprint(n) }

var (
	allRead   = [7]int{200, 200, 200, 200, 200, 200, 401}
	readOfA   = [7]int{200, 200, 200, 200, 200, 404, 401}
	staffOnly = [7]int{200, 200, 200, 404, 404, 404, 401}
)

var matrix = []matrixCase{
	{"GET", "/api/v1/customers", func(f *testdb.Fixture) string { return "/api/v1/customers" }, nil, allRead},
	{"POST", "/api/v1/customers", func(f *testdb.Fixture) string { return "/api/v1/customers" },
		func(e *env, r int) any { return map[string]any{"name": "New", "slug": fmt.Sprintf("new-%d", r)} }, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/customers/:id", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) }, nil, readOfA},
	{"PATCH", "/api/v1/customers/:id", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) },
		func(e *env, r int) any { return map[string]any{"name": "Acme Inc"} }, [7]int{200, 200, 403, 404, 404, 404, 401}},
	{"DELETE", "/api/v1/customers/:id", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.B.ID) }, nil, [7]int{409, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/customers/:id/slos", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/slos" }, nil, readOfA},
	{"POST", "/api/v1/customers/:id/slos", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/slos" },
		func(e *env, r int) any { return map[string]any{"name": "avail", "target": 0.99, "window_days": 28} }, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"POST", "/api/v1/customers/:id/slos/openslo", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/slos/openslo" },
		func(e *env, r int) any { return openSLOBody }, [7]int{200, 200, 403, 404, 404, 404, 401}},
	// Customers read issued reviews only: the live one answers 404 to them.
	{"GET", "/api/v1/customers/:id/reports/:month", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/reports/2026-03" }, nil, staffOnly},
	{"GET", "/api/v1/customers/:id/reports/:month", func(f *testdb.Fixture) string {
		return "/api/v1/customers/" + id(f.B.ID) + "/reports/2026-03?format=md"
	},
		nil, staffOnly},
	{"GET", "/api/v1/customers/:id/reports/:month", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/reports/2026-3" },
		nil, [7]int{400, 400, 400, 404, 404, 404, 401}},
	// The internal version is staff only; stored reviews have none.
	{"GET", "/api/v1/customers/:id/reports/:month", func(f *testdb.Fixture) string {
		return "/api/v1/customers/" + id(f.A.ID) + "/reports/2026-03?format=csv&audience=internal"
	}, nil, staffOnly},
	{"GET", "/api/v1/issued-reports/:id", func(f *testdb.Fixture) string {
		return "/api/v1/issued-reports/" + id(issuedReviewOfA(f)) + "?audience=internal"
	}, nil, [7]int{400, 400, 400, 404, 404, 404, 401}},
	{"GET", "/api/v1/review-drafts/:id", func(f *testdb.Fixture) string {
		return "/api/v1/review-drafts/" + id(draftOfA(f)) + "?audience=internal"
	},
		nil, [7]int{400, 400, 400, 404, 404, 404, 401}},
	{"POST", "/api/v1/customers/:id/reports/:month/issue", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/reports/2026-03/issue" },
		nil, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/customers/:id/issued-reports", func(f *testdb.Fixture) string { return "/api/v1/customers/" + id(f.A.ID) + "/issued-reports" }, nil, readOfA},
	{"GET", "/api/v1/issued-reports/:id", func(f *testdb.Fixture) string {
		return "/api/v1/issued-reports/" + id(issuedReviewOfA(f)) + "?format=md"
	}, nil, readOfA},
	{"POST", "/api/v1/issued-reports/:id/email", func(f *testdb.Fixture) string { return "/api/v1/issued-reports/" + id(issuedReviewOfA(f)) + "/email" },
		nil, [7]int{202, 202, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/review-drafts", func(f *testdb.Fixture) string { return "/api/v1/review-drafts?month=2026-03" }, nil, staffOnly},
	{"GET", "/api/v1/review-drafts/:id", func(f *testdb.Fixture) string { return "/api/v1/review-drafts/" + id(draftOfA(f)) + "?format=md" }, nil, staffOnly},
	{"GET", "/api/v1/postmortems", func(f *testdb.Fixture) string { return "/api/v1/postmortems" }, nil, allRead},
	{"POST", "/api/v1/postmortems", func(f *testdb.Fixture) string { return "/api/v1/postmortems" },
		func(e *env, r int) any { return map[string]any{"title": "New", "severity": "SEV2"} }, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/postmortems/:id", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) }, nil, readOfA},
	{"GET", "/api/v1/postmortems/:id", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.Internal.ID) }, nil, staffOnly},
	{"GET", "/api/v1/postmortems/:id", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedDraftA.ID) }, nil, staffOnly},
	{"GET", "/api/v1/postmortems/:id", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.JointA.ID) }, nil, readOfA},
	{"PATCH", "/api/v1/postmortems/:id", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) },
		func(e *env, r int) any { return map[string]any{"title": "Renamed"} }, [7]int{200, 200, 403, 404, 404, 404, 401}},
	{"DELETE", "/api/v1/postmortems/:id", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) }, nil, [7]int{409, 409, 403, 404, 404, 404, 401}},
	{"POST", "/api/v1/postmortems/:id/publish", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedDraftA.ID) + "/publish" }, nil, [7]int{200, 200, 403, 404, 404, 404, 401}},
	{"POST", "/api/v1/postmortems/:id/check", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/check" },
		nil, [7]int{200, 200, 200, 404, 404, 404, 401}},
	{"GET", "/api/v1/settings/reminders", func(f *testdb.Fixture) string { return "/api/v1/settings/reminders" }, nil, staffOnly},
	{"PUT", "/api/v1/settings/reminders", func(f *testdb.Fixture) string { return "/api/v1/settings/reminders" },
		func(e *env, r int) any { return map[string]any{"digest_day": "friday"} }, [7]int{200, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/settings/item-due-days", func(f *testdb.Fixture) string { return "/api/v1/settings/item-due-days" }, nil, staffOnly},
	{"PUT", "/api/v1/settings/item-due-days", func(f *testdb.Fixture) string { return "/api/v1/settings/item-due-days" },
		func(e *env, r int) any { return map[string]int{"P0": 7, "P1": 21} }, [7]int{200, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/settings/provider", func(f *testdb.Fixture) string { return "/api/v1/settings/provider" }, nil, staffOnly},
	{"PUT", "/api/v1/settings/provider", func(f *testdb.Fixture) string { return "/api/v1/settings/provider" },
		func(e *env, r int) any { return map[string]any{"team_name": "Reliability team"} }, [7]int{200, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/settings/public", fixed("/api/v1/settings/public"), nil, staffOnly},
	{"PUT", "/api/v1/settings/public", fixed("/api/v1/settings/public"),
		func(e *env, r int) any { return map[string]any{"enabled": true, "organisation_name": "Northwind"} }, adminAPI},
	{"GET", "/api/v1/settings/share-check", func(f *testdb.Fixture) string { return "/api/v1/settings/share-check" }, nil, staffOnly},
	{"PUT", "/api/v1/settings/share-check", func(f *testdb.Fixture) string { return "/api/v1/settings/share-check" },
		func(e *env, r int) any { return map[string]any{"vendors": []string{"Examplecloud"}} }, [7]int{200, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/postmortems/:id/history", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/history" }, nil, readOfA},
	{"GET", "/api/v1/postmortems/:id/history", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.Internal.ID) + "/history" }, nil, staffOnly},
	{"GET", "/api/v1/postmortems/:id/impacts", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/impacts" }, nil, readOfA},
	{"POST", "/api/v1/postmortems/:id/impacts", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/impacts" },
		func(e *env, r int) any {
			slo, err := e.f.Store.CreateSLO(context.Background(), e.f.A.ID, models.SLOInput{Name: fmt.Sprint("slo-", r), Target: 0.999, WindowDays: 30})
			if err != nil {
				e.t.Fatal(err)
			}
			return map[string]any{"slo_id": slo.ID, "bad_minutes": 12}
		}, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"PATCH", "/api/v1/postmortems/:id/impacts/:impact_id", impactPath, func(e *env, r int) any { return map[string]any{"bad_minutes": 20} },
		[7]int{200, 200, 403, 404, 404, 404, 401}},
	{"DELETE", "/api/v1/postmortems/:id/impacts/:impact_id", impactPath, nil, [7]int{204, 204, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/postmortems/:id/joint-sections", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.JointA.ID) + "/joint-sections" }, nil, readOfA},
	{"PUT", "/api/v1/postmortems/:id/joint-sections/:customer_id", func(f *testdb.Fixture) string {
		return "/api/v1/postmortems/" + id(f.JointA.ID) + "/joint-sections/" + id(f.A.ID)
	}, func(e *env, r int) any { return map[string]any{"impact": "Orders were delayed."} }, [7]int{200, 200, 403, 200, 200, 404, 401}},
	{"GET", "/api/v1/postmortems/:id/sign-offs", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.JointA.ID) + "/sign-offs" }, nil, readOfA},
	{"POST", "/api/v1/postmortems/:id/sign-offs", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.JointA.ID) + "/sign-offs" },
		nil, [7]int{201, 201, 403, 201, 201, 404, 401}},
	{"GET", "/api/v1/postmortems/:id/follow-ups", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/follow-ups" }, nil, readOfA},
	{"POST", "/api/v1/postmortems/:id/follow-ups", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedAB.ID) + "/follow-ups" },
		func(e *env, r int) any {
			later := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			if _, err := e.f.Store.UpdatePostmortem(context.Background(), e.f.SRE, e.f.SharedAB.ID, models.PostmortemPatch{StartedAt: models.Some(later), ResolvedAt: models.Some(later.Add(time.Hour))}); err != nil {
				e.t.Fatal(err)
			}
			return map[string]any{"action_item_id": e.f.ProviderItemA.ID}
		}, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/postmortems/:id/action-items", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/action-items" }, nil, readOfA},
	{"POST", "/api/v1/postmortems/:id/action-items", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/action-items" },
		newItemBody, [7]int{201, 201, 403, 404, 404, 404, 401}},
	{"POST", "/api/v1/postmortems/:id/action-items", func(f *testdb.Fixture) string { return "/api/v1/postmortems/" + id(f.JointA.ID) + "/action-items" },
		newItemBody, [7]int{201, 201, 403, 201, 201, 404, 401}},
	{"GET", "/api/v1/action-items", func(f *testdb.Fixture) string { return "/api/v1/action-items" }, nil, allRead},
	{"GET", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) }, nil, readOfA},
	{"GET", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.InternalItemA.ID) }, nil, staffOnly},
	{"GET", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.CustomerItemBOnAB.ID) },
		nil, [7]int{200, 200, 200, 404, 404, 200, 401}},
	{"PATCH", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.CustomerItemA.ID) },
		statusBody, [7]int{200, 200, 403, 200, 200, 404, 401}},
	{"PATCH", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) },
		statusBody, [7]int{200, 200, 403, 404, 404, 404, 401}},
	// Archiving: staff who write items archive, admins restore; to a
	// customer neither route exists.
	{"DELETE", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) },
		nil, [7]int{204, 204, 403, 404, 404, 404, 401}},
	{"DELETE", "/api/v1/action-items/:id", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.CustomerItemA.ID) },
		func(e *env, r int) any { return map[string]any{"reason": "made twice"} }, [7]int{204, 204, 403, 404, 404, 404, 401}},
	{"POST", "/api/v1/action-items/:id/restore", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) + "/restore" },
		archiveFirst, [7]int{200, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/postmortems/:id/archived-action-items", func(f *testdb.Fixture) string {
		return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/archived-action-items"
	}, nil, staffOnly},
	{"GET", "/api/v1/action-items/:id/archived-comments", func(f *testdb.Fixture) string {
		return "/api/v1/action-items/" + id(f.CustomerItemA.ID) + "/archived-comments"
	}, nil, staffOnly},
	{"DELETE", "/api/v1/action-items/:id/comments/:comment_id", commentPath, withComment(false), [7]int{204, 204, 403, 404, 404, 404, 401}},
	{"POST", "/api/v1/action-items/:id/comments/:comment_id/restore", func(f *testdb.Fixture) string { return commentPath(f) + "/restore" },
		withComment(true), [7]int{204, 403, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/action-items/:id/history", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) + "/history" }, nil, readOfA},
	{"GET", "/api/v1/action-items/:id/comments", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) + "/comments" }, nil, readOfA},
	{"POST", "/api/v1/action-items/:id/comments", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.CustomerItemA.ID) + "/comments" },
		commentBody, [7]int{201, 201, 403, 201, 201, 404, 401}},
	{"POST", "/api/v1/action-items/:id/comments", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) + "/comments" },
		commentBody, [7]int{201, 201, 403, 404, 404, 404, 401}},
	// Without a token (as here) linking answers 422 github_disabled; see github_test.go for the rest.
	{"POST", "/api/v1/action-items/:id/github", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) + "/github" },
		func(e *env, r int) any { return map[string]any{"issue_url": "acme/ops#1"} }, [7]int{422, 422, 403, 404, 404, 404, 401}},
	{"DELETE", "/api/v1/action-items/:id/github", func(f *testdb.Fixture) string { return "/api/v1/action-items/" + id(f.ProviderItemA.ID) + "/github" },
		nil, [7]int{200, 200, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/github/status", func(f *testdb.Fixture) string { return "/api/v1/github/status" }, nil, staffOnly},
	// Without AMENDS_PROMETHEUS_URL (as here) measuring answers 422
	// prometheus_disabled; see sli_test.go for the rest.
	{"GET", "/api/v1/prometheus/status", fixed("/api/v1/prometheus/status"), nil, staffOnly},
	{"GET", "/api/v1/postmortems/:id/impacts/measured", func(f *testdb.Fixture) string {
		return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/impacts/measured"
	}, nil, [7]int{422, 422, 422, 404, 404, 404, 401}},
	{"POST", "/api/v1/postmortems/:id/impacts/measure", func(f *testdb.Fixture) string {
		return "/api/v1/postmortems/" + id(f.SharedA.ID) + "/impacts/measure"
	}, nil, [7]int{422, 422, 403, 404, 404, 404, 401}},
	{"PUT", "/api/v1/customers/:id/slos/:slo_id/sli", func(f *testdb.Fixture) string { return "/api/v1" + sliPage(f) },
		func(e *env, r int) any {
			return map[string]any{"bad_query": `errors_total{customer="{{ .Customer }}"}`, "total_query": `requests_total{customer="{{ .Customer }}"}`}
		}, [7]int{200, 200, 403, 404, 404, 404, 401}},
	{"GET", "/api/v1/webhooks", fixed("/api/v1/webhooks"), nil, [7]int{403, 403, 403, 404, 200, 404, 401}},
	{"POST", "/api/v1/webhooks", fixed("/api/v1/webhooks"), func(e *env, r int) any { return map[string]any{"url": "https://hooks.acme.example/amends"} },
		[7]int{403, 403, 403, 404, 201, 404, 401}},
	{"DELETE", "/api/v1/webhooks/:id", fixed("/api/v1/webhooks/1"), func(e *env, r int) any {
		if _, err := e.f.Store.CreateWebhook(context.Background(), e.f.CustAdminA, "https://hooks.acme.example/amends"); err != nil {
			e.t.Fatal(err)
		}
		return nil
	}, [7]int{403, 403, 403, 404, 204, 404, 401}},
	{"GET", "/api/v1/users", fixed("/api/v1/users"), nil, adminAPI},
	{"GET", "/api/v1/users/:id", func(f *testdb.Fixture) string { return "/api/v1/users/" + id(f.Viewer.ID) }, nil, adminAPI},
	{"PATCH", "/api/v1/users/:id", func(f *testdb.Fixture) string { return "/api/v1/users/" + id(f.Viewer.ID) },
		func(e *env, r int) any { return map[string]any{"role": "sre"} }, adminAPI},
	{"DELETE", "/api/v1/tokens/:id", func(f *testdb.Fixture) string { return "/api/v1/tokens/" + id(tokenOf(f, f.Viewer)) }, nil,
		[7]int{204, 403, 403, 404, 404, 404, 401}},
	// Unsigned, the webhook refuses everyone alike: it knows no roles.
	{"POST", "/webhooks/github", func(f *testdb.Fixture) string { return "/webhooks/github" },
		func(e *env, r int) any { return map[string]any{"zen": "hi"} }, [7]int{401, 401, 401, 401, 401, 401, 401}},
	{"GET", "/healthz", func(f *testdb.Fixture) string { return "/healthz" }, nil, [7]int{200, 200, 200, 200, 200, 200, 200}},
	// The API's description holds no data: anyone may read it.
	{"GET", "/api/v1/openapi.json", func(f *testdb.Fixture) string { return "/api/v1/openapi.json" }, nil, [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/readyz", func(f *testdb.Fixture) string { return "/readyz" }, nil, [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/metrics", func(f *testdb.Fixture) string { return "/metrics" }, nil, [7]int{200, 200, 200, 200, 200, 200, 200}},
}

// impactPath is an impact of SharedA against an SLO of customer A, made
// the first time a fixture asks for it.
func impactPath(f *testdb.Fixture) string {
	ctx := context.Background()
	imps, err := f.Store.ListImpacts(ctx, f.Admin, f.SharedA.ID)
	if err != nil {
		panic(err)
	}
	if len(imps) == 0 {
		slo, err := f.Store.CreateSLO(ctx, f.A.ID, models.SLOInput{Name: "impact-slo", Target: 0.999, WindowDays: 30})
		if err != nil {
			panic(err)
		}
		imp, err := f.Store.CreateImpact(ctx, f.SRE, f.SharedA.ID, models.ImpactInput{SLOID: slo.ID, BadMinutes: 12})
		if err != nil {
			panic(err)
		}
		imps = append(imps, *imp)
	}
	return fmt.Sprintf("/api/v1/postmortems/%d/impacts/%d", f.SharedA.ID, imps[0].ID)
}

// sliPage is the SLI of impactPath's SLO, on the staff pages.
func sliPage(f *testdb.Fixture) string {
	impactPath(f)
	slos, err := f.Store.ListSLOs(context.Background(), f.Admin, f.A.ID)
	if err != nil || len(slos) == 0 {
		panic(fmt.Sprintf("SLOs of A: %v", err))
	}
	return fmt.Sprintf("/customers/%d/slos/%d/sli", f.A.ID, slos[0].ID)
}

// impactPage is impactPath's impact on the staff pages.
func impactPage(f *testdb.Fixture) string { return strings.TrimPrefix(impactPath(f), "/api/v1") }

// tokenOf is the id of the user's fixture token.
func tokenOf(f *testdb.Fixture, u *models.User) uint {
	ts, err := f.Store.Tokens(context.Background(), nil, u.ID)
	if err != nil || len(ts) == 0 {
		panic(fmt.Sprintf("tokens of %s: %v", u.Email, err))
	}
	return ts[0].ID
}

var (
	adminAPI   = [7]int{200, 403, 403, 404, 404, 404, 401}
	adminForm  = [7]int{303, 403, 403, 404, 404, 404, 303}
	staffPage  = [7]int{200, 200, 200, 404, 404, 404, 303}
	staffForm  = [7]int{303, 303, 403, 404, 404, 404, 303}
	portalPage = [7]int{403, 403, 403, 200, 200, 404, 303}
	adminPage  = [7]int{200, 403, 403, 404, 404, 404, 303}
	portalForm = [7]int{403, 403, 403, 303, 303, 404, 303}
	// custAdminPage and custAdminForm are the customer admin's pages: other
	// customer users get 404, as if they did not exist.
	custAdminPage = [7]int{403, 403, 403, 404, 200, 404, 303}
	custAdminForm = [7]int{403, 403, 403, 404, 303, 404, 303}
)

// pageMatrix holds the pages: requests are signed in with a session cookie
// and carry the CSRF token; bodies are forms.
var pageMatrix []matrixCase

func pageCase(method, route string, path func(f *testdb.Fixture) string, body func(e *env, r int) any, want [7]int) matrixCase {
	return matrixCase{method: method, route: route, path: path, body: body, want: want}
}

func fixed(p string) func(*testdb.Fixture) string { return func(*testdb.Fixture) string { return p } }

func form(kv ...string) func(*env, int) any {
	return func(*env, int) any {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
}

func init() {
	pm := func(f *testdb.Fixture) string { return "/postmortems/" + id(f.SharedA.ID) }
	item := func(f *testdb.Fixture) string { return "/items/" + id(f.ProviderItemA.ID) }
	pageMatrix = append(pageMatrix,
		pageCase("GET", "/login", fixed("/login"), nil, [7]int{303, 303, 303, 303, 303, 303, 200}),
		pageCase("POST", "/login", fixed("/login"), form("email", "nobody@example.com", "password", "wrong"), [7]int{401, 401, 401, 401, 401, 401, 401}),
		// Without an identity provider (this matrix's server has none).
		pageCase("GET", "/login/oidc", fixed("/login/oidc?next=/items"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("GET", "/login/oidc/callback", fixed("/login/oidc/callback?code=c&state=s"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("POST", "/logout", fixed("/logout"), nil, [7]int{303, 303, 303, 303, 303, 303, 303}),
		pageCase("GET", "/static/:version/*", fixed("/static/"+web.StaticVersion+"/style.css"), nil, [7]int{200, 200, 200, 200, 200, 200, 200}),
		// A customer user opening / is sent to the portal (issue 20).
		pageCase("GET", "/", fixed("/"), nil, [7]int{200, 200, 200, 303, 303, 303, 303}),
		pageCase("GET", "/postmortems", fixed("/postmortems?q=shared"), nil, staffPage),
		pageCase("GET", "/postmortems/new", fixed("/postmortems/new"), nil, [7]int{200, 200, 403, 404, 404, 404, 303}),
		pageCase("POST", "/postmortems", fixed("/postmortems"), form("title", "New", "severity", "SEV2", "visibility", "internal", "status", "draft"), staffForm),
		pageCase("GET", "/postmortems/:id", pm, nil, staffPage),
		pageCase("GET", "/postmortems/:id/edit", func(f *testdb.Fixture) string { return pm(f) + "/edit" }, nil, [7]int{200, 200, 403, 404, 404, 404, 303}),
		pageCase("POST", "/postmortems/:id", pm, func(e *env, r int) any {
			return url.Values{"title": {"Renamed"}, "severity": {"SEV1"}, "visibility": {"shared"}, "status": {"published"},
				"customer_ids": {id(e.f.A.ID)}}
		}, staffForm),
		pageCase("POST", "/postmortems/:id/publish", func(f *testdb.Fixture) string { return "/postmortems/" + id(f.SharedDraftA.ID) + "/publish" }, nil, staffForm),
		pageCase("POST", "/postmortems/:id/impacts", func(f *testdb.Fixture) string { return pm(f) + "/impacts" }, func(e *env, r int) any {
			slo, err := e.f.Store.CreateSLO(context.Background(), e.f.A.ID, models.SLOInput{Name: "page-slo", Target: 0.999, WindowDays: 30})
			if err != nil {
				e.t.Fatal(err)
			}
			return url.Values{"slo_id": {id(slo.ID)}, "bad_minutes": {"12"}}
		}, staffForm),
		pageCase("POST", "/postmortems/:id/impacts/:impact_id", impactPage, form("bad_minutes", "20"), staffForm),
		pageCase("POST", "/postmortems/:id/impacts/:impact_id/delete", func(f *testdb.Fixture) string { return impactPage(f) + "/delete" }, nil, staffForm),
		pageCase("POST", "/postmortems/:id/items", func(f *testdb.Fixture) string { return pm(f) + "/items" },
			form("title", "From the page", "owner", "provider", "type", "repair", "priority", "P1"), staffForm),
		pageCase("GET", "/items", fixed("/items?overdue=true&priority=P0,P1"), nil, staffPage),
		pageCase("POST", "/items/bulk", fixed("/items/bulk"), func(e *env, r int) any {
			return url.Values{"ids": {id(e.f.ProviderItemA.ID)}, "status": {"done"}}
		}, staffForm),
		pageCase("GET", "/items/:id", item, nil, staffPage),
		pageCase("POST", "/items/:id", item, form("status", "blocked"), staffForm),
		pageCase("POST", "/items/:id/comments", func(f *testdb.Fixture) string { return item(f) + "/comments" }, form("body", "On it"), staffForm),
		pageCase("POST", "/items/:id/archive", func(f *testdb.Fixture) string { return item(f) + "/archive" }, form("reason", "made twice"), staffForm),
		pageCase("POST", "/items/:id/restore", func(f *testdb.Fixture) string { return item(f) + "/restore" }, archiveFirst, adminForm),
		pageCase("POST", "/items/:id/comments/:comment_id/archive", func(f *testdb.Fixture) string {
			return "/items" + strings.TrimPrefix(commentPath(f), "/api/v1/action-items") + "/archive"
		}, withComment(false), staffForm),
		pageCase("POST", "/items/:id/comments/:comment_id/restore", func(f *testdb.Fixture) string {
			return "/items" + strings.TrimPrefix(commentPath(f), "/api/v1/action-items") + "/restore"
		}, withComment(true), adminForm),
		// GitHub is off here: staff get the page back with a flash saying so.
		pageCase("POST", "/items/:id/github", func(f *testdb.Fixture) string { return item(f) + "/github" }, form("issue_url", "acme/ops#1"), staffForm),
		pageCase("GET", "/customers", fixed("/customers"), nil, staffPage),
		pageCase("GET", "/customers/:id", func(f *testdb.Fixture) string { return "/customers/" + id(f.A.ID) }, nil, staffPage),
		pageCase("GET", "/customers/:id/reviews/:month", func(f *testdb.Fixture) string { return "/customers/" + id(f.A.ID) + "/reviews/2026-03" }, nil, staffPage),
		pageCase("GET", "/customers/:id/reviews/:month", func(f *testdb.Fixture) string {
			return "/customers/" + id(f.A.ID) + "/reviews/2026-03?audience=internal"
		}, nil, staffPage),
		pageCase("POST", "/customers/:id/reviews/:month/issue", func(f *testdb.Fixture) string { return "/customers/" + id(f.A.ID) + "/reviews/2026-03/issue" }, nil, staffForm),
		pageCase("POST", "/customers/:id/slos/openslo", func(f *testdb.Fixture) string { return "/customers/" + id(f.A.ID) + "/slos/openslo" }, nil, staffForm),
		pageCase("POST", "/customers/:id/slos/:slo_id/sli", sliPage, form("total_query", `requests_total{customer="{{ .Customer }}"}`, "bad_query", `errors_total{customer="{{ .Customer }}"}`), staffForm),
		pageCase("POST", "/postmortems/:id/impacts/measure", func(f *testdb.Fixture) string { return "/postmortems/" + id(f.SharedA.ID) + "/impacts/measure" }, nil, staffForm),
		pageCase("POST", "/customers/:id/issued/:issued/email", func(f *testdb.Fixture) string {
			return "/customers/" + id(f.A.ID) + "/issued/" + id(issuedReviewOfA(f)) + "/email"
		}, nil, staffForm),
		pageCase("GET", "/portal", fixed("/portal"), nil, [7]int{403, 403, 403, 200, 200, 200, 303}),
		pageCase("POST", "/postmortems/:id/sign-off", func(f *testdb.Fixture) string { return "/postmortems/" + id(f.JointA.ID) + "/sign-off" }, nil, staffForm),
		pageCase("POST", "/postmortems/:id/follow-ups", func(f *testdb.Fixture) string { return "/postmortems/" + id(f.SharedA.ID) + "/follow-ups" },
			func(e *env, r int) any { return url.Values{"action_item_id": {id(e.f.InternalPMItem.ID)}} }, staffForm),
		pageCase("GET", "/portal/postmortems/:id", func(f *testdb.Fixture) string { return "/portal/postmortems/" + id(f.SharedA.ID) }, nil, portalPage),
		pageCase("GET", "/portal/postmortems/:id", func(f *testdb.Fixture) string { return "/portal/postmortems/" + id(f.JointA.ID) }, nil, portalPage),
		pageCase("POST", "/portal/postmortems/:id/items", func(f *testdb.Fixture) string { return "/portal/postmortems/" + id(f.JointA.ID) + "/items" },
			form("title", "Ours to fix", "type", "process", "priority", "P2"), portalForm),
		pageCase("POST", "/portal/postmortems/:id/section", func(f *testdb.Fixture) string { return "/portal/postmortems/" + id(f.JointA.ID) + "/section" },
			form("impact", "Orders were late."), portalForm),
		pageCase("POST", "/portal/postmortems/:id/sign-off", func(f *testdb.Fixture) string { return "/portal/postmortems/" + id(f.JointA.ID) + "/sign-off" }, nil, portalForm),
		pageCase("GET", "/portal/items/:id", func(f *testdb.Fixture) string { return "/portal/items/" + id(f.CustomerItemA.ID) }, nil, portalPage),
		pageCase("GET", "/portal/items/:id", func(f *testdb.Fixture) string { return "/portal/items/" + id(f.InternalItemA.ID) }, nil, [7]int{403, 403, 403, 404, 404, 404, 303}),
		pageCase("POST", "/portal/items/:id", func(f *testdb.Fixture) string { return "/portal/items/" + id(f.CustomerItemA.ID) }, form("status", "in_progress"), portalForm),
		pageCase("POST", "/portal/items/:id", func(f *testdb.Fixture) string { return "/portal/items/" + id(f.ProviderItemA.ID) }, form("status", "done"), [7]int{403, 403, 403, 404, 404, 404, 303}),
		pageCase("GET", "/settings/notifications", fixed("/settings/notifications"), nil, [7]int{200, 200, 200, 200, 200, 200, 303}),
		pageCase("POST", "/settings/notifications", fixed("/settings/notifications"), form("paused", "on", "digest_day", "2", "time_zone", "Europe/Berlin"),
			[7]int{303, 303, 303, 303, 303, 303, 303}),
		pageCase("POST", "/settings/notifications/rotate", fixed("/settings/notifications/rotate"), nil, [7]int{303, 303, 303, 303, 303, 303, 303}),
		pageCase("GET", "/notifications/unsubscribe", fixed("/notifications/unsubscribe?token=forged.token"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("POST", "/notifications/unsubscribe", fixed("/notifications/unsubscribe?token=forged.token"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("GET", "/admin/users", fixed("/admin/users"), nil, adminPage),
		pageCase("POST", "/admin/users/:id/role", func(f *testdb.Fixture) string { return "/admin/users/" + id(f.Viewer.ID) + "/role" },
			form("role", "sre"), adminForm),
		pageCase("POST", "/admin/users/:id/disable", func(f *testdb.Fixture) string { return "/admin/users/" + id(f.CustA.ID) + "/disable" }, nil, adminForm),
		pageCase("POST", "/admin/users/:id/enable", func(f *testdb.Fixture) string { return "/admin/users/" + id(f.CustA.ID) + "/enable" }, nil, adminForm),
		pageCase("POST", "/admin/tokens/:id/revoke", func(f *testdb.Fixture) string { return "/admin/tokens/" + id(tokenOf(f, f.CustA)) + "/revoke" }, nil, adminForm),
		pageCase("POST", "/portal/organisation/colleagues/:id/remove", func(f *testdb.Fixture) string {
			return "/portal/organisation/colleagues/" + id(f.CustA.ID) + "/remove"
		}, nil, custAdminForm),
		pageCase("GET", "/admin/outbox", fixed("/admin/outbox"), nil, adminPage),
		// Mail is off in these tests: the admin is told so (422), with nothing sent.
		pageCase("POST", "/admin/outbox/test", fixed("/admin/outbox/test"), form("to", "ops@provider.example"), [7]int{422, 403, 403, 404, 404, 404, 303}),
		pageCase("GET", "/admin/provider", fixed("/admin/provider"), nil, adminPage),
		pageCase("POST", "/admin/provider", fixed("/admin/provider"), form("team_name", "Reliability team"), [7]int{303, 403, 403, 404, 404, 404, 303}),
		pageCase("GET", "/admin/public", fixed("/admin/public"), nil, adminPage),
		pageCase("POST", "/admin/public", fixed("/admin/public"), form("enabled", "on", "title", "Incidents", "organisation_name", "Northwind"), adminForm),
		// The public page is off in the fixture: every route of it is 404
		// to everyone (public_test.go reads it on).
		pageCase("GET", "/status", fixed("/status"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("GET", "/status/feed.atom", fixed("/status/feed.atom"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("GET", "/status/postmortems/:id", pm2status, nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("GET", "/admin/outbox/:id", fixed("/admin/outbox/1"), nil, [7]int{404, 403, 403, 404, 404, 404, 303}),
		pageCase("POST", "/admin/outbox/:id/requeue", fixed("/admin/outbox/1/requeue"), nil, [7]int{404, 403, 403, 404, 404, 404, 303}),
		pageCase("POST", "/portal/items/:id/comments", func(f *testdb.Fixture) string { return "/portal/items/" + id(f.CustomerItemA.ID) + "/comments" }, form("body", "Done on our side"), portalForm),
		pageCase("GET", "/portal/reviews/:id", func(f *testdb.Fixture) string { return "/portal/reviews/" + id(issuedReviewOfA(f)) }, nil, portalPage),
		pageCase("GET", "/portal/organisation", fixed("/portal/organisation"), nil, custAdminPage),
		pageCase("POST", "/portal/organisation/contacts", fixed("/portal/organisation/contacts"), form("contacts", "ops@acme.example\nlead@acme.example"), custAdminForm),
		pageCase("POST", "/portal/organisation/invitations", fixed("/portal/organisation/invitations"), form("email", "new@acme.example"), custAdminForm),
		pageCase("POST", "/portal/organisation/invitations/:id/revoke", fixed("/portal/organisation/invitations/1/revoke"), func(e *env, r int) any {
			if _, _, err := e.f.Store.Invite(context.Background(), e.f.CustAdminA, "new@acme.example"); err != nil {
				e.t.Fatal(err)
			}
			return url.Values{}
		}, custAdminForm),
		pageCase("GET", "/portal/subscriptions", fixed("/portal/subscriptions"), nil, [7]int{403, 403, 403, 200, 200, 200, 303}),
		pageCase("POST", "/portal/subscriptions/email", fixed("/portal/subscriptions/email"), form("mode", "daily"), [7]int{403, 403, 403, 303, 303, 303, 303}),
		pageCase("POST", "/portal/subscriptions/feed", fixed("/portal/subscriptions/feed"), nil, [7]int{403, 403, 403, 200, 200, 200, 303}),
		pageCase("POST", "/portal/subscriptions/feed/revoke", fixed("/portal/subscriptions/feed/revoke"), nil, [7]int{403, 403, 403, 303, 303, 303, 303}),
		pageCase("POST", "/portal/subscriptions/webhooks", fixed("/portal/subscriptions/webhooks"), form("url", "https://hooks.acme.example/amends"), custAdminPage),
		pageCase("POST", "/portal/subscriptions/webhooks/:id/delete", fixed("/portal/subscriptions/webhooks/1/delete"), func(e *env, r int) any {
			if _, err := e.f.Store.CreateWebhook(context.Background(), e.f.CustAdminA, "https://hooks.acme.example/amends"); err != nil {
				e.t.Fatal(err)
			}
			return url.Values{}
		}, custAdminForm),
		// A feed answers to its secret token alone, whoever asks.
		pageCase("GET", "/feeds/:file", fixed("/feeds/forged.atom"), nil, [7]int{404, 404, 404, 404, 404, 404, 404}),
		pageCase("GET", "/invite/:token", fixed("/invite/forged"), nil, [7]int{410, 410, 410, 410, 410, 410, 410}),
		pageCase("POST", "/invite/:token", fixed("/invite/forged"), form("name", "New", "password", "long enough password"), [7]int{410, 410, 410, 410, 410, 410, 410}),
	)
}

// pm2status is a published shared postmortem's public page.
func pm2status(f *testdb.Fixture) string { return "/status/postmortems/" + id(f.SharedA.ID) }

func newItemBody(e *env, r int) any {
	return map[string]any{"title": "Follow-up", "type": "repair", "priority": "P2"}
}
func statusBody(e *env, r int) any { return map[string]any{"status": "in_progress"} }

// archiveFirst archives ProviderItemA before the request.
func archiveFirst(e *env, r int) any {
	if err := e.f.Store.ArchiveItem(context.Background(), e.f.SRE, e.f.ProviderItemA.ID, models.ArchiveInput{}); err != nil {
		e.t.Fatal(err)
	}
	return nil
}

// withComment adds a comment to CustomerItemA before the request,
// archived when asked.
func withComment(archived bool) func(e *env, r int) any {
	return func(e *env, r int) any {
		ctx := context.Background()
		c, err := e.f.Store.AddComment(ctx, e.f.CustA, e.f.CustomerItemA.ID, models.CommentInput{Body: "Rolled out"})
		if err != nil {
			e.t.Fatal(err)
		}
		if archived {
			if err := e.f.Store.ArchiveComment(ctx, e.f.SRE, e.f.CustomerItemA.ID, c.ID, models.ArchiveInput{}); err != nil {
				e.t.Fatal(err)
			}
		}
		return nil
	}
}

// commentPath is the newest comment of CustomerItemA, archived or not.
func commentPath(f *testdb.Fixture) string {
	ctx := context.Background()
	cs, _ := f.Store.ListComments(ctx, f.Admin, f.CustomerItemA.ID)
	archived, _ := f.Store.ArchivedComments(ctx, f.Admin, f.CustomerItemA.ID)
	var newest uint
	for _, c := range append(cs, archived...) {
		newest = max(newest, c.ID)
	}
	return fmt.Sprintf("/api/v1/action-items/%d/comments/%d", f.CustomerItemA.ID, newest)
}

func commentBody(e *env, r int) any { return map[string]any{"body": "Looking into it"} }

// TestRoleMatrix calls every route as every role and asserts the exact
// status. Writes get a fresh database per role so that one role's change
// does not decide the next one's answer.
func TestRoleMatrix(t *testing.T) {
	shared := newEnv(t, testdb.SQLite(t))
	for i, mc := range append(slices.Clone(matrix), pageMatrix...) {
		isPage := i >= len(matrix)
		t.Run(mc.method+" "+mc.path(shared.f), func(t *testing.T) {
			for r, email := range shared.roleEmails() {
				e := shared
				if mc.method != "GET" {
					e = newEnv(t, testdb.SQLite(t))
					email = e.roleEmails()[r]
				}
				var body any
				if mc.body != nil {
					body = mc.body(e, r)
				}
				var got response
				if isPage {
					form, _ := body.(url.Values)
					got = e.page(mc.method, mc.path(e.f), email, form)
				} else {
					got = e.do(mc.method, mc.path(e.f), email, body)
				}
				if got.Status != mc.want[r] {
					t.Errorf("%s: status %d, want %d: %s", roleNames[r], got.Status, mc.want[r], got.Body)
				}
			}
		})
	}
}

// TestEveryRouteIsInThePolicyAndTheMatrix fails the build when a route is
// added without a policy or without rows in the matrix above.
func TestEveryRouteIsInThePolicyAndTheMatrix(t *testing.T) {
	e := newEnv(t, testdb.SQLite(t))
	routes, unguarded := e.srv.Routes()
	for _, u := range unguarded {
		t.Errorf("route %s has no policy: register it with Server.route or Server.public", u)
	}
	covered := map[string]bool{}
	for _, mc := range append(slices.Clone(matrix), pageMatrix...) {
		covered[mc.method+" "+mc.route] = true
	}
	for _, r := range routes {
		if !covered[r.Method+" "+r.Path] {
			t.Errorf("route %s %s has no row in the role matrix", r.Method, r.Path)
		}
	}
}
