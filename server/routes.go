package server

import (
	"fmt"
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/amendsdev/amends/models"
)

// routes registers every route of amends. Reading this one file tells the
// whole surface and who may call what.
func (s *Server) routes() error {
	e := s.echo
	gz, err := compress()
	if err != nil {
		return err
	}
	// secureHeaders comes first so that error answers carry the headers
	// too. Recover is next to innermost so that a panic becomes a 500
	// that is measured and logged like any other error. Every body is
	// read and bounded (readBodyFirst), and every query and form value
	// checked (checkText), before any route's own middleware runs.
	e.Use(middleware.RequestID(), s.secureHeaders, s.logRequests, s.metrics.measure, gz, middleware.Recover(),
		s.readBodyFirst, checkText)

	s.public(e, "GET", "/healthz", s.healthz)
	s.public(e, "GET", "/readyz", s.readyz)
	s.public(e, "GET", "/metrics", s.metrics.handler())

	// The API's description, for anyone and any tool: it holds no data.
	// Outside the group, so that a bad token does not hide it.
	s.public(e, "GET", "/api/v1/openapi.json", s.openAPI)
	api := e.Group("/api/v1", s.authenticate)
	read, comment := models.PermRead, models.PermComment
	writeItems, writePMs := models.PermWriteItems, models.PermWritePostmortems
	manage, admin := models.PermManageCustomers, models.PermAdmin

	s.route(api, "GET", "/customers", s.listCustomers, read)
	s.route(api, "POST", "/customers", s.createCustomer, manage)
	s.route(api, "GET", "/customers/:id", s.getCustomer, read)
	s.route(api, "PATCH", "/customers/:id", s.updateCustomer, manage)
	s.route(api, "DELETE", "/customers/:id", s.deleteCustomer, admin)
	s.route(api, "GET", "/customers/:id/slos", s.listSLOs, read)
	s.route(api, "POST", "/customers/:id/slos", s.createSLO, manage)
	s.route(api, "POST", "/customers/:id/slos/openslo", s.importOpenSLO, manage)
	s.route(api, "PUT", "/customers/:id/slos/:slo_id/sli", s.setSLI, manage)
	s.route(api, "GET", "/customers/:id/reports/:month", s.customerReport, read)
	s.route(api, "POST", "/customers/:id/reports/:month/issue", s.issueReport, manage)
	s.route(api, "GET", "/customers/:id/issued-reports", s.listIssuedReports, read)
	s.route(api, "GET", "/issued-reports/:id", s.getIssuedReport, read)
	s.route(api, "POST", "/issued-reports/:id/email", s.emailIssuedReport, manage)
	s.route(api, "GET", "/review-drafts", s.listReviewDrafts, read)
	s.route(api, "GET", "/review-drafts/:id", s.getReviewDraft, read)

	s.route(api, "GET", "/postmortems", s.listPostmortems, read)
	s.route(api, "POST", "/postmortems", s.createPostmortem, writePMs)
	s.route(api, "GET", "/postmortems/:id", s.getPostmortem, read)
	s.route(api, "PATCH", "/postmortems/:id", s.updatePostmortem, writePMs)
	s.route(api, "DELETE", "/postmortems/:id", s.deletePostmortem, writePMs)
	s.route(api, "POST", "/postmortems/:id/publish", s.publishPostmortem, writePMs)
	s.route(api, "POST", "/postmortems/:id/check", s.checkPostmortem, models.PermStaff)
	s.route(api, "GET", "/postmortems/:id/history", s.postmortemHistory, read)
	s.route(api, "GET", "/postmortems/:id/impacts", s.listImpacts, read)
	s.route(api, "POST", "/postmortems/:id/impacts", s.createImpact, writePMs)
	s.route(api, "PATCH", "/postmortems/:id/impacts/:impact_id", s.updateImpact, writePMs)
	s.route(api, "DELETE", "/postmortems/:id/impacts/:impact_id", s.deleteImpact, writePMs)
	s.route(api, "GET", "/postmortems/:id/impacts/measured", s.measuredImpacts, models.PermStaff)
	s.route(api, "POST", "/postmortems/:id/impacts/measure", s.measureImpacts, writePMs)
	s.route(api, "GET", "/postmortems/:id/joint-sections", s.listJointSections, read)
	s.route(api, "PUT", "/postmortems/:id/joint-sections/:customer_id", s.saveJointSection, comment)
	s.route(api, "GET", "/postmortems/:id/sign-offs", s.listSignOffs, read)
	s.route(api, "POST", "/postmortems/:id/sign-offs", s.signOff, comment)
	s.route(api, "GET", "/postmortems/:id/follow-ups", s.listFollowUps, read)
	s.route(api, "POST", "/postmortems/:id/follow-ups", s.addFollowUp, writePMs)
	s.route(api, "GET", "/postmortems/:id/action-items", s.listPostmortemItems, read)
	s.route(api, "POST", "/postmortems/:id/action-items", s.createItem, writeItems)
	s.route(api, "GET", "/postmortems/:id/archived-action-items", s.listArchivedItems, models.PermStaff)

	// A customer admin's outgoing webhooks; anyone else gets 404.
	s.route(api, "GET", "/webhooks", s.listWebhooks, models.PermPortal)
	s.route(api, "POST", "/webhooks", s.createWebhook, models.PermPortal)
	s.route(api, "DELETE", "/webhooks/:id", s.deleteWebhook, models.PermPortal)

	s.route(api, "GET", "/users", s.listUsers, admin)
	s.route(api, "GET", "/users/:id", s.getUser, admin)
	s.route(api, "PATCH", "/users/:id", s.updateUser, admin)
	s.route(api, "DELETE", "/tokens/:id", s.revokeToken, admin)

	s.route(api, "GET", "/settings/share-check", s.getShareSettings, models.PermStaff)
	s.route(api, "PUT", "/settings/share-check", s.putShareSettings, admin)
	s.route(api, "GET", "/settings/reminders", s.getReminderPolicy, models.PermStaff)
	s.route(api, "PUT", "/settings/reminders", s.putReminderPolicy, admin)
	s.route(api, "GET", "/settings/item-due-days", s.getDueDays, models.PermStaff)
	s.route(api, "PUT", "/settings/item-due-days", s.putDueDays, admin)
	s.route(api, "GET", "/settings/provider", s.getProviderSettings, models.PermStaff)
	s.route(api, "PUT", "/settings/provider", s.putProviderSettings, admin)
	s.route(api, "GET", "/settings/public", s.getPublicSettings, models.PermStaff)
	s.route(api, "PUT", "/settings/public", s.putPublicSettings, admin)

	s.route(api, "GET", "/action-items", s.listItems, read)
	s.route(api, "GET", "/action-items/:id", s.getItem, read)
	s.route(api, "PATCH", "/action-items/:id", s.updateItem, writeItems)
	// DELETE archives (a soft delete); an admin restores.
	s.route(api, "DELETE", "/action-items/:id", s.archiveItem, writeItems)
	s.route(api, "POST", "/action-items/:id/restore", s.restoreItem, admin)
	s.route(api, "GET", "/action-items/:id/history", s.itemHistory, read)
	s.route(api, "GET", "/action-items/:id/comments", s.listComments, read)
	s.route(api, "POST", "/action-items/:id/comments", s.addComment, comment)
	s.route(api, "GET", "/action-items/:id/archived-comments", s.listArchivedComments, models.PermStaff)
	s.route(api, "DELETE", "/action-items/:id/comments/:comment_id", s.archiveComment, writeItems)
	s.route(api, "POST", "/action-items/:id/comments/:comment_id/restore", s.restoreComment, admin)
	s.route(api, "POST", "/action-items/:id/github", s.linkGitHub, writeItems)
	s.route(api, "DELETE", "/action-items/:id/github", s.unlinkGitHub, writeItems)
	s.route(api, "GET", "/github/status", s.githubStatus, read)
	s.route(api, "GET", "/prometheus/status", s.prometheusStatus, models.PermStaff)
	// Public, but every delivery must carry a valid HMAC signature.
	s.public(e, "POST", "/webhooks/github", s.githubWebhook)

	s.pageRoutes()
	return nil
}

