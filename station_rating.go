package lianluo

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// 星级联络站评定 (docs/station-ratings.md): a yearly score per liaison
// station from what the records measure — receptions held as scheduled,
// the deputies' attendance, activities organised and the deputies'
// participation, the response to the opinions received and the
// satisfaction with them, the mailbox opened weekly, and the standards (九有)
// the office has found met. Each item gives a rate between 0 and 1; the
// score is the weighted mean of the rates that can be measured, out of 100,
// and the grade follows from thresholds the office sets. Like 履职积分 it is
// computed whenever it is read, under the weights of the moment.

// Station rating items.
const (
	RateReceptions    = "receptions"    // 接待活动按计划举行：举行场次 / 应举行场次
	RateAttendance    = "attendance"    // 代表进站出勤率：出席人次 / 应到人次
	RateActivities    = "activities"    // 组织代表活动：场次 / 6（003：每年不少于 6 次），至多 1
	RateParticipation = "participation" // 代表活动参与率：出席人次 / 邀请人次，达 90 % 即满分
	RateResponse      = "response"      // 群众意见件件有回音：有回音 / 受理（统计分析的口径）
	RateSatisfaction  = "satisfaction"  // 群众意见满意率：满意与基本满意 / 已评价（统计分析的口径）
	RateMailbox       = "mailbox"       // 意见箱每周开箱：有开箱的周数 / 已过周数
	RateChecklist     = "checklist"     // 标准达标（九有）：已达标项数 / 清单项数
)

// ActivitiesNorm and ParticipationNorm are 003's norms: a station
// organises at least 6 activities a year, and at least 90 % of the deputies
// invited take part.
const (
	ActivitiesNorm    = 6
	ParticipationNorm = 0.9
)

// RatingItem is one line of the station rating's weights.
type RatingItem struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// StationRating is the weights and grade thresholds of the station rating
// (GET/PUT /api/v1/settings/station-rating).
type StationRating struct {
	Items  []RatingItem `json:"items"`
	Green  float64      `json:"green"`  // 绿（先进）: score ≥ Green
	Yellow float64      `json:"yellow"` // 黄（合格）: score ≥ Yellow; below it 红（需整改）
	// Version is the version of the table the caller saw.
	Version int `json:"version"`
}

// DefaultStationRating is the table of a new deployment: weights adding up
// to 100, the receptions (the station's first duty) and the response to
// the voters weighing most (docs/station-ratings.md says why); green from
// 85, yellow from 60.
func DefaultStationRating() StationRating {
	return StationRating{Version: 1, Green: 85, Yellow: 60, Items: []RatingItem{
		{RateReceptions, "接待活动按计划举行", 20},
		{RateAttendance, "代表进站出勤率", 15},
		{RateActivities, "组织代表活动（每年不少于 6 次）", 10},
		{RateParticipation, "代表活动参与率（不低于 90%）", 10},
		{RateResponse, "群众意见件件有回音", 15},
		{RateSatisfaction, "群众意见满意率", 10},
		{RateMailbox, "意见箱每周开箱", 10},
		{RateChecklist, "标准达标（九有）", 10},
	}}
}

// RatingWeightLimit bounds a weight.
const RatingWeightLimit = 100

// Weight returns the item's weight (0 for an unknown key).
func (s StationRating) Weight(key string) float64 {
	for _, it := range s.Items {
		if it.Key == key {
			return it.Weight
		}
	}
	return 0
}

