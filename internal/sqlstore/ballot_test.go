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

// voterCtx is a voter on the public page: no actor, an address.
func voterCtx(addr string) context.Context {
	return lianluo.NewContextWithClientAddr(context.Background(), addr)
}

// reportMeeting makes a 述职 activity at station A on 2026-03-10 as the
// town office.
func reportMeeting(t *testing.T, w *storetest.World) *lianluo.Activity {
	t.Helper()
	act, err := w.DB.CreateActivity(w.As(t, "officea"), lianluo.ActivityInput{Kind: lianluo.ActivityReport, Title: "王建国代表向选民述职",
		StationID: &w.StationA.ID, StartsAt: "2026-03-10T09:00", EndsAt: "2026-03-10T11:00", DeputyIDs: []int64{w.DeputyA1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	return act
}

// Ballots: a vote per phone, the comment masked, paper counts with a
// version, closing by staff who manage the meeting (not the liaison), a
// closed ballot refusing, the job closing a ballot a day after its meeting.
func TestBallots(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		act := reportMeeting(t, w)
		item := lianluo.DeputyItemKey(w.DeputyA1.ID)
		b, err := db.OpenBallotForTest(office, lianluo.BallotReport, 1, act.ID, "王建国代表向选民述职", []lianluo.BallotItem{{Key: item, Label: "王建国代表"}})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 3, 11, 11, 0, 0, 0, lianluo.Beijing); !b.ClosesAt.Equal(want) || len(b.Token) < 20 {
			t.Fatalf("ballot = %+v; want closing %v and a long token", b, want)
		}
		if _, err := db.OpenBallotForTest(office, lianluo.BallotReport, 1, act.ID, "again", []lianluo.BallotItem{{Key: item, Label: "王建国代表"}}); !lianluo.Is(err, lianluo.ECONFLICT) {
			t.Errorf("a second ballot on the subject: %v; want conflict", err)
		}

		vote := func(phone string, c lianluo.BallotChoice, comment string) error {
			return db.CastVote(voterCtx("10.0.0.1"), b.Token, lianluo.BallotVote{Choices: map[string]lianluo.BallotChoice{item: c}, Phone: phone, Comment: comment})
		}
		if err := vote("13900001111", lianluo.ChoiceSatisfied, "希望多来社区，有事打我电话13900001111或0574-86881234"); err != nil {
			t.Fatal(err)
		}
		if err := vote("13900002222", lianluo.ChoiceBasic, ""); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			err   error
			code  string
			field string
		}{
			{"same phone", vote("139 0000 1111", lianluo.ChoiceDissatisfied, ""), lianluo.ECONFLICT, ""},
			{"no phone", vote("", lianluo.ChoiceSatisfied, ""), lianluo.EINVALID, "phone"},
			{"bad phone", vote("12345", lianluo.ChoiceSatisfied, ""), lianluo.EINVALID, "phone"},
			{"no mark", vote("13900003333", "", ""), lianluo.EINVALID, "choices"},
			{"bad mark", vote("13900003333", "good", ""), lianluo.EINVALID, "choices"},
			{"long comment", vote("13900003333", lianluo.ChoiceSatisfied, strings.Repeat("好", 501)), lianluo.EINVALID, "comment"},
			{"wrong token", db.CastVote(voterCtx("10.0.0.1"), "nope", lianluo.BallotVote{}), lianluo.ENOTFOUND, ""},
		} {
			if lianluo.ErrorCode(tc.err) != tc.code || lianluo.ErrorField(tc.err) != tc.field {
				t.Errorf("%s: %v; want %s %s", tc.name, tc.err, tc.code, tc.field)
			}
		}
		if err := vote("13900001111", lianluo.ChoiceSatisfied, ""); !strings.Contains(lianluo.ErrorMessage(err), "已经投过票") {
			t.Errorf("the second vote's message: %v", err)
		}

		got, err := db.FindBallotByID(office, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		it := got.Tally.Items[0]
		if !got.CanManage || got.Token != b.Token || got.Tally.Voters != 2 || it.Online != (lianluo.ChoiceCounts{Satisfied: 1, Basic: 1}) {
			t.Errorf("tally = %+v %+v", got, it)
		}
		if c := strings.Join(got.Tally.Comments, "|"); strings.Contains(c, "13900001111") || strings.Contains(c, "86881234") || !strings.Contains(c, "139****1111") {
			t.Errorf("comments not masked: %q", c)
		}
		if rows := query(t, db, `SELECT COUNT(*) FROM ballot_votes WHERE phone_hash LIKE '139%' OR comment LIKE '%13900001111%'`); rows[0] != "[0]" {
			t.Errorf("a phone number stored in the votes: %v", rows)
		}

		// The liaison works at the station but does not manage the meeting.
		liaison := w.As(t, "liaisona")
		if lb, err := db.FindBallotByID(liaison, b.ID); err != nil || lb.CanManage || lb.Token != "" {
			t.Errorf("the liaison's view: %+v, %v; want the tally without the token", lb, err)
		}
		if _, err := db.CloseBallot(liaison, b.ID, got.Version); !lianluo.Is(err, lianluo.EFORBIDDEN) {
			t.Errorf("the liaison closes: %v; want forbidden", err)
		}

		paper := lianluo.BallotPaper{Items: []lianluo.PaperCount{{Key: item, ChoiceCounts: lianluo.ChoiceCounts{Satisfied: 30, Basic: 5, Dissatisfied: 2}}}}
		if _, err := db.SetBallotPaper(office, b.ID, paper); !lianluo.Is(err, lianluo.EINVALID) || lianluo.ErrorField(err) != "version" {
			t.Errorf("paper without a version: %v", err)
		}
		paper.Version = 1
		bad := paper
		bad.Items = []lianluo.PaperCount{{Key: "d999", ChoiceCounts: lianluo.ChoiceCounts{Satisfied: 1}}}
		if _, err := db.SetBallotPaper(office, b.ID, bad); lianluo.ErrorField(err) != "items" {
			t.Errorf("paper of another item: %v", err)
		}
		got, err = db.SetBallotPaper(office, b.ID, paper)
		if err != nil {
			t.Fatal(err)
		}
		if it := got.Tally.Items[0]; it.Total != (lianluo.ChoiceCounts{Satisfied: 31, Basic: 6, Dissatisfied: 2}) || got.PaperVersion != 2 {
			t.Errorf("after the paper: %+v", got)
		}
		if _, err := db.SetBallotPaper(office, b.ID, paper); !lianluo.Is(err, lianluo.ESTALE) {
			t.Errorf("paper with an old version: %v; want stale", err)
		}

		if _, err := db.CloseBallot(office, b.ID, got.Version+1); !lianluo.Is(err, lianluo.ESTALE) {
			t.Errorf("close with a wrong version: %v", err)
		}
		closed, err := db.CloseBallot(office, b.ID, got.Version)
		if err != nil {
			t.Fatal(err)
		}
		if closed.Status != lianluo.BallotClosed || closed.ClosedAt == nil {
			t.Errorf("closed = %+v", closed)
		}
		if err := vote("13900004444", lianluo.ChoiceSatisfied, ""); !lianluo.Is(err, lianluo.ESTATE) {
			t.Errorf("a vote on a closed ballot: %v; want invalid_state", err)
		}
		if p, err := db.PublicBallot(context.Background(), b.Token); err != nil || p.Open {
			t.Errorf("public view of a closed ballot: %+v, %v", p, err)
		}
		if s := query(t, db, `SELECT summary FROM ballots WHERE id = `+itoa(b.ID)); !strings.Contains(s[0], "满意31票、基本满意6票、不满意2票") {
			t.Errorf("summary = %q", s)
		}

		// The job closes a ballot a day after its meeting.
		b2, err := db.OpenBallotForTest(office, lianluo.BallotAppraisal, 7, act.ID, "评议", []lianluo.BallotItem{{Key: "u1", Label: "住建局"}})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := db.CloseDueBallots(context.Background()); err != nil || n != 0 {
			t.Errorf("CloseDueBallots before the time = %d, %v", n, err)
		}
		storetest.ClockOf(db).Set(func() time.Time { return time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC) })
		if err := db.CastVote(voterCtx("10.0.0.2"), b2.Token, lianluo.BallotVote{Choices: map[string]lianluo.BallotChoice{"u1": lianluo.ChoiceBasic}, Phone: "13900005555"}); !lianluo.Is(err, lianluo.ESTATE) {
			t.Errorf("a vote after closes_at: %v; want invalid_state", err)
		}
		if n, err := db.CloseDueBallots(context.Background()); err != nil || n != 1 {
			t.Errorf("CloseDueBallots = %d, %v; want 1", n, err)
		}
		if got, err := db.FindBallotByID(office, b2.ID); err != nil || got.Status != lianluo.BallotClosed {
			t.Errorf("after the job: %+v, %v", got, err)
		}
	})
}
