package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// JointSection is one customer's own part of a joint postmortem: what the
// incident did to them and what they learned.
type JointSection struct {
	PostmortemID uint      `gorm:"primaryKey;autoIncrement:false" json:"postmortem_id"`
	CustomerID   uint      `gorm:"primaryKey;autoIncrement:false" json:"customer_id"`
	Impact       string    `json:"impact"`
	WentWell     string    `json:"went_well"`
	WentWrong    string    `json:"went_wrong"`
	GotLucky     string    `json:"got_lucky"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// JointSectionInput is what a side writes.
type JointSectionInput struct {
	Impact         string         `json:"impact"`
	WentWell       string         `json:"went_well"`
	WentWrong      string         `json:"went_wrong"`
	GotLucky       string         `json:"got_lucky"`
	ShareOverrides ShareOverrides `json:"share_overrides"`
}

// SignOff records that one side marked its part of a joint postmortem
// ready. CustomerID is 0 for the provider.
type SignOff struct {
	ID           uint      `gorm:"primaryKey"`
	PostmortemID uint      `gorm:"not null"`
	CustomerID   uint      `gorm:"not null"`
	UserID       uint      `gorm:"not null"`
	User         User      `gorm:"foreignKey:UserID"`
	SignedAt     time.Time `gorm:"not null"`
}

// JointSections lists the sections of a joint postmortem the actor may see:
// a customer only its own organisation's.
func (s *Store) JointSections(ctx context.Context, actor *User, pmID uint) ([]JointSection, error) {
	if _, err := s.GetPostmortem(ctx, actor, pmID); err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx).Where("postmortem_id = ?", pmID).Order("customer_id")
	if actor.IsCustomer() {
		q = q.Where("customer_id = ?", *actor.CustomerID)
	}
	var out []JointSection
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("joint sections of postmortem %d: %w", pmID, err)
	}
	return out, nil
}

// SaveJointSection writes one customer's section of a joint postmortem;
// a customer user only its own, staff writers any named customer's.
func (s *Store) SaveJointSection(ctx context.Context, actor *User, pmID, customerID uint, in JointSectionInput) (*JointSection, error) {
	var sec JointSection
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, pmID)
		if err != nil {
			return err
		}
		if err := canWriteSection(actor, pm, customerID); err != nil {
			return err
		}
		f := fieldErrors{}
		for name, v := range map[string]string{"impact": in.Impact, "went_well": in.WentWell, "went_wrong": in.WentWrong, "got_lucky": in.GotLucky} {
			f.maxLen(name, v, maxText)
		}
		if err := f.err(); err != nil {
			return err
		}
		res := tx.Where("postmortem_id = ? AND customer_id = ?", pmID, customerID).Limit(1).Find(&sec)
		if res.Error != nil {
			return fmt.Errorf("load joint section: %w", res.Error)
		}
		before := sec.auditFields()
		now := s.Now()
		sec = JointSection{PostmortemID: pmID, CustomerID: customerID, Impact: in.Impact, WentWell: in.WentWell,
			WentWrong: in.WentWrong, GotLucky: in.GotLucky, UpdatedAt: now}
		return s.guardShare(tx, shareWrite{actor: actor, pmID: pmID, entity: EntityPostmortem,
			entityID: func() uint { return pmID }, overrides: in.ShareOverrides}, func() error {
			if err := tx.Save(&sec).Error; err != nil {
				return fmt.Errorf("save joint section: %w", err)
			}
			return newAudit(tx, actor, now).record(EntityPostmortem, pmID, pmID, ActionUpdated,
				prefixed(fmt.Sprintf("customer_%d.", customerID), diff(before, sec.auditFields())), "")
		})
	})
	if err != nil {
		return nil, err
	}
	return &sec, nil
}

func canWriteSection(actor *User, pm *Postmortem, customerID uint) error {
	switch {
	case actor.IsCustomer() && *actor.CustomerID != customerID:
		return fmt.Errorf("section of customer %d: %w", customerID, ErrNotFound)
	case pm.Visibility != VisibilityJoint:
		return &RuleError{Code: "not_joint", Message: "only joint postmortems have customer sections"}
	case !namesCustomer(pm, customerID):
		return &ValidationError{Fields: map[string]string{"customer_id": "is not named on this postmortem"}}
	case !actor.IsCustomer() && !actor.Can(PermWritePostmortems):
		return ErrForbidden
	}
	return nil
}

func (j JointSection) auditFields() map[string]string {
	return map[string]string{"impact": j.Impact, "went_well": j.WentWell, "went_wrong": j.WentWrong, "got_lucky": j.GotLucky}
}

func prefixed(p string, cs []change) []change {
	for i := range cs {
		cs[i].Field = p + cs[i].Field
	}
	return cs
}

// SignOffs lists who marked a joint postmortem ready, and when: a customer
// sees the provider's sign-off and its own organisation's, never that of
// another customer writing the same postmortem.
func (s *Store) SignOffs(ctx context.Context, actor *User, pmID uint) ([]SignOff, error) {
	if _, err := s.GetPostmortem(ctx, actor, pmID); err != nil {
		return nil, err
	}
	q := s.db.R.WithContext(ctx).Preload("User").Where("postmortem_id = ?", pmID).Order("signed_at")
	if actor.IsCustomer() {
		q = q.Where("customer_id IN ?", []uint{0, *actor.CustomerID})
	}
	var out []SignOff
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("sign-offs of postmortem %d: %w", pmID, err)
	}
	return out, nil
}

// SignOff marks the actor's side of a joint postmortem ready: the
// provider's for staff writers, its organisation's for a customer user.
// Signing again is a no-op.
func (s *Store) SignOff(ctx context.Context, actor *User, pmID uint) (*SignOff, error) {
	var so SignOff
	err := s.db.W.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		pm, err := s.getPostmortem(tx, actor, pmID)
		if err != nil {
			return err
		}
		if pm.Visibility != VisibilityJoint {
			return &RuleError{Code: "not_joint", Message: "only joint postmortems are signed off by both sides"}
		}
		side := uint(0)
		if actor.IsCustomer() {
			side = *actor.CustomerID
		} else if !actor.Can(PermWritePostmortems) {
			return ErrForbidden
		}
		res := tx.Preload("User").Where("postmortem_id = ? AND customer_id = ?", pmID, side).Limit(1).Find(&so)
		if res.Error != nil || res.RowsAffected > 0 {
			return res.Error
		}
		now := s.Now()
		so = SignOff{PostmortemID: pmID, CustomerID: side, UserID: actor.ID, User: *actor, SignedAt: now}
		if err := tx.Omit("User").Create(&so).Error; err != nil {
			return fmt.Errorf("sign off postmortem %d: %w", pmID, err)
		}
		return newAudit(tx, actor, now).record(EntityPostmortem, pmID, pmID, "signed_off",
			[]change{{Field: "sign_off", New: signOffSide(side)}}, "")
	})
	if err != nil {
		return nil, err
	}
	return &so, nil
}

func signOffSide(customerID uint) string {
	if customerID == 0 {
		return "provider"
	}
	return fmt.Sprintf("customer %d", customerID)
}

// missingSignOffs names the sides of a joint postmortem not yet signed off.
func missingSignOffs(tx *gorm.DB, pm *Postmortem) ([]string, error) {
	var signed []uint
	if err := tx.Model(&SignOff{}).Where("postmortem_id = ?", pm.ID).Pluck("customer_id", &signed).Error; err != nil {
		return nil, fmt.Errorf("read sign-offs: %w", err)
	}
	done := map[uint]bool{}
	for _, id := range signed {
		done[id] = true
	}
	var missing []string
	if !done[0] {
		missing = append(missing, "provider")
	}
	for _, c := range pm.Customers {
		if !done[c.ID] {
			missing = append(missing, c.Name)
		}
	}
	return missing, nil
}
