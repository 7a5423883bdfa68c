package models

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/amendsdev/amends/models/sharecheck"
)

// KindCustomerName is the finding of a customer's name in what the public
// reads of a public postmortem.
const KindCustomerName = sharecheck.KindCustomerName

// customerNames finds the name of any customer (not only those the
// postmortem names) in the fields the public reads.
func customerNames(tx *gorm.DB, fields []sharecheck.Field, only map[string]uint) ([]sharecheck.Finding, error) {
	var names []string
	if err := tx.Model(&Customer{}).Pluck("name", &names).Error; err != nil {
		return nil, fmt.Errorf("names of customers: %w", err)
	}
	var public []sharecheck.Field
	for _, f := range fields {
		if _, one := only[f.Name]; !one && publicField(f.Name) {
			public = append(public, f)
		}
	}
	return sharecheck.FindCustomerNames(public, names), nil
}
