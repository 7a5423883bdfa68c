package sharecheck

// KindCustomerName is a customer's name in text that anyone may read (a
// public postmortem): the public learns nothing of who was hit.
const KindCustomerName Kind = "customer_name"

// FindCustomerNames reports every customer name (matched like Vendors:
// ASCII case-insensitive, on word boundaries) in the fields. Names of one
// or two characters are skipped: they would match ordinary words.
func FindCustomerNames(fields []Field, names []string) []Finding {
	var long []string
	for _, n := range names {
		if len(n) >= 3 {
			long = append(long, n)
		}
	}
	set := newPhraseSet(long)
	var out []Finding
	for _, f := range fields {
		spans := make([]span, 0)
		for _, r := range set.find(f.Text) {
			spans = append(spans, span{r[0], r[1], KindCustomerName, "the customers who were hit"})
		}
		for _, s := range resolve(spans) {
			out = append(out, newFinding(f, s))
		}
	}
	return out
}
