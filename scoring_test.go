package lianluo

import "testing"

// Each count earns its item's points: receptions attended, activities
// besides reports, reports, diary, opinions closed, duty records;
// absences without leave cost; leave costs nothing. Ties share a rank.
func TestScoringApplyAndRank(t *testing.T) {
	s := DefaultScoring()
	a := DeputyStatsRow{AttendanceRow: AttendanceRow{DeputyID: 1, Scheduled: 4, Present: 2, Leave: 1, Absent: 1,
		Activities: 3, ActivitiesPresent: 3}, Reports: 1, DiaryConfirmed: 3, OpinionsReceived: 5, OpinionsClosed: 2, DutyRecords: 1}
	// 2×3 + 2×2 + 1×5 + 3×0.5 + 2×1 + 1×2 − 1×2 = 18.5
	b := DeputyStatsRow{AttendanceRow: AttendanceRow{DeputyID: 2, Leave: 3}}
	c := DeputyStatsRow{AttendanceRow: AttendanceRow{DeputyID: 3}}
	rows := []DeputyStatsRow{c, b, a}
	s.RankDeputies(rows)
	if rows[0].DeputyID != 1 || rows[0].Score != 18.5 || rows[0].Rank != 1 {
		t.Errorf("first = %+v; want deputy 1 with 18.5", rows[0])
	}
	if rows[1].DeputyID != 2 || rows[2].DeputyID != 3 || rows[1].Score != 0 || rows[1].Rank != 2 || rows[2].Rank != 2 {
		t.Errorf("tied at 0: %+v %+v", rows[1], rows[2])
	}
	for _, p := range rows[0].Breakdown {
		if p.Key == ScoreActivity && (p.Count != 2 || p.Subtotal != 4) {
			t.Errorf("activities besides the report: %+v", p)
		}
		if p.Key == ScoreAbsent && (p.Count != 1 || p.Subtotal != -2) {
			t.Errorf("absences: %+v", p)
		}
	}
}

func TestScoringMerge(t *testing.T) {
	old := DefaultScoring()
	got, err := Scoring{Items: []ScoreItem{{Key: ScoreDiary, Points: 1.5}, {Key: ScoreAbsent, Points: -5}}}.Merge(old)
	if err != nil || got.Points(ScoreDiary) != 1.5 || got.Points(ScoreAbsent) != -5 || got.Points(ScoreReport) != 5 || len(got.Items) != len(old.Items) {
		t.Errorf("Merge = %+v, %v", got, err)
	}
	for _, bad := range []Scoring{
		{Items: []ScoreItem{{Key: "x", Points: 1}}},
		{Items: []ScoreItem{{Key: ScoreDiary, Points: -50.5}}},
		{Items: []ScoreItem{{Key: ScoreDiary, Points: 0.05}}},
	} {
		if _, err := bad.Merge(old); err == nil {
			t.Errorf("Merge(%+v) accepted", bad)
		}
	}
	if got := ScoringChange(old, got); got != "修改履职积分标准；民情日记（经选民确认） 0.5→1.5；接待或活动缺席（未请假） -2→-5" {
		t.Errorf("ScoringChange = %q", got)
	}
}

func TestFormatPoints(t *testing.T) {
	s := DefaultScoring()
	r := DeputyStatsRow{}
	s.Apply(&r)
	for _, p := range r.Breakdown {
		if got := FormatPoints(p.Subtotal); got != "0" {
			t.Errorf("%s: nothing done shows %q; want 0", p.Key, got)
		}
	}
	if got := FormatPoints(-2.5); got != "-2.5" {
		t.Errorf("FormatPoints(-2.5) = %q", got)
	}
}
