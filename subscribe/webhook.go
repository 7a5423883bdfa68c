package subscribe

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/amendsdev/amends/models"
	"github.com/amendsdev/amends/subscribe/egress"
)

// SignatureHeader carries "sha256=" and the hex HMAC-SHA256 of the body
// under the webhook's secret.
const SignatureHeader = "X-Amends-Signature"

// MaxAttempts is how often a delivery is tried before it fails for good.
const MaxAttempts = 10

// Payload is the JSON body of a webhook delivery: one change, as the
// organisation may read it.
type Payload struct {
	ID           string                `json:"id"`
	Type         string                `json:"type"`
	Organisation string                `json:"organisation"`
	Change       models.CustomerChange `json:"change"`
	Description  string                `json:"description"`
	URL          string                `json:"url"`
}

// Sign is the value of SignatureHeader for a body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature in constant time, for receivers and tests.
func Verify(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// deliveriesFor queues a change for every live webhook of the organisation.
func (j *Job) deliveriesFor(ctx context.Context, org *models.Customer, changes []models.CustomerChange, now time.Time) ([]models.WebhookDelivery, error) {
	hooks, err := j.Store.LiveWebhooks(ctx, org.ID)
	if err != nil || len(hooks) == 0 {
		return nil, err
	}
	var out []models.WebhookDelivery
	for _, c := range changes {
		body, err := json.Marshal(Payload{ID: fmt.Sprintf("evt_%d", c.EventID), Type: c.EntityType + "." + c.Action,
			Organisation: org.Slug, Change: c, Description: Describe(c), URL: PortalLink(j.BaseURL, c)})
		if err != nil {
			return nil, fmt.Errorf("encode webhook payload of event %d: %w", c.EventID, err)
		}
		for _, h := range hooks {
			out = append(out, models.WebhookDelivery{WebhookID: h.ID, EventID: c.EventID, Payload: string(body),
				Status: models.DeliveryPending, NextAttemptAt: now, CreatedAt: now})
		}
	}
	return out, nil
}

// claimLease is how long a claimed delivery is left to its claimer: longer
// than an attempt can take (the client's 15 s timeout). A pass that dies
// after claiming leaves the delivery to be tried again after it.
const claimLease = time.Minute

// deliver sends the deliveries that are due, one attempt each.
func (j *Job) deliver(ctx context.Context, now time.Time) error {
	due, err := j.Store.DueDeliveries(ctx, now, 200)
	if err != nil {
		return err
	}
	var errs []error
	for i := range due {
		d := &due[i]
		claimed, err := j.Store.ClaimDelivery(ctx, d.ID, now, now.Add(claimLease))
		if err != nil || !claimed {
			errs = append(errs, err)
			continue
		}
		j.attempt(ctx, d, now)
		errs = append(errs, j.Store.RecordAttempt(ctx, d))
	}
	return errors.Join(errs...)
}

// attempt posts one delivery and decides what comes next: delivered on a
// 2xx, else a retry after an exponential backoff, until MaxAttempts.
func (j *Job) attempt(ctx context.Context, d *models.WebhookDelivery, now time.Time) {
	d.Attempts++
	code, err := j.post(ctx, d)
	d.LastStatusCode, d.LastError = code, ""
	if err == nil && code >= 200 && code < 300 {
		d.Status, d.DeliveredAt = models.DeliveryDelivered, &now
		return
	}
	if err != nil {
		d.LastError = err.Error()
	} else {
		d.LastError = fmt.Sprintf("the receiver answered %d", code)
	}
	if d.Attempts >= MaxAttempts {
		d.Status = models.DeliveryFailed
		return
	}
	d.NextAttemptAt = now.Add(Backoff(d.Attempts))
}

func (j *Job) post(ctx context.Context, d *models.WebhookDelivery) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	body := []byte(d.Payload)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Webhook.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "amends-webhooks")
	req.Header.Set("X-Amends-Delivery", fmt.Sprint(d.ID))
	req.Header.Set(SignatureHeader, Sign(d.Webhook.Secret, body))
	resp, err := j.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// Backoff is the wait after attempt n: 30 seconds, doubling, at most six
// hours.
func Backoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// NewClient is the webhook HTTP client. It connects only where guard
// allows, checked after DNS resolution on every connection, so that a
// customer's webhook cannot reach into the operator's network, even by a
// name that resolves elsewhere than when it was saved. It never follows
// redirects and never uses a proxy.
func NewClient(guard *egress.Guard) *http.Client {
	tr := &http.Transport{DialContext: guard.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConns: 10}
	return &http.Client{Transport: tr, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
