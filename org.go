package lianluo

import (
	"context"
	"time"
)

// Organisation kinds.
const (
	OrgNPC  = "npc"  // NPC body: 区人大常委会, 乡镇人大主席团, 街道人大工委
	OrgUnit = "unit" // handling unit (承办单位): departments, town governments, courts…
)

// OrgKindNames are the Chinese names of the organisation kinds.
var OrgKindNames = map[string]string{
	OrgNPC:  "人大机构",
	OrgUnit: "承办单位",
}

// Org is an organisation: an NPC body or a handling unit, attached to a
// region. NPC bodies form a chain upward through ParentID (town → district →
// city), used to escalate cases.
type Org struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Name       string    `json:"name"`
	RegionCode string    `json:"region_code"`
	RegionName string    `json:"region_name,omitempty"`
	ParentID   *int64    `json:"parent_id"`
	ParentName string    `json:"parent_name,omitempty"`
	Contact    string    `json:"contact"`
	Phone      string    `json:"phone"`
	Address    string    `json:"address"`
	Active     bool      `json:"active"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate checks the fields a caller supplies.
func (o *Org) Validate() error {
	var v Validator
	v.OneOf("kind", "机构类型", o.Kind, OrgKindNames)
	v.Require("name", "机构名称", o.Name)
	v.MaxLen("name", "机构名称", o.Name, 100)
	v.Require("region_code", "所属行政区划", o.RegionCode)
	v.MaxLen("contact", "联系人", o.Contact, 50)
	v.Phone("phone", "联系电话", o.Phone)
	v.MaxLen("address", "地址", o.Address, 200)
	return v.Err
}

// OrgFilter selects organisations inside the caller's scope.
type OrgFilter struct {
	Kind   string
	Region string // subtree
	Q      string
	Active *bool
	Page
}

// OrgUpdate changes an organisation. Nil fields are left as they are;
// ParentID 0 clears the parent. Version must match the stored version.
type OrgUpdate struct {
	Name       *string `json:"name"`
	RegionCode *string `json:"region_code"`
	ParentID   *int64  `json:"parent_id"`
	Contact    *string `json:"contact"`
	Phone      *string `json:"phone"`
	Address    *string `json:"address"`
	Active     *bool   `json:"active"`
	Version    int     `json:"version"`
}

// Apply copies the set fields onto o.
func (u OrgUpdate) Apply(o *Org) {
	setStr(&o.Name, u.Name)
	setStr(&o.RegionCode, u.RegionCode)
	setStr(&o.Contact, u.Contact)
	setStr(&o.Phone, u.Phone)
	setStr(&o.Address, u.Address)
	if u.ParentID != nil {
		if *u.ParentID == 0 {
			o.ParentID = nil
		} else {
			id := *u.ParentID
			o.ParentID = &id
		}
	}
	if u.Active != nil {
		o.Active = *u.Active
	}
}

func setStr(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

// OrgService manages organisations.
type OrgService interface {
	FindOrgByID(ctx context.Context, id int64) (*Org, error)
	FindOrgs(ctx context.Context, f OrgFilter) ([]*Org, int, error)
	CreateOrg(ctx context.Context, o *Org) error
	UpdateOrg(ctx context.Context, id int64, u OrgUpdate) (*Org, error)
}
