package ghsync

import (
	"context"
	"fmt"
	"time"

	"github.com/amendsdev/amends/models"
)

// Outcomes of a delivery, as the webhook answers them.
const (
	DeliveryPong      = "pong"
	DeliveryAccepted  = "accepted"
	DeliveryDuplicate = "duplicate"
	DeliveryIgnored   = "ignored"
)

const deliveryTimeout = 2 * time.Minute

// VerifyWebhook checks a delivery's signature; see VerifySignature.
func (s *Syncer) VerifyWebhook(body []byte, signature string) error {
	return VerifySignature([]byte(s.opts.WebhookSecret), body, signature)
}

// Deliver takes in a delivery whose signature was verified. It answers at
// once, as GitHub asks within 10 seconds: an "issues" delivery is recorded
// by its X-GitHub-Delivery id (a redelivery is a duplicate and does
// nothing), then applied in the background. If applying fails, the next
// poll catches up.
func (s *Syncer) Deliver(ctx context.Context, deliveryID, event string, body []byte) (string, error) {
	switch event {
	case "ping":
		return DeliveryPong, nil
	case "issues":
	default:
		return DeliveryIgnored, nil
	}
	ev, err := ParseIssuesEvent(body)
	if err != nil {
		return "", &models.ValidationError{Fields: map[string]string{"body": err.Error()}}
	}
	if deliveryID == "" {
		return "", &models.ValidationError{Fields: map[string]string{"X-GitHub-Delivery": "is required"}}
	}
	tracked, err := s.store.TracksIssue(ctx, ev.Issue.FullName(), ev.Issue.Number)
	if err != nil || !tracked {
		return DeliveryIgnored, err
	}
	fresh, err := s.store.RecordDelivery(ctx, deliveryID, event)
	if err != nil || !fresh {
		return DeliveryDuplicate, err
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), deliveryTimeout)
		defer cancel()
		if err := s.HandleIssueEvent(ctx, ev); err != nil {
			s.log.Warn("github delivery failed, the next poll catches up", "delivery", deliveryID, "err", err)
			return
		}
		if err := s.store.MarkDeliveryProcessed(ctx, deliveryID); err != nil {
			s.log.Warn("record github delivery", "delivery", deliveryID, "err", err)
		}
	}()
	return DeliveryAccepted, nil
}

// HandleIssueEvent applies one "issues" event to the items linked to it.
func (s *Syncer) HandleIssueEvent(ctx context.Context, ev IssueEvent) error {
	switch {
	case ev.Deleted:
		return s.flagGone(ctx, ev.Issue, models.GitHubDeleted, nil)
	case ev.TransferredTo != nil:
		return s.flagGone(ctx, ev.Issue, models.GitHubTransferred, ev.TransferredTo)
	}
	push, err := s.applyIssue(ctx, snapshotOfEvent(ev))
	if err != nil {
		return err
	}
	for _, id := range push {
		if err := s.Push(ctx, id); err != nil {
			return fmt.Errorf("push item %d after conflict: %w", id, err)
		}
	}
	return nil
}