// pageRoutes registers the pages: staff pages under /, the customer portal
// under /portal. Every one needs a session; forms carry a CSRF token.
func (s *Server) pageRoutes() {
	staff, portal := models.PermStaff, models.PermPortal
	writeItems, writePMs, comment := models.PermWriteItems, models.PermWritePostmortems, models.PermComment
	s.echo.GET("/static/:version/*", s.static)
	s.policies["GET /static/:version/*"] = routePolicy{public: true}
	s.publicPage("GET", "/login", s.loginPage)
	s.publicPage("POST", "/login", s.login)
	// Staff sign-in through the identity provider; 404 when none is set.
	s.publicPage("GET", "/login/oidc", s.oidcStart)
	s.publicPage("GET", "/login/oidc/callback", s.oidcCallback)
	s.page("POST", "/logout", s.logout, models.PermRead)

	// A customer user who opens / (a bookmark, a typed address) is sent
	// to its own home, the portal, rather than shown a 404.
	s.echo.Add("GET", "/", s.homePage, s.sessionUser, checkCSRF, customersToPortal, requirePage(staff))
	s.policies["GET /"] = routePolicy{perm: staff}
	s.page("GET", "/postmortems", s.postmortemsPage, staff)
	s.page("GET", "/postmortems/new", s.newPostmortemPage, staff, writePMs)
	s.page("POST", "/postmortems", s.createPostmortemForm, staff, writePMs)
	s.page("GET", "/postmortems/:id", s.postmortemPage, staff)
	s.page("GET", "/postmortems/:id/edit", s.editPostmortemPage, staff, writePMs)
	s.page("POST", "/postmortems/:id", s.updatePostmortemForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/publish", s.publishForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/impacts", s.addImpactForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/impacts/:impact_id", s.correctImpactForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/impacts/:impact_id/delete", s.deleteImpactForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/impacts/measure", s.measureImpactsForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/items", s.addItemForm, staff, writeItems)
	s.page("GET", "/items", s.itemsPage, staff)
	s.page("POST", "/items/bulk", s.bulkStatusForm, staff, writeItems)
	s.page("GET", "/items/:id", s.itemPage, staff)
	s.page("POST", "/items/:id", s.updateItemForm, staff, writeItems)
	s.page("POST", "/items/:id/comments", s.addCommentForm, staff, comment)
	s.page("POST", "/items/:id/github", s.linkGitHubForm, staff, writeItems)
	s.page("POST", "/items/:id/archive", s.archiveItemForm, staff, writeItems)
	s.page("POST", "/items/:id/restore", s.restoreItemForm, staff, models.PermAdmin)
	s.page("POST", "/items/:id/comments/:comment_id/archive", s.archiveCommentForm, staff, writeItems)
	s.page("POST", "/items/:id/comments/:comment_id/restore", s.restoreCommentForm, staff, models.PermAdmin)
	s.page("GET", "/customers", s.customersPage, staff)
	s.page("GET", "/customers/:id", s.customerPage, staff)
	s.page("POST", "/customers/:id/slos/openslo", s.uploadOpenSLOForm, staff, models.PermManageCustomers)
	s.page("POST", "/customers/:id/slos/:slo_id/sli", s.setSLIForm, staff, models.PermManageCustomers)
	s.page("GET", "/customers/:id/reviews/:month", s.reviewPage, staff)
	s.page("POST", "/customers/:id/reviews/:month/issue", s.issueReviewForm, staff, models.PermManageCustomers)
	s.page("POST", "/customers/:id/issued/:issued/email", s.emailReviewForm, staff, models.PermManageCustomers)

	s.page("POST", "/postmortems/:id/sign-off", s.signOffForm, staff, writePMs)
	s.page("POST", "/postmortems/:id/follow-ups", s.addFollowUpForm, staff, writePMs)

	s.page("GET", "/settings/notifications", s.notificationsPage, models.PermRead)
	s.page("POST", "/settings/notifications", s.saveNotificationsForm, models.PermRead)
	s.page("POST", "/settings/notifications/rotate", s.rotateUnsubscribeForm, models.PermRead)
	s.publicPage("GET", "/notifications/unsubscribe", s.unsubscribePage)
	// One-Click unsubscribe (RFC 8058) posts without a CSRF token: the
	// signed token in the URL authorises it.
	s.public(s.echo, "POST", "/notifications/unsubscribe", s.unsubscribe)
	s.page("GET", "/admin/users", s.usersPage, models.PermAdmin)
	s.page("POST", "/admin/users/:id/role", s.setRoleForm, models.PermAdmin)
	s.page("POST", "/admin/users/:id/disable", s.setDisabledForm(true), models.PermAdmin)
	s.page("POST", "/admin/users/:id/enable", s.setDisabledForm(false), models.PermAdmin)
	s.page("POST", "/admin/tokens/:id/revoke", s.revokeTokenForm, models.PermAdmin)
	s.page("GET", "/admin/outbox", s.outboxPage, models.PermAdmin)
	s.page("POST", "/admin/outbox/test", s.mailTestForm, models.PermAdmin)
	s.page("GET", "/admin/provider", s.providerPage, models.PermAdmin)
	s.page("POST", "/admin/provider", s.saveProviderForm, models.PermAdmin)
	s.page("GET", "/admin/outbox/:id", s.outboxMessagePage, models.PermAdmin)
	s.page("POST", "/admin/outbox/:id/requeue", s.requeueForm, models.PermAdmin)
	s.adminPageRoutes()

	s.page("GET", "/portal", s.portalPage, portal)
	s.page("GET", "/portal/postmortems/:id", s.portalPostmortemPage, portal)
	s.page("POST", "/portal/postmortems/:id/items", s.portalAddItem, portal)
	s.page("POST", "/portal/postmortems/:id/section", s.portalSaveSection, portal)
	s.page("POST", "/portal/postmortems/:id/sign-off", s.signOffForm, portal)
	s.page("GET", "/portal/items/:id", s.portalItemPage, portal)
	s.page("POST", "/portal/items/:id", s.portalUpdateItem, portal)
	s.page("POST", "/portal/items/:id/comments", s.portalComment, portal)
	s.page("GET", "/portal/reviews/:id", s.portalReviewPage, portal)
	s.page("GET", "/portal/organisation", s.organisationPage, portal)
	s.page("POST", "/portal/organisation/contacts", s.saveContactsForm, portal)
	s.page("POST", "/portal/organisation/colleagues/:id/remove", s.removeColleagueForm, portal)
	s.page("POST", "/portal/organisation/invitations", s.inviteForm, portal)
	s.page("POST", "/portal/organisation/invitations/:id/revoke", s.revokeInvitationForm, portal)
	// The token in the URL is the invitation; the forms still need CSRF.
	s.publicPage("GET", "/invite/:token", s.invitePage)
	s.publicPage("POST", "/invite/:token", s.acceptInvite)
	s.page("GET", "/portal/subscriptions", s.subscriptionsPage, portal)
	s.page("POST", "/portal/subscriptions/email", s.saveSubscriptionForm, portal)
	s.page("POST", "/portal/subscriptions/feed", s.newFeedForm, portal)
	s.page("POST", "/portal/subscriptions/feed/revoke", s.revokeFeedForm, portal)
	s.page("POST", "/portal/subscriptions/webhooks", s.newWebhookForm, portal)
	s.page("POST", "/portal/subscriptions/webhooks/:id/delete", s.deleteWebhookForm, portal)
	// The secret token in the file name is the feed reader's credential.
	s.public(s.echo, "GET", "/feeds/:file", s.feed)

	// The public page: anyone, no session read; all 404 while it is off.
	s.page("GET", "/admin/public", s.publicSettingsPage, models.PermAdmin)
	s.page("POST", "/admin/public", s.savePublicSettingsForm, models.PermAdmin)
	s.public(s.echo, "GET", "/status", s.statusPage, s.publicPageOn)
	s.public(s.echo, "GET", "/status/feed.atom", s.statusFeed, s.publicPageOn)
	s.public(s.echo, "GET", "/status/postmortems/:id", s.statusPostmortemPage, s.publicPageOn)
}

