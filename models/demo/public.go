package demo

import (
	"fmt"

	"github.com/amendsdev/amends/models"
)

// The demo's public page: on, with two public postmortems, the later one
// following up on a promise of the earlier, so that /status reads like a
// company's own incident history with promises kept and still open.

// PublicTitle and PublicOrganisation name the demo's public page.
const (
	PublicTitle        = "Incident history"
	PublicOrganisation = "Parcelway"
)

var signInOutage = incidentSeed{
	daysAgo: 60, minutes: 64, customers: []string{"northwind", "globex"}, publish: true,
	in: models.PostmortemInput{
		Title: "Sign-in failures after a session store upgrade", Severity: "SEV1", Visibility: models.VisibilityPublic,
		Summary:           "The session store upgrade to 7.2 changed the default eviction policy; sessions were evicted under memory pressure on sess-03.corp and every user was signed out.",
		Impact:            "Sign-in success fell to 41% for an hour; the support queue tripled.",
		RootCauses:        "The upgrade notes mentioned the eviction default in a footnote. Our staging data set is a hundredth of production, so no eviction happened there.",
		Trigger:           "Upgrade rollout to all zones at 13:00.",
		Resolution:        "Mei restored the previous eviction policy at 14:04 and sessions stopped being dropped.",
		Detection:         "Customers reported sign-in loops at 13:09; no alert fired.",
		WentWell:          "Rollback of the setting needed no restart.",
		WentWrong:         "- No alert on sign-in success rate.\n- Upgrade went to every zone at once.",
		GotLucky:          "The upgrade ran on a quiet day.",
		Timeline:          "- 13:00 upgrade reaches all zones\n- 13:09 first customer report\n- 13:40 Sam finds the eviction policy change\n- 14:04 policy restored",
		ExternalSummary:   "For about an hour, many people were signed out and could not sign back in after an upgrade of the system that keeps sign-in sessions.",
		ExternalImpact:    "Sign-in failed or looped for many users between 13:00 and 14:04 UTC. No data was lost; people who were signed out had to sign in again afterwards.",
		ExternalCause:     "The upgrade changed how the session system frees memory, and it began discarding active sessions. Our pre-release tests use far less data than we run in production, so they did not show the change.",
		ExternalNextSteps: "We now test upgrades of this system against production-sized data, roll them out one zone at a time, and alert as soon as the sign-in success rate drops.",
	},
	items: []itemSeed{
		{title: "Test session store upgrades against production-sized data", owner: prov, assignee: "sam@amends.example", typ: "prevent", priority: "P1", due: -30, moves: moves(move{45, models.StatusInProgress}, move{35, models.StatusDone})},
		{title: "Roll out session store upgrades one zone at a time", owner: prov, assignee: "mei@amends.example", typ: "mitigate", priority: "P1", due: -40, moves: moves(move{50, models.StatusDone})},
		{title: "Alert when the sign-in success rate drops in any zone", owner: prov, assignee: "mei@amends.example", typ: "detect", priority: "P0", due: -20, moves: moves(move{40, models.StatusInProgress})},
		{title: "Sign integration clients in again after a forced sign-out", owner: cust, customer: "northwind", assignee: "ops@northwind.example", typ: "repair", priority: "P2", due: -15},
		{title: "Write the session store rollback runbook", owner: prov, assignee: "sam@amends.example", typ: "process", priority: "P3", due: 20, internal: true},
	},
}

var signInSlowdown = incidentSeed{
	daysAgo: 12, minutes: 26, customers: []string{"globex"}, publish: true,
	in: models.PostmortemInput{
		Title: "Slow sign-in during a traffic peak", Severity: "SEV3", Visibility: models.VisibilityPublic,
		Summary:           "A marketing campaign tripled sign-ins; sess-03.corp hit its connection limit of 20000 and sign-in latency rose to 9 s.",
		Impact:            "p95 sign-in latency at 9 s for 26 minutes.",
		RootCauses:        "Connection limits were sized for normal peaks; the campaign was not on the capacity calendar.",
		Trigger:           "Campaign email sent at 13:00.",
		Resolution:        "Raised the connection limit and added two nodes.",
		Detection:         "The new sign-in success alert fired at 13:03.",
		WentWell:          "The alert from the earlier incident fired within three minutes.",
		WentWrong:         "Planned traffic events do not reach the on-call team.",
		GotLucky:          "Sign-ins slowed down but did not fail.",
		Timeline:          "- 13:00 campaign sent\n- 13:03 sign-in alert fires\n- 13:15 limit raised\n- 13:26 latency normal",
		ExternalSummary:   "Signing in was slow for 26 minutes during an unusually busy period.",
		ExternalImpact:    "Sign-in took several seconds for many users between 13:00 and 13:26 UTC. Sign-ins succeeded, and people already signed in were not affected.",
		ExternalCause:     "A planned surge of sign-ins was larger than the session system was prepared for. The alert we added after the sign-in failures two months ago caught it within three minutes.",
		ExternalNextSteps: "Planned busy periods now reach our on-call team ahead of time, and the session system scales up before them.",
	},
	items: []itemSeed{
		{title: "Put planned traffic events on the on-call calendar", owner: prov, assignee: "sam@amends.example", typ: "process", priority: "P2", due: 10, moves: moves(move{5, models.StatusDone})},
		{title: "Scale the session system ahead of planned traffic events", owner: prov, assignee: "mei@amends.example", typ: "prevent", priority: "P2", due: 25},
		{title: "Move sessions to a second, independent store", owner: prov, assignee: "mei@amends.example", typ: "prevent", priority: "P3", due: 60, moves: moves(move{4, models.StatusWontFix})},
	},
}

// publicIncidents writes the two public postmortems, links the later to
// the earlier's alert promise, and turns the public page on.
func (d *seeder) publicIncidents() error {
	_, earlier, err := d.incident(signInOutage)
	if err != nil {
		return fmt.Errorf("demo postmortem %q: %w", signInOutage.in.Title, err)
	}
	later, _, err := d.incident(signInSlowdown)
	if err != nil {
		return fmt.Errorf("demo postmortem %q: %w", signInSlowdown.in.Title, err)
	}
	d.at(signInSlowdown.daysAgo-1, 11)
	if err := d.s.AddFollowUp(d.ctx, d.admin, later.ID, earlier[2].ID); err != nil {
		return fmt.Errorf("demo follow-up: %w", err)
	}
	// The alert the earlier postmortem promised fired this time: kept.
	if _, err := d.s.UpdateItem(d.ctx, d.admin, earlier[2].ID, models.ItemPatch{Status: models.Some(models.StatusDone)}); err != nil {
		return fmt.Errorf("demo follow-up: %w", err)
	}
	_, err = d.s.SavePublicSettings(d.ctx, d.admin, models.PublicSettings{Enabled: true, Title: PublicTitle,
		OrganisationName: PublicOrganisation, Description: "Every incident Parcelway writes up for everyone: what happened, what we promised to do about it, and whether we did."})
	return err
}
