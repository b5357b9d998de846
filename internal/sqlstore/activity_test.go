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

// mustGroup makes a deputy group of town A with both its deputies, led by
// DeputyA1 (the user deputya) when lead is true, else by DeputyA2.
func mustGroup(t *testing.T, db *sqlstore.DB, w *storetest.World, lead bool) *lianluo.DeputyGroup {
	t.Helper()
	office := w.As(t, "officea")
	leader := w.DeputyA2.ID
	if lead {
		leader = w.DeputyA1.ID
	}
	g := &lianluo.DeputyGroup{Name: "大碶第一代表小组", OrgID: w.TownA.ID, RegionCode: "330206004", StationID: &w.StationA.ID, LeaderID: &leader}
	if err := db.CreateGroup(office, g); err != nil {
		t.Fatalf("CreateGroup: %v", err)
	}
	for _, d := range []*lianluo.Deputy{w.DeputyA1, w.DeputyA2} {
		cur, err := db.FindDeputyByID(office, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateDeputy(office, d.ID, lianluo.DeputyUpdate{GroupID: &g.ID, Version: cur.Version}); err != nil {
			t.Fatalf("UpdateDeputy(group): %v", err)
		}
	}
	return g
}

func TestActivityNotice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		at(db, "2026-05-01 09:00")

		for _, tc := range []struct {
			name  string
			in    lianluo.ActivityInput
			code  string
			field string
		}{
			{"no kind", lianluo.ActivityInput{Title: "视察", StationID: &w.StationA.ID, StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}, lianluo.EINVALID, "kind"},
			{"no title", lianluo.ActivityInput{Kind: "inspection", StationID: &w.StationA.ID, StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}, lianluo.EINVALID, "title"},
			{"no station", lianluo.ActivityInput{Kind: "inspection", Title: "视察", StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}, lianluo.EINVALID, "station_id"},
			{"group meeting without group", lianluo.ActivityInput{Kind: "group_meeting", Title: "小组活动", StationID: &w.StationA.ID, StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}, lianluo.EINVALID, "group_id"},
			{"bad time", lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID, StartsAt: "5月20日", EndsAt: "2026-05-20T11:00"}, lianluo.EINVALID, "starts_at"},
			{"ends first", lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID, StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T08:00"}, lianluo.EINVALID, "ends_at"},
			{"under way", lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID, StartsAt: "2026-05-01T08:00", EndsAt: "2026-05-01T11:00"}, lianluo.EINVALID, "starts_at"},
			{"other town", lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationB.ID, StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}, lianluo.EINVALID, "station_id"},
			{"stranger invited", lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID, StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00", DeputyIDs: []int64{w.DeputyB.ID}}, lianluo.EINVALID, "deputy_ids"},
		} {
			_, err := db.CreateActivity(office, tc.in)
			if lianluo.ErrorCode(err) != tc.code || lianluo.ErrorField(err) != tc.field {
				t.Errorf("CreateActivity(%s) = %v; want %s %s", tc.name, err, tc.code, tc.field)
			}
		}
		if _, err := db.CreateActivity(w.As(t, "liaisona"), lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID,
			StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a liaison creates an activity: %v", err)
		}

		// 003: a week's notice. Six days ahead is too late.
		x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "inspection", Title: "视察老旧小区改造", StationID: &w.StationA.ID,
			StartsAt: "2026-05-07T09:00+08:00", EndsAt: "2026-05-07T11:30+08:00"})
		if err != nil {
			t.Fatalf("CreateActivity: %v", err)
		}
		if got, want := len(x.DeputyIDs), 2; got != want || x.Status != lianluo.ActivityDraft || !strings.Contains(x.Place, "庐山西路") {
			t.Errorf("new activity: %d invitees (want %d, the station's deputies), %s, place %q", got, want, x.Status, x.Place)
		}
		_, err = db.PublishActivity(office, x.ID, x.Version)
		if lianluo.ErrorField(err) != "starts_at" || !strings.Contains(lianluo.ErrorMessage(err), "7天") {
			t.Errorf("publish 6 days ahead: %v; want a starts_at error naming 7天", err)
		}
		if cur, _ := db.FindActivityByID(office, x.ID); cur.Status != lianluo.ActivityDraft || cur.Version != x.Version {
			t.Errorf("after a refused publish: %s v%d", cur.Status, cur.Version)
		}
		if n := countNotes(t, db, `template = 'activity_published'`); n != 0 {
			t.Errorf("notices after a refused publish = %d", n)
		}

		// A stale version is refused; moving it to eight days ahead passes.
		later := "2026-05-09T09:00+08:00"
		if _, err := db.UpdateActivity(office, x.ID, lianluo.ActivityUpdate{StartsAt: &later, Version: x.Version + 1}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale update: %v", err)
		}
		end := "2026-05-09T11:30+08:00"
		x, err = db.UpdateActivity(office, x.ID, lianluo.ActivityUpdate{StartsAt: &later, EndsAt: &end, Version: x.Version})
		if err != nil {
			t.Fatalf("UpdateActivity: %v", err)
		}
		if _, err := db.PublishActivity(office, x.ID, x.Version-1); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale publish: %v", err)
		}
		x, err = db.PublishActivity(office, x.ID, x.Version)
		if err != nil || x.Status != lianluo.ActivityPublished {
			t.Fatalf("PublishActivity = %v, %v", x, err)
		}
		// DeputyA1 (phone, account) gets an SMS and in-app; DeputyA2 (neither) reaches the station staff.
		if got := countNotes(t, db, `template = 'activity_published' AND channel = 'sms'`); got != 1 {
			t.Errorf("publish SMS = %d; want 1", got)
		}
		if got := countNotes(t, db, `template = 'activity_published' AND body LIKE '请转告李秀英%'`); got != 2 {
			t.Errorf("notices through the station staff = %d; want 2", got)
		}
		if _, err := db.PublishActivity(office, x.ID, 0); lianluo.ErrorField(err) != "version" {
			t.Errorf("publish without a version: %v", err)
		}
		if _, err := db.PublishActivity(office, x.ID, x.Version); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("publish twice: %v", err)
		}
		// Moving a published activity keeps the notice rule.
		soon := "2026-05-03T09:00+08:00"
		if _, err := db.UpdateActivity(office, x.ID, lianluo.ActivityUpdate{StartsAt: &soon, Version: x.Version}); lianluo.ErrorField(err) != "starts_at" {
			t.Errorf("moving a published activity too close: %v", err)
		}
		pub, err := db.PublicActivities(context.Background(), w.StationA.ID, time.Now().AddDate(-1, 0, 0), 5)
		if err != nil || len(pub) != 1 || pub[0].ID != x.ID {
			t.Errorf("PublicActivities = %v, %v", pub, err)
		}

		// 003 代表小组活动制度: three days for a group meeting.
		g := mustGroup(t, db, w, false)
		gm, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "group_meeting", Title: "小组学习代表法", GroupID: &g.ID,
			StartsAt: "2026-05-03T14:00", EndsAt: "2026-05-03T16:00"})
		if err != nil {
			t.Fatalf("CreateActivity(group_meeting): %v", err)
		}
		if gm.StationID == nil || *gm.StationID != w.StationA.ID || len(gm.DeputyIDs) != 2 {
			t.Errorf("group meeting: station %v, invitees %v; want the group's station and members", gm.StationID, gm.DeputyIDs)
		}
		if _, err := db.PublishActivity(office, gm.ID, gm.Version); lianluo.ErrorField(err) != "starts_at" || !strings.Contains(lianluo.ErrorMessage(err), "3天") {
			t.Errorf("group meeting 2 days ahead: %v", err)
		}
		s, e := "2026-05-04T14:00", "2026-05-04T16:00"
		gm, err = db.UpdateActivity(office, gm.ID, lianluo.ActivityUpdate{StartsAt: &s, EndsAt: &e, Version: gm.Version})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishActivity(office, gm.ID, gm.Version); err != nil {
			t.Errorf("group meeting 3 days ahead: %v", err)
		}

		// Moved after its reminder, it is reminded again for the new day.
		at(db, "2026-05-08 10:00")
		if n, err := db.RemindActivities(context.Background()); err != nil || n != 2 {
			t.Errorf("RemindActivities the day before = %d, %v; want 2", n, err)
		}
		x, _ = db.FindActivityByID(office, x.ID)
		moved, movedEnd := "2026-05-16T09:00", "2026-05-16T11:00"
		if _, err := db.UpdateActivity(office, x.ID, lianluo.ActivityUpdate{StartsAt: &moved, EndsAt: &movedEnd, Version: x.Version}); err != nil {
			t.Fatal(err)
		}
		if n, err := db.RemindActivities(context.Background()); err != nil || n != 0 {
			t.Errorf("RemindActivities right after the move = %d, %v; want 0", n, err)
		}
		at(db, "2026-05-15 10:00")
		if n, err := db.RemindActivities(context.Background()); err != nil || n != 2 {
			t.Errorf("RemindActivities the day before the new day = %d, %v; want 2", n, err)
		}
	})
}

