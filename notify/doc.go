// Package notify sends amends' email: an outbox table in the same database,
// messages rendered from the templates in web/templates/mail, an SMTP
// transport, and the reminder policy that fills the outbox.
//
// Delivery is at most once per idempotency key. A message moves
// queued → claimed (under a lease) → handing_off → sent. Composition only
// inserts rows, whose unique key makes a second pass in the same period a
// no-op; delivery claims rows with a lease so two passes never hold the same
// row; and each row is marked handing_off in its own commit just before it
// is given to the SMTP server. A pass that dies while a row is claimed but
// not handed off leaves a lease that expires, and the row is retried. A pass
// that dies after handing a row off but before recording it as sent leaves
// the row handing_off: it is never retried automatically, because the
// server may have accepted it. Such rows show as "uncertain" on the admin
// outbox page, where an admin can requeue them. That is the one window
// left: the instant between the server's reply to DATA and the commit that
// records it.
package notify
