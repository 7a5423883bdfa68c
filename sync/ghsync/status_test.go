package ghsync_test

import (
	"testing"

	"github.com/amendsdev/amends/sync/ghsync"
)

func TestStatusForIssue(t *testing.T) {
	scenarios := []struct {
		state, reason, want string
	}{
		{"closed", "completed", "done"},
		{"closed", "", "done"},
		{"closed", "not_planned", "wont_fix"},
		{"closed", "duplicate", "wont_fix"},
		{"open", "", "open"},
		{"open", "reopened", "open"},
	}
	for _, sc := range scenarios {
		t.Run(sc.state+"/"+sc.reason, func(t *testing.T) {
			got, err := ghsync.StatusForIssue(sc.state, sc.reason)
			if err != nil || got != sc.want {
				t.Errorf("got %q, %v; want %q", got, err, sc.want)
			}
		})
	}
	if _, err := ghsync.StatusForIssue("merged", ""); err == nil {
		t.Error("unknown state accepted")
	}
}

func TestIssueStateFor(t *testing.T) {
	scenarios := []struct {
		status string
		want   ghsync.IssueState
	}{
		{"done", ghsync.IssueState{State: "closed", StateReason: "completed"}},
		{"wont_fix", ghsync.IssueState{State: "closed", StateReason: "not_planned"}},
		{"open", ghsync.IssueState{State: "open", StateReason: "reopened"}},
		{"in_progress", ghsync.IssueState{State: "open", StateReason: "reopened"}},
		{"blocked", ghsync.IssueState{State: "open", StateReason: "reopened"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.status, func(t *testing.T) {
			got, err := ghsync.IssueStateFor(sc.status)
			if err != nil || got != sc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, sc.want)
			}
			back, err := ghsync.StatusForIssue(got.State, got.StateReason)
			if err != nil || !ghsync.InSync(sc.status, got.State, got.StateReason) {
				t.Errorf("pushing %q and pulling it back gives %q, %v", sc.status, back, err)
			}
		})
	}
	if _, err := ghsync.IssueStateFor("closed"); err == nil {
		t.Error("unknown status accepted")
	}
}

func TestInSync(t *testing.T) {
	scenarios := []struct {
		status, state, reason string
		want                  bool
	}{
		{"in_progress", "open", "", true},
		{"blocked", "open", "reopened", true},
		{"done", "open", "reopened", false},
		{"done", "closed", "completed", true},
		{"done", "closed", "not_planned", false},
		{"wont_fix", "closed", "not_planned", true},
		{"open", "closed", "completed", false},
		{"open", "weird", "", false},
	}
	for _, sc := range scenarios {
		t.Run(sc.status+" vs "+sc.state+"/"+sc.reason, func(t *testing.T) {
			if got := ghsync.InSync(sc.status, sc.state, sc.reason); got != sc.want {
				t.Errorf("InSync = %v, want %v", got, sc.want)
			}
		})
	}
}
