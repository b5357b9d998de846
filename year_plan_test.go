package lianluo

import (
	"strings"
	"testing"
	"time"
)

func bjTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

func TestYearPlanValidate(t *testing.T) {
	t.Parallel()
	now := bjTime("2026-03-10")
	ok := YearPlanItem{Month: 3, Kind: ActivityInspection, Title: "视察老旧小区改造"}
	for _, tc := range []struct {
		name  string
		in    YearPlanInput
		field string
	}{
		{"fine", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: []YearPlanItem{ok}}, ""},
		{"next year", YearPlanInput{OwnerKind: PlanOwnerGroup, OwnerID: 1, Year: 2027}, ""},
		{"owner kind", YearPlanInput{OwnerKind: "town", OwnerID: 1, Year: 2026}, "owner_kind"},
		{"owner id", YearPlanInput{OwnerKind: PlanOwnerStation, Year: 2026}, "owner_id"},
		{"year far", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2030}, "year"},
		{"year past", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2024}, "year"},
		{"month", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: []YearPlanItem{ok, {Month: 13, Kind: ActivityStudy, Title: "学习"}}}, "items[1].month"},
		{"kind", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: []YearPlanItem{{Month: 1, Kind: "party", Title: "x"}}}, "items[0].kind"},
		{"group meeting at a station", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: []YearPlanItem{{Month: 1, Kind: ActivityGroupMeeting, Title: "x"}}}, "items[0].kind"},
		{"title", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: []YearPlanItem{{Month: 1, Kind: ActivityStudy, Title: "  "}}}, "items[0].title"},
		{"note", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: []YearPlanItem{{Month: 1, Kind: ActivityStudy, Title: "x", Note: strings.Repeat("长", 501)}}}, "items[0].note"},
		{"too many", YearPlanInput{OwnerKind: PlanOwnerStation, OwnerID: 1, Year: 2026, Items: make([]YearPlanItem, MaxPlanItems+1)}, "items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate(now)
			if got := ErrorField(err); got != tc.field || (tc.field == "") != (err == nil) {
				t.Errorf("Validate = %v (field %q); want field %q", err, got, tc.field)
			}
			if err != nil && !strings.ContainsFunc(ErrorMessage(err), func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
				t.Errorf("message %q is not Chinese", ErrorMessage(err))
			}
		})
	}
}

func TestPlanWarnings(t *testing.T) {
	t.Parallel()
	item := func(m int, kind string) YearPlanItem { return YearPlanItem{Month: m, Kind: kind, Title: "活动"} }
	station := []YearPlanItem{item(1, ActivityStudy), item(4, ActivityInspection), item(5, ActivityResearch), item(11, ActivityAppraisal)}
	got := strings.Join(PlanWarnings(PlanOwnerStation, 2026, station), "\n")
	for _, want := range []string{"全年计划活动4次", "第三季度没有安排活动"} {
		if !strings.Contains(got, want) {
			t.Errorf("station warnings %q lack %q", got, want)
		}
	}
	if strings.Contains(got, "第四季度") || strings.Contains(got, "第一季度") {
		t.Errorf("station warnings %q name a planned quarter", got)
	}
	full := []YearPlanItem{item(1, ActivityStudy), item(3, ActivityInspection), item(6, ActivityResearch), item(8, ActivityForum),
		item(10, ActivityAppraisal), item(12, ActivityStudy)}
	if w := PlanWarnings(PlanOwnerStation, 2026, full); len(w) != 0 {
		t.Errorf("a full station plan warns %q", w)
	}
	if w := strings.Join(PlanWarnings(PlanOwnerStation, 2026, []YearPlanItem{item(5, ActivityAppraisal)}), "\n"); !strings.Contains(w, "第四季度") {
		t.Errorf("appraisal in May: %q", w)
	}

	group := []YearPlanItem{item(2, ActivityTraining), item(3, ActivityGroupMeeting), item(4, ActivityInspection), item(5, ActivityVoterTalk),
		item(11, ActivityVoterTalk), item(1, ActivityOpinionReview), item(12, ActivityDutyReview)}
	got = strings.Join(PlanWarnings(PlanOwnerGroup, 2026, group), "\n")
	if !strings.Contains(got, "述职") || strings.Count(got, "\n") != 0 {
		t.Errorf("group without 述职: %q; want that one warning", got)
	}
	group = append(group, item(9, ActivityReport), item(6, ActivityGroupMeeting), item(9, ActivityGroupMeeting))
	if got := strings.Join(PlanWarnings(PlanOwnerGroup, 2026, group), "\n"); !strings.Contains(got, "代表小组活动计划3次") {
		t.Errorf("three group meetings: %q", got)
	}
	if got := PlanWarnings(PlanOwnerGroup, 2026, nil); len(got) != 7 {
		t.Errorf("an empty group plan: %q; want no meeting and the six 六个一", got)
	}
}

