package sqlstore_test

import (
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Reveals are limited per user and hour (the security settings); the one
// that hits the limit tells the administrators, once an hour per user.
func TestRevealLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		clock := storetest.ClockOf(db)
		now := time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC)
		clock.Set(func() time.Time { return now })
		c := w.path(t, lianluo.StatusAssigned)
		p, err := db.SecurityPolicy(w.As(t, "security"))
		if err != nil {
			t.Fatal(err)
		}
		p.RevealsPerHour = 3
		if _, err := db.UpdateSecurityPolicy(w.As(t, "security"), p); err != nil {
			t.Fatal(err)
		}
		office := w.As(t, "officea")
		why := lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"}
		for i := range 3 {
			if _, err := db.RevealSubmitter(office, c.ID, why); err != nil {
				t.Fatalf("reveal %d: %v", i+1, err)
			}
		}
		for i := range 2 {
			if _, err := db.RevealSubmitter(office, c.ID, why); lianluo.ErrorCode(err) != lianluo.ETOOMANY {
				t.Errorf("reveal %d over the limit = %v; want rate_limited", i+4, err)
			}
		}
		notices := func() int {
			t.Helper()
			ns, _, err := db.Inbox(w.As(t, "security"), false, lianluo.Page{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, x := range ns {
				if x.Template == lianluo.MsgRevealLimit {
					n++
				}
			}
			return n
		}
		if got := notices(); got != 1 {
			t.Errorf("administrator's notices after two refusals = %d; want 1", got)
		}
		// An hour later the count starts again.
		now = now.Add(61 * time.Minute)
		if _, err := db.RevealSubmitter(office, c.ID, why); err != nil {
			t.Errorf("reveal an hour later: %v", err)
		}
		// Reasons: a purpose of the list and four characters at least.
		for _, r := range []lianluo.RevealReason{{Purpose: "", Text: "约定上门时间"}, {Purpose: "fun", Text: "约定上门时间"}, {Purpose: lianluo.RevealOther, Text: "回访"}} {
			if _, err := db.RevealSubmitter(office, c.ID, r); lianluo.ErrorCode(err) != lianluo.EINVALID {
				t.Errorf("reveal with %+v = %v; want invalid", r, err)
			}
		}
	})
}
