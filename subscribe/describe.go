package subscribe

import (
	"fmt"
	"strings"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/web"
)

// Describe says what a change did, in one line a customer can read.
func Describe(c models.CustomerChange) string {
	what := fmt.Sprintf("Postmortem %q", c.PostmortemTitle)
	if c.EntityType == models.EntityActionItem {
		what = fmt.Sprintf("Action item %q on %q", c.ItemTitle, c.PostmortemTitle)
	}
	switch {
	case c.Action == models.ActionCreated:
		return fmt.Sprintf("%s was added by %s", what, c.Actor)
	case c.Action == models.ActionShared:
		return fmt.Sprintf("%s was shared with you by %s", what, c.Actor)
	case c.Field == "":
		return fmt.Sprintf("%s was %s by %s", what, c.Action, c.Actor)
	}
	field := strings.ReplaceAll(strings.TrimPrefix(c.Field, "external_"), "_", " ")
	return fmt.Sprintf("%s: %s changed from %s to %s by %s", what, field,
		shown(web.FieldValue(c.Field, c.OldValue)), shown(web.FieldValue(c.Field, c.NewValue)), c.Actor)
}

func shown(v string) string {
	v = strings.Join(strings.Fields(v), " ")
	switch {
	case v == "":
		return "(empty)"
	case len(v) > 120:
		return fmt.Sprintf("%q…", v[:117])
	}
	return fmt.Sprintf("%q", v)
}
