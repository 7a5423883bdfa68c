package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// UpdatePostmortem applies a patch and writes one audit event per changed
// field, in the same transaction.
func (s *Store) UpdatePostmortem(ctx context.Context, actor *User, id uint, p PostmortemPatch) (*Postmortem, error) {
	var pm *Postmortem
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if pm, err = s.getPostmortem(tx, actor, id); err != nil {
			return err
		}
		before := pm.auditFields()
		f := fieldErrors{}
		applyPostmortemPatch(tx, pm, p, f)
		f.incidentTimes(s.Now(), p.setTimes())
		for k, v := range pm.validate() {
			f.add(k, v)
		}
		if p.Status.Set && pm.Status == PMPublished && before["status"] != PMPublished {
			f.add("status", "publish with POST /api/v1/postmortems/:id/publish, which runs the share-safety check")
		}
		if err := f.err(); err != nil {
			return err
		}
		if pm.Status != PMPublished {
			pm.PublishedAt = nil
		}
		changes := diff(before, pm.auditFields())
		if len(changes) == 0 {
			return nil
		}
		write := func() error {
			now := s.Now()
			pm.UpdatedAt = now
			if err := tx.Omit("Customers", "Owner").Save(pm).Error; err != nil {
				return fmt.Errorf("save postmortem %d: %w", id, err)
			}
			if p.CustomerIDs.Set {
				if err := tx.Model(pm).Association("Customers").Replace(pm.Customers); err != nil {
					return fmt.Errorf("save customers of postmortem %d: %w", id, err)
				}
			}
			return newAudit(tx, actor, now).record(EntityPostmortem, pm.ID, pm.ID, ActionUpdated, changes, "")
		}
		if !changesCustomerText(changes) {
			return write()
		}
		return s.guardShare(tx, shareWrite{actor: actor, pmID: pm.ID, entity: EntityPostmortem,
			entityID: func() uint { return pm.ID }, overrides: p.ShareOverrides}, write)
	})
	if err != nil {
		return nil, err
	}
	return pm, nil
}

func applyPostmortemPatch(tx *gorm.DB, pm *Postmortem, p PostmortemPatch, f fieldErrors) {
	setString(&pm.Title, p.Title, "title", f)
	pm.Title = strings.TrimSpace(pm.Title)
	setString(&pm.Visibility, p.Visibility, "visibility", f)
	setString(&pm.Severity, p.Severity, "severity", f)
	setString(&pm.Status, p.Status, "status", f)
	setTime(&pm.StartedAt, p.StartedAt)
	setTime(&pm.DetectedAt, p.DetectedAt)
	setTime(&pm.ResolvedAt, p.ResolvedAt)
	if p.OwnerID.Set {
		pm.OwnerID = nil
		if !p.OwnerID.Null {
			pm.OwnerID = &p.OwnerID.V
			checkOwner(tx, pm.OwnerID, f)
		}
	}
	if p.CustomerIDs.Set {
		pm.Customers = loadCustomers(tx, p.CustomerIDs.V, f)
	}
	fields := pm.textFields()
	for name, o := range p.textFields() {
		if o.Set && !o.Null {
			*fields[name] = o.V
		} else if o.Set {
			*fields[name] = ""
		}
	}
}

// setTimes are the times a patch sets to a value.
func (p *PostmortemPatch) setTimes() map[string]*time.Time {
	out := map[string]*time.Time{}
	for name, o := range map[string]Opt[time.Time]{"started_at": p.StartedAt, "detected_at": p.DetectedAt, "resolved_at": p.ResolvedAt} {
		if o.Set && !o.Null {
			v := o.V
			out[name] = &v
		}
	}
	return out
}

func setTime(dst **time.Time, o Opt[time.Time]) {
	if !o.Set {
		return
	}
	if o.Null {
		*dst = nil
		return
	}
	*dst = utcPtr(&o.V)
}

// Publish marks a postmortem published. A shared or joint one must pass
// the share-safety check first: its findings refuse the publication (422)
// unless a lead overrides each with a written reason, which the history
// keeps; completeness gaps come back as warnings in the review. A joint one
// also needs both sides' sign-off.
func (s *Store) Publish(ctx context.Context, actor *User, id uint, overrides map[string]string) (*Postmortem, *ShareReview, error) {
	var pm *Postmortem
	var review *ShareReview
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if pm, err = s.getPostmortem(tx, actor, id); err != nil {
			return err
		}
		if pm.Status == PMPublished {
			return &ConflictError{Field: "status", Message: "postmortem is already published"}
		}
		if err := s.readyToShare(tx, pm); err != nil {
			return err
		}
		if pm.Visibility != VisibilityInternal {
			if review, err = s.reviewShare(tx, pm); err != nil {
				return err
			}
			unreviewed, err := s.unreviewedFindings(tx, pm)
			if err != nil {
				return err
			}
			left, err := unresolved(append(unreviewed, review.Findings...), overrides)
			if err != nil {
				return err
			}
			if len(left) > 0 {
				return &RuleError{Code: "share_check_failed", Message: fmt.Sprintf(
					"%d finding(s) in the customer-facing text must be fixed or overridden with a reason before publishing", len(left)),
					Details: map[string]any{"findings": left, "completeness": review.Completeness}}
			}
		}
		return s.markPublished(tx, actor, pm, overrides)
	})
	if err != nil {
		return nil, nil, err
	}
	return pm, review, nil
}

// readyToShare refuses a joint postmortem that a side has not signed off.
func (s *Store) readyToShare(tx *gorm.DB, pm *Postmortem) error {
	if pm.Visibility != VisibilityJoint {
		return nil
	}
	missing, err := missingSignOffs(tx, pm)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return &RuleError{Code: "sign_off_missing", Message: "a joint postmortem is published once both sides signed off; missing: " +
			strings.Join(missing, ", "), Details: map[string]any{"missing": missing}}
	}
	return nil
}

func (s *Store) markPublished(tx *gorm.DB, actor *User, pm *Postmortem, overrides map[string]string) error {
	before := pm.auditFields()
	now := s.Now()
	pm.Status, pm.PublishedAt, pm.UpdatedAt = PMPublished, &now, now
	if err := tx.Omit("Customers", "Owner").Save(pm).Error; err != nil {
		return fmt.Errorf("publish postmortem %d: %w", pm.ID, err)
	}
	a := newAudit(tx, actor, now)
	for finding, reason := range overrides {
		if err := a.record(EntityPostmortem, pm.ID, pm.ID, "override", []change{{Field: "share_check", New: finding}}, reason); err != nil {
			return err
		}
	}
	return a.record(EntityPostmortem, pm.ID, pm.ID, ActionPublished, diff(before, pm.auditFields()), "")
}

// DeletePostmortem soft-deletes a postmortem; one that still has action
// items is refused, so that no item disappears silently.
func (s *Store) DeletePostmortem(ctx context.Context, actor *User, id uint) error {
	return s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, id)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&ActionItem{}).Where("postmortem_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("count items of postmortem %d: %w", id, err)
		}
		if n > 0 {
			return &ConflictError{Message: fmt.Sprintf("postmortem has %d action items; close or move them before deleting it", n)}
		}
		if err := tx.Delete(pm).Error; err != nil {
			return fmt.Errorf("delete postmortem %d: %w", id, err)
		}
		return newAudit(tx, actor, s.Now()).record(EntityPostmortem, id, id, ActionDeleted, nil, "")
	})
}
