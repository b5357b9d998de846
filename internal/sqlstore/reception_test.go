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

// at sets the store's clock to a Beijing time.
func at(db *sqlstore.DB, s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lianluo.Beijing)
	if err != nil {
		panic(err)
	}
	storetest.ClockOf(db).Set(func() time.Time { return t })
}

func countNotes(t *testing.T, db *sqlstore.DB, where string, args ...any) int {
	t.Helper()
	var n int
	if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM notifications WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wednesdays gives station A the rule "every Wednesday 09:00–11:00"
// (2026-03-04 is the first; rule adds to it) as town A's office, generates
// its 2026 rota and, with publish, publishes it.
func wednesdays(t *testing.T, db *sqlstore.DB, w *storetest.World, publish bool, rule ...func(*lianluo.ReceptionRule)) *lianluo.Rota {
	t.Helper()
	office := w.As(t, "officea")
	r := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=WEEKLY;BYDAY=WE", Start: "09:00", End: "11:00"}
	for _, f := range rule {
		f(r)
	}
	if err := db.CreateReceptionRule(office, r); err != nil {
		t.Fatal(err)
	}
	rota, err := db.GenerateRota(office, w.StationA.ID, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if publish {
		if _, err := db.PublishRota(office, w.StationA.ID, 2026); err != nil {
			t.Fatal(err)
		}
	}
	return rota
}

func TestReceptionRota(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		// 000: 每单月十五日上午.
		rule := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15", Start: "09:00", End: "11:00"}
		if err := db.CreateReceptionRule(office, rule); err != nil {
			t.Fatalf("CreateReceptionRule: %v", err)
		}
		if !strings.Contains(rule.Description, "15日") || rule.OnHoliday != "next_workday" || rule.PerSession != 2 {
			t.Errorf("rule = %+v", rule)
		}
		for _, tc := range []struct {
			who   string
			r     lianluo.ReceptionRule
			code  string
			field string
		}{
			{"officea", lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=DAILY", Start: "09:00", End: "11:00"}, lianluo.EINVALID, "rrule"},
			{"officea", lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "11:00", End: "09:00"}, lianluo.EINVALID, "end"},
			{"officea", lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", Start: "09:00", End: "11:00"}, lianluo.EINVALID, "rrule"},
			{"liaisona", lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "09:00", End: "11:00"}, lianluo.EFORBIDDEN, ""},
			{"officea", lianluo.ReceptionRule{StationID: w.StationB.ID, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "09:00", End: "11:00"}, lianluo.ENOTFOUND, ""},
		} {
			r := tc.r
			err := db.CreateReceptionRule(w.As(t, tc.who), &r)
			if lianluo.ErrorCode(err) != tc.code || (tc.field != "" && lianluo.ErrorField(err) != tc.field) {
				t.Errorf("rule %q by %s: %v; want %s %s", tc.r.RRule, tc.who, err, tc.code, tc.field)
			}
		}

		rota, err := db.GenerateRota(office, w.StationA.ID, 2026)
		if err != nil {
			t.Fatalf("GenerateRota: %v", err)
		}
		// From 2 March: 3/15 is a Sunday (moved to 3/16), then May, July, September, November (11/15 Sunday → 11/16).
		var days []string
		for _, s := range rota.Sessions {
			days = append(days, s.StartsAt.Format("01-02 15:04"))
			if s.Status != lianluo.ReceptionDraft || len(s.DeputyIDs) != 2 {
				t.Errorf("session %s: %s with %v", s.StartsAt, s.Status, s.DeputyIDs)
			}
		}
		if got, want := strings.Join(days, ","), "03-16 09:00,05-15 09:00,07-15 09:00,09-15 09:00,11-16 09:00"; got != want {
			t.Errorf("sessions = %s; want %s", got, want)
		}
		if rota.Sessions[0].MovedFrom != "2026-03-15" || len(rota.Problems) != 0 {
			t.Errorf("first session moved from %q; problems %v", rota.Sessions[0].MovedFrom, rota.Problems)
		}
		_, off := rota.Sessions[0].StartsAt.Zone()
		if off != 8*3600 {
			t.Errorf("times are not in Beijing time: %v", rota.Sessions[0].StartsAt)
		}
		// Regenerating drafts gives the same plan, not twice as many.
		if again, err := db.GenerateRota(office, w.StationA.ID, 2026); err != nil || len(again.Sessions) != 5 {
			t.Fatalf("regenerate: %v, %v", again, err)
		}
		if _, err := db.GenerateRota(office, w.StationA.ID, 2031); lianluo.ErrorField(err) != "year" {
			t.Errorf("a year without a holiday calendar: %v", err)
		}

		n, err := db.PublishRota(office, w.StationA.ID, 2026)
		if err != nil || n != 5 {
			t.Fatalf("PublishRota = %d, %v", n, err)
		}
		// DeputyA1 (phone, account) gets an SMS and an in-app notice; DeputyA2
		// (no phone, no account) reaches the station's staff instead.
		if got := countNotes(t, db, `template = 'rota_published' AND channel = 'sms'`); got != 1 {
			t.Errorf("rota SMS = %d; want 1", got)
		}
		if got := countNotes(t, db, `template = 'rota_published' AND body LIKE '请转告李秀英%'`); got != 2 {
			t.Errorf("notices through the station staff = %d; want 2 (head and liaison)", got)
		}
		if _, err := db.PublishRota(office, w.StationA.ID, 2026); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("publish twice: %v", err)
		}
		again, err := db.GenerateRota(office, w.StationA.ID, 2026)
		if err != nil || len(again.Sessions) != 5 || again.Sessions[0].Status != lianluo.ReceptionPublished {
			t.Fatalf("regenerate after publishing: %v, %v", again, err)
		}

		// The office swaps: removing a deputy leaves the session short, and CheckRota says so.
		s := again.Sessions[1]
		only := []int64{w.DeputyA1.ID}
		if _, err := db.UpdateReception(office, s.ID, lianluo.ReceptionUpdate{DeputyIDs: &only, Version: s.Version - 1}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale update: %v", err)
		}
		other := []int64{w.DeputyA1.ID, w.DeputyB.ID}
		if _, err := db.UpdateReception(office, s.ID, lianluo.ReceptionUpdate{DeputyIDs: &other, Version: s.Version}); lianluo.ErrorField(err) != "deputy_ids" {
			t.Errorf("a deputy of another station: %v", err)
		}
		if _, err := db.UpdateReception(office, s.ID, lianluo.ReceptionUpdate{DeputyIDs: &only, Version: s.Version}); err != nil {
			t.Fatal(err)
		}
		problems, err := db.CheckRota(office, w.StationA.ID, 2026)
		if err != nil || len(problems) == 0 || !strings.Contains(problems[0].Message, "05-15") && !strings.Contains(problems[0].Message, "5月15日") {
			t.Errorf("CheckRota = %v, %v", problems, err)
		}
		// Listing: in scope, filtered by time; a unit handler sees none.
		from := time.Date(2026, 5, 1, 0, 0, 0, 0, lianluo.Beijing)
		list, total, err := db.FindReceptions(office, lianluo.ReceptionFilter{StationID: w.StationA.ID, From: &from})
		if err != nil || total != 4 || len(list) != 4 {
			t.Errorf("FindReceptions from May = %d, %v", total, err)
		}
		if _, total, _ := db.FindReceptions(w.As(t, "unit"), lianluo.ReceptionFilter{}); total != 0 {
			t.Errorf("unit handler sees %d receptions", total)
		}
		if _, err := db.FindReceptionByID(w.As(t, "unit"), s.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("unit handler reads a reception: %v", err)
		}
		// The public station page sees the published ones.
		pub, err := db.PublicReceptions(context.Background(), w.StationA.ID, storetest.Now, 10)
		if err != nil || len(pub) != 5 {
			t.Errorf("PublicReceptions = %d, %v", len(pub), err)
		}
	})
}

