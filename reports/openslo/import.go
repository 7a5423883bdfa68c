package openslo

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/amendsdev/amends/models"
)

// Result says what an import did, SLO by SLO: Skipped are the SLOs it
// refused, Other the documents of other kinds it passed over.
type Result struct {
	Created []string  `json:"created"`
	Updated []string  `json:"updated"`
	Skipped []Skipped `json:"skipped"`
	Other   []Skipped `json:"other"`
}

// Complete says every SLO of the file was imported.
func (r *Result) Complete() bool { return len(r.Skipped) == 0 }

// Import reads r and creates or, by name, updates the customer's SLOs, as
// actor (nil: the operator at the command line), each change in the audit
// trail. An SLO the store refuses (a target of 1, say) is reported, not
// fatal, so one bad document does not block the rest.
func Import(ctx context.Context, store *models.Store, actor *models.User, customerID uint, r io.Reader) (*Result, error) {
	p, err := Parse(r)
	if err != nil {
		return nil, err
	}
	return ImportParsed(ctx, store, actor, customerID, p)
}

// ImportParsed creates or updates the SLOs of a parsed file.
func ImportParsed(ctx context.Context, store *models.Store, actor *models.User, customerID uint, p *Parsed) (*Result, error) {
	res := &Result{Created: []string{}, Updated: []string{}, Skipped: append([]Skipped{}, p.Skipped...), Other: append([]Skipped{}, p.Other...)}
	for _, slo := range p.SLOs {
		_, created, err := store.UpsertSLOAs(ctx, actor, customerID, slo.Input)
		switch {
		case err != nil && isValidation(err):
			res.Skipped = append(res.Skipped, Skipped{Kind: "SLO", Name: slo.Input.Name, Reason: err.Error()})
		case err != nil:
			return res, fmt.Errorf("import SLO %q: %w", slo.Input.Name, err)
		case created:
			res.Created = append(res.Created, slo.Input.Name)
		default:
			res.Updated = append(res.Updated, slo.Input.Name)
		}
	}
	return res, nil
}

func isValidation(err error) bool {
	var v *models.ValidationError
	return errors.As(err, &v)
}