func TestActivityScope(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-05-01 09:00")
		// The district office organises one at town B's station.
		b, err := db.CreateActivity(w.As(t, "office"), lianluo.ActivityInput{Kind: "research", Title: "调研港区交通", StationID: &w.StationB.ID,
			StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.CreateActivity(w.As(t, "officea"), lianluo.ActivityInput{Kind: "study", Title: "学习监督法", StationID: &w.StationA.ID,
			StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00", DeputyIDs: []int64{w.DeputyA2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"officea", "heada", "liaisona", "deputya", "unit"} {
			if _, err := db.FindActivityByID(w.As(t, who), b.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Errorf("%s reads another town's activity: %v", who, err)
			}
		}
		if _, err := db.FindActivityByID(w.As(t, "office"), a.ID); err != nil {
			t.Errorf("the district reads a town's activity: %v", err)
		}
		// A deputy sees only what they are invited to: deputya is not on a.
		if _, err := db.FindActivityByID(w.As(t, "deputya"), a.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("an uninvited deputy reads an activity: %v", err)
		}
		list, total, err := db.FindActivities(w.As(t, "officea"), lianluo.ActivityFilter{Page: lianluo.Page{Page: 1, PerPage: 10}})
		if err != nil || total != 1 || list[0].ID != a.ID {
			t.Errorf("FindActivities(officea) = %v, %d, %v", list, total, err)
		}
		if _, _, err := db.FindActivities(w.As(t, "officea"), lianluo.ActivityFilter{Kind: "party"}); lianluo.ErrorField(err) != "kind" {
			t.Errorf("bad kind filter: %v", err)
		}
		// Leave and sign-in by a deputy not invited; leave by staff.
		if _, err := db.PublishActivity(w.As(t, "officea"), a.ID, a.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := act(db).RequestLeave(w.As(t, "deputya"), a.ID, "出差"); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("leave by a deputy not invited: %v", err)
		}
		if _, err := act(db).RequestLeave(w.As(t, "heada"), a.ID, "出差"); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("leave by the head (not a deputy on it): %v", err)
		}
		at(db, "2026-05-20 09:10")
		if _, err := act(db).SignIn(w.As(t, "deputya"), a.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("sign-in by a deputy not invited: %v", err)
		}
		// A linked case must be in the caller's scope.
		c, err := db.CreateCase(w.As(t, "office"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationB.ID, Title: "港区道路积水",
			Content: "雨天道路积水严重。", RegionCode: "330206003"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := act(db).LinkCase(w.As(t, "liaisona"), a.ID, c.ID); lianluo.ErrorField(err) != "case_id" {
			t.Errorf("linking a case out of scope: %v", err)
		}
		// Nor one registered at another station than the activity's (CheckLinkCase).
		if _, err := act(db).LinkCase(w.As(t, "office"), a.ID, c.ID); lianluo.ErrorField(err) != "case_id" || !strings.Contains(lianluo.ErrorMessage(err), "本站") {
			t.Errorf("linking another station's case: %v", err)
		}
		own, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "学习会上反映路灯不亮",
			Content: "村口路灯坏了一个月。", RegionCode: w.StationA.RegionCode})
		if err != nil {
			t.Fatal(err)
		}
		if x, err := act(db).LinkCase(w.As(t, "office"), a.ID, own.ID); err != nil || len(x.CaseIDs) != 1 {
			t.Errorf("LinkActivityCase = %v, %v", x, err)
		}
		if _, err := act(db).LinkCase(w.As(t, "office"), a.ID, own.ID); lianluo.ErrorField(err) != "case_id" {
			t.Errorf("linking a case twice: %v", err)
		}
	})
}

