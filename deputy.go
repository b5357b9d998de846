package lianluo

import (
	"context"
	"time"
)

// Deputy levels (五级人大代表).
const (
	DeputyNational   = "national"   // 全国人大代表
	DeputyProvincial = "provincial" // 省人大代表
	DeputyCity       = "city"       // 市人大代表
	DeputyCounty     = "county"     // 县(区)人大代表
	DeputyTownship   = "township"   // 乡镇人大代表
)

// DeputyLevelNames are the Chinese names of the deputy levels.
var DeputyLevelNames = map[string]string{
	DeputyNational:   "全国人大代表",
	DeputyProvincial: "省人大代表",
	DeputyCity:       "市人大代表",
	DeputyCounty:     "区县人大代表",
	DeputyTownship:   "乡镇人大代表",
}

// DeputyLevels lists the levels from the top down.
var DeputyLevels = []string{DeputyNational, DeputyProvincial, DeputyCity, DeputyCounty, DeputyTownship}

// Deputy statuses (003: 代表资格终止, 调离).
const (
	DeputyInOffice    = "in_office"
	DeputyTerminated  = "terminated"
	DeputyTransferred = "transferred"
)

// DeputyStatusNames are the Chinese names of the deputy statuses.
var DeputyStatusNames = map[string]string{
	DeputyInOffice:    "在任",
	DeputyTerminated:  "代表资格终止",
	DeputyTransferred: "已调离",
}

// GenderNames are the Chinese names of the genders.
var GenderNames = map[string]string{"male": "男", "female": "女"}

