package sqlstore

import (
	"context"
	"slices"
	"sync"
	"time"

	"lianluo"
)

// The authentication cache. Resolving a token to an actor reads the
// session, the user, their roles, the security settings, the second factor
// and the records that scope each role: five queries or more on every
// request. Each instance keeps the actors it resolved, by token hash, with
// the auth epoch (migration 0019) they were resolved under; Authenticate's
// one query reads the session and the epoch together, and a cached actor is
// reused only while the epoch is unchanged. Every committed change to what
// makes an actor adds one to the epoch in the same transaction (Tx.Commit,
// authEntities), so a logout, a password change, a new role, a
// deactivation or a changed security setting takes effect at once on every
// instance sharing the database.

// authEntities are the audited records whose change can change an actor:
// accounts (roles, activity, passwords, second factor), NPC bodies (a
// deactivated body grants nothing; its region scopes its staff), stations
// and deputies (a deputy's stations), groups (their leaders), regions (the
// names grants show) and the security settings (expiry, required second
// factor). Every change to them is audited, so the audit events of a
// transaction say whether it bumps the epoch. Sessions are not among them:
// a logout deletes the session row, which the one query reads anyway.
var authEntities = map[lianluo.AuditEntity]bool{
	lianluo.EntityUser: true, lianluo.EntityOrg: true, lianluo.EntityStation: true, lianluo.EntityDeputy: true,
	lianluo.EntityGroup: true, lianluo.EntityRegion: true, lianluo.EntityPolicy: true, lianluo.EntitySettings: true,
}

// authCacheSize bounds the cache: beyond it the cache starts afresh (a
// district has hundreds of staff; the bound only stops a flood of tokens).
const authCacheSize = 10000

type authCache struct {
	mu sync.Mutex
	m  map[string]authEntry // by token hash
}

// authEntry is an actor as resolved, with what Authenticate still works
// out per request (the password's expiry runs with the clock).
type authEntry struct {
	epoch      int64
	userID     int64
	user       lianluo.User // MustChangePassword as stored, before the expiry
	scope      lianluo.Scope
	expiryDays int // the security settings' password expiry (0 for demo accounts)
}

func (c *authCache) get(key string, epoch, userID int64) (authEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.epoch != epoch || e.userID != userID {
		return authEntry{}, false
	}
	return e, true
}

func (c *authCache) put(key string, e authEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= authCacheSize {
		c.m = map[string]authEntry{}
	}
	c.m[key] = e
}

// drop forgets a token (this instance's logout; others see the session gone).
func (c *authCache) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, key)
}

// actor builds the request's actor from the entry: copies, so that no
// request can change what another one reads.
func (e authEntry) actor(now time.Time, clientAddr, key string) *lianluo.Actor {
	u := e.user
	u.Roles = slices.Clone(e.user.Roles)
	if !u.MustChangePassword && u.PasswordChangedAt != nil {
		u.MustChangePassword = passwordExpired(lianluo.SecurityPolicy{PasswordExpiryDays: e.expiryDays}, u.PasswordChangedAt, now)
	}
	s := e.scope
	s.Regions, s.Orgs, s.Stations = slices.Clone(s.Regions), slices.Clone(s.Orgs), slices.Clone(s.Stations)
	s.Deputies, s.Units = slices.Clone(s.Deputies), slices.Clone(s.Units)
	return &lianluo.Actor{User: &u, Scope: s, ClientAddr: clientAddr, SessionKey: key}
}

// bumpAuthEpoch adds one to the epoch when the transaction changed what
// makes an actor (its audit events say so).
func (tx *Tx) bumpAuthEpoch(ctx context.Context) error {
	for _, e := range tx.events {
		if authEntities[e.Entity] {
			_, err := tx.Exec(ctx, `UPDATE auth_epoch SET n = n + 1 WHERE id = 1`)
			return err
		}
	}
	return nil
}