// adminPageRoutes registers the pages that set amends up: customers and
// their SLOs (for whoever may manage customers, as the API), and staff
// invitations, a customer's users and the settings (admins only).
func (s *Server) adminPageRoutes() {
	staff, manage, admin := models.PermStaff, models.PermManageCustomers, models.PermAdmin
	s.page("GET", "/customers/new", s.newCustomerPage, staff, manage)
	s.page("POST", "/customers", s.createCustomerForm, staff, manage)
	s.page("GET", "/customers/:id/edit", s.editCustomerPage, staff, manage)
	s.page("POST", "/customers/:id", s.updateCustomerForm, staff, manage)
	s.page("GET", "/customers/:id/slos", s.slosPage, staff)
	s.page("POST", "/customers/:id/slos", s.createSLOForm, staff, manage)
	s.page("GET", "/customers/:id/slos/:slo_id/edit", s.editSLOPage, staff, manage)
	s.page("POST", "/customers/:id/slos/:slo_id", s.updateSLOForm, staff, manage)
	s.page("POST", "/customers/:id/slos/:slo_id/delete", s.deleteSLOForm, staff, manage)

	s.page("POST", "/admin/invitations", s.inviteStaffForm, admin)
	s.page("POST", "/admin/invitations/:id/revoke", s.revokeStaffInvitationForm, admin)
	s.page("GET", "/admin/customers/:id/users", s.customerUsersPage, admin)
	s.page("POST", "/admin/customers/:id/invitations", s.inviteCustomerUserForm, admin)
	s.page("POST", "/admin/customers/:id/invitations/:inv/revoke", s.revokeCustomerInvitationForm, admin)
	s.page("POST", "/admin/customers/:id/users/:user_id/admin", s.setCustomerAdminForm, admin)
	s.page("POST", "/admin/customers/:id/users/:user_id/disable", s.setCustomerUserDisabledForm(true), admin)
	s.page("POST", "/admin/customers/:id/users/:user_id/enable", s.setCustomerUserDisabledForm(false), admin)
	s.page("GET", "/admin/settings", s.settingsPage, admin)
	s.page("POST", "/admin/settings/share-check", s.saveShareSettingsForm, admin)
	s.page("POST", "/admin/settings/reminders", s.saveRemindersForm, admin)
	s.page("POST", "/admin/settings/due-dates", s.saveDueDaysForm, admin)
}