func TestReceptionOneDeputy(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "office")
		if err := db.CreateReceptionRule(office, &lianluo.ReceptionRule{StationID: w.StationB.ID, RRule: "FREQ=MONTHLY;BYDAY=1TU", Start: "14:00", End: "16:00"}); err != nil {
			t.Fatal(err)
		}
		rota, err := db.GenerateRota(office, w.StationB.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range rota.Problems {
			if p.Code == "station_too_small" {
				found = true
			}
		}
		if !found {
			t.Errorf("problems = %v; want station_too_small", rota.Problems)
		}
		if _, err := db.PublishRota(office, w.StationB.ID, 2026); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("publish a rota of one deputy a session: %v", err)
		}
		// Without rules there is nothing to generate.
		if _, err := db.GenerateRota(office, w.StationA.ID, 2026); lianluo.ErrorField(err) != "rules" {
			t.Errorf("no rules: %v", err)
		}
	})
}

func TestReceptionSignInLeaveRecord(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		rota := wednesdays(t, db, w, true, func(r *lianluo.ReceptionRule) { r.Form, r.Theme = "theme", "老旧小区改造" })
		first, second := rota.Sessions[0], rota.Sessions[1]
		if first.StartsAt.Format("2006-01-02") != "2026-03-04" || first.Theme != "老旧小区改造" {
			t.Fatalf("first session = %+v", first)
		}
		deputy := w.As(t, "deputya")

		// Reminders: on 3/2 the 3/4 session is two days off (the three-day stage), and 3/11 is within a week.
		n, err := db.RemindReceptions(context.Background())
		if err != nil || n == 0 {
			t.Fatalf("RemindReceptions = %d, %v", n, err)
		}
		if again, _ := db.RemindReceptions(context.Background()); again != 0 {
			t.Errorf("second sweep gave %d reminders; want 0", again)
		}
		if got := countNotes(t, db, `template = 'reception_reminder' AND channel = 'sms' AND body LIKE '温馨提示：三天后%'`); got != 1 {
			t.Errorf("three-day SMS reminders = %d; want 1", got)
		}
		at(db, "2026-03-03 10:00")
		if n, _ := db.RemindReceptions(context.Background()); n != 2 {
			t.Errorf("day-before reminders = %d; want 2 (one per deputy)", n)
		}

		// Sign-in: only in the window, only on the session, only the deputy.
		at(db, "2026-03-04 08:20")
		if _, err := rec(db).SignIn(deputy, first.ID); lianluo.ErrorCode(err) != lianluo.ESTATE || !strings.Contains(lianluo.ErrorMessage(err), "08:30") {
			t.Errorf("sign in too early: %v", err)
		}
		if _, err := db.CurrentReception(deputy, w.StationB.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("sign-in code of another station: %v", err)
		}
		if _, err := rec(db).SignIn(w.As(t, "heada"), first.ID); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a non-deputy signs in: %v", err)
		}
		at(db, "2026-03-04 08:45")
		cur, err := db.CurrentReception(deputy, w.StationA.ID)
		if err != nil || cur.ID != first.ID {
			t.Fatalf("CurrentReception = %v, %v", cur, err)
		}
		r, err := rec(db).SignIn(deputy, first.ID)
		if err != nil || r.Deputies[0].Attendance != lianluo.AttendPresent || r.Deputies[0].SignedBy != "self" {
			t.Fatalf("SignIn = %+v, %v", r, err)
		}
		if _, err := rec(db).SignIn(deputy, first.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("sign in twice: %v", err)
		}
		// Staff mark the deputy without an account.
		if _, err := rec(db).MarkAttendance(w.As(t, "unit"), first.ID, w.DeputyA2.ID, lianluo.AttendPresent); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("unit marks attendance: %v", err)
		}
		if _, err := rec(db).MarkAttendance(w.As(t, "liaisona"), first.ID, w.DeputyA2.ID, lianluo.AttendPresent); err != nil {
			t.Fatal(err)
		}
		// The record: not before the start, and bad numbers are refused.
		at(db, "2026-03-04 09:30")
		second, _ = db.FindReceptionByID(office, second.ID)
		if _, err := db.RecordReception(office, second.ID, second.Version, lianluo.ReceptionRecord{Visitors: 3}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("record before the start: %v", err)
		}
		r, _ = db.FindReceptionByID(office, first.ID)
		if _, err := db.RecordReception(office, first.ID, r.Version, lianluo.ReceptionRecord{Visitors: 2, Satisfied: 5}); lianluo.ErrorField(err) != "satisfied" {
			t.Errorf("more ratings than visitors: %v", err)
		}
		r, err = db.RecordReception(w.As(t, "liaisona"), first.ID, r.Version, lianluo.ReceptionRecord{Visitors: 6, Minutes: "接待群众6人，反映加装电梯等问题。", Satisfied: 5, BasicallySatisfied: 1})
		if err != nil || r.Record == nil || r.Record.Visitors != 6 {
			t.Fatalf("RecordReception = %+v, %v", r, err)
		}
		at(db, "2026-03-04 11:30")
		if _, err := rec(db).SignIn(deputy, first.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("sign in after the end: %v", err)
		}

		// Leave for the next session: asked once, approved by the head, not by a liaison.
		if _, err := rec(db).RequestLeave(deputy, second.ID, " "); lianluo.ErrorField(err) != "reason" {
			t.Errorf("leave without a reason: %v", err)
		}
		if _, err := rec(db).RequestLeave(deputy, second.ID, "在外地参加培训"); err != nil {
			t.Fatal(err)
		}
		if _, err := rec(db).RequestLeave(deputy, second.ID, "再请一次"); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("leave twice: %v", err)
		}
		if _, err := rec(db).DecideLeave(w.As(t, "liaisona"), second.ID, w.DeputyA1.ID, true); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a liaison approves leave: %v", err)
		}
		r, err = rec(db).DecideLeave(w.As(t, "heada"), second.ID, w.DeputyA1.ID, true)
		if err != nil || r.Deputies[0].Attendance != lianluo.AttendLeave || r.Deputies[0].LeaveStatus != lianluo.LeaveApproved {
			t.Fatalf("DecideLeave = %+v, %v", r, err)
		}

		// Attendance after the second session has passed: A1 present once and on leave once.
		at(db, "2026-03-11 12:00")
		rows, err := db.Attendance(office, lianluo.AttendanceFilter{Year: 2026, StationID: w.StationA.ID})
		if err != nil || len(rows) != 2 {
			t.Fatalf("Attendance = %v, %v", rows, err)
		}
		a1 := rows[0]
		if a1.DeputyID != w.DeputyA1.ID || a1.Scheduled != 2 || a1.Present != 1 || a1.Leave != 1 || a1.Rate() != 50 {
			t.Errorf("A1 attendance = %+v", a1)
		}
		if a2 := rows[1]; a2.Present != 1 || a2.Absent != 1 {
			t.Errorf("A2 attendance = %+v", a2)
		}

		// Calendar feeds: the deputy's own link; not another's.
		token, err := db.FeedToken(deputy, "deputy", w.DeputyA1.ID)
		if err != nil || len(token) != 40 {
			t.Fatalf("FeedToken = %q, %v", token, err)
		}
		if again, _ := db.FeedToken(deputy, "deputy", w.DeputyA1.ID); again != token {
			t.Errorf("a second FeedToken gave another token")
		}
		if _, err := db.FeedToken(deputy, "deputy", w.DeputyA2.ID); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN && lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("another deputy's feed: %v", err)
		}
		feed, err := db.Feed(context.Background(), token)
		if err != nil || feed.Name != "王建国的代表活动" || len(feed.Events) < 40 {
			t.Fatalf("Feed = %v events, %v", feed, err)
		}
		if _, err := db.Feed(context.Background(), strings.Repeat("0", 40)); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("a wrong feed token: %v", err)
		}
	})
}

