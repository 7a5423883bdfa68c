package models

import (
	"reflect"
	"testing"

	"github.com/amendsdev/amends/models/sharecheck"
)

// TestIntroducedSince pins down which findings block: those whose key a
// customer reads more often after the write than before.
func TestIntroducedSince(t *testing.T) {
	f := func(field, match string) ShareFinding {
		fd := sharecheck.Finding{Field: field, Kind: sharecheck.KindIPAddress, Match: match}
		return ShareFinding{fd, findingKey(fd)}
	}
	ip := f("external_summary", "10.0.0.1")
	other := f("external_summary", "10.0.0.2")
	text := func(fs []ShareFinding, counts map[uint]map[string]int) customerText {
		return customerText{findings: fs, counts: counts}
	}
	scenarios := []struct {
		name          string
		before, after customerText
		want          []string
	}{
		{"nothing before, one after", text(nil, nil),
			text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}), []string{ip.Key}},
		{"the same finding kept", text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}),
			text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}), nil},
		{"one more occurrence", text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}),
			text([]ShareFinding{ip, ip}, map[uint]map[string]int{1: {ip.Key: 2}}), []string{ip.Key}},
		{"one removed, another added", text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}),
			text([]ShareFinding{other}, map[uint]map[string]int{1: {other.Key: 1}}), []string{other.Key}},
		{"a customer who did not read it", text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}),
			text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}, 2: {ip.Key: 1}}), []string{ip.Key}},
		{"a customer removed", text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}, 2: {ip.Key: 1}}),
			text([]ShareFinding{ip}, map[uint]map[string]int{1: {ip.Key: 1}}), nil},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var got []string
			for _, f := range sc.after.introducedSince(sc.before) {
				got = append(got, f.Key)
			}
			if !reflect.DeepEqual(got, sc.want) {
				t.Errorf("introduced %v, want %v", got, sc.want)
			}
		})
	}
}
