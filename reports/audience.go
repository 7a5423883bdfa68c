package reports

import (
	"context"
	"fmt"

	"github.com/amendsdev/amends/models"
)

// Audience is who a review is rendered for. There is one customer version,
// whoever asks for it and however it leaves (CLI, API, staff preview,
// drafts, issued snapshots, emails): our people appear in it as the
// provider's team. The internal version, with our assignees, exists only
// when staff ask for it by name, and says so on every page.
type Audience string

const (
	AudienceCustomer Audience = "customer"
	AudienceInternal Audience = "internal"
)

// InternalMarker heads every page of an internal review, in every format.
const InternalMarker = "INTERNAL - staff only, not for the customer"

// ParseAudience reads ?audience= or --audience; empty is the customer's.
func ParseAudience(s string) (Audience, error) {
	switch Audience(s) {
	case "", AudienceCustomer:
		return AudienceCustomer, nil
	case AudienceInternal:
		return AudienceInternal, nil
	}
	return "", invalid("audience", "must be customer or internal")
}

// Internal says whether the review is the staff-only version.
func (r *Review) Internal() bool { return r.Audience == string(AudienceInternal) }

// BuildFor computes the review for an audience. The internal version is for
// staff only: for anyone else it does not exist (models.ErrNotFound).
func BuildFor(ctx context.Context, store *models.Store, actor *models.User, customerID uint, m Month, aud Audience) (*Review, error) {
	return Reviews{Store: store}.BuildFor(ctx, actor, customerID, m, aud)
}

// BuildFor is the package's BuildFor with the SLIs measured.
func (rv Reviews) BuildFor(ctx context.Context, actor *models.User, customerID uint, m Month, aud Audience) (*Review, error) {
	switch aud {
	case AudienceCustomer:
		return rv.Build(ctx, actor, customerID, m)
	case AudienceInternal:
		if actor.IsCustomer() || !actor.Can(models.PermStaff) {
			return nil, fmt.Errorf("internal review: %w", models.ErrNotFound)
		}
		return rv.build(ctx, actor, customerID, m, AudienceInternal)
	}
	return nil, invalid("audience", "must be customer or internal")
}

// people is how the builder shows assignees for its audience.
type people struct {
	internal bool
	team     string
	staff    *models.StaffMatcher
}

func loadPeople(ctx context.Context, store *models.Store, aud Audience) (people, error) {
	if aud == AudienceInternal {
		return people{internal: true}, nil
	}
	st, err := store.LoadProviderSettings(ctx)
	if err != nil {
		return people{}, err
	}
	staff, err := store.StaffMatcher(ctx)
	if err != nil {
		return people{}, err
	}
	return people{team: st.TeamName, staff: staff}, nil
}

// assignee is who an item is shown assigned to. For the customer, our items
// are the team's, whoever works on them; the customer's own items keep
// their assignee (the customer's own people), unless it names one of ours.
func (p people) assignee(owner, assignee string) string {
	switch {
	case p.internal:
		return assignee
	case owner != models.OwnerCustomer, p.staff.Names(assignee):
		return p.team
	}
	return assignee
}
