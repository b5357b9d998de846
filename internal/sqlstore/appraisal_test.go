package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// appraisalWorld is the World with a second district unit and its handler
// (unit2), and a town office of 小港 (officeb).
func appraisalWorld(t *testing.T, db *sqlstore.DB) (*storetest.World, *lianluo.Org) {
	t.Helper()
	w := storetest.MustWorld(t, db)
	ctx := storetest.SystemContext()
	u2 := &lianluo.Org{Kind: "unit", Name: "区交通运输局", RegionCode: "330206"}
	if err := db.CreateOrg(ctx, u2); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*lianluo.User{
		{Username: "unit2", Password: storetest.Password, DisplayName: "交通局经办人", Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &u2.ID}}},
		{Username: "officeb", Password: storetest.Password, DisplayName: "小港人大办", Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &w.TownB.ID}}},
	} {
		storetest.MustCreateUser(t, db, ctx, u)
		w.Users[u.Username] = u
	}
	return w, u2
}

func beijingAt(day string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02 15:04", day, lianluo.Beijing)
	return d
}

func TestAppraisalSteps(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, u2 := appraisalWorld(t, db)
		clock := storetest.ClockOf(db)
		clock.SetTime(beijingAt("2026-11-01 09:00"))
		office := w.As(t, "office")

		in := lianluo.AppraisalInput{OrgID: w.District.ID, Year: 2026, Title: "2026年度部门工作评议", UnitIDs: []int64{w.Unit.ID, u2.ID}, ScheduledOn: "2026-06-15"}
		// 003: in the fourth quarter; June only with a reason, which is kept.
		if _, err := db.CreateAppraisal(office, in); lianluo.ErrorField(err) != "scheduled_on" {
			t.Fatalf("CreateAppraisal(June) = %v; want a field error on scheduled_on", err)
		}
		in.ScheduleReason = "年底集中换届，提前至六月"
		june, err := db.CreateAppraisal(office, in)
		if err != nil || june.ScheduleReason != in.ScheduleReason || june.Status != lianluo.AppraisalPlanned {
			t.Fatalf("CreateAppraisal(June, reason) = %+v, %v", june, err)
		}
		in.ScheduledOn, in.ScheduleReason = "2026-11-20", ""
		p, err := db.CreateAppraisal(office, in)
		if err != nil || len(p.Units) != 2 || p.Next != lianluo.StepCollect || !p.CanManage || p.Version != 1 {
			t.Fatalf("CreateAppraisal = %+v, %v", p, err)
		}
		for _, tc := range []struct {
			who   string
			in    lianluo.AppraisalInput
			code  string
			field string
		}{
			{"officea", in, lianluo.EINVALID, "org_id"}, // the district body is beyond a town office
			{"leader", in, lianluo.EFORBIDDEN, ""},
			{"deputya", in, lianluo.EFORBIDDEN, ""},
			{"unit", in, lianluo.EFORBIDDEN, ""},
			{"officea", lianluo.AppraisalInput{OrgID: w.TownA.ID, Year: 2026, Title: "评议", UnitIDs: []int64{w.Unit.ID}, ScheduledOn: "2026-11-20"}, lianluo.EINVALID, "unit_ids"},
			{"office", lianluo.AppraisalInput{OrgID: w.District.ID, Year: 2026, Title: "评议", UnitIDs: []int64{w.TownA.ID}, ScheduledOn: "2026-11-20"}, lianluo.EINVALID, "unit_ids"},
		} {
			if _, err := db.CreateAppraisal(w.As(t, tc.who), tc.in); lianluo.ErrorCode(err) != tc.code || lianluo.ErrorField(err) != tc.field {
				t.Errorf("CreateAppraisal by %s = %v; want %s %s", tc.who, err, tc.code, tc.field)
			}
		}

		act, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "appraisal", Title: "部门工作评议会", StationID: &w.StationA.ID,
			StartsAt: "2026-11-20T09:00", EndsAt: "2026-11-20T11:30"})
		if err != nil {
			t.Fatal(err)
		}
		forum, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "forum", Title: "座谈", StationID: &w.StationA.ID,
			StartsAt: "2026-11-20T14:00", EndsAt: "2026-11-20T16:00"})
		if err != nil {
			t.Fatal(err)
		}
		clock.SetTime(beijingAt("2026-11-23 09:00"))
		step := func(who string, s lianluo.AppraisalStepInput) (*lianluo.Appraisal, error) {
			return db.RecordStep(w.As(t, who), p.ID, s)
		}
		both := func(f func(id int64) lianluo.AppraisalStepUnit) []lianluo.AppraisalStepUnit {
			return []lianluo.AppraisalStepUnit{f(w.Unit.ID), f(u2.ID)}
		}
		reports := both(func(id int64) lianluo.AppraisalStepUnit {
			return lianluo.AppraisalStepUnit{UnitID: id, Report: "本年度工作情况汇报"}
		})
		// Out of order, stale, without permission: refused, nothing written.
		for _, tc := range []struct {
			who   string
			in    lianluo.AppraisalStepInput
			code  string
			field string
		}{
			{"office", lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-20", ActivityID: &act.ID, Units: reports, Version: 1}, lianluo.ESTATE, ""},
			{"office", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", Version: 9}, lianluo.ESTALE, ""},
			{"office", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10"}, lianluo.EINVALID, "version"},
			{"office", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", CaseIDs: []int64{999999}, Version: 1}, lianluo.EINVALID, "case_ids"},
			{"leader", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", Version: 1}, lianluo.EFORBIDDEN, ""},
			{"unit", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", Version: 1}, lianluo.EFORBIDDEN, ""},
			{"officea", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", Version: 1}, lianluo.ENOTFOUND, ""},
			{"deputya", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", Version: 1}, lianluo.ENOTFOUND, ""},
		} {
			if _, err := step(tc.who, tc.in); lianluo.ErrorCode(err) != tc.code || lianluo.ErrorField(err) != tc.field {
				t.Errorf("RecordStep(%s) by %s = %v; want %s %s", tc.in.Step, tc.who, err, tc.code, tc.field)
			}
		}
		p, err = step("office", lianluo.AppraisalStepInput{Step: lianluo.StepCollect, On: "2026-11-10", Note: "收到代表和选民意见12条", Version: 1})
		if err != nil || p.Version != 2 || p.Status != lianluo.AppraisalUnderway || p.Next != lianluo.StepMeeting || len(p.Steps) != 1 || p.Steps[0].By != "区代表工委" {
			t.Fatalf("RecordStep(collect) = %+v, %v", p, err)
		}
		if _, err := step("office", lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-20", ActivityID: &forum.ID, Units: reports, Version: 2}); lianluo.ErrorField(err) != "activity_id" {
			t.Errorf("meeting with a forum = %v; want field activity_id", err)
		}
		clock.SetTime(beijingAt("2026-11-20 10:00")) // the meeting: voters vote on their phones there
		if p, err = step("office", lianluo.AppraisalStepInput{Step: lianluo.StepMeeting, On: "2026-11-20", ActivityID: &act.ID, Units: reports, Version: 2}); err != nil {
			t.Fatal(err)
		}
		// The meeting opened the 民主测评: one ballot, an item per unit;
		// two voters vote on their phones, the paper ballots come with the step.
		if p.Units[0].BallotID == nil || p.Units[1].BallotID == nil || *p.Units[0].BallotID != *p.Units[1].BallotID {
			t.Fatalf("after the meeting: units %+v; want one ballot", p.Units)
		}
		b, err := db.FindBallotByID(office, *p.Units[0].BallotID)
		if err != nil || b.SubjectKind != lianluo.BallotAppraisal || len(b.Items) != 2 || b.Items[0].Key != lianluo.UnitBallotKey(w.Unit.ID) || b.Token == "" {
			t.Fatalf("FindBallotByID = %+v, %v", b, err)
		}
		for i, c := range []lianluo.BallotChoice{lianluo.ChoiceSatisfied, lianluo.ChoiceBasic} {
			if err := db.CastVote(voterCtx("10.0.0.9"), b.Token, lianluo.BallotVote{Phone: fmt.Sprintf("1390000555%d", i),
				Choices: map[string]lianluo.BallotChoice{b.Items[0].Key: c, b.Items[1].Key: lianluo.ChoiceDissatisfied}}); err != nil {
				t.Fatal(err)
			}
		}
		clock.SetTime(beijingAt("2026-11-23 09:00"))
		if p, err = step("office", lianluo.AppraisalStepInput{Step: lianluo.StepBallot, On: "2026-11-20", Version: p.Version,
			Units: both(func(id int64) lianluo.AppraisalStepUnit {
				return lianluo.AppraisalStepUnit{UnitID: id, Tally: &lianluo.AppraisalTally{Satisfied: 30, Basic: 8, Unsatisfied: 2}}
			})}); err != nil {
			t.Fatal(err)
		}
		// Opinions go to each unit's handlers.
		if p, err = step("office", lianluo.AppraisalStepInput{Step: lianluo.StepFindings, On: "2026-11-21", Version: p.Version,
			Units: both(func(id int64) lianluo.AppraisalStepUnit {
				return lianluo.AppraisalStepUnit{UnitID: id, Findings: "老旧小区改造进度偏慢，群众反映的问题答复不够及时。"}
			})}); err != nil {
			t.Fatal(err)
		}
		if n := countNotices(t, db, "appraisal_findings"); n != 2 {
			t.Errorf("findings notices = %d; want 2 (one per unit handler)", n)
		}
		if b, err := db.FindBallotByID(office, b.ID); err != nil || b.Status != lianluo.BallotClosed {
			t.Errorf("the ballot after the step: %+v, %v; want closed", b, err)
		}
		if p.Units[0].Tally != (lianluo.AppraisalTally{Satisfied: 31, Basic: 9, Unsatisfied: 2}) || p.Units[1].Tally.Unsatisfied != 4 ||
			p.Units[0].Tally.Rate() != 95 || p.ActivityID == nil || *p.ActivityID != act.ID {
			t.Errorf("after the meeting and ballot: %+v", p)
		}
		// Rectification is next, but each unit needs its items first.
		if _, err := step("office", lianluo.AppraisalStepInput{Step: lianluo.StepRectify, On: "2026-11-22", Version: p.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("rectification without items = %v; want invalid_state", err)
		}
		late, err := db.AddRectification(office, p.ID, lianluo.RectificationInput{UnitID: w.Unit.ID, Text: "加快老旧小区改造进度", DueOn: "2026-11-25"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddRectification(office, p.ID, lianluo.RectificationInput{UnitID: w.Unit.ID, Text: "x", DueOn: "2026-11-01"}); lianluo.ErrorField(err) != "due_on" {
			t.Errorf("item due before the opinions = %v; want field due_on", err)
		}
		if _, err := db.AddRectification(w.As(t, "unit"), p.ID, lianluo.RectificationInput{UnitID: w.Unit.ID, Text: "x", DueOn: "2026-12-01"}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("the unit setting its own item = %v; want forbidden", err)
		}
		other, err := db.AddRectification(office, p.ID, lianluo.RectificationInput{UnitID: u2.ID, Text: "公交站台破损维修", DueOn: "2026-12-31"})
		if err != nil {
			t.Fatal(err)
		}
		if p, err = step("office", lianluo.AppraisalStepInput{Step: lianluo.StepRectify, On: "2026-11-22", Version: p.Version}); err != nil {
			t.Fatal(err)
		}

		// The unit sees its own unit only, and its item.
		mine, err := db.FindAppraisalByID(w.As(t, "unit"), p.ID)
		if err != nil || len(mine.Units) != 1 || mine.Units[0].UnitID != w.Unit.ID || len(mine.Units[0].Items) != 1 || mine.CanManage || mine.Next != "" {
			t.Fatalf("FindAppraisalByID(unit) = %+v, %v", mine, err)
		}
		if _, err := db.ActOnRectification(w.As(t, "unit"), other.ID, lianluo.RectReport, lianluo.RectDecision{Report: "已修", Version: 1}); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("unit reporting another unit's item = %v; want not found", err)
		}
		if _, err := db.FindAppraisalByID(w.As(t, "officeb"), p.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("another town's office = %v; want not found", err)
		}
		if _, _, err := db.FindAppraisals(w.As(t, "deputya"), lianluo.AppraisalFilter{}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("a deputy's list = %v; want forbidden", err)
		}

		// Past due and not reported: chased once, however often the sweep runs.
		clock.SetTime(beijingAt("2026-11-27 09:00"))
		for i, want := range []int{1, 0} {
			if n, err := db.ChaseRectifications(storetest.SystemContext()); err != nil || n != want {
				t.Errorf("ChaseRectifications run %d = %d, %v; want %d", i+1, n, err, want)
			}
		}
		if n := countNotices(t, db, "rectification_overdue"); n != 1 {
			t.Errorf("overdue notices = %d; want 1", n)
		}
		list, _, err := db.FindAppraisals(office, lianluo.AppraisalFilter{Year: 2026})
		if err != nil || len(list) != 2 || list[0].ID != p.ID || list[0].Units[0].Progress != (lianluo.RectProgress{Total: 1, Overdue: 1}) {
			t.Fatalf("FindAppraisals = %+v, %v", list, err)
		}

		// Report, return with a reason, report again, accept; stale versions refused.
		unit := w.As(t, "unit")
		r, err := db.ActOnRectification(unit, late.ID, lianluo.RectReport, lianluo.RectDecision{Report: "已完成三个小区改造", Version: 1})
		if err != nil || r.Status != lianluo.RectReported || r.Version != 2 || r.Overdue {
			t.Fatalf("report = %+v, %v", r, err)
		}
		if n := countNotices(t, db, "rectification_reported"); n != 1 {
			t.Errorf("report notices to the district office = %d; want 1", n)
		}
		if _, err := db.ActOnRectification(office, late.ID, lianluo.RectAccept, lianluo.RectDecision{Version: 1}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("accept with a stale version = %v", err)
		}
		if _, err := db.ActOnRectification(office, late.ID, lianluo.RectReturn, lianluo.RectDecision{Version: 2}); lianluo.ErrorField(err) != "reason" {
			t.Errorf("return without reason = %v", err)
		}
		if r, err = db.ActOnRectification(office, late.ID, lianluo.RectReturn, lianluo.RectDecision{Reason: "还有两个小区未开工", Version: 2}); err != nil || r.Status != lianluo.RectReturned {
			t.Fatalf("return = %+v, %v", r, err)
		}
		if n := countNotices(t, db, "rectification_returned"); n != 1 {
			t.Errorf("return notices = %d; want 1", n)
		}
		if _, err := db.ActOnRectification(unit, late.ID, lianluo.RectAccept, lianluo.RectDecision{Version: 3}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("unit accepting = %v", err)
		}
		if _, err := db.ActOnRectification(unit, late.ID, lianluo.RectReport, lianluo.RectDecision{Report: "全部开工", Version: 3}); err != nil {
			t.Fatal(err)
		}
		if r, err = db.ActOnRectification(office, late.ID, lianluo.RectAccept, lianluo.RectDecision{Version: 4}); err != nil || r.Status != lianluo.RectAccepted {
			t.Fatalf("accept = %+v, %v", r, err)
		}
		// 督办 lasts until every item is accepted.
		if _, err := step("office", lianluo.AppraisalStepInput{Step: lianluo.StepSupervision, On: "2026-11-27", Version: p.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("supervision with an item open = %v", err)
		}
		if _, err := db.ActOnRectification(w.As(t, "unit2"), other.ID, lianluo.RectReport, lianluo.RectDecision{Report: "已维修", Version: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ActOnRectification(office, other.ID, lianluo.RectAccept, lianluo.RectDecision{Version: 2}); err != nil {
			t.Fatal(err)
		}
		if p, err = step("office", lianluo.AppraisalStepInput{Step: lianluo.StepSupervision, On: "2026-11-27", Version: p.Version}); err != nil ||
			p.Status != lianluo.AppraisalClosed || p.Units[0].Progress != (lianluo.RectProgress{Done: 1, Total: 1}) {
			t.Fatalf("supervision = %+v, %v", p, err)
		}
		items, err := db.UnitRectifications(unit)
		if err != nil || len(items) != 1 || items[0].ID != late.ID || items[0].CanReport {
			t.Errorf("UnitRectifications = %+v, %v", items, err)
		}
	})
}

// countNotices counts the in-app notices of a template.
func countNotices(t *testing.T, db *sqlstore.DB, template string) int {
	t.Helper()
	var n int
	if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM notifications WHERE template = $1 AND channel = 'inapp'`, template).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A ballot the job closes (a day after the meeting) hands its tally to the
// units at once; the 民意测评 step then needs no counts.
func TestAppraisalBallotClosedByJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w, _ := appraisalWorld(t, db)
		clock := storetest.ClockOf(db)
		clock.SetTime(beijingAt("2026-11-20 08:00"))
		office := w.As(t, "office")
		p, err := db.CreateAppraisal(office, lianluo.AppraisalInput{OrgID: w.District.ID, Year: 2026, Title: "部门工作评议",
			UnitIDs: []int64{w.Unit.ID}, ScheduledOn: "2026-11-20"})
		if err != nil {
			t.Fatal(err)
		}
		act, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: "appraisal", Title: "评议会", StationID: &w.StationA.ID,
			StartsAt: "2026-11-20T09:00", EndsAt: "2026-11-20T11:00"})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []lianluo.AppraisalStepInput{
			{Step: lianluo.StepCollect, On: "2026-11-20"},
			{Step: lianluo.StepMeeting, On: "2026-11-20", ActivityID: &act.ID, Units: []lianluo.AppraisalStepUnit{{UnitID: w.Unit.ID, Report: "汇报"}}},
		} {
			in.Version = p.Version
			if p, err = db.RecordStep(office, p.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		b, err := db.FindBallotByID(office, *p.Units[0].BallotID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CastVote(voterCtx("10.0.0.8"), b.Token, lianluo.BallotVote{Phone: "13900006666",
			Choices: map[string]lianluo.BallotChoice{lianluo.UnitBallotKey(w.Unit.ID): lianluo.ChoiceSatisfied}}); err != nil {
			t.Fatal(err)
		}
		clock.SetTime(beijingAt("2026-11-21 12:00"))
		if n, err := db.CloseDueBallots(storetest.SystemContext()); err != nil || n != 1 {
			t.Fatalf("CloseDueBallots = %d, %v", n, err)
		}
		office = w.As(t, "office")
		if p, err = db.FindAppraisalByID(office, p.ID); err != nil || p.Units[0].Tally != (lianluo.AppraisalTally{Satisfied: 1}) {
			t.Fatalf("after the job: %+v, %v", p, err)
		}
		if p, err = db.RecordStep(office, p.ID, lianluo.AppraisalStepInput{Step: lianluo.StepBallot, On: "2026-11-21", Version: p.Version}); err != nil ||
			p.Units[0].Tally.Total() != 1 {
			t.Fatalf("the 民意测评 step on a closed ballot: %+v, %v", p, err)
		}
	})
}
