package sharecheck

import "testing"

func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"Dana Whitfield paged db-prod-03.corp at 10.0.0.1 (2001:db8::1/64).",
		"We lost 40 Gbps, 10k rps and 80% of capacity; see OPS-123 and go/x.",
		"https://[::1]:80/a https://10.0.0.5/ ::: 1::2::3 @@ a@b.c #a-b",
		"Été \xff\xfe 14:05:00 v2.14.1 3-node ticket # 4512 b/12345",
		"Thanks, Niels Lunn; Fastly, our CDN provider, had an outage due to a Cloudflare bug on db1.",
	} {
		f.Add(seed, "14:02 Priya paged the on-call")
	}
	k := mustCompile(f, testConfig())
	f.Fuzz(func(t *testing.T, text, timeline string) {
		doc := Document{
			Fields:           []Field{{Name: "a", Text: text}, {Name: "b", Text: timeline}},
			KnownNames:       testPeople,
			InternalTimeline: timeline,
			InternalText:     timeline,
		}
		lastField, lastEnd := "", 0
		for _, fd := range k.Check(doc) {
			src := text
			if fd.Field == "b" {
				src = timeline
			}
			if fd.Start < 0 || fd.Start >= fd.End || fd.End > len(src) {
				t.Fatalf("offsets %d..%d out of bounds for %d bytes", fd.Start, fd.End, len(src))
			}
			if fd.Match != src[fd.Start:fd.End] {
				t.Fatalf("Match %q != text[%d:%d] %q", fd.Match, fd.Start, fd.End, src[fd.Start:fd.End])
			}
			if fd.Line < 1 || fd.Column < 1 || fd.Message == "" {
				t.Fatalf("bad position or message: %+v", fd)
			}
			if fd.Field == lastField && fd.Start < lastEnd {
				t.Fatalf("findings overlap or are out of order: %+v", fd)
			}
			if fd.Field != lastField && lastField == "b" {
				t.Fatalf("field order broken: %+v", fd)
			}
			lastField, lastEnd = fd.Field, fd.End
		}
	})
}
