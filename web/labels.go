package web

import "strings"

// labels are how the stored values of the domain's enumerations read on
// pages and in emails. Machine formats (JSON, CSV, the API) keep the
// stored values.
var labels = map[string]string{
	// action item statuses
	"open": "Open", "in_progress": "In progress", "blocked": "Blocked", "done": "Done", "wont_fix": "Won't fix",
	// postmortem statuses and visibilities
	"draft": "Draft", "in_review": "In review", "published": "Published",
	"internal": "Internal", "shared": "Shared", "joint": "Joint",
	// item types
	"investigate": "Investigate", "mitigate": "Mitigate", "repair": "Repair", "detect": "Detect",
	"prevent": "Prevent", "process": "Process",
	// roles
	"admin": "Admin", "sre": "SRE", "viewer": "Viewer",
	// outbox and webhook deliveries
	"queued": "Queued", "claimed": "Claimed", "handing_off": "Handing off", "sent": "Sent",
	"failed": "Failed", "uncertain": "Uncertain", "pending": "Pending", "delivered": "Delivered",
	// GitHub issue states and reasons
	"closed": "Closed", "completed": "Completed", "not_planned": "Not planned", "reopened": "Reopened",
	// audit actions and fields
	"created": "Created", "updated": "Updated", "deleted": "Deleted", "commented": "Commented",
	"archived": "Archived", "restored": "Restored",
	"due_date": "Due date", "customer_visible": "Visible to customers", "customer_id": "Customer",
	"customer_ids": "Customers", "github_url": "GitHub issue", "archived_at": "Archived",
	"started_at": "Started", "detected_at": "Detected", "resolved_at": "Resolved", "published_at": "Published",
	"root_causes": "Root causes", "went_well": "What went well", "went_wrong": "What went wrong",
	"got_lucky": "Where we got lucky", "supporting_links": "Supporting links",
	"external_summary": "Summary for customers", "external_impact": "Impact for customers",
	"external_cause": "Cause for customers", "external_next_steps": "Next steps for customers",
}

// Label is how a stored enumeration value reads for people: in_progress
// reads "In progress", wont_fix "Won't fix". A value it does not know
// reads with its underscores as spaces and a capital first letter; a
// priority or severity (P1, SEV2) reads as it is.
func Label(v string) string {
	if l, ok := labels[v]; ok {
		return l
	}
	if v == "" || strings.ToUpper(v) == v {
		return v
	}
	s := strings.ReplaceAll(v, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// enumFields are the audited fields whose values are enumerations.
var enumFields = map[string]bool{"status": true, "severity": true, "visibility": true, "owner": true,
	"type": true, "priority": true, "github_state": true}

// FieldValue is how a value of a field reads: an enumeration's label, any
// other value (a title, a date) exactly as it is.
func FieldValue(field, v string) string {
	if enumFields[field] {
		return Label(v)
	}
	return v
}
