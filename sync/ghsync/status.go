package ghsync

import "fmt"

// Action item statuses, as the brief names them.
const (
	StatusOpen       = "open"
	StatusInProgress = "in_progress"
	StatusBlocked    = "blocked"
	StatusDone       = "done"
	StatusWontFix    = "wont_fix"
)

// GitHub issue states and state reasons.
const (
	StateOpen   = "open"
	StateClosed = "closed"

	ReasonCompleted  = "completed"
	ReasonNotPlanned = "not_planned"
	ReasonReopened   = "reopened"
	ReasonDuplicate  = "duplicate"
)

// IssueState is an issue's state with its reason.
type IssueState struct {
	State       string
	StateReason string
}

// StatusForIssue is the item status an issue's state means: open (also when
// reopened) is "open"; closed as not planned or as a duplicate is
// "wont_fix"; any other close is "done", since issues closed before GitHub
// had reasons, or by a merged pull request, carry "completed" or nothing.
func StatusForIssue(state, stateReason string) (string, error) {
	switch state {
	case StateOpen:
		return StatusOpen, nil
	case StateClosed:
		if stateReason == ReasonNotPlanned || stateReason == ReasonDuplicate {
			return StatusWontFix, nil
		}
		return StatusDone, nil
	}
	return "", fmt.Errorf("ghsync: unknown issue state %q", state)
}

// IssueStateFor is what to push for an item status: done closes as
// completed, wont_fix as not planned, and every other status keeps the issue
// open (a reopen sends "reopened").
func IssueStateFor(status string) (IssueState, error) {
	switch status {
	case StatusDone:
		return IssueState{StateClosed, ReasonCompleted}, nil
	case StatusWontFix:
		return IssueState{StateClosed, ReasonNotPlanned}, nil
	case StatusOpen, StatusInProgress, StatusBlocked:
		return IssueState{StateOpen, ReasonReopened}, nil
	}
	return IssueState{}, fmt.Errorf("ghsync: unknown action item status %q", status)
}

// InSync reports whether an item's status already agrees with its issue, so
// that neither side is written: in_progress and blocked agree with an open
// issue, which keeps a pull from flattening them to "open" and a push from
// reopening what is already open.
func InSync(status, state, stateReason string) bool {
	want, err := StatusForIssue(state, stateReason)
	if err != nil {
		return false
	}
	if want == StatusOpen {
		return status == StatusOpen || status == StatusInProgress || status == StatusBlocked
	}
	return status == want
}