func TestUnavailability(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		deputy := w.As(t, "deputya")
		u := &lianluo.Unavailability{DeputyID: w.DeputyA1.ID, From: "2026-03-01", To: "2026-06-30", Reason: "外出学习"}
		if err := db.AddUnavailability(deputy, u); err != nil {
			t.Fatal(err)
		}
		if err := db.AddUnavailability(deputy, &lianluo.Unavailability{DeputyID: w.DeputyA1.ID, From: "2026-07-01", To: "2026-06-01"}); lianluo.ErrorField(err) != "to" {
			t.Errorf("to before from: %v", err)
		}
		if err := db.AddUnavailability(deputy, &lianluo.Unavailability{DeputyID: w.DeputyA2.ID, From: "2026-07-01", To: "2026-07-02"}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN && lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("for another deputy: %v", err)
		}
		office := w.As(t, "officea")
		if err := db.CreateReceptionRule(office, &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;BYMONTHDAY=10", Start: "09:00", End: "11:00"}); err != nil {
			t.Fatal(err)
		}
		rota, err := db.GenerateRota(office, w.StationA.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		// A1 is away until July: the March–June sessions are one deputy short, and said so.
		for _, s := range rota.Sessions {
			if s.StartsAt.Month() <= 6 && len(s.DeputyIDs) != 1 {
				t.Errorf("session %s: %v", s.StartsAt.Format("01-02"), s.DeputyIDs)
			}
		}
		if len(rota.Problems) == 0 {
			t.Error("no problems reported for understaffed sessions")
		}
		list, err := db.FindUnavailability(office, w.DeputyA1.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("FindUnavailability = %v, %v", list, err)
		}
		if err := db.DeleteUnavailability(deputy, list[0].ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestCaseInReception(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		rota := wednesdays(t, db, w, false)
		rid := rota.Sessions[0].ID
		in := lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "电梯加装", Content: "老小区想加装电梯，请帮助协调。",
			RegionCode: "330206004", ReceptionID: &rid}
		if _, err := db.CreateCase(w.As(t, "liaisona"), in); lianluo.ErrorField(err) != "reception_id" {
			t.Errorf("a case in a draft reception: %v", err)
		}
		if _, err := db.PublishRota(office, w.StationA.ID, 2026); err != nil {
			t.Fatal(err)
		}
		c, err := db.CreateCase(w.As(t, "liaisona"), in)
		if err != nil || c.ReceptionID == nil || *c.ReceptionID != rid {
			t.Fatalf("CreateCase in a reception = %+v, %v", c, err)
		}
		r, _ := db.FindReceptionByID(office, rid)
		if len(r.CaseIDs) != 1 || r.CaseIDs[0] != c.ID {
			t.Errorf("reception cases = %v", r.CaseIDs)
		}
		in.StationID = &w.StationB.ID
		in.RegionCode = "330206003"
		if _, err := db.CreateCase(w.As(t, "office"), in); lianluo.ErrorField(err) != "reception_id" {
			t.Errorf("a case at another station's reception: %v", err)
		}
	})
}
