package lianluo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Year plans (年初计划, docs/year-plans.md). 002 asks stations to "年初先拿出
// 全年计划" and make the year's activity dates known to the deputies; 003
// has each deputy group plan its year at its start (代表小组年初制定活动计划).
// A plan lists, month by month, the activities the station or the group
// means to hold, each of an existing activity kind (activity.go). The
// office over the owner's region writes and publishes it; publishing tells
// the owner's deputies. Read against the activities actually held, each
// item is done, done late, late or still to come, and what was held without
// being planned is listed too.

// PlanOwnerKind is who a year plan belongs to.
type PlanOwnerKind string

// Year plan owners.
const (
	PlanOwnerStation PlanOwnerKind = "station" // 联络站
	PlanOwnerGroup   PlanOwnerKind = "group"   // 代表小组
)

// Name is the owner kind's Chinese name.
func (k PlanOwnerKind) Name() string {
	if k == PlanOwnerGroup {
		return "代表小组"
	}
	return "联络站"
}

// YearPlanStatus is where a plan stands.
type YearPlanStatus string

// Year plan statuses.
const (
	YearPlanDraft     YearPlanStatus = "draft"     // being written, seen by staff only
	YearPlanPublished YearPlanStatus = "published" // told to the deputies
)

// Name is the status's Chinese name.
func (s YearPlanStatus) Name() string {
	if s == YearPlanPublished {
		return "已发布"
	}
	return "未发布"
}

// MaxPlanItems bounds a plan: a station holding an activity every working
// day would still fit.
const MaxPlanItems = 200

// YearPlanItem is one planned activity: a month, a kind, a title.
type YearPlanItem struct {
	Month int    `json:"month"` // 1–12
	Kind  string `json:"kind"`  // an activity kind (ActivityKinds)
	Title string `json:"title"`
	Note  string `json:"note"`
	// State and Activity are filled on reading a single plan (MatchYearPlan).
	State    PlanItemState `json:"state,omitempty"`
	Activity *PlanActivity `json:"activity,omitempty"` // the activity that did it
}

