package subscribe

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/amendsdev/amends/models"
)

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Link    atomLink    `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

// Atom writes an organisation's changes, newest first, as an Atom feed
// whose links lead into the portal.
func Atom(w io.Writer, base, organisation string, customerID uint, changes []models.CustomerChange, now time.Time) error {
	f := atomFeed{ID: fmt.Sprintf("%s/portal#changes-%d", base, customerID), Title: "amends: changes for " + organisation,
		Updated: now.UTC().Format(time.RFC3339), Link: atomLink{Href: base + "/portal"}}
	if len(changes) > 0 {
		f.Updated = changes[0].At.UTC().Format(time.RFC3339)
	}
	for _, c := range changes {
		f.Entries = append(f.Entries, atomEntry{ID: fmt.Sprintf("%s/changes/%d", base, c.EventID), Title: Describe(c),
			Updated: c.At.UTC().Format(time.RFC3339), Author: c.Actor, Link: atomLink{Href: PortalLink(base, c)}, Summary: Describe(c)})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return nil
}

// PortalLink is where a customer reads the changed thing.
func PortalLink(base string, c models.CustomerChange) string {
	if c.EntityType == models.EntityActionItem {
		return fmt.Sprintf("%s/portal/items/%d", base, c.EntityID)
	}
	return fmt.Sprintf("%s/portal/postmortems/%d", base, c.PostmortemID)
}
