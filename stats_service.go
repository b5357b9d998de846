package lianluo

import (
	"context"
	"slices"
)

// StatsService answers the statistics of cases (统计分析). CaseStats counts
// each case with CountCase; the store answers from rollups kept equal to a
// direct count of the cases (docs/statistics.md, "Rollups").
// HotTopics groups the cases of the last days about the same matter
// (热点问题, ClusterHotTopics), largest first, at most HotTopicsLimit.
type StatsService interface {
	CaseStats(ctx context.Context, f StatsFilter) (*CaseStatsResult, error)
	HotTopics(ctx context.Context, f HotTopicsFilter) ([]HotTopic, error)
	// DeputyStats lists the deputies f selects in the caller's scope with
	// their year's counts and 履职积分, ranked (CanSeeStats).
	DeputyStats(ctx context.Context, f AttendanceFilter) ([]DeputyStatsRow, error)
	// StationStats lists the stations f selects in the caller's scope with
	// their year's figures and rating, ranked (CanSeeStats).
	StationStats(ctx context.Context, f AttendanceFilter) ([]StationStatsRow, error)
}

// StatsFilter chooses the cases of a statistics query: those in the
// caller's scope, in the region subtree (empty: the caller's own scope),
// registered in the period, optionally of one station, lead unit or
// category; GroupBy names the breakdown of the rows ("" for totals only).
type StatsFilter struct {
	Region    string
	Period    Period
	GroupBy   string
	StationID int64
	UnitID    int64 // the lead unit, in any round
	Category  string
}

// Breakdowns of the statistics (group_by).
const (
	GroupByRegion   = "region"   // the direct sub-regions of the region
	GroupByStation  = "station"  // the liaison station that took the case
	GroupByCategory = "category" // the category
	GroupByChannel  = "channel"  // the intake channel
	GroupByUnit     = "unit"     // the lead unit
	GroupByMonth    = "month"    // the Beijing month of registration
	GroupByStatus   = "status"   // the current status
)

// GroupBys are the breakdowns in the order pages show them.
var GroupBys = []string{GroupByRegion, GroupByStation, GroupByCategory, GroupByChannel, GroupByUnit, GroupByMonth, GroupByStatus}

// GroupByNames are the Chinese names of the breakdowns.
var GroupByNames = map[string]string{
	GroupByRegion: "按地区", GroupByStation: "按联络站", GroupByCategory: "按类别", GroupByChannel: "按渠道",
	GroupByUnit: "按承办单位", GroupByMonth: "按月份", GroupByStatus: "按状态",
}

// StatsRoles may see statistics: the NPC office and leaders of their
// region, administrators of everything, and station heads and liaisons of
// their own stations (they report their station's work to the office).
// Deputies and unit handlers may not.
var StatsRoles = []string{RoleSystemAdmin, RoleNPCOffice, RoleNPCLeader, RoleStationHead, RoleLiaison}

// CanSeeStats reports whether the actor may see statistics.
func CanSeeStats(a *Actor) bool { return a.HasAny(StatsRoles...) }

// Validate checks the filter; the period must be set.
func (f StatsFilter) Validate() error {
	if f.GroupBy != "" {
		if _, ok := GroupByNames[f.GroupBy]; !ok {
			return FieldError("group_by", "分组方式不正确，应为 region、station、category、channel、unit、month 或 status。")
		}
	}
	if f.Period.From.IsZero() || !f.Period.From.Before(f.Period.To) {
		return FieldError("from", "请选择统计期间。")
	}
	if f.StationID < 0 {
		return FieldError("station_id", "联络站编号不正确。")
	}
	if f.UnitID < 0 {
		return FieldError("unit_id", "承办单位编号不正确。")
	}
	var v Validator
	v.MaxLen("category", "类别", f.Category, 50)
	v.MaxLen("region", "地区", f.Region, 20)
	return v.Err
}

// CaseStatsResult is the totals of the chosen cases and, with a breakdown,
// one row per group. The rows add up to the totals.
type CaseStatsResult struct {
	Totals CaseCounts `json:"totals"`
	Rows   []StatsRow `json:"rows"`
}

// StatsRow is one group of a breakdown: Key is the value grouped on (a
// region code, an ID, a category, a channel, a status, a month as
// 2026-11; "" for cases without one), Name its Chinese name.
type StatsRow struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	CaseCounts
}

// SortStatsRows orders rows by received descending then key, and months by key.
func SortStatsRows(groupBy string, rows []StatsRow) {
	slices.SortFunc(rows, func(a, b StatsRow) int {
		if groupBy != GroupByMonth && a.Received != b.Received {
			return b.Received - a.Received
		}
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
}