func TestActivityAttendance(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		deputy := w.As(t, "deputya")
		at(db, "2026-05-01 09:00")
		x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "inspection", Title: "视察老旧小区改造", StationID: &w.StationA.ID,
			StartsAt: "2026-05-09T09:00", EndsAt: "2026-05-09T11:30"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := act(db).RequestLeave(deputy, x.ID, "出差"); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("leave on a draft: %v", err)
		}
		if x, err = db.PublishActivity(office, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		g := mustGroup(t, db, w, false)
		gm, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "group_meeting", Title: "小组学习代表法", GroupID: &g.ID,
			StartsAt: "2026-05-05T14:00", EndsAt: "2026-05-05T16:00"})
		if err != nil {
			t.Fatal(err)
		}
		if gm, err = db.PublishActivity(office, gm.ID, gm.Version); err != nil {
			t.Fatal(err)
		}

		// deputya asks leave from the group meeting; only the group's
		// leader or the office decides, not the station's staff.
		if _, err := act(db).RequestLeave(deputy, gm.ID, " "); lianluo.ErrorField(err) != "reason" {
			t.Errorf("leave without a reason: %v", err)
		}
		if _, err := act(db).RequestLeave(deputy, gm.ID, "外出学习"); err != nil {
			t.Fatalf("RequestActivityLeave: %v", err)
		}
		if _, err := act(db).RequestLeave(deputy, gm.ID, "外出学习"); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("leave twice: %v", err)
		}
		for _, who := range []string{"liaisona", "heada", "deputya"} {
			if _, err := act(db).DecideLeave(w.As(t, who), gm.ID, w.DeputyA1.ID, true); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
				t.Errorf("%s decides leave: %v", who, err)
			}
		}
		gm, err = act(db).DecideLeave(office, gm.ID, w.DeputyA1.ID, true)
		if err != nil || gm.Deputies[0].Attendance != lianluo.AttendLeave {
			t.Fatalf("DecideActivityLeave = %+v, %v", gm, err)
		}
		if _, err := act(db).DecideLeave(office, gm.ID, w.DeputyA1.ID, true); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("decide twice: %v", err)
		}

		// The day-before reminder, once, not to a deputy on leave.
		at(db, "2026-05-04 15:00")
		n, err := db.RemindActivities(context.Background())
		if err != nil || n != 1 {
			t.Errorf("RemindActivities = %d, %v; want 1 (DeputyA2 only: DeputyA1 is on leave; the inspection is days away)", n, err)
		}
		if again, err := db.RemindActivities(context.Background()); err != nil || again != 0 {
			t.Errorf("RemindActivities again = %d, %v; want 0", again, err)
		}
		at(db, "2026-05-08 10:00")
		if n, err := db.RemindActivities(context.Background()); err != nil || n != 2 {
			t.Errorf("RemindActivities the day before the inspection = %d, %v; want 2", n, err)
		}
		if got := countNotes(t, db, `template = 'activity_reminder' AND channel = 'sms'`); got != 1 {
			t.Errorf("reminder SMS = %d; want 1 (DeputyA1, the inspection)", got)
		}

		// Sign-in: only in the window.
		at(db, "2026-05-09 08:20")
		if _, err := act(db).SignIn(deputy, x.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("sign-in 40 minutes early: %v", err)
		}
		at(db, "2026-05-09 08:40")
		if _, err := act(db).SignIn(w.As(t, "liaisona"), x.ID); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("sign-in by staff: %v", err)
		}
		if x, err = act(db).SignIn(deputy, x.ID); err != nil || x.Deputies[0].Attendance != lianluo.AttendPresent {
			t.Fatalf("ActivitySignIn = %+v, %v", x, err)
		}
		if _, err := act(db).SignIn(deputy, x.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("sign-in twice: %v", err)
		}
		if _, err := act(db).RequestLeave(deputy, x.ID, "临时有事"); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("leave after signing in: %v", err)
		}
		if _, err := act(db).MarkAttendance(w.As(t, "liaisona"), x.ID, w.DeputyA2.ID, lianluo.AttendLeave); lianluo.ErrorField(err) != "attendance" {
			t.Errorf("staff mark leave: %v", err)
		}
		if _, err := act(db).MarkAttendance(w.As(t, "liaisona"), x.ID, w.DeputyB.ID, lianluo.AttendPresent); lianluo.ErrorField(err) != "deputy_id" {
			t.Errorf("mark a deputy not invited: %v", err)
		}
		if _, err := act(db).MarkAttendance(w.As(t, "liaisona"), x.ID, w.DeputyA2.ID, lianluo.AttendAbsent); err != nil {
			t.Errorf("MarkActivityAttendance: %v", err)
		}
		at(db, "2026-05-09 11:31")
		if _, err := act(db).SignIn(deputy, x.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("sign-in after the end: %v", err)
		}

		// The record: stale version, no minutes, then done.
		x, _ = db.FindActivityByID(office, x.ID)
		rec := lianluo.ActivityRecord{Minutes: "视察了三个小区的改造现场。", Outcomes: "建议加快雨污分流进度。"}
		if _, err := db.RecordActivity(w.As(t, "liaisona"), x.ID, x.Version-1, rec); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale record: %v", err)
		}
		if _, err := db.RecordActivity(w.As(t, "liaisona"), x.ID, x.Version, lianluo.ActivityRecord{}); lianluo.ErrorField(err) != "minutes" {
			t.Errorf("record without minutes: %v", err)
		}
		if x, err = db.RecordActivity(w.As(t, "liaisona"), x.ID, x.Version, rec); err != nil || x.Status != lianluo.ActivityDone || x.Record == nil {
			t.Fatalf("RecordActivity = %+v, %v", x, err)
		}
		if err := act(db).AddPhoto(w.As(t, "liaisona"), x.ID, []byte("not an image at all")); lianluo.ErrorField(err) != "photo" {
			t.Errorf("a photo that is not an image: %v", err)
		}
		if err := act(db).AddPhoto(w.As(t, "liaisona"), x.ID, pngBytes(t)); err != nil {
			t.Errorf("AddActivityPhoto: %v", err)
		}
		if p, err := act(db).Photo(office, x.ID, 1); err != nil || p.ContentType != "image/png" {
			t.Errorf("ActivityPhoto = %v, %v", p, err)
		}
		if _, err := act(db).Cancel(office, x.ID, 0); lianluo.ErrorField(err) != "version" {
			t.Errorf("cancel without a version: %v", err)
		}
		if done, err := db.FindActivityByID(office, x.ID); err != nil {
			t.Fatal(err)
		} else if _, err := act(db).Cancel(office, x.ID, done.Version); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("cancel a done activity: %v", err)
		}

		// Counts: DeputyA1 present at the inspection and on leave from the
		// meeting; DeputyA2 absent from both (the meeting never marked).
		at(db, "2026-06-01 09:00")
		rows, err := db.Attendance(office, lianluo.AttendanceFilter{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]lianluo.AttendanceRow{}
		for _, r := range rows {
			got[r.DeputyID] = r
		}
		if r := got[w.DeputyA1.ID]; r.Activities != 2 || r.ActivitiesPresent != 1 || r.ActivitiesLeave != 1 || r.ActivitiesAbsent != 0 {
			t.Errorf("DeputyA1 = %+v; want 2 activities, 1 present, 1 leave", r)
		}
		if r := got[w.DeputyA2.ID]; r.Activities != 2 || r.ActivitiesPresent != 0 || r.ActivitiesAbsent != 2 {
			t.Errorf("DeputyA2 = %+v; want 2 activities, 2 absent", r)
		}

		// A deputy whose leave was approved and who comes after all signs
		// in; the approved leave stays on record (lianluo.CheckSignIn).
		at(db, "2026-05-05 14:10")
		if gm, err = act(db).SignIn(deputy, gm.ID); err != nil || gm.Deputies[0].Attendance != lianluo.AttendPresent ||
			gm.Deputies[0].LeaveStatus != lianluo.LeaveApproved {
			t.Errorf("sign-in on approved leave = %+v, %v; want present, the leave kept", gm, err)
		}

		// The deputy's calendar feed lists both.
		token, err := db.FeedToken(deputy, "deputy", w.DeputyA1.ID)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := db.Feed(context.Background(), token)
		if err != nil {
			t.Fatal(err)
		}
		n = 0
		for _, e := range feed.Events {
			if strings.HasPrefix(e.UID, "activity-") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("feed activity events = %d; want 2 (%v)", n, feed.Events)
		}
		// The station's feed lists its activities, the group meeting held there too.
		token, err = db.FeedToken(office, "station", w.StationA.ID)
		if err != nil {
			t.Fatal(err)
		}
		if feed, err = db.Feed(context.Background(), token); err != nil {
			t.Fatal(err)
		}
		var summaries []string
		for _, e := range feed.Events {
			if strings.HasPrefix(e.UID, "activity-") {
				summaries = append(summaries, e.Summary)
			}
		}
		if got, want := strings.Join(summaries, ","), "代表小组活动：小组学习代表法,视察：视察老旧小区改造"; got != want {
			t.Errorf("station feed activities = %s; want %s", got, want)
		}
	})
}

