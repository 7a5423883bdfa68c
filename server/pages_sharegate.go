package server

import (
	"errors"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/amendsdev/amends/models"
)

// Forms that write text customers read show the share gate's findings on
// a refused save, inside the form with what was typed, and send them back
// as key_0, reason_0, key_1, …: a finding given a reason is overridden.

// formOverrides reads the reasons a form sends for the findings it showed.
func formOverrides(c echo.Context) models.ShareOverrides {
	out := models.ShareOverrides{}
	for i := 0; c.FormValue(fmt.Sprintf("key_%d", i)) != ""; i++ {
		if reason := strings.TrimSpace(c.FormValue(fmt.Sprintf("reason_%d", i))); reason != "" {
			out[c.FormValue(fmt.Sprintf("key_%d", i))] = reason
		}
	}
	return out
}

// refusedFindings are the findings a save was refused for, if the share
// check refused it.
func refusedFindings(err error) ([]models.ShareFinding, bool) {
	var rule *models.RuleError
	if !errors.As(err, &rule) || rule.Code != "share_check_failed" {
		return nil, false
	}
	d, _ := rule.Details.(map[string]any)
	fs, ok := d["findings"].([]models.ShareFinding)
	return fs, ok
}

// findingList names findings in a line, for a flash message.
func findingList(findings []models.ShareFinding) string {
	const shown = 5 // a flash travels in a cookie
	var parts []string
	for i, f := range findings {
		if i == shown {
			parts = append(parts, fmt.Sprintf("and %d more", len(findings)-shown))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %q in %s", strings.ReplaceAll(string(f.Kind), "_", " "), f.Match, f.Field))
	}
	return strings.Join(parts, "; ")
}
