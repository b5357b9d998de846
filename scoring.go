package lianluo

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// 履职积分 (a deputy's score for a year): points per kind of record the
// deputy has to their name, with weights the district office sets. The
// score is computed whenever it is read, from the records themselves and
// the weights of the moment: changing a weight recomputes every score,
// and nothing is stored twice (docs/scoring.md).

// Score items: what earns (or, for absence, costs) points.
const (
	ScoreReception  = "reception"   // 进站接待选民：每次出席
	ScoreActivity   = "activity"    // 参加代表活动（述职除外）：每次出席
	ScoreReport     = "report"      // 向选民述职：每次
	ScoreDiary      = "diary"       // 民情日记：每篇经选民确认
	ScoreOpinion    = "opinion"     // 收集的群众意见已办结：每件
	ScoreDutyRecord = "duty_record" // 履职登记（为民办实事、帮扶困难户等）：每项经确认
	ScoreSuggestion = "suggestion"  // 提出代表建议、议案（领衔或联名）：每件
	ScoreAbsent     = "absent"      // 接待或活动缺席（未请假）：每次
)

// ScoreItem is one line of the scoring table: the item, how it is counted,
// and its points (negative for a deduction).
type ScoreItem struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Unit   string  `json:"unit"` // what one count is: 每次, 每篇, 每件, 每项
	Points float64 `json:"points"`
}

// Scoring is the table of weights (GET/PUT /api/v1/settings/scoring).
type Scoring struct {
	Items   []ScoreItem `json:"items"`
	Version int         `json:"version"`
}

// DefaultScoring is the table of a new deployment, after the points county
// NPC offices commonly publish in their 代表履职积分办法: attending a
// reception 3, an activity 2, a report to the voters 5, a confirmed diary
// entry 0.5, an opinion collected and closed 1, a confirmed duty record 2,
// an absence without leave −2. The office changes them to its own rules.
func DefaultScoring() Scoring {
	return Scoring{Version: 1, Items: []ScoreItem{
		{ScoreReception, "进站接待选民", "每次出席", 3},
		{ScoreActivity, "参加代表活动（述职除外）", "每次出席", 2},
		{ScoreReport, "向选民述职", "每次", 5},
		{ScoreDiary, "民情日记（经选民确认）", "每篇", 0.5},
		{ScoreOpinion, "收集的群众意见已办结", "每件", 1},
		{ScoreDutyRecord, "履职登记（经确认）", "每项", 2},
		{ScoreSuggestion, "提出代表建议、议案（领衔或联名）", "每件", 3},
		{ScoreAbsent, "接待或活动缺席（未请假）", "每次", -2},
	}}
}

// ScorePointsLimit bounds a weight either way.
const ScorePointsLimit = 50

// Points returns the item's points (0 for an unknown key).
func (s Scoring) Points(key string) float64 {
	for _, it := range s.Items {
		if it.Key == key {
			return it.Points
		}
	}
	return 0
}

// Merge returns the table old with the points given in s: items s does
// not name keep their points; names and units are always the default's.
// A key s names twice, an unknown key, or points out of range or finer
// than one decimal are refused with a field error naming the item.
func (s Scoring) Merge(old Scoring) (Scoring, error) {
	out := DefaultScoring()
	out.Version = old.Version
	for i := range out.Items {
		out.Items[i].Points = old.Points(out.Items[i].Key)
	}
	seen := map[string]bool{}
	for _, it := range s.Items {
		i := slices.IndexFunc(out.Items, func(d ScoreItem) bool { return d.Key == it.Key })
		if i < 0 {
			return out, FieldError("items", "没有“%s”这一积分项目。", it.Key)
		}
		if seen[it.Key] {
			return out, FieldError("items", "积分项目“%s”重复。", out.Items[i].Name)
		}
		seen[it.Key] = true
		if math.IsNaN(it.Points) || math.Abs(it.Points) > ScorePointsLimit {
			return out, FieldError("points_"+it.Key, "“%s”的分值应在 -%d 到 %d 之间。", out.Items[i].Name, ScorePointsLimit, ScorePointsLimit)
		}
		if math.Abs(it.Points*10-math.Round(it.Points*10)) > 1e-9 {
			return out, FieldError("points_"+it.Key, "“%s”的分值最多保留一位小数。", out.Items[i].Name)
		}
		out.Items[i].Points = math.Round(it.Points*10) / 10
	}
	return out, nil
}

