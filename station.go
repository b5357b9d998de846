package lianluo

import (
	"context"
	"time"
)

// Station kinds (docs/design.md).
const (
	StationCenter  = "center"  // 中心联络站
	StationVillage = "village" // 村/社区联络站
	StationHome    = "home"    // 代表之家
	StationRoom    = "room"    // 接待室
)

// StationKindNames are the Chinese names of the station kinds.
var StationKindNames = map[string]string{
	StationCenter:  "中心联络站",
	StationVillage: "村/社区联络站",
	StationHome:    "代表之家",
	StationRoom:    "代表接待室",
}

// Station is a liaison station (人大代表联络站) managed by an NPC body.
type Station struct {
	ID           int64        `json:"id"`
	Kind         string       `json:"kind"`
	Name         string       `json:"name"`
	RegionCode   string       `json:"region_code"`
	RegionName   string       `json:"region_name,omitempty"`
	OrgID        int64        `json:"org_id"`
	OrgName      string       `json:"org_name,omitempty"`
	Address      string       `json:"address"`
	OpeningHours string       `json:"opening_hours"`
	Phone        string       `json:"phone"`
	HeadDeputyID *int64       `json:"head_deputy_id"`
	HeadName     string       `json:"head_name,omitempty"`
	Liaisons     []Liaison    `json:"liaisons"`
	DeputyIDs    []int64      `json:"deputy_ids"`
	Deputies     []DeputyRef  `json:"deputies,omitempty"`
	Board        StationBoard `json:"board"` // 上墙公布, shown on the public station page
	Active       bool         `json:"active"`
	Version      int          `json:"version"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// Liaison is a liaison officer (联络员) of a station.
type Liaison struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// DeputyRef names a deputy in another record.
type DeputyRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// MinStationDeputies is the floor of deputies per station (001: 每个联络站
// 至少安排2名以上代表). It is reported, not enforced on save, because a
// station is set up before its deputies are assigned.
const MinStationDeputies = 2

// Validate checks the fields a caller supplies.
func (s *Station) Validate() error {
	var v Validator
	v.OneOf("kind", "联络站类型", s.Kind, StationKindNames)
	v.Require("name", "联络站名称", s.Name)
	v.MaxLen("name", "联络站名称", s.Name, 100)
	v.Require("region_code", "所在行政区划", s.RegionCode)
	v.Check(s.OrgID > 0, "org_id", "请选择主管人大机构。")
	v.MaxLen("address", "地址", s.Address, 200)
	v.MaxLen("opening_hours", "开放时间", s.OpeningHours, 200)
	v.Phone("phone", "联系电话", s.Phone)
	v.Check(len(s.Liaisons) <= 20, "liaisons", "联络员不能超过20人。")
	if err := s.Board.Validate(); err != nil && v.Err == nil {
		v.Err = err
	}
	for _, l := range s.Liaisons {
		v.Require("liaisons", "联络员姓名", l.Name)
		v.MaxLen("liaisons", "联络员姓名", l.Name, 50)
		v.Phone("liaisons", "联络员电话", l.Phone)
	}
	return v.Err
}

// StationFilter selects stations inside the caller's scope.
type StationFilter struct {
	Kind   string
	Region string
	OrgID  int64
	Q      string
	Active *bool
	Page
}

// StationUpdate changes a station; nil fields are left as they are.
type StationUpdate struct {
	Kind         *string       `json:"kind"`
	Name         *string       `json:"name"`
	RegionCode   *string       `json:"region_code"`
	OrgID        *int64        `json:"org_id"`
	Address      *string       `json:"address"`
	OpeningHours *string       `json:"opening_hours"`
	Phone        *string       `json:"phone"`
	HeadDeputyID *int64        `json:"head_deputy_id"` // 0 clears
	Liaisons     *[]Liaison    `json:"liaisons"`
	DeputyIDs    *[]int64      `json:"deputy_ids"`
	Board        *StationBoard `json:"board"`
	Active       *bool         `json:"active"`
	Version      int           `json:"version"`
}

// Apply copies the set fields onto s.
func (u StationUpdate) Apply(s *Station) {
	setStr(&s.Kind, u.Kind)
	setStr(&s.Name, u.Name)
	setStr(&s.RegionCode, u.RegionCode)
	setStr(&s.Address, u.Address)
	setStr(&s.OpeningHours, u.OpeningHours)
	setStr(&s.Phone, u.Phone)
	if u.OrgID != nil {
		s.OrgID = *u.OrgID
	}
	if u.HeadDeputyID != nil {
		if *u.HeadDeputyID == 0 {
			s.HeadDeputyID = nil
		} else {
			id := *u.HeadDeputyID
			s.HeadDeputyID = &id
		}
	}
	if u.Liaisons != nil {
		s.Liaisons = *u.Liaisons
	}
	if u.DeputyIDs != nil {
		s.DeputyIDs = *u.DeputyIDs
	}
	if u.Board != nil {
		s.Board = *u.Board
	}
	if u.Active != nil {
		s.Active = *u.Active
	}
}

// StationService manages stations.
type StationService interface {
	FindStationByID(ctx context.Context, id int64) (*Station, error)
	FindStations(ctx context.Context, f StationFilter) ([]*Station, int, error)
	CreateStation(ctx context.Context, s *Station) error
	UpdateStation(ctx context.Context, id int64, u StationUpdate) (*Station, error)
	// StationChecklist returns a station's standards (九有) in scope.
	StationChecklist(ctx context.Context, id int64) (*StationChecklist, error)
	// TickChecklist marks one standard of a station met or not
	// (CanTickChecklist); t.Version must be the entry's version.
	TickChecklist(ctx context.Context, id int64, item string, t ChecklistTick) (*StationChecklist, error)
	// AddChecklistPhoto keeps a photo of one standard of a station
	// (CanTickChecklist; at most MaxChecklistPhotos).
	AddChecklistPhoto(ctx context.Context, id int64, item string, data []byte) (*StationChecklist, error)
	// ChecklistPhoto returns the n-th (from 1) photo of a standard of a
	// station in scope.
	ChecklistPhoto(ctx context.Context, id int64, item string, n int) (*Photo, error)
}
