package lianluo_test

import (
	"testing"
	"time"

	"lianluo"
)

func fact(kind string, id int64, date, sub, status string) lianluo.SixOneFact {
	return lianluo.SixOneFact{SixOneEvidence: lianluo.SixOneEvidence{Kind: kind, ID: id, Date: date}, Sub: sub, Status: status}
}

func itemsByKey(items []lianluo.SixOneItem) map[string]lianluo.SixOneItem {
	m := map[string]lianluo.SixOneItem{}
	for _, it := range items {
		m[it.Key] = it
	}
	return m
}

func TestMeasureSixOnesDeputy(t *testing.T) {
	facts := []lianluo.SixOneFact{
		// Group activities: present in March and in September; absent in May.
		fact("activity", 1, "2025-03-10", "group_meeting", "present"),
		fact("activity", 2, "2025-05-10", "training", "absent"),
		fact("activity", 3, "2025-09-10", "group_meeting", "present"),
		// Surveys: two confirmed in the first half, one returned in the second.
		fact("duty_record", 10, "2025-02-01", "survey", "confirmed"),
		fact("duty_record", 11, "2025-06-30", "survey", "confirmed"),
		fact("duty_record", 12, "2025-07-01", "survey", "returned"),
		// Good deed pending, aid confirmed but last year.
		fact("duty_record", 13, "2025-04-01", "good_deed", "pending"),
		fact("duty_record", 14, "2024-12-31", "aid", "confirmed"),
		// A case answered on the spot does not count; one handed to a unit does.
		fact("case", 20, "2025-03-01", "opinion", "answered"),
		fact("case", 21, "2025-08-01", "opinion", "accepted"),
		// A draft diary entry does not count, a reception attended does.
		fact("diary", 30, "2025-01-05", "", "draft"),
		fact("reception", 40, "2025-11-05", "", "present"),
	}
	got := itemsByKey(lianluo.MeasureSixOnes(lianluo.SixOnesDeputy, 2025, facts))
	for _, tc := range []struct {
		key      string
		done     int
		required int
		met      bool
		evidence []int64
	}{
		{"group_activity", 2, 2, true, []int64{1, 3}},
		{"opinion", 1, 1, true, []int64{21}},
		{"good_deed", 0, 1, false, nil},
		{"contact_voters", 1, 1, true, []int64{40}},
		{"aid", 0, 1, false, nil},
		{"survey", 1, 2, false, []int64{10, 11}}, // the first half twice is one half
	} {
		it, ok := got[tc.key]
		if !ok {
			t.Errorf("item %s missing", tc.key)
			continue
		}
		var ids []int64
		for _, e := range it.Evidence {
			ids = append(ids, e.ID)
		}
		if it.Done != tc.done || it.Required != tc.required || it.Met != tc.met || !equalIDs(ids, tc.evidence) {
			t.Errorf("%s = done %d/%d met %v evidence %v; want %d/%d %v %v", tc.key, it.Done, it.Required, it.Met, ids,
				tc.done, tc.required, tc.met, tc.evidence)
		}
	}
	if len(got) != 6 {
		t.Errorf("deputy items = %d; want 6", len(got))
	}
}

