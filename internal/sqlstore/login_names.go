package sqlstore

import (
	"crypto/sha256"
	"sync"
	"time"
)

// nameLocks counts failed logins of names that are not accounts, with the
// same rule as an account's: MaxFailedLogins tries, then LockDuration locked.
// Login answers a wrong password, an unknown name and a locked account with
// the same message at the cost of one hash each, so this bookkeeping changes
// no answer a caller sees; it keeps an unknown name on the same path as a
// real one, so that a later change to what a locked name costs cannot split
// them. It lives in memory, not in a table: attackers choose these names
// (and a password typed into the name field is a name too), so they stay out
// of the database; only a hash of each is kept, and at most maxNameLocks.
type nameLocks struct {
	mu sync.Mutex
	m  map[[32]byte]*nameLock
}

type nameLock struct {
	failed      int
	lockedUntil time.Time
}

const maxNameLocks = 10000

// try counts a failed login of name at now and reports whether it was
// counted (false: the name is locked).
func (l *nameLocks) try(name string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || len(l.m) >= maxNameLocks {
		l.prune(now)
	}
	key := sha256.Sum256([]byte(name))
	n := l.m[key]
	if n == nil {
		n = &nameLock{}
		l.m[key] = n
	}
	if now.Before(n.lockedUntil) {
		return false
	}
	n.failed++
	if n.failed >= MaxFailedLogins {
		n.failed, n.lockedUntil = 0, now.Add(LockDuration)
	}
	return true
}

// prune forgets the names not locked now, or every name when the locked
// ones alone fill the map: memory is bounded whatever names arrive.
func (l *nameLocks) prune(now time.Time) {
	if l.m == nil {
		l.m = map[[32]byte]*nameLock{}
		return
	}
	for k, n := range l.m {
		if !now.Before(n.lockedUntil) {
			delete(l.m, k)
		}
	}
	if len(l.m) >= maxNameLocks {
		l.m = map[[32]byte]*nameLock{}
	}
}