func TestActivityGroupLeader(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-05-01 09:00")
		g := mustGroup(t, db, w, true)
		leader := w.As(t, "deputya")
		// 003: the group leader convenes the meeting and gives notice.
		gm, err := db.CreateActivity(leader, lianluo.ActivityInput{Kind: "group_meeting", Title: "小组座谈", GroupID: &g.ID,
			StartsAt: "2026-05-10T14:00", EndsAt: "2026-05-10T16:00"})
		if err != nil {
			t.Fatalf("group leader creates a meeting: %v", err)
		}
		if _, err := db.PublishActivity(leader, gm.ID, gm.Version); err != nil {
			t.Errorf("group leader publishes: %v", err)
		}
		if _, err := db.CreateActivity(leader, lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID,
			StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a deputy creates a station activity: %v", err)
		}
	})
}

// An activity held before it was entered (补录 from the paper ledger) is
// created as a draft, cannot be published, and is done once recorded.
func TestActivityEnteredAfterwards(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		at(db, "2026-05-01 09:00")
		x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "study", Title: "学习代表法", StationID: &w.StationA.ID,
			StartsAt: "2026-04-20T09:00", EndsAt: "2026-04-20T11:00"})
		if err != nil {
			t.Fatalf("CreateActivity(past): %v", err)
		}
		if _, err := db.PublishActivity(office, x.ID, x.Version); lianluo.ErrorField(err) != "starts_at" {
			t.Errorf("publishing a past activity: %v", err)
		}
		if _, err := act(db).MarkAttendance(office, x.ID, w.DeputyA1.ID, lianluo.AttendPresent); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("attendance on a draft: %v", err)
		}
		x, err = db.RecordActivity(office, x.ID, x.Version, lianluo.ActivityRecord{Minutes: "集中学习代表法。"})
		if err != nil || x.Status != lianluo.ActivityDone {
			t.Fatalf("RecordActivity(past draft) = %v, %v", x, err)
		}
		if _, err := act(db).MarkAttendance(office, x.ID, w.DeputyA1.ID, lianluo.AttendPresent); err != nil {
			t.Errorf("attendance after recording: %v", err)
		}
		// A future draft cannot be recorded.
		y, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "study", Title: "学习监督法", StationID: &w.StationA.ID,
			StartsAt: "2026-05-20T09:00", EndsAt: "2026-05-20T11:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordActivity(office, y.ID, y.Version, lianluo.ActivityRecord{Minutes: "x"}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("recording a future draft: %v", err)
		}
	})
}

