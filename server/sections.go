package server

import (
	"time"

	"github.com/amendsdev/amends/models"
)

// section is one part of the SRE Book template, with the hint the editor
// shows for it.
type section struct {
	Key, Label, Hint, Text string
}

func sections(pm *models.Postmortem) []section {
	return []section{
		{"summary", "Summary", "What happened, in two or three sentences.", pm.Summary},
		{"impact", "Impact", "Who and what was affected, for how long, how badly: users, requests, revenue, SLOs.", pm.Impact},
		{"root_causes", "Root causes", "Why it happened. Keep asking why; name systems and processes, never people.", pm.RootCauses},
		{"trigger", "Trigger", "The change or event that set the causes off.", pm.Trigger},
		{"resolution", "Resolution", "What stopped the impact, and what brought the service back.", pm.Resolution},
		{"detection", "Detection", "How and when we found out: an alert, a customer, luck.", pm.Detection},
		{"went_well", "What went well", "What helped: tools, practice, people's decisions.", pm.WentWell},
		{"went_wrong", "What went wrong", "What made it worse or slower.", pm.WentWrong},
		{"got_lucky", "Where we got lucky", "What kept it from being worse, that we cannot count on.", pm.GotLucky},
		{"timeline", "Timeline", "One line per event, with the time in UTC: `- 13:04 alert fires`.", pm.Timeline},
		{"supporting_links", "Supporting information", "Dashboards, chat logs, tickets. Internal only.", pm.SupportingLinks},
	}
}

func externalSections(pm *models.Postmortem) []section {
	return []section{
		{"external_summary", "Summary", "What customers saw, when it started and ended (in UTC). No names, hosts or capacities.", pm.ExternalSummary},
		{"external_impact", "Impact", "Who and what was affected, in the customer's terms: share of requests, features, regions.", pm.ExternalImpact},
		{"external_cause", "Cause", "What went wrong, explained without blame or internal detail; no vendor thrown under the bus.", pm.ExternalCause},
		{"external_next_steps", "What we are doing", "Concrete actions, with the action items that track them.", pm.ExternalNextSteps},
	}
}

func budgetShare(imp models.Impact) float64 {
	if b := imp.SLO.BudgetMinutes(); b > 0 {
		return imp.BadMinutes / b
	}
	return 0
}

func ptr(t time.Time) *time.Time { return &t }
