package models

import "context"

// Locks. amends has two kinds, for two needs:
//
//   - Scheduled jobs run on one replica at a time: the scheduler's leader
//     (package jobs, a session advisory lock held by the elected replica).
//     Jobs take no lock of their own; each is idempotent and safe to
//     overlap with itself for the moment a new leader takes over.
//   - Work outside the database that must not run twice at once for one
//     thing, whichever replica a request reached (pushing an item's status
//     to its GitHub issue), runs under WithLock below.
//
// LockKind names what WithLock serialises, so that locks on different
// things with the same id do not contend. On PostgreSQL the kind and the
// id are the two keys of an advisory lock, a space apart from the
// single-key leader lock.
type LockKind int32

const (
	// LockGitHubPush is held while an item's status is pushed to its issue.
	LockGitHubPush LockKind = 1
)

// WithLock runs fn while no other caller, in this process or another
// replica, holds the lock of kind on id, waiting for it until ctx ends. It
// is for work outside the database that must not run twice at once for
// one thing, such as a call to GitHub decided on what the database said.
func (s *Store) WithLock(ctx context.Context, kind LockKind, id uint, fn func() error) error {
	return s.db.WithLock(ctx, int32(kind), id, fn)
}