// customersToPortal redirects a signed-in customer user to the portal.
func customersToPortal(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := currentUser(c); u != nil && u.IsCustomer() {
			return c.Redirect(http.StatusSeeOther, homeOf(u))
		}
		return next(c)
	}
}

// page registers a page that needs a session holding every permission.
func (s *Server) page(method, path string, h echo.HandlerFunc, perms ...models.Permission) {
	mw := []echo.MiddlewareFunc{s.sessionUser, checkCSRF}
	for _, p := range perms {
		mw = append(mw, requirePage(p))
	}
	s.echo.Add(method, path, h, mw...)
	s.policies[method+" "+path] = routePolicy{perm: perms[0]}
}

// publicPage registers a page anyone may open; its forms still need CSRF.
func (s *Server) publicPage(method, path string, h echo.HandlerFunc) {
	s.echo.Add(method, path, h, s.sessionUser, checkCSRF)
	s.policies[method+" "+path] = routePolicy{public: true}
}

// route registers an authenticated route with the permission it needs.
func (s *Server) route(g *echo.Group, method, path string, h echo.HandlerFunc, p models.Permission) {
	r := g.Add(method, path, h, requirePermission(p))
	s.policies[method+" "+r.Path] = routePolicy{perm: p}
}

// public registers a route anyone may call.
func (s *Server) public(e *echo.Echo, method, path string, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	e.Add(method, path, h, mw...)
	s.policies[method+" "+path] = routePolicy{public: true}
}

// compress gzips answers of 1 KB and more for clients that accept it,
// with klauspost/compress's stateless level: each answer is compressed
// from its own buffer, with no compressor state kept between writes.
// compress/gzip's writer keeps about 1.2 MB of state even at its fastest
// level, and with 64 lists in flight those writers were 79 MB of the
// heap, most of serve's memory. /metrics is left alone: the Prometheus
// handler compresses its own answer.
func compress() (echo.MiddlewareFunc, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(gzip.StatelessCompression))
	if err != nil {
		return nil, fmt.Errorf("gzip middleware: %w", err)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Path() == "/metrics" {
				return next(c)
			}
			// The gzip writer is the response's only while the handler
			// runs; gzhttp takes it back when it returns.
			var err error
			plain := c.Response().Writer
			wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				c.SetRequest(r)
				c.Response().Writer = w
				err = next(c)
			})).ServeHTTP(plain, c.Request())
			c.Response().Writer = plain
			return err
		}
	}, nil
}
