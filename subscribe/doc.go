// Package subscribe tells customer organisations about changes to their
// postmortems and action items: a private Atom feed per user, email (at
// once or as a daily digest) through the notify outbox, and signed outgoing
// webhooks with retries.
//
// Everything is derived from the audit trail after the fact, so a request
// that changes something never waits for a mail server or a customer's
// endpoint. A job reads the events after its cursor, keeps what each
// subscribed organisation may read (models.Store.CustomerChanges: the
// customer's own policy, customer-facing fields only), and in one
// transaction queues the webhook deliveries (unique per webhook and event)
// and the new cursor. Instant emails wait for a burst of changes to a
// postmortem to end (a quiet minute, five minutes at most) and go out as
// one email per burst (batch.go: idempotency key per recipient,
// postmortem and the burst's first event), with their own cursor. A
// second pass over the same events adds nothing. Deliveries are then sent
// with exponential backoff, and every attempt is logged for the customer
// admin.
package subscribe