// Merge returns the table old with the weights and thresholds given in s:
// items s does not name keep their weights, thresholds left at 0 keep
// theirs; names are always the default's. An unknown or repeated key, a
// weight outside 0–100 or finer than one decimal, thresholds outside
// 0–100 or green not above yellow are refused with a field error.
func (s StationRating) Merge(old StationRating) (StationRating, error) {
	out := DefaultStationRating()
	out.Version = old.Version
	out.Green, out.Yellow = old.Green, old.Yellow
	for i := range out.Items {
		out.Items[i].Weight = old.Weight(out.Items[i].Key)
	}
	seen := map[string]bool{}
	for _, it := range s.Items {
		i := slices.IndexFunc(out.Items, func(d RatingItem) bool { return d.Key == it.Key })
		if i < 0 {
			return out, FieldError("items", "没有“%s”这一评分项目。", it.Key)
		}
		if seen[it.Key] {
			return out, FieldError("items", "评分项目“%s”重复。", out.Items[i].Name)
		}
		seen[it.Key] = true
		if math.IsNaN(it.Weight) || it.Weight < 0 || it.Weight > RatingWeightLimit {
			return out, FieldError("weight_"+it.Key, "“%s”的权重应在 0 到 %d 之间。", out.Items[i].Name, RatingWeightLimit)
		}
		if math.Abs(it.Weight*10-math.Round(it.Weight*10)) > 1e-9 {
			return out, FieldError("weight_"+it.Key, "“%s”的权重最多保留一位小数。", out.Items[i].Name)
		}
		out.Items[i].Weight = math.Round(it.Weight*10) / 10
	}
	total := 0.0
	for _, it := range out.Items {
		total += it.Weight
	}
	if total == 0 {
		return out, FieldError("items", "各评分项目的权重不能都为 0。")
	}
	for _, t := range []struct {
		field, name string
		v           float64
		dst         *float64
	}{{"green", "绿色（先进）分数线", s.Green, &out.Green}, {"yellow", "黄色（合格）分数线", s.Yellow, &out.Yellow}} {
		if t.v == 0 {
			continue
		}
		if math.IsNaN(t.v) || t.v < 0 || t.v > 100 {
			return out, FieldError(t.field, "%s应在 0 到 100 之间。", t.name)
		}
		*t.dst = math.Round(t.v*10) / 10
	}
	if out.Green <= out.Yellow {
		return out, FieldError("green", "绿色（先进）分数线应高于黄色（合格）分数线。")
	}
	return out, nil
}

// Station grades.
const (
	GradeGreen  = "green"  // 先进
	GradeYellow = "yellow" // 合格
	GradeRed    = "red"    // 需整改
)

// GradeNames are the grades' Chinese names.
var GradeNames = map[string]string{GradeGreen: "绿（先进）", GradeYellow: "黄（合格）", GradeRed: "红（需整改）"}

// Grade returns the grade of a score.
func (s StationRating) Grade(score float64) string {
	switch {
	case score >= s.Green:
		return GradeGreen
	case score >= s.Yellow:
		return GradeYellow
	}
	return GradeRed
}

// StationFacts are a station's measured figures for a year: what its
// records say, counted by the store.
type StationFacts struct {
	// Receptions dated in the year and over by now: those published or
	// cancelled (the schedule), and of them those held (not cancelled).
	ReceptionsScheduled int `json:"receptions_scheduled"`
	ReceptionsHeld      int `json:"receptions_held"`
	// The deputies on the held receptions (应到人次) and those present.
	ReceptionSeats   int `json:"reception_seats"`
	ReceptionPresent int `json:"reception_present"`
	// Activities the station organised, held in the year, and the
	// deputies invited to them and present.
	Activities      int `json:"activities"`
	ActivityInvited int `json:"activity_invited"`
	ActivityPresent int `json:"activity_present"`
	// Cases are the station's opinions registered in the year, counted by
	// CountCase as the statistics count them.
	Cases CaseCounts `json:"cases"`
	// MailboxWeeks are the weeks of the year gone by; MailboxWeeksOpened
	// those with at least one opening recorded (MailboxWeeks counts them).
	MailboxWeeks       int `json:"mailbox_weeks"`
	MailboxWeeksOpened int `json:"mailbox_weeks_opened"`
	// The standards of the list (Checklist) and those ticked met now,
	// on a day before the year's end.
	ChecklistTotal int `json:"checklist_total"`
	ChecklistDone  int `json:"checklist_done"`
}

// MailboxWeeks counts the weeks of year gone by at now (seven-day blocks
// from 1 January, Beijing time; the last may be short) and those with one
// of the openings in them.
func MailboxWeeks(year int, openings []time.Time, now time.Time) (weeks, opened int) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, Beijing)
	to := from.AddDate(1, 0, 0)
	if now.Before(to) {
		to = now
	}
	if !to.After(from) {
		return 0, 0
	}
	const week = 7 * 24 * time.Hour
	weeks = int((to.Sub(from) + week - 1) / week)
	seen := map[int]bool{}
	for _, t := range openings {
		if t.Before(from) || !t.Before(to) {
			continue
		}
		seen[int(t.Sub(from)/week)] = true
	}
	return weeks, len(seen)
}

