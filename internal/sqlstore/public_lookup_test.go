package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// openAgain opens a second handle on db's database, as a second instance
// of the server behind a load balancer would, on the same clock.
func openAgain(t *testing.T, db *sqlstore.DB) *sqlstore.DB {
	t.Helper()
	url := db.URL
	if db.Dialect == sqlstore.SQLite {
		url = "sqlite:" + db.URL
	}
	other, err := sqlstore.Open(context.Background(), sqlstore.Config{DatabaseURL: url, PasswordHash: sqlstore.PasswordHashForTests, Now: db.Now, KeyFile: db.KeyFile()})
	if err != nil {
		t.Fatalf("open %s again: %v", db.Describe(), err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// voterFor is a voter at addr whose call fails instead of hanging if a
// store method waits on itself (SQLite has one writer connection).
func voterFor(t *testing.T, addr string) context.Context {
	ctx, cancel := context.WithTimeout(voter(addr), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The limit on guessing tracking codes is kept in the database: two
// instances share it, a restart keeps it, the misses on the write paths
// (photos, rating) count although their transaction rolls back, and the
// address is stored only as a keyed hash.
func TestPublicLookupLimitShared(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		now := storetest.Now
		storetest.ClockOf(db).Set(func() time.Time { return now })
		one, two := db, openAgain(t, db)

		rec, err := one.SubmitOpinion(voterFor(t, "198.51.100.7"), opinionTo(w.StationA.ID, "路灯不亮"))
		if err != nil {
			t.Fatalf("SubmitOpinion: %v", err)
		}
		code, tail := rec.TrackingCode, "0000"
		photo := pngBytes(t)
		miss := func(what string, err error) {
			t.Helper()
			if lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Fatalf("%s = %v; want not found", what, err)
			}
		}
		tooMany := func(what string, err error) {
			t.Helper()
			if lianluo.ErrorCode(err) != lianluo.ETOOMANY || !strings.Contains(lianluo.ErrorMessage(err), "查询次数过多") {
				t.Errorf("%s = %v; want 429 查询次数过多", what, err)
			}
		}

		// Photos (a write transaction): ten wrong codes on one instance,
		// nine wrong phone tails on the other, all from one address.
		const addrA = "127.0.0.1"
		a := voterFor(t, addrA)
		for range 10 {
			miss("photo with a wrong code", one.AddOpinionPhoto(a, "ZZZZZZZZZZ", tail, photo))
		}
		for range 9 {
			miss("photo with a wrong tail", two.AddOpinionPhoto(a, code, "9999", photo))
		}
		// The twentieth miss, then even the right code is refused, on both.
		_, err = two.FollowOpinion(a, "ZZZZZZZZZZ", tail)
		miss("20th look-up", err)
		_, err = one.FollowOpinion(a, code, tail)
		tooMany("21st look-up on the first instance", err)
		tooMany("a photo on the second instance", two.AddOpinionPhoto(a, code, tail, photo))

		// Rating (a write transaction) from another address: its own count.
		const addrB = "203.0.113.77"
		b := voterFor(t, addrB)
		if _, err := two.FollowOpinion(b, code, tail); err != nil {
			t.Fatalf("another address is limited by the first one's misses: %v", err)
		}
		for i := range lookupLimit {
			db := one
			if i%2 == 1 {
				db = two
			}
			_, err := db.RateOpinion(b, "ZZZZZZZZZZ", tail, lianluo.PublicRating{Rating: "satisfied"})
			miss("rating with a wrong code", err)
		}
		_, err = one.FollowOpinion(b, code, tail)
		tooMany("after twenty wrong ratings", err)

		// A restart (a fresh handle) keeps the count.
		three := openAgain(t, db)
		_, err = three.FollowOpinion(a, code, tail)
		tooMany("after a restart", err)

		// Fifteen minutes after the misses they no longer count.
		now = now.Add(15*time.Minute + time.Second)
		if _, err := two.FollowOpinion(a, code, tail); err != nil {
			t.Errorf("fifteen minutes later: %v; want the opinion", err)
		}
		if _, err := one.FollowOpinion(b, code, tail); err != nil {
			t.Errorf("fifteen minutes later (rating address): %v; want the opinion", err)
		}

		// Only keyed hashes are stored, never the address; a new miss
		// prunes the rows that left the window.
		_, err = one.FollowOpinion(a, "ZZZZZZZZZZ", tail)
		miss("a miss after the window", err)
		rows, err := rawDB(t, db).Query(`SELECT addr_hash FROM public_lookups`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var hashes []string
		for rows.Next() {
			var h string
			if err := rows.Scan(&h); err != nil {
				t.Fatal(err)
			}
			hashes = append(hashes, h)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(hashes) != 1 {
			t.Errorf("public_lookups holds %d rows after pruning; want 1", len(hashes))
		}
		for _, h := range hashes {
			if strings.Contains(h, addrA) || strings.Contains(h, addrB) || len(h) != 64 {
				t.Errorf("public_lookups.addr_hash = %q; want a keyed hash, not the address", h)
			}
		}
	})
}

// lookupLimit is the limit the online station documents: 20 failed look-ups per address.
const lookupLimit = 20
