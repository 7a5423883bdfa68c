package models_test

import (
	"github.com/amendsdev/amends/models/database"

	"errors"
	"testing"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/models/testdb"
)

func TestValidationNamesEveryBadField(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		unknown := uint(9999)
		scenarios := []struct {
			name   string
			do     func() error
			fields []string
		}{
			{"item enums", func() error {
				_, err := s.CreateItem(ctx, f.SRE, f.SharedA.ID, models.ItemInput{Title: "x", Type: "fix", Priority: "P9", Status: "closed", Owner: "them"})
				return err
			}, []string{"type", "priority", "status", "owner"}},
			{"customer owner without customer", func() error {
				_, err := s.CreateItem(ctx, f.SRE, f.SharedA.ID, models.ItemInput{Title: "x", Type: "repair", Priority: "P1", Owner: "customer"})
				return err
			}, []string{"customer_id"}},
			{"customer not on postmortem", func() error {
				_, err := s.CreateItem(ctx, f.SRE, f.SharedA.ID, models.ItemInput{Title: "x", Type: "repair", Priority: "P1", Owner: "customer", CustomerID: &f.B.ID})
				return err
			}, []string{"customer_id"}},
			{"empty title", func() error {
				_, err := s.CreateItem(ctx, f.SRE, f.SharedA.ID, models.ItemInput{Title: "  ", Type: "repair", Priority: "P1"})
				return err
			}, []string{"title"}},
			{"shared postmortem without customers, unknown customer", func() error {
				_, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "t", Severity: "SEV1", Visibility: "shared"})
				return err
			}, []string{"customer_ids"}},
			{"postmortem unknown customer and bad enums", func() error {
				_, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "t", Severity: "high", Visibility: "everyone", CustomerIDs: []uint{unknown}})
				return err
			}, []string{"severity", "visibility", "customer_ids"}},
			{"postmortem created published", func() error {
				_, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "t", Severity: "SEV1", Status: "published"})
				return err
			}, []string{"status"}},
			{"SLO target and window", func() error {
				_, err := s.CreateSLO(ctx, f.A.ID, models.SLOInput{Name: "x", Target: 1.5, WindowDays: 0})
				return err
			}, []string{"target", "window_days"}},
			{"SLO target 99.9 as percent", func() error {
				_, err := s.CreateSLO(ctx, f.A.ID, models.SLOInput{Name: "x", Target: 99.9, WindowDays: 30})
				return err
			}, []string{"target"}},
			{"customer slug, zone and contacts", func() error {
				_, err := s.CreateCustomer(ctx, models.CustomerInput{Name: "X", Slug: "Not A Slug", TimeZone: "Mars/Olympus", Contacts: []string{"nobody"}})
				return err
			}, []string{"slug", "time_zone", "contacts"}},
			{"impact on another customer's SLO", func() error {
				slo, err := s.CreateSLO(ctx, f.B.ID, models.SLOInput{Name: "b-avail", Target: 0.999, WindowDays: 30})
				if err != nil {
					return err
				}
				_, err = s.CreateImpact(ctx, f.SRE, f.SharedA.ID, models.ImpactInput{SLOID: slo.ID, BadMinutes: -3})
				return err
			}, []string{"slo_id", "bad_minutes"}},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				err := sc.do()
				var verr *models.ValidationError
				if !errors.As(err, &verr) {
					t.Fatalf("want a validation error, got %v", err)
				}
				for _, field := range sc.fields {
					if verr.Fields[field] == "" {
						t.Errorf("field %s not named; fields: %v", field, verr.Fields)
					}
				}
				if len(verr.Fields) != len(sc.fields) {
					t.Errorf("fields %v, want exactly %v", verr.Fields, sc.fields)
				}
			})
		}
	})
}

func TestConflictsAndDeletion(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *database.DB) {
		f := testdb.NewFixture(t, db)
		s := f.Store
		var conflict *models.ConflictError
		if _, err := s.CreateCustomer(ctx, models.CustomerInput{Name: "Other", Slug: "acme"}); !errors.As(err, &conflict) {
			t.Errorf("duplicate slug: want ConflictError, got %v", err)
		}
		if err := s.DeletePostmortem(ctx, f.SRE, f.SharedA.ID); !errors.As(err, &conflict) {
			t.Errorf("deleting a postmortem with items: want ConflictError, got %v", err)
		}
		if err := s.DeleteCustomer(ctx, f.A.ID); !errors.As(err, &conflict) {
			t.Errorf("deleting a customer in use: want ConflictError, got %v", err)
		}
		empty, err := s.CreatePostmortem(ctx, f.SRE, models.PostmortemInput{Title: "Empty", Severity: "SEV4"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePostmortem(ctx, f.SRE, empty.ID); err != nil {
			t.Fatalf("delete empty postmortem: %v", err)
		}
		if _, err := s.GetPostmortem(ctx, f.Admin, empty.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("deleted postmortem still readable: %v", err)
		}
		var kept, deletions int64
		db.R.Unscoped().Model(&models.Postmortem{}).Where("id = ?", empty.ID).Count(&kept)
		db.R.Model(&models.AuditEvent{}).Where("entity_id = ? AND action = ?", empty.ID, models.ActionDeleted).Count(&deletions)
		if kept != 1 || deletions != 1 {
			t.Errorf("soft delete kept %d rows and wrote %d deletion events, want 1 and 1", kept, deletions)
		}
	})
}