func TestMeasureSixOnesGroup(t *testing.T) {
	facts := []lianluo.SixOneFact{
		fact("activity", 1, "2025-03-10", "training", "done"),
		fact("activity", 2, "2025-04-10", "report", "published"), // not held yet
		fact("activity", 3, "2025-05-10", "law_check", "done"),
		fact("activity", 4, "2025-02-10", "voter_talk", "done"),
		fact("activity", 5, "2025-10-10", "voter_talk", "done"),
		fact("activity", 6, "2025-12-20", "opinion_review", "cancelled"),
		fact("activity", 7, "2025-12-28", "duty_review", "done"),
	}
	got := itemsByKey(lianluo.MeasureSixOnes(lianluo.SixOnesGroup, 2025, facts))
	want := map[string]bool{"training": true, "report": false, "inspection": true, "voter_talk": true, "opinion_review": false, "duty_review": true}
	for k, met := range want {
		if got[k].Met != met {
			t.Errorf("group %s met = %v; want %v (%+v)", k, got[k].Met, met, got[k])
		}
	}
	if got["voter_talk"].Done != 2 || got["voter_talk"].Required != 2 {
		t.Errorf("voter_talk = %+v; want 2 of 2", got["voter_talk"])
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDutyRecordInput(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)
	good := lianluo.DutyRecordInput{Kind: lianluo.DutyAid, Date: "2026-03-01", Description: "走访困难户，送去慰问金"}
	for _, tc := range []struct {
		name  string
		edit  func(*lianluo.DutyRecordInput)
		field string
	}{
		{"good", func(*lianluo.DutyRecordInput) {}, ""},
		{"no kind", func(in *lianluo.DutyRecordInput) { in.Kind = "" }, "kind"},
		{"wrong kind", func(in *lianluo.DutyRecordInput) { in.Kind = "party" }, "kind"},
		{"no date", func(in *lianluo.DutyRecordInput) { in.Date = " " }, "date"},
		{"bad date", func(in *lianluo.DutyRecordInput) { in.Date = "2026/03/01" }, "date"},
		{"future", func(in *lianluo.DutyRecordInput) { in.Date = "2026-03-03" }, "date"},
		{"too old", func(in *lianluo.DutyRecordInput) { in.Date = "2024-12-31" }, "date"},
		{"last year", func(in *lianluo.DutyRecordInput) { in.Date = "2025-01-01" }, ""},
		{"no description", func(in *lianluo.DutyRecordInput) { in.Description = "" }, "description"},
	} {
		in := good
		tc.edit(&in)
		err := in.Validate(now)
		if got := lianluo.ErrorField(err); got != tc.field || (tc.field == "" && err != nil) {
			t.Errorf("%s: Validate = %v; want field %q", tc.name, err, tc.field)
		}
	}
	for _, tc := range []struct {
		d     lianluo.DutyDecision
		field string
	}{
		{lianluo.DutyDecision{Decision: "confirm"}, ""},
		{lianluo.DutyDecision{Decision: "return"}, "reason"},
		{lianluo.DutyDecision{Decision: "return", Reason: "照片不清楚"}, ""},
		{lianluo.DutyDecision{Decision: "approve"}, "decision"},
		{lianluo.DutyDecision{}, "decision"},
	} {
		if got := lianluo.ErrorField(tc.d.Validate()); got != tc.field {
			t.Errorf("%+v.Validate() field = %q; want %q", tc.d, got, tc.field)
		}
	}
}

func TestDutyRecordPowers(t *testing.T) {
	deputy := &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy}}}, Scope: lianluo.Scope{Deputies: []int64{7}}}
	for _, tc := range []struct {
		name                 string
		a                    *lianluo.Actor
		deputy               int64
		staff                bool
		wantRecord, wantDecd bool
	}{
		{"own", deputy, 7, false, true, false},
		{"another deputy", deputy, 8, false, false, false},
		{"staff", &lianluo.Actor{User: &lianluo.User{Roles: []lianluo.Grant{{Role: lianluo.RoleLiaison}}}}, 7, true, true, true},
		{"staff, own record", deputy, 7, true, true, false},
		{"nobody", nil, 7, true, false, false},
	} {
		r, d := lianluo.DutyRecordPowers(tc.a, tc.deputy, tc.staff)
		if r != tc.wantRecord || d != tc.wantDecd {
			t.Errorf("%s: DutyRecordPowers = %v, %v; want %v, %v", tc.name, r, d, tc.wantRecord, tc.wantDecd)
		}
	}
}

func TestSixOnesReminderPeriod(t *testing.T) {
	for _, tc := range []struct {
		at     string
		period string
	}{
		{"2026-05-31 23:59", ""},
		{"2026-06-01 00:00", "2026H1"},
		{"2026-06-30 23:59", "2026H1"},
		{"2026-07-01 00:00", ""},
		{"2026-12-01 00:00", ""},
		{"2026-12-02 00:00", "2026H2"},
		{"2026-12-31 23:59", "2026H2"},
		{"2027-01-01 00:00", ""},
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", tc.at, lianluo.Beijing)
		if p, due := lianluo.SixOnesReminderPeriod(at.UTC()); p != tc.period || due != (tc.period != "") {
			t.Errorf("SixOnesReminderPeriod(%s) = %q, %v; want %q", tc.at, p, due, tc.period)
		}
	}
}
