package sqlstore

import (
	"context"
	"slices"
	"sync"
	"time"

	"lianluo"
)

// The caches of what nearly every request reads and almost nothing
// changes. Resolving a token to an actor reads the session, the user, their
// roles, the security settings, the second factor and the records that
// scope each role: five queries or more on every request; each workflow
// step reads the deadline policy and the whole working-day calendar. Each
// instance keeps them with the cache epoch (migration 0019) they were read
// under and reuses them while the epoch is unchanged: Authenticate's one
// query reads the session and the epoch together, Policy and Calendar read
// the epoch alone. Every committed change to what they are made of adds one
// to the epoch in the same transaction (Tx.Commit, cachedEntities), so a
// logout, a password change, a new role, a deactivation, a changed setting
// or a new holiday takes effect at once on every instance sharing the
// database.

// cachedEntities are the audited records the caches are made of: accounts
// (roles, activity, passwords, second factor), NPC bodies (a deactivated
// body grants nothing; its region scopes its staff), stations and deputies
// (a deputy's stations), groups (their leaders), regions (the names grants
// show), the security and deadline settings (EntityPolicy), other settings
// and the calendar. Every change to them is audited, so the audit events of
// a transaction say whether it bumps the epoch (the calendar's seeding at
// start, which writes no event, bumps it itself). Sessions are not among
// them: a logout deletes the session row, which the one query reads anyway.
var cachedEntities = map[lianluo.AuditEntity]bool{
	lianluo.EntityUser: true, lianluo.EntityOrg: true, lianluo.EntityStation: true, lianluo.EntityDeputy: true,
	lianluo.EntityGroup: true, lianluo.EntityRegion: true, lianluo.EntityPolicy: true, lianluo.EntitySettings: true,
	lianluo.EntityCalendar: true,
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

// bumpCacheEpoch adds one to the epoch when the transaction changed what
// the caches hold (its audit events say so).
func (tx *Tx) bumpCacheEpoch(ctx context.Context) error {
	for _, e := range tx.events {
		if cachedEntities[e.Entity] {
			return tx.bumpEpoch(ctx)
		}
	}
	return nil
}

func (tx *Tx) bumpEpoch(ctx context.Context) error {
	_, err := tx.Exec(ctx, `UPDATE cache_epoch SET n = n + 1 WHERE id = 1`)
	return err
}

// cacheEpoch reads the epoch.
func (db *DB) cacheEpoch(ctx context.Context) (n int64, err error) {
	err = db.reader().QueryRow(ctx, `SELECT n FROM cache_epoch WHERE id = 1`).Scan(&n)
	return n, err
}

// settingsCache holds the deadline policy and the calendar, each with the
// epoch it was read under.
type settingsCache struct {
	mu                    sync.Mutex
	policy                lianluo.Policy
	policyEpoch, calEpoch int64
	policyOK, calOK       bool
	calendar              *lianluo.Calendar // read-only once built
}

func (c *settingsCache) getPolicy(epoch int64) (lianluo.Policy, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.policy, c.policyOK && c.policyEpoch == epoch
}

func (c *settingsCache) putPolicy(epoch int64, p lianluo.Policy) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.policy, c.policyEpoch, c.policyOK = p, epoch, true
}

func (c *settingsCache) getCalendar(epoch int64) (*lianluo.Calendar, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calendar, c.calOK && c.calEpoch == epoch
}

func (c *settingsCache) putCalendar(epoch int64, cal *lianluo.Calendar) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calendar, c.calEpoch, c.calOK = cal, epoch, true
}
