package ghsync_test

import (
	"strings"
	"testing"

	"github.com/amendsdev/amends/sync/ghsync"
)

func TestParseIssueRef(t *testing.T) {
	ref := func(owner, repo string, n int) ghsync.IssueRef {
		return ghsync.IssueRef{Owner: owner, Repo: repo, Number: n}
	}
	scenarios := []struct {
		in      string
		want    ghsync.IssueRef
		wantErr string
	}{
		{in: "https://github.com/acme/infra/issues/12", want: ref("acme", "infra", 12)},
		{in: "https://ghe.corp.example/acme/infra/issues/12", want: ref("acme", "infra", 12)},
		{in: "https://github.com/acme/infra/issues/12/", want: ref("acme", "infra", 12)},
		{in: "https://github.com/acme/infra/issues/12#issuecomment-1", want: ref("acme", "infra", 12)},
		{in: "https://github.com/acme/infra/issues/12?utm=mail#top", want: ref("acme", "infra", 12)},
		{in: "  http://127.0.0.1:8080/acme/infra/issues/3 ", want: ref("acme", "infra", 3)},
		{in: "https://github.com/Acme-Org/my.repo_2/issues/7", want: ref("Acme-Org", "my.repo_2", 7)},
		{in: "https://api.github.com/repos/acme/infra/issues/12", want: ref("acme", "infra", 12)},
		{in: "https://ghe.corp.example/api/v3/repos/acme/infra/issues/12", want: ref("acme", "infra", 12)},
		{in: "acme/infra#123", want: ref("acme", "infra", 123)},
		{in: "https://github.com/acme/infra/pull/12", wantErr: "pull request"},
		{in: "https://github.com/acme/infra/pull/12/files", wantErr: "pull request"},
		{in: "https://api.github.com/repos/acme/infra/pulls/12", wantErr: "pull request"},
		{in: "https://github.com/acme/infra/issues", wantErr: "not an issue URL"},
		{in: "https://github.com/acme/infra/issues/12/events", wantErr: "not an issue URL"},
		{in: "https://github.com/acme/infra/discussions/12", wantErr: "not an issue URL"},
		{in: "https://github.com/acme/infra/issues/0", wantErr: "positive whole number"},
		{in: "https://github.com/acme/infra/issues/012", wantErr: "positive whole number"},
		{in: "acme/infra#+5", wantErr: "positive whole number"},
		{in: "acme/infra#", wantErr: "positive whole number"},
		{in: "acme/infra#99999999999999999999", wantErr: "positive whole number"},
		{in: "acme#12", wantErr: "not an issue reference"},
		{in: "acme/infra/extra#12", wantErr: "not a valid repository name"},
		{in: "-acme/infra#12", wantErr: "not a valid GitHub owner name"},
		{in: "acme/..#12", wantErr: "not a valid repository name"},
		{in: "ftp://github.com/acme/infra/issues/12", wantErr: "not an http(s) URL"},
		{in: "https:///acme/infra/issues/12", wantErr: "not an http(s) URL"},
		{in: "just some text", wantErr: "not an issue reference"},
		{in: "", wantErr: "empty"},
	}
	for _, sc := range scenarios {
		t.Run(sc.in, func(t *testing.T) {
			got, err := ghsync.ParseIssueRef(sc.in)
			switch {
			case sc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), sc.wantErr)):
				t.Errorf("err = %v, want one saying %q", err, sc.wantErr)
			case sc.wantErr == "" && (err != nil || got != sc.want):
				t.Errorf("got %+v, %v; want %+v", got, err, sc.want)
			}
		})
	}
}

func TestIssueRefStrings(t *testing.T) {
	ref := ghsync.IssueRef{Owner: "acme", Repo: "infra", Number: 12}
	if ref.FullName() != "acme/infra" || ref.String() != "acme/infra#12" {
		t.Errorf("FullName %q, String %q", ref.FullName(), ref.String())
	}
	if back, err := ghsync.ParseIssueRef(ref.String()); err != nil || back != ref {
		t.Errorf("String does not parse back: %+v, %v", back, err)
	}
}