// ScorePart is one item of a deputy's score: how many, at how many
// points, and the points earned.
type ScorePart struct {
	Key      string  `json:"key"`
	Name     string  `json:"name"`
	Count    int     `json:"count"`
	Points   float64 `json:"points"`
	Subtotal float64 `json:"subtotal"`
}

// DeputyStatsRow is a deputy's year (GET /api/v1/stats/deputies): their
// receptions and activities (AttendanceRow), what else they did, and the
// score those give under the scoring table.
type DeputyStatsRow struct {
	AttendanceRow
	Reports          int         `json:"reports"`           // reports to the voters (述职) attended as reporter
	DiaryConfirmed   int         `json:"diary_confirmed"`   // diary entries confirmed by the voter
	OpinionsReceived int         `json:"opinions_received"` // opinions registered in the year with the deputy as receiver
	OpinionsClosed   int         `json:"opinions_closed"`   // … of which closed or archived
	DutyRecords      int         `json:"duty_records"`      // confirmed duty records
	Suggestions      int         `json:"suggestions"`       // suggestions and bills led or signed, put forward in the year
	Score            float64     `json:"score"`
	Breakdown        []ScorePart `json:"breakdown"`
	Rank             int         `json:"rank"` // 1 for the highest score; equal scores share a rank
}

// ScoreCounts are the counts each score item multiplies: the one place that
// says which record earns which item.
func (r DeputyStatsRow) ScoreCounts() map[string]int {
	return map[string]int{
		ScoreReception:  r.Present,
		ScoreActivity:   max(r.ActivitiesPresent-r.Reports, 0),
		ScoreReport:     r.Reports,
		ScoreDiary:      r.DiaryConfirmed,
		ScoreOpinion:    r.OpinionsClosed,
		ScoreDutyRecord: r.DutyRecords,
		ScoreSuggestion: r.Suggestions,
		ScoreAbsent:     r.Absent + r.ActivitiesAbsent,
	}
}

// Apply sets the row's score and breakdown under the table.
func (s Scoring) Apply(r *DeputyStatsRow) {
	counts := r.ScoreCounts()
	r.Breakdown = make([]ScorePart, 0, len(s.Items))
	total := 0.0
	for _, it := range s.Items {
		n := counts[it.Key]
		sub := math.Round(float64(n)*it.Points*10)/10 + 0 // no "-0"
		total += sub
		r.Breakdown = append(r.Breakdown, ScorePart{Key: it.Key, Name: it.Name, Count: n, Points: it.Points, Subtotal: sub})
	}
	r.Score = math.Round(total*10)/10 + 0
}

// RankDeputies scores every row and orders them, highest score first (then
// by deputy), giving equal scores the same rank.
func (s Scoring) RankDeputies(rows []DeputyStatsRow) {
	for i := range rows {
		s.Apply(&rows[i])
	}
	slices.SortStableFunc(rows, func(a, b DeputyStatsRow) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return int(a.DeputyID - b.DeputyID)
	})
	for i := range rows {
		rows[i].Rank = i + 1
		if i > 0 && rows[i].Score == rows[i-1].Score {
			rows[i].Rank = rows[i-1].Rank
		}
	}
}

// FormatPoints writes points as the pages and sheets show them: "3",
// "0.5", "-2".
func FormatPoints(p float64) string {
	if p == 0 {
		p = 0 // not "-0"
	}
	return strconv.FormatFloat(p, 'f', -1, 64)
}

// CanSetScoring reports whether the actor may change the scoring table:
// the system administrator, or an NPC office at district level or above
// (the table is the district's: a township office reads it).
func CanSetScoring(a *Actor) bool {
	if a.IsSystemAdmin() {
		return true
	}
	if !a.Has(RoleNPCOffice) {
		return false
	}
	for _, r := range a.Scope.Regions {
		if len(r) <= 6 {
			return true
		}
	}
	return false
}

// ScoringChange describes a change of the table for the audit trail.
func ScoringChange(old, cur Scoring) string {
	msg := "修改履职积分标准"
	for _, it := range cur.Items {
		if p := old.Points(it.Key); p != it.Points {
			msg += fmt.Sprintf("；%s %s→%s", it.Name, FormatPoints(p), FormatPoints(it.Points))
		}
	}
	return msg
}