// TestActivityYear: the activity norm of 003 counted per station and quarter.
func TestActivityYear(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		office := w.As(t, "officea")
		at(db, "2026-05-01 09:00")
		// Held in February, entered afterwards (补录) and recorded.
		past, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "study", Title: "学习代表法", StationID: &w.StationA.ID,
			StartsAt: "2026-02-10T09:00", EndsAt: "2026-02-10T11:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordActivity(office, past.ID, past.Version, lianluo.ActivityRecord{Minutes: "集体学习"}); err != nil {
			t.Fatal(err)
		}
		// Noticed in May for June; one of two deputies comes.
		june, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "inspection", Title: "视察", StationID: &w.StationA.ID,
			StartsAt: "2026-06-20T09:00", EndsAt: "2026-06-20T11:00"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishActivity(office, june.ID, june.Version); err != nil {
			t.Fatal(err)
		}
		// Cancelled and draft activities do not count.
		if _, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "forum", Title: "座谈", StationID: &w.StationA.ID,
			StartsAt: "2026-06-10T09:00", EndsAt: "2026-06-10T11:00"}); err != nil {
			t.Fatal(err)
		}
		before, err := db.ActivityYear(office, 2026, "")
		if err != nil || len(before) != 1 || before[0].Held != 1 || before[0].Quarters != [4]int{1, 0, 0, 0} {
			t.Fatalf("ActivityYear in May = %+v, %v", before, err)
		}
		at(db, "2026-06-20 10:00")
		if _, err := act(db).MarkAttendance(office, june.ID, w.DeputyA1.ID, lianluo.AttendPresent); err != nil {
			t.Fatal(err)
		}
		at(db, "2026-07-02 09:00")
		got, err := db.ActivityYear(office, 2026, "")
		if err != nil || len(got) != 1 {
			t.Fatalf("ActivityYear = %+v, %v", got, err)
		}
		y := got[0]
		if y.StationID != w.StationA.ID || y.Held != 2 || y.Quarters != [4]int{1, 1, 0, 0} || y.Invitations != 4 || y.Present != 1 || y.Rate() != 25 {
			t.Errorf("station A in 2026 = %+v (rate %d)", y, y.Rate())
		}
		if s := y.Shortfalls(2); len(s) != 1 || !strings.Contains(s[0], "参与率25%") {
			t.Errorf("shortfalls after two quarters = %q", s)
		}
		if s := y.Shortfalls(4); len(s) != 4 {
			t.Errorf("shortfalls of a whole year = %q; want 全年, 三, 四 and 参与率", s)
		}
		// The administrator sees every station; another year is empty.
		all, err := db.ActivityYear(w.As(t, "admin"), 2026, "")
		if err != nil || len(all) < 2 {
			t.Errorf("admin = %+v, %v", all, err)
		}
		if other, err := db.ActivityYear(office, 2025, ""); err != nil || other[0].Held != 0 {
			t.Errorf("2025 = %+v, %v", other, err)
		}
		for _, tc := range []struct {
			year   int
			region string
			field  string
		}{{1999, "", "year"}, {2026, "abc", "region"}} {
			if _, err := db.ActivityYear(office, tc.year, tc.region); lianluo.ErrorField(err) != tc.field {
				t.Errorf("ActivityYear(%d, %q) = %v; want an error on %s", tc.year, tc.region, err, tc.field)
			}
		}
		// Another town's region gives nothing of town A's.
		if b, err := db.ActivityYear(office, 2026, "330206003"); err != nil || len(b) != 0 {
			t.Errorf("town A's office asks for 小港 = %+v, %v", b, err)
		}
	})
}