// Deputy is a People's Congress deputy (人大代表). One person may hold seats
// at several levels at once.
type Deputy struct {
	ID         int64        `json:"id"`
	Name       string       `json:"name"`
	Gender     string       `json:"gender"`
	Phone      string       `json:"phone"`
	Ethnicity  string       `json:"ethnicity"`
	Party      string       `json:"party"` // 政治面貌
	Occupation string       `json:"occupation"`
	WorkUnit   string       `json:"work_unit"`
	RegionCode string       `json:"region_code"`
	RegionName string       `json:"region_name,omitempty"`
	GroupID    *int64       `json:"group_id"`
	GroupName  string       `json:"group_name,omitempty"`
	Seats      []Seat       `json:"seats"`
	StationIDs []int64      `json:"station_ids"`
	Stations   []StationRef `json:"stations,omitempty"`
	Leader     bool         `json:"leader"`     // holds a leadership post (领导干部代表)
	FirstTerm  bool         `json:"first_term"` // 新任代表: paired with experienced deputies on the rota (001)
	Status     string       `json:"status"`
	Bio        string       `json:"bio"`
	HasPhoto   bool         `json:"has_photo"`
	Version    int          `json:"version"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// Seat is one level and term a deputy holds (e.g. 区第十八届, 选区 第3选区).
type Seat struct {
	Level        string `json:"level"`
	Term         int    `json:"term"` // 届次
	Constituency string `json:"constituency"`
}

// StationRef names a station in another record.
type StationRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// LevelsText renders the seats by the levels' general names: "市人大代表、
// 区县人大代表". Pages name them after the region instead (SeatsText).
func (d *Deputy) LevelsText() string {
	s := ""
	for i, seat := range d.Seats {
		if i > 0 {
			s += "、"
		}
		s += DeputyLevelNames[seat.Level]
	}
	return s
}

// Validate checks the fields a caller supplies.
func (d *Deputy) Validate() error {
	var v Validator
	v.Require("name", "姓名", d.Name)
	v.MaxLen("name", "姓名", d.Name, 50)
	v.OneOf("gender", "性别", d.Gender, GenderNames)
	v.Phone("phone", "手机号", d.Phone)
	v.MaxLen("ethnicity", "民族", d.Ethnicity, 20)
	v.MaxLen("party", "政治面貌", d.Party, 30)
	v.MaxLen("occupation", "职业", d.Occupation, 100)
	v.MaxLen("work_unit", "工作单位及职务", d.WorkUnit, 200)
	v.Require("region_code", "所属行政区划", d.RegionCode)
	v.OneOf("status", "状态", d.Status, DeputyStatusNames)
	v.MaxLen("bio", "简介", d.Bio, 2000)
	v.Check(len(d.Seats) > 0, "seats", "请至少填写一个代表层级。")
	v.Check(len(d.Seats) <= len(DeputyLevels), "seats", "代表层级过多。")
	seen := map[string]bool{}
	for _, s := range d.Seats {
		v.OneOf("seats", "代表层级", s.Level, DeputyLevelNames)
		v.Check(!seen[s.Level], "seats", "同一层级只能填写一次。")
		seen[s.Level] = true
		v.Check(s.Term >= 0 && s.Term <= 99, "seats", "届次应为0到99之间的数字。")
		v.MaxLen("seats", "选区", s.Constituency, 100)
	}
	return v.Err
}

// DeputyFilter selects deputies inside the caller's scope.
type DeputyFilter struct {
	Region    string
	StationID int64
	GroupID   int64
	Level     string
	Status    string
	Q         string
	Page
}

// DeputyUpdate changes a deputy; nil fields are left as they are.
type DeputyUpdate struct {
	Name       *string  `json:"name"`
	Gender     *string  `json:"gender"`
	Phone      *string  `json:"phone"`
	Ethnicity  *string  `json:"ethnicity"`
	Party      *string  `json:"party"`
	Occupation *string  `json:"occupation"`
	WorkUnit   *string  `json:"work_unit"`
	RegionCode *string  `json:"region_code"`
	GroupID    *int64   `json:"group_id"` // 0 clears
	Seats      *[]Seat  `json:"seats"`
	StationIDs *[]int64 `json:"station_ids"`
	Leader     *bool    `json:"leader"`
	FirstTerm  *bool    `json:"first_term"`
	Status     *string  `json:"status"`
	Bio        *string  `json:"bio"`
	Version    int      `json:"version"`
}

// Apply copies the set fields onto d.
func (u DeputyUpdate) Apply(d *Deputy) {
	setStr(&d.Name, u.Name)
	setStr(&d.Gender, u.Gender)
	setStr(&d.Phone, u.Phone)
	setStr(&d.Ethnicity, u.Ethnicity)
	setStr(&d.Party, u.Party)
	setStr(&d.Occupation, u.Occupation)
	setStr(&d.WorkUnit, u.WorkUnit)
	setStr(&d.RegionCode, u.RegionCode)
	setStr(&d.Status, u.Status)
	setStr(&d.Bio, u.Bio)
	if u.GroupID != nil {
		if *u.GroupID == 0 {
			d.GroupID = nil
		} else {
			id := *u.GroupID
			d.GroupID = &id
		}
	}
	if u.Seats != nil {
		d.Seats = *u.Seats
	}
	if u.StationIDs != nil {
		d.StationIDs = *u.StationIDs
	}
	if u.FirstTerm != nil {
		d.FirstTerm = *u.FirstTerm
	}
	if u.Leader != nil {
		d.Leader = *u.Leader
	}
}

// DeputyService manages deputies.
type DeputyService interface {
	FindDeputyByID(ctx context.Context, id int64) (*Deputy, error)
	FindDeputies(ctx context.Context, f DeputyFilter) ([]*Deputy, int, error)
	CreateDeputy(ctx context.Context, d *Deputy) error
	UpdateDeputy(ctx context.Context, id int64, u DeputyUpdate) (*Deputy, error)
	// SetDeputyPhoto sets the portrait shown on the public profile (an
	// image, sniffed); empty data removes it.
	SetDeputyPhoto(ctx context.Context, id int64, data []byte) error
	// DeputyRecord builds the deputy's 履职档案 for a year
	// (CanReadDeputyRecord; others get not found).
	DeputyRecord(ctx context.Context, id int64, year int) (*DeputyRecord, error)
}
