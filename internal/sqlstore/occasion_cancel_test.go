package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Cancelling is one write for every kind (AttendanceService.Cancel): a
// version is required, only the organisers may, invitees of a published
// one are told, and one that took place cannot be cancelled.
func TestCancelOccasion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		at(db, "2026-03-01 09:00")
		rota := wednesdays(t, db, w, true)
		x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "research", Title: "调研老旧小区加装电梯", StationID: &w.StationA.ID,
			StartsAt: "2026-03-20T09:00", EndsAt: "2026-03-20T11:00", DeputyIDs: []int64{w.DeputyA1.ID, w.DeputyA2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishActivity(office, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		version := func(kind lianluo.OccasionKind, id int64) int {
			t.Helper()
			if kind == lianluo.KindReception {
				r, err := db.FindReceptionByID(office, id)
				if err != nil {
					t.Fatal(err)
				}
				return r.Version
			}
			x, err := db.FindActivityByID(office, id)
			if err != nil {
				t.Fatal(err)
			}
			return x.Version
		}
		for _, o := range []struct {
			kind     lianluo.OccasionKind
			id       int64
			template lianluo.TemplateKey
			invitees []int64
		}{
			{lianluo.KindReception, rota.Sessions[0].ID, lianluo.MsgReceptionCancelled, rota.Sessions[0].DeputyIDs},
			{lianluo.KindActivity, x.ID, lianluo.MsgActivityCancelled, []int64{w.DeputyA1.ID, w.DeputyA2.ID}},
		} {
			cancel := func(ctx context.Context, v int) error { return db.Services().Attendance.Cancel(ctx, o.kind, o.id, v) }
			v := version(o.kind, o.id)
			if err := cancel(office, 0); lianluo.ErrorField(err) != "version" {
				t.Errorf("%s: cancel without a version: %v", o.kind, err)
			}
			if err := cancel(office, v-1); lianluo.ErrorCode(err) != lianluo.ESTALE {
				t.Errorf("%s: cancel with an old version: %v", o.kind, err)
			}
			if err := cancel(w.As(t, "liaisona"), v); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("%s: a liaison cancels: %v", o.kind, err)
			}
			if err := cancel(w.As(t, "deputya"), v); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN && lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Errorf("%s: a deputy cancels: %v", o.kind, err)
			}
			if got := countNotes(t, db, `template = $1`, string(o.template)); got != 0 {
				t.Fatalf("%s: %d cancellation notices before it was cancelled", o.kind, got)
			}
			if err := cancel(office, v); err != nil {
				t.Fatalf("%s: Cancel: %v", o.kind, err)
			}
			for _, d := range o.invitees { // by text, in-app, or through the station's staff
				key := fmt.Sprintf("%s_cancelled:%d:%d:%%", o.kind, o.id, d)
				if got := countNotes(t, db, `template = $1 AND dedupe_key LIKE $2`, string(o.template), key); got == 0 {
					t.Errorf("%s: deputy %d was not told", o.kind, d)
				}
			}
			var events int
			if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM events WHERE entity = $1 AND entity_id = $2 AND action = 'cancel'`,
				string(o.kind), o.id).Scan(&events); err != nil || events != 1 {
				t.Errorf("%s: cancel events = %d, %v", o.kind, events, err)
			}
			if err := cancel(office, v+1); lianluo.ErrorCode(err) != lianluo.ESTATE || !strings.Contains(lianluo.ErrorMessage(err), "已经取消") {
				t.Errorf("%s: cancelled twice: %v", o.kind, err)
			}
		}

		// A session a deputy signed in to took place: it cannot be cancelled.
		held := rota.Sessions[1]
		at(db, "2026-03-11 09:10")
		if _, err := rec(db).SignIn(w.As(t, "deputya"), held.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := rec(db).Cancel(office, held.ID, version(lianluo.KindReception, held.ID)); lianluo.ErrorCode(err) != lianluo.ESTATE || !strings.Contains(lianluo.ErrorMessage(err), "已有代表签到") {
			t.Errorf("cancel a session a deputy came to: %v", err)
		}
	})
}
