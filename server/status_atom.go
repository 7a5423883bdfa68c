package server

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/amendsdev/amends/models"
)

// publicAtomEntry is one entry of the public feed: a postmortem published
// or a promise kept.
type publicAtomEntry struct {
	ID      string        `xml:"id"`
	Title   string        `xml:"title"`
	Updated string        `xml:"updated"`
	Link    publicAtomRef `xml:"link"`
	Summary string        `xml:"summary"`
	at      time.Time
}

type publicAtomRef struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type publicAtomFeed struct {
	XMLName xml.Name          `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string            `xml:"id"`
	Title   string            `xml:"title"`
	Updated string            `xml:"updated"`
	Author  string            `xml:"author>name"`
	Links   []publicAtomRef   `xml:"link"`
	Entries []publicAtomEntry `xml:"entry"`
}

// publicAtom writes the public feed, newest entry first: every public
// postmortem as it was published, every promise of theirs as it was kept.
func publicAtom(w io.Writer, base string, st models.PublicSettings, pms []models.PublicSummary, kept []models.PublicKept, now time.Time) error {
	f := publicAtomFeed{ID: base + "/status", Title: st.Title + " · " + st.OrganisationName, Author: st.OrganisationName,
		Links: []publicAtomRef{{Href: base + "/status"}, {Href: base + "/status/feed.atom", Rel: "self"}}}
	for _, pm := range pms {
		if pm.PublishedAt == nil {
			continue
		}
		f.Entries = append(f.Entries, publicAtomEntry{ID: fmt.Sprintf("%s/status/postmortems/%d", base, pm.ID), Title: pm.Title,
			Link: publicAtomRef{Href: fmt.Sprintf("%s/status/postmortems/%d", base, pm.ID)}, at: *pm.PublishedAt,
			Summary: fmt.Sprintf("Postmortem published: %s. %s.", pm.Title, promisesLine(pm))})
	}
	for _, k := range kept {
		link := fmt.Sprintf("%s/status/postmortems/%d#promise-%d", base, k.Of.ID, k.Promise.ID)
		f.Entries = append(f.Entries, publicAtomEntry{ID: link, Title: "Promise kept: " + k.Promise.Title, Link: publicAtomRef{Href: link},
			at: *k.Promise.ClosedAt, Summary: fmt.Sprintf("Done on %s, as promised in “%s”.", publicDay(k.Promise.ClosedAt), k.Of.Title)})
	}
	sort.SliceStable(f.Entries, func(i, j int) bool { return f.Entries[i].at.After(f.Entries[j].at) })
	f.Updated = now.UTC().Format(time.RFC3339)
	if len(f.Entries) > 0 {
		f.Updated = f.Entries[0].at.UTC().Format(time.RFC3339)
	}
	for i := range f.Entries {
		f.Entries[i].Updated = f.Entries[i].at.UTC().Format(time.RFC3339)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write public feed: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("write public feed: %w", err)
	}
	return nil
}