// Rates returns each item's rate between 0 and 1, or nil where there is
// nothing to measure (no reception scheduled, no opinion received…):
// the one place that says which figure gives which item.
func (f StationFacts) Rates() map[string]*float64 {
	c := f.Cases.WithRates()
	capped := func(r *float64, norm float64) *float64 {
		if r == nil {
			return nil
		}
		v := math.Min(*r/norm, 1)
		return &v
	}
	acts := math.Min(float64(f.Activities)/ActivitiesNorm, 1)
	return map[string]*float64{
		RateReceptions:    Rate(f.ReceptionsHeld, f.ReceptionsScheduled),
		RateAttendance:    Rate(f.ReceptionPresent, f.ReceptionSeats),
		RateActivities:    &acts,
		RateParticipation: capped(Rate(f.ActivityPresent, f.ActivityInvited), ParticipationNorm),
		RateResponse:      c.ResponseRate,
		RateSatisfaction:  c.SatisfactionRate,
		RateMailbox:       Rate(f.MailboxWeeksOpened, f.MailboxWeeks),
		RateChecklist:     Rate(f.ChecklistDone, f.ChecklistTotal),
	}
}

// RatingPart is one item of a station's score.
type RatingPart struct {
	Key    string   `json:"key"`
	Name   string   `json:"name"`
	Weight float64  `json:"weight"`
	Rate   *float64 `json:"rate"`   // nil: not measured, left out of the score
	Points float64  `json:"points"` // the item's share of the score out of 100
}

// StationStatsRow is a station's year (GET /api/v1/stats/stations).
type StationStatsRow struct {
	StationID  int64  `json:"station_id"`
	Name       string `json:"name"`
	RegionCode string `json:"region_code"`
	StationFacts
	Score     float64      `json:"score"`
	Grade     string       `json:"grade"`
	Breakdown []RatingPart `json:"breakdown"`
	Rank      int          `json:"rank"` // 1 for the highest score; equal scores share a rank
}

// Apply sets the row's score, breakdown and grade: the weighted mean of
// the measured rates, out of 100, to one decimal. Items not measured are
// left out of the weights too, so a station is neither rewarded nor
// punished for what did not happen; with nothing measured the score is 0.
func (s StationRating) Apply(r *StationStatsRow) {
	rates := r.StationFacts.Rates()
	measured := 0.0
	for _, it := range s.Items {
		if rates[it.Key] != nil {
			measured += it.Weight
		}
	}
	r.Breakdown = make([]RatingPart, 0, len(s.Items))
	total := 0.0
	for _, it := range s.Items {
		p := RatingPart{Key: it.Key, Name: it.Name, Weight: it.Weight, Rate: rates[it.Key]}
		if p.Rate != nil && measured > 0 {
			p.Points = math.Round(*p.Rate*it.Weight/measured*1000) / 10
			total += *p.Rate * it.Weight / measured * 100
		}
		r.Breakdown = append(r.Breakdown, p)
	}
	r.Score = math.Round(total*10)/10 + 0
	r.Grade = s.Grade(r.Score)
}

// RankStations scores every row and orders them, highest score first (then
// by station), giving equal scores the same rank.
func (s StationRating) RankStations(rows []StationStatsRow) {
	for i := range rows {
		s.Apply(&rows[i])
	}
	slices.SortStableFunc(rows, func(a, b StationStatsRow) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return int(a.StationID - b.StationID)
	})
	for i := range rows {
		rows[i].Rank = i + 1
		if i > 0 && rows[i].Score == rows[i-1].Score {
			rows[i].Rank = rows[i-1].Rank
		}
	}
}

// StationRatingChange describes a change of the table for the audit trail.
func StationRatingChange(old, cur StationRating) string {
	msg := "修改联络站评分标准"
	for _, it := range cur.Items {
		if w := old.Weight(it.Key); w != it.Weight {
			msg += fmt.Sprintf("；%s %s→%s", it.Name, FormatPoints(w), FormatPoints(it.Weight))
		}
	}
	if old.Green != cur.Green || old.Yellow != cur.Yellow {
		msg += fmt.Sprintf("；分数线 绿≥%s 黄≥%s", FormatPoints(cur.Green), FormatPoints(cur.Yellow))
	}
	return msg
}
