package lianluo

import "slices"

// Areas are the parts of the platform an actor's roles open: the console's
// menu and its pages ask here, by area, instead of listing roles. The store
// still decides each record (scope and the record rules: StationPowers,
// OccasionPowers, CanSendAttendanceNotice…); an area closed here is one
// where every request would be refused or empty.
type Areas struct {
	Cases     bool // 我的待办, 群众意见: every role has a part in the workflow
	Stats     bool // 统计分析 (CanSeeStats)
	Orgs      bool // 机构: the NPC bodies' people
	Registry  bool // 联络站, 人大代表, 代表小组: NPC and station staff, deputies
	Occasions bool // 接待安排, 代表活动
	Records   bool // 民情日记, 代表信箱
	Accounts  bool // 用户与权限, Excel导入导出 (CanManageRegistry)
	Settings  bool // 网上联络站设置, 节假日安排, 通知发送记录: the system administrator
	// Review: 用户与权限 read-only, every account and its roles, with
	// unlocking (the security administrator, CanReviewAccounts).
	Review   bool
	Security bool // 安全设置 (CanManageSecurity)
	Audit    bool // 操作日志 (CanReadAudit)

	// Staff: NPC or station staff — more than a deputy's own view: station
	// filters, the activities' norms, the stations' shortfalls.
	Staff bool
	// OrganiseActivities: may create activities at all (the store decides
	// for each organiser with OccasionPowers).
	OrganiseActivities bool
	// SendAttendanceNotices: may send deputies' attendance notices at all
	// (the store decides for each deputy with CanSendAttendanceNotice).
	SendAttendanceNotices bool
	// TakeCasesDirectly: an NPC body registers a case without a station
	// (letters and calls to the office).
	TakeCasesDirectly bool
}

// AreasOf is what the actor's roles open.
func AreasOf(a *Actor) Areas {
	npc := a.HasAny(RoleSystemAdmin, RoleNPCOffice, RoleNPCLeader)
	station := a.HasAny(RoleStationHead, RoleLiaison)
	deputy := a.Has(RoleDeputy)
	return Areas{
		Cases:                 npc || station || deputy || a.Has(RoleUnitHandler),
		Stats:                 CanSeeStats(a),
		Orgs:                  npc,
		Registry:              npc || station || deputy,
		Occasions:             npc || station || deputy,
		Records:               npc || station || deputy,
		Accounts:              a.CanManageRegistry(),
		Settings:              a.IsSystemAdmin(),
		Review:                CanReviewAccounts(a),
		Security:              CanManageSecurity(a),
		Audit:                 CanReadAudit(a),
		Staff:                 npc || station,
		OrganiseActivities:    a.HasAny(RoleSystemAdmin, RoleNPCOffice, RoleStationHead) || deputy,
		SendAttendanceNotices: a.HasAny(RoleSystemAdmin, RoleNPCOffice, RoleStationHead),
		TakeCasesDirectly:     npc,
	}
}

// CanSendAttendanceNotice decides whether a may send the attendance notice
// of a deputy of region deputyRegion serving at deputyStations: the NPC
// office over the deputy's region (or an administrator), or the head of one
// of the deputy's stations (002: 书面通报给每位代表).
func CanSendAttendanceNotice(a *Actor, deputyRegion string, deputyStations []int64) bool {
	return a.CanManageRegion(deputyRegion) || slices.ContainsFunc(deputyStations, a.HeadsStation)
}

// CanDeclareUnavailability decides whether a may declare or withdraw the
// days a deputy of deputyRegion cannot take a turn: the deputy themselves,
// or the NPC office over the deputy's region (or an administrator).
func CanDeclareUnavailability(a *Actor, deputyRegion string, deputyID int64) bool {
	return a.CanManageRegion(deputyRegion) || (a.Has(RoleDeputy) && slices.Contains(a.Scope.Deputies, deputyID))
}
