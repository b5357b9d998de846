package lianluo

import (
	"regexp"
	"time"
	"unicode/utf8"
)

// The standards checklist of a liaison station (星级联络站的标准, 002:
// 九有 — 有牌子、有场所、有制度、有计划、有活动、有台账、有信箱、有经费、
// 有成效). The list is the deployment's (a setting with a version, like the
// scoring table); the NPC office over a station ticks each item for it with
// the day it was found met (docs/station-ratings.md).

// ChecklistItem is one standard of the list.
type ChecklistItem struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Checklist is the list of standards (GET/PUT /api/v1/settings/station-checklist).
type Checklist struct {
	Items   []ChecklistItem `json:"items"`
	Version int             `json:"version"`
}

// DefaultChecklist is 九有, the list of a new deployment.
func DefaultChecklist() Checklist {
	return Checklist{Version: 1, Items: []ChecklistItem{
		{"sign", "有牌子"}, {"place", "有场所"}, {"rules", "有制度"}, {"plan", "有计划"}, {"activities", "有活动"},
		{"ledger", "有台账"}, {"mailbox", "有信箱"}, {"funds", "有经费"}, {"results", "有成效"},
	}}
}

// MaxChecklistPhotos is how many photos one standard of a station keeps.
const MaxChecklistPhotos = 9

// ChecklistLimit bounds the number of standards.
const ChecklistLimit = 30

var checklistKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,29}$`)

// Validate checks a list: 1 to ChecklistLimit items, each a key of lower
// case letters, digits and _ (at most 30), a name of 1 to 20 characters,
// no key or name twice.
func (c Checklist) Validate() error {
	if len(c.Items) == 0 {
		return FieldError("items", "请至少列出一项标准。")
	}
	if len(c.Items) > ChecklistLimit {
		return FieldError("items", "标准最多 %d 项。", ChecklistLimit)
	}
	keys, names := map[string]bool{}, map[string]bool{}
	for _, it := range c.Items {
		if !checklistKeyRe.MatchString(it.Key) {
			return FieldError("items", "标准代码“%s”不正确，应为小写字母开头的字母、数字或下划线（不超过 30 个）。", it.Key)
		}
		if n := utf8.RuneCountInString(it.Name); n == 0 || n > 20 {
			return FieldError("items", "标准“%s”的名称应为 1 至 20 个字。", it.Key)
		}
		if keys[it.Key] || names[it.Name] {
			return FieldError("items", "标准“%s”重复。", it.Name)
		}
		keys[it.Key], names[it.Name] = true, true
	}
	return nil
}

// Has reports whether the list has the item.
func (c Checklist) Has(key string) bool {
	for _, it := range c.Items {
		if it.Key == key {
			return true
		}
	}
	return false
}

// ChecklistEntry is one standard for one station: met or not, since when,
// its photos. Version is 1 until first ticked.
type ChecklistEntry struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Done    bool   `json:"done"`
	Date    string `json:"date"` // the day it was found met, 2006-01-02 ("" when not)
	Photos  int    `json:"photos"`
	Version int    `json:"version"`
}

// StationChecklist is a station's checklist
// (GET /api/v1/stations/{id}/checklist): every standard of the list in
// its order, and how many are met.
type StationChecklist struct {
	StationID int64            `json:"station_id"`
	Name      string           `json:"name"`
	Items     []ChecklistEntry `json:"items"`
	Done      int              `json:"done"`
	Total     int              `json:"total"`
	CanTick   bool             `json:"can_tick"`
}

// ChecklistTick is a change of one entry
// (PUT /api/v1/stations/{id}/checklist/{item}).
type ChecklistTick struct {
	Done    bool   `json:"done"`
	Date    string `json:"date"`
	Version int    `json:"version"`
}

// Validate checks a tick at now: a met standard needs the day, a date no
// later than today (Beijing); an unmet one clears it.
func (t *ChecklistTick) Validate(now time.Time) error {
	if !t.Done {
		t.Date = ""
		return nil
	}
	if t.Date == "" {
		return FieldError("date", "请填写达标日期。")
	}
	d, err := time.ParseInLocation("2006-01-02", t.Date, Beijing)
	if err != nil {
		return FieldError("date", "达标日期格式应为 2026-05-01。")
	}
	if d.After(now) {
		return FieldError("date", "达标日期不能晚于今天。")
	}
	if d.Year() < 2000 {
		return FieldError("date", "达标日期不正确。")
	}
	return nil
}

// CanTickChecklist reports whether the actor may tick a station's
// standards: the system administrator, or the NPC office whose region
// holds the station (station staff only read them).
func CanTickChecklist(a *Actor, s *Station) bool {
	if a.IsSystemAdmin() {
		return true
	}
	return a.Has(RoleNPCOffice) && a.Scope.InRegion(s.RegionCode)
}

// ChecklistChange describes a tick for the audit trail.
func ChecklistChange(station, item string, t ChecklistTick) string {
	if t.Done {
		return "联络站“" + station + "”" + item + "：已达标（" + t.Date + "）"
	}
	return "联络站“" + station + "”" + item + "：未达标"
}