func TestMatchYearPlan(t *testing.T) {
	t.Parallel()
	items := []YearPlanItem{
		{Month: 2, Kind: ActivityStudy, Title: "学习"},        // done in February
		{Month: 3, Kind: ActivityInspection, Title: "视察"},   // done in April: late
		{Month: 4, Kind: ActivityInspection, Title: "视察二"},  // the April inspection is its own: done; the first takes May's
		{Month: 4, Kind: ActivityResearch, Title: "调研"},     // nothing: late
		{Month: 6, Kind: ActivityForum, Title: "座谈"},        // June, not over: upcoming
		{Month: 9, Kind: ActivityReport, Title: "述职"},       // upcoming; the August 述职 is early: unplanned
		{Month: 5, Kind: ActivityStudy, Title: "学习二"},       // nothing: late
		{Month: 12, Kind: ActivityAppraisal, Title: "评议"},   // upcoming
		{Month: 1, Kind: ActivityTraining, Title: "培训（去年）"}, // last year's training does not count
	}
	held := []PlanActivity{
		{ID: 1, Kind: ActivityStudy, Date: bjTime("2026-02-10")},
		{ID: 2, Kind: ActivityInspection, Date: bjTime("2026-04-20")},
		{ID: 3, Kind: ActivityInspection, Date: bjTime("2026-05-08")},
		{ID: 4, Kind: ActivityLawCheck, Date: bjTime("2026-03-03")},
		{ID: 5, Kind: ActivityTraining, Date: bjTime("2025-12-30")},
	}
	p := MatchYearPlan(2026, items, held, bjTime("2026-06-15"))
	want := []struct {
		state PlanItemState
		act   int64
	}{{PlanDone, 1}, {PlanDoneLate, 3}, {PlanDone, 2}, {PlanLate, 0}, {PlanUpcoming, 0}, {PlanUpcoming, 0}, {PlanLate, 0}, {PlanUpcoming, 0}, {PlanLate, 0}}
	for i, w := range want {
		var act int64
		if items[i].Activity != nil {
			act = items[i].Activity.ID
		}
		if items[i].State != w.state || act != w.act {
			t.Errorf("item %d (%s): %s by %d; want %s by %d", i, items[i].Title, items[i].State, act, w.state, w.act)
		}
	}
	if p.Done != 2 || p.DoneLate != 1 || p.Late != 3 || p.Upcoming != 3 {
		t.Errorf("counts %+v", p)
	}
	if len(p.Unplanned) != 2 || p.Unplanned[0].ID != 5 || p.Unplanned[1].ID != 4 {
		t.Errorf("unplanned %+v; want the training of last year and the law check", p.Unplanned)
	}
	// A past year: every undone item is late; a future one: upcoming.
	MatchYearPlan(2025, items[:1], nil, bjTime("2026-01-05"))
	if items[0].State != PlanLate {
		t.Errorf("last year's item: %s", items[0].State)
	}
	MatchYearPlan(2027, items[:1], nil, bjTime("2026-12-05"))
	if items[0].State != PlanUpcoming {
		t.Errorf("next year's item: %s", items[0].State)
	}
}

func TestPlanChanges(t *testing.T) {
	t.Parallel()
	a := YearPlanItem{Month: 1, Kind: ActivityStudy, Title: "学习"}
	b := YearPlanItem{Month: 2, Kind: ActivityForum, Title: "座谈"}
	c := YearPlanItem{Month: 3, Kind: ActivityForum, Title: "座谈"}
	noted := a
	noted.Note = "改在会议室"
	for _, tc := range []struct {
		old, new []YearPlanItem
		want     string
	}{
		{[]YearPlanItem{a, b}, []YearPlanItem{a, b, c}, "新增1项"},
		{[]YearPlanItem{a, b}, []YearPlanItem{a, c}, "新增1项，删除1项"},
		{[]YearPlanItem{a, b}, []YearPlanItem{b}, "删除1项"},
		{[]YearPlanItem{a}, []YearPlanItem{noted}, "修改说明"},
	} {
		if got := PlanChanges(tc.old, tc.new); got != tc.want {
			t.Errorf("PlanChanges(%v, %v) = %q; want %q", tc.old, tc.new, got, tc.want)
		}
	}
}

func TestYearPlanPowers(t *testing.T) {
	t.Parallel()
	owner := PlanOwner{RegionCode: "330206004", StationID: idp(7), Deputies: []int64{11, 12}}
	for _, tc := range []struct {
		name               string
		a                  *Actor
		write, read, draft bool
	}{
		{"the town office", officeOf("330206004"), true, true, true},
		{"the district office", officeOf("330206"), true, true, true},
		{"another town's office", officeOf("330206001"), false, false, false},
		{"a leader", testActor(Scope{Regions: []string{"330206004"}}, Grant{Role: RoleNPCLeader}), false, true, true},
		{"the liaison", liaisonOf(7), false, true, true},
		{"another station's liaison", liaisonOf(8), false, false, false},
		{"a deputy of the station", deputyNo(12), false, true, false},
		{"another deputy", deputyNo(13), false, false, false},
		{"a unit", handlerOf(3), false, false, false},
	} {
		w, r := YearPlanPowers(tc.a, owner)
		if w != tc.write || r != tc.read {
			t.Errorf("%s: write %v read %v; want %v %v", tc.name, w, r, tc.write, tc.read)
		}
		if got := YearPlanVisible(tc.a, owner, YearPlanDraft); got != tc.draft {
			t.Errorf("%s sees a draft: %v; want %v", tc.name, got, tc.draft)
		}
		if got := YearPlanVisible(tc.a, owner, YearPlanPublished); got != tc.read {
			t.Errorf("%s sees a published plan: %v; want %v", tc.name, got, tc.read)
		}
	}
}
