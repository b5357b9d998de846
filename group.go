package lianluo

import (
	"context"
	"time"
)

// DeputyGroup is a deputy group (代表小组) with its leader, deputy leader and
// recorder (003 代表小组活动制度). Members are the deputies whose GroupID
// points here.
type DeputyGroup struct {
	ID             int64       `json:"id"`
	Name           string      `json:"name"`
	OrgID          int64       `json:"org_id"`
	OrgName        string      `json:"org_name,omitempty"`
	RegionCode     string      `json:"region_code"`
	StationID      *int64      `json:"station_id"`
	LeaderID       *int64      `json:"leader_id"`
	DeputyLeaderID *int64      `json:"deputy_leader_id"`
	RecorderID     *int64      `json:"recorder_id"`
	Members        []DeputyRef `json:"members,omitempty"`
	Active         bool        `json:"active"`
	Version        int         `json:"version"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

// Validate checks the fields a caller supplies.
func (g *DeputyGroup) Validate() error {
	var v Validator
	v.Require("name", "小组名称", g.Name)
	v.MaxLen("name", "小组名称", g.Name, 100)
	v.Check(g.OrgID > 0, "org_id", "请选择所属人大机构。")
	v.Require("region_code", "所属行政区划", g.RegionCode)
	return v.Err
}

// GroupFilter selects deputy groups inside the caller's scope.
type GroupFilter struct {
	Region string
	OrgID  int64
	Q      string
	Page
}

// GroupUpdate changes a deputy group; nil fields are left as they are; 0 clears an ID.
type GroupUpdate struct {
	Name           *string `json:"name"`
	OrgID          *int64  `json:"org_id"`
	RegionCode     *string `json:"region_code"`
	StationID      *int64  `json:"station_id"`
	LeaderID       *int64  `json:"leader_id"`
	DeputyLeaderID *int64  `json:"deputy_leader_id"`
	RecorderID     *int64  `json:"recorder_id"`
	Active         *bool   `json:"active"`
	Version        int     `json:"version"`
}

// Apply copies the set fields onto g.
func (u GroupUpdate) Apply(g *DeputyGroup) {
	setStr(&g.Name, u.Name)
	setStr(&g.RegionCode, u.RegionCode)
	if u.OrgID != nil {
		g.OrgID = *u.OrgID
	}
	setID(&g.StationID, u.StationID)
	setID(&g.LeaderID, u.LeaderID)
	setID(&g.DeputyLeaderID, u.DeputyLeaderID)
	setID(&g.RecorderID, u.RecorderID)
	if u.Active != nil {
		g.Active = *u.Active
	}
}

func setID(dst **int64, src *int64) {
	if src == nil {
		return
	}
	if *src == 0 {
		*dst = nil
		return
	}
	id := *src
	*dst = &id
}

// GroupService manages deputy groups.
type GroupService interface {
	FindGroupByID(ctx context.Context, id int64) (*DeputyGroup, error)
	FindGroups(ctx context.Context, f GroupFilter) ([]*DeputyGroup, int, error)
	CreateGroup(ctx context.Context, g *DeputyGroup) error
	UpdateGroup(ctx context.Context, id int64, u GroupUpdate) (*DeputyGroup, error)
}