// YearPlan is a station's or a deputy group's 年初计划 for a year.
type YearPlan struct {
	ID         int64          `json:"id"`
	OwnerKind  PlanOwnerKind  `json:"owner_kind"`
	OwnerID    int64          `json:"owner_id"`
	OwnerName  string         `json:"owner_name"`
	RegionCode string         `json:"region_code"` // the owner's, for scope
	Year       int            `json:"year"`
	Items      []YearPlanItem `json:"items"`
	Status     YearPlanStatus `json:"status"`
	// PublishedAt is the first publication: the deputies were told then,
	// and later edits do not tell them again.
	PublishedAt *time.Time `json:"published_at,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// On reading a single plan: the planned-against-done reading, the
	// warnings against the norms, and whether the caller may write.
	Progress *PlanProgress `json:"progress,omitempty"`
	Warnings []string      `json:"warnings"`
	CanWrite bool          `json:"can_write"`
}

// YearPlanInput is a new plan.
type YearPlanInput struct {
	OwnerKind PlanOwnerKind  `json:"owner_kind"`
	OwnerID   int64          `json:"owner_id"`
	Year      int            `json:"year"`
	Items     []YearPlanItem `json:"items"`
}

// YearPlanUpdate replaces a plan's items; Version is required.
type YearPlanUpdate struct {
	Items   []YearPlanItem `json:"items"`
	Version int            `json:"version"`
}

// YearPlanFilter selects plans in the caller's scope.
type YearPlanFilter struct {
	Year      int
	StationID int64
	GroupID   int64
	Page
}

// YearPlanService keeps year plans.
type YearPlanService interface {
	CreateYearPlan(ctx context.Context, in YearPlanInput) (*YearPlan, error)
	FindYearPlans(ctx context.Context, f YearPlanFilter) ([]*YearPlan, int, error)
	// FindYearPlanByID returns the plan with its progress and warnings.
	FindYearPlanByID(ctx context.Context, id int64) (*YearPlan, error)
	// UpdateYearPlan replaces the items, draft or published; an edit of a
	// published plan is recorded with what changed.
	UpdateYearPlan(ctx context.Context, id int64, u YearPlanUpdate) (*YearPlan, error)
	// PublishYearPlan publishes a draft and tells the owner's deputies.
	PublishYearPlan(ctx context.Context, id int64, version int) (*YearPlan, error)
	// YearPlanWriter says whether the caller may write the owner's plans
	// (the pages offer the form by it).
	YearPlanWriter(ctx context.Context, kind PlanOwnerKind, ownerID int64) (bool, error)
}

// PlanYearOK is the years a plan may be written for: last year (a plan
// entered late), this year and next (planned in December).
func PlanYearOK(year int, now time.Time) bool {
	y := now.In(Beijing).Year()
	return year >= y-1 && year <= y+1
}

// Validate checks a new plan: the owner, the year and the items.
func (in *YearPlanInput) Validate(now time.Time) error {
	if in.OwnerKind != PlanOwnerStation && in.OwnerKind != PlanOwnerGroup {
		return FieldError("owner_kind", "计划所属应为联络站（station）或代表小组（group）。")
	}
	if in.OwnerID <= 0 {
		return FieldError("owner_id", "请选择%s。", in.OwnerKind.Name())
	}
	if !PlanYearOK(in.Year, now) {
		y := now.In(Beijing).Year()
		return FieldError("year", "年度应为%d至%d年。", y-1, y+1)
	}
	return ValidatePlanItems(in.OwnerKind, in.Items)
}

// ValidatePlanItems checks the items (trimming their text); the field of
// an error names the item, as items[2].month.
func ValidatePlanItems(owner PlanOwnerKind, items []YearPlanItem) error {
	if len(items) > MaxPlanItems {
		return FieldError("items", "计划最多%d项。", MaxPlanItems)
	}
	for i := range items {
		it := &items[i]
		it.Title, it.Note = strings.TrimSpace(it.Title), strings.TrimSpace(it.Note)
		it.State, it.Activity = "", nil
		f := func(name string) string { return fmt.Sprintf("items[%d].%s", i, name) }
		n := i + 1
		if it.Month < 1 || it.Month > 12 {
			return FieldError(f("month"), "第%d项的月份应为1至12月。", n)
		}
		if _, ok := ActivityKindNames[it.Kind]; !ok {
			return FieldError(f("kind"), "第%d项的活动类型不正确。", n)
		}
		// A group meeting is the group's own (003 代表小组活动制度): it
		// goes in the group's plan, where its activities are matched.
		if owner == PlanOwnerStation && it.Kind == ActivityGroupMeeting {
			return FieldError(f("kind"), "第%d项：代表小组活动请列入代表小组的年度计划。", n)
		}
		var v Validator
		v.Require(f("title"), fmt.Sprintf("第%d项的活动名称", n), it.Title)
		v.MaxLen(f("title"), fmt.Sprintf("第%d项的活动名称", n), it.Title, 100)
		v.MaxLen(f("note"), fmt.Sprintf("第%d项的说明", n), it.Note, 500)
		if v.Err != nil {
			return v.Err
		}
	}
	return nil
}

// SortPlanItems orders items by month, keeping the order written within one.
func SortPlanItems(items []YearPlanItem) {
	slices.SortStableFunc(items, func(a, b YearPlanItem) int { return a.Month - b.Month })
}

// PlanWarnings measures a plan against the norms and says in words where
// it falls short. A warning does not stop the plan: the office may have
// its reasons, and the plan says what it says.
//
//   - A station: at least MinActivitiesYear activities a year, at least
//     one a quarter (003 活动制度 三, the norm the station rating measures).
//   - A deputy group: its group meetings 1–2 a year (003 代表小组活动制度
//     一), and the group's 六个一 (003; SixOneRules) each planned — among
//     them the yearly 述职 (004 asks 20–30 % of the deputies to report from
//     the second year of a term; 003 at least one 述职 activity a year, the
//     simpler rule, used here for every year).
//   - Either: a 评议 outside the fourth quarter (003 评议部门制度 三).
func PlanWarnings(owner PlanOwnerKind, year int, items []YearPlanItem) []string {
	out := []string{}
	switch owner {
	case PlanOwnerStation:
		if len(items) < MinActivitiesYear {
			out = append(out, fmt.Sprintf("全年计划活动%d次，少于每年不少于%d次的要求（003）。", len(items), MinActivitiesYear))
		}
		var quarters [4]int
		for _, it := range items {
			if it.Month >= 1 && it.Month <= 12 {
				quarters[(it.Month-1)/3]++
			}
		}
		for q, n := range quarters {
			if n < MinActivitiesQuarter {
				out = append(out, fmt.Sprintf("第%s季度没有安排活动（003：每季度组织一至二次）。", quarterNames[q]))
			}
		}
	case PlanOwnerGroup:
		meetings := 0
		facts := make([]SixOneFact, 0, len(items))
		for _, it := range items {
			if it.Kind == ActivityGroupMeeting {
				meetings++
			}
			facts = append(facts, SixOneFact{SixOneEvidence: SixOneEvidence{Kind: EvidenceActivity,
				Date: fmt.Sprintf("%04d-%02d-15", year, it.Month)}, Sub: it.Kind, Status: ActivityDone})
		}
		if meetings < 1 || meetings > 2 {
			out = append(out, fmt.Sprintf("代表小组活动计划%d次；代表小组活动每年一般安排1至2次（003）。", meetings))
		}
		for _, it := range MeasureSixOnes(SixOnesGroup, year, facts) {
			if !it.Met {
				out = append(out, fmt.Sprintf("“六个一”中“%s”未列入计划（003）。", it.Name))
			}
		}
	}
	for _, it := range items {
		if it.Kind == ActivityAppraisal && it.Month < 10 {
			out = append(out, fmt.Sprintf("“%s”安排在%d月；工作评议应安排在第四季度（003）。", it.Title, it.Month))
		}
	}
	return out
}

// PlanItemState is how a planned item stands against what was held.
type PlanItemState string

// Plan item states.
const (
	PlanDone     PlanItemState = "done"      // held in its month
	PlanDoneLate PlanItemState = "done_late" // held in a later month
	PlanLate     PlanItemState = "late"      // its month is over and nothing was held
	PlanUpcoming PlanItemState = "upcoming"  // its month has not ended yet
)

// PlanItemStateNames are the states' Chinese names.
var PlanItemStateNames = map[PlanItemState]string{
	PlanDone: "按时完成", PlanDoneLate: "推迟完成", PlanLate: "逾期未办", PlanUpcoming: "未到期",
}

// Name is the state's Chinese name.
func (s PlanItemState) Name() string { return PlanItemStateNames[s] }

// PlanActivity is an activity the owner held, as the matching sees it.
type PlanActivity struct {
	ID    int64     `json:"id"`
	Kind  string    `json:"kind"`
	Title string    `json:"title"`
	Date  time.Time `json:"date"` // when it started, Beijing
}

// PlanProgress is a plan read against the activities held.
type PlanProgress struct {
	Done     int `json:"done"`
	DoneLate int `json:"done_late"`
	Late     int `json:"late"`
	Upcoming int `json:"upcoming"`
	// Unplanned are the activities held that no item accounts for.
	Unplanned []PlanActivity `json:"unplanned"`
}

// MatchYearPlan reads the items of a plan for year against the activities
// the owner held that year, at now, setting each item's State and Activity.
//
// An item is done by an activity of its kind in its month; what is left is
// done late by the earliest activity of its kind held in a later month (an
// activity first serves an item of its own month); an item still undone
// is late once its month is over, else upcoming. An activity held before
// its item's month does not count for it (the plan moved, the office edits
// it) and is listed with the unplanned ones.
func MatchYearPlan(year int, items []YearPlanItem, held []PlanActivity, now time.Time) PlanProgress {
	held = slices.Clone(held)
	slices.SortStableFunc(held, func(a, b PlanActivity) int { return a.Date.Compare(b.Date) })
	used := make([]bool, len(held))
	month := func(a PlanActivity) int {
		d := a.Date.In(Beijing)
		if d.Year() != year {
			return 0
		}
		return int(d.Month())
	}
	for i := range items {
		items[i].State, items[i].Activity = "", nil
	}
	// Items in month order, so that the earliest item takes the earliest
	// late activity.
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return items[a].Month - items[b].Month })
	take := func(i int, ok func(m int) bool, state PlanItemState) {
		for j, a := range held {
			if !used[j] && a.Kind == items[i].Kind && ok(month(a)) {
				used[j] = true
				act := a
				items[i].State, items[i].Activity = state, &act
				return
			}
		}
	}
	for _, i := range order {
		m := items[i].Month
		take(i, func(am int) bool { return am == m }, PlanDone)
	}
	for _, i := range order {
		if items[i].State == "" {
			m := items[i].Month
			take(i, func(am int) bool { return am > m }, PlanDoneLate)
		}
	}
	n := now.In(Beijing)
	var p PlanProgress
	for i := range items {
		it := &items[i]
		if it.State == "" {
			over := year < n.Year() || (year == n.Year() && it.Month < int(n.Month()))
			it.State = PlanUpcoming
			if over {
				it.State = PlanLate
			}
		}
		switch it.State {
		case PlanDone:
			p.Done++
		case PlanDoneLate:
			p.DoneLate++
		case PlanLate:
			p.Late++
		case PlanUpcoming:
			p.Upcoming++
		}
	}
	p.Unplanned = []PlanActivity{}
	for j, a := range held {
		if !used[j] {
			p.Unplanned = append(p.Unplanned, a)
		}
	}
	return p
}

// PlanChanges describes an edit of the items for the audit trail, as
// "新增2项，删除1项" (an item is its month, kind and title; a changed note
// alone is "修改说明").
func PlanChanges(old, new []YearPlanItem) string {
	key := func(it YearPlanItem) string { return fmt.Sprintf("%d\x00%s\x00%s", it.Month, it.Kind, it.Title) }
	count := map[string]int{}
	for _, it := range old {
		count[key(it)]++
	}
	added := 0
	for _, it := range new {
		if count[key(it)] > 0 {
			count[key(it)]--
		} else {
			added++
		}
	}
	removed := 0
	for _, n := range count {
		removed += n
	}
	var parts []string
	if added > 0 {
		parts = append(parts, fmt.Sprintf("新增%d项", added))
	}
	if removed > 0 {
		parts = append(parts, fmt.Sprintf("删除%d项", removed))
	}
	if len(parts) == 0 {
		notes := len(old) != len(new)
		for i := 0; !notes && i < len(old); i++ {
			notes = old[i].Note != new[i].Note
		}
		if notes {
			return "修改说明"
		}
		return "调整顺序"
	}
	return strings.Join(parts, "，")
}

// PlanOwner is what the powers over a plan look at: the owner's region,
// its station (a group's own station, if any) and its deputies (a
// station's assigned deputies, a group's members), loaded by the caller.
type PlanOwner struct {
	RegionCode string
	StationID  *int64
	Deputies   []int64
}

// YearPlanPowers says what the actor may do with the owner's plans: write
// and publish them (the office over the owner's region, administrators —
// the plan is the office's arrangement for the year, 002 指导做到年初先拿出
// 全年计划), or read them (staff of the region, the station's head and
// liaisons, and the owner's deputies — who see a published plan only,
// YearPlanVisible).
func YearPlanPowers(a *Actor, o PlanOwner) (write, read bool) {
	if a.CanManageRegion(o.RegionCode) {
		return true, true
	}
	if a.Scope.InRegion(o.RegionCode) {
		return false, true
	}
	if o.StationID != nil && a.WorksAtStation(*o.StationID) {
		return false, true
	}
	if a.Has(RoleDeputy) {
		for _, d := range o.Deputies {
			if slices.Contains(a.Scope.Deputies, d) {
				return false, true
			}
		}
	}
	return false, false
}

// YearPlanVisible says whether a reader sees a plan in status: a draft is
// the staff's until published, so a deputy who is not staff sees it only
// then.
func YearPlanVisible(a *Actor, o PlanOwner, status YearPlanStatus) bool {
	write, read := YearPlanPowers(a, o)
	if !read {
		return false
	}
	if status == YearPlanPublished || write || a.Scope.InRegion(o.RegionCode) {
		return true
	}
	return o.StationID != nil && a.WorksAtStation(*o.StationID)
}
