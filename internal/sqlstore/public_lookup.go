// The limit on guessing tracking codes, and the deployment key the online
// station hashes voters' addresses and phones with.

package sqlstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"lianluo"
)

// hashKeyCache holds the deployment's HMAC key (settings.public_hash_key)
// once read. It may live in memory: it caches a database value that never
// changes once written, so every instance holds the same key. Nothing else
// about the online station is kept per instance: its limits are counted in
// the database (public_submissions, phone_codes, public_lookups).
type hashKeyCache struct {
	mu  sync.Mutex
	key []byte
}

func (k *hashKeyCache) get() []byte {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.key
}

func (k *hashKeyCache) set(key []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.key = key
}

// hashKey returns the deployment's HMAC key, creating it on first use.
// It may open a write transaction: never call it inside one (on SQLite the
// one writer connection would wait for itself).
func (db *DB) hashKey(ctx context.Context) ([]byte, error) {
	if key := db.pubKey.get(); key != nil {
		return key, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	err := db.transact(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('public_hash_key', $1, $2)
			ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(b), tx.now)
		return err
	})
	if err != nil {
		return nil, err
	}
	var text string
	if err := db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'public_hash_key'`).Scan(&text); err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(text)
	if err != nil {
		return nil, err
	}
	db.pubKey.set(key)
	return key, nil
}

var errTooManyLookups = lianluo.Errorf(lianluo.ETOOMANY, "查询次数过多，请15分钟后再试。")

// notFoundOpinion is the one answer to a wrong code or a wrong phone tail.
// findPublicCase returns exactly this value, and withCodeLookup counts it
// as a failed look-up.
var notFoundOpinion = lianluo.Errorf(lianluo.ENOTFOUND, "没有找到这条意见。请核对查询码和手机号后四位。")

// withCodeLookup runs fn, the work of a public method that looks up a
// tracking code with findPublicCase, under the limit on failed look-ups
// (lookupFailures per client address in lookupWindow, counted in the
// database so that every instance shares the count).
//
// The limit is checked before fn and a miss is recorded after it, each in
// its own statement or transaction, because fn usually runs a write
// transaction: the miss must be kept although fn's error rolls that
// transaction back, and on SQLite a second write transaction opened while
// fn's is open would wait on the one writer connection for ever.
func (db *DB) withCodeLookup(ctx context.Context, fn func() error) error {
	key, err := db.hashKey(ctx)
	if err != nil {
		return err
	}
	addrHash := keyedHash(key, "addr", lianluo.ClientAddrFromContext(ctx))
	since := db.Now().UTC().Truncate(time.Microsecond).Add(-lookupWindow)
	var n int
	if err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM public_lookups WHERE addr_hash = $1 AND failed_at > $2`,
		addrHash, since).Scan(&n); err != nil {
		return err
	}
	if n >= lookupFailures {
		return errTooManyLookups
	}
	err = fn()
	if errors.Is(err, notFoundOpinion) {
		if e := db.lookupFailed(ctx, addrHash); e != nil {
			return e
		}
	}
	return err
}

// lookupFailed records a failed look-up and drops the rows that no longer
// count (an indexed range delete: usually nothing or a few rows).
func (db *DB) lookupFailed(ctx context.Context, addrHash string) error {
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO public_lookups (addr_hash, failed_at) VALUES ($1, $2)`, addrHash, tx.now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM public_lookups WHERE failed_at <= $1`, tx.now.Add(-lookupWindow))
		return err
	})
}
