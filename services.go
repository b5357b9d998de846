package lianluo

import "context"

// Services are the application services the HTTP adapters (pages and API)
// and the command line call. sqlstore.DB implements all of them.
type Services struct {
	Auth     AuthService
	Regions  RegionService
	Orgs     OrgService
	Stations StationService
	Deputies DeputyService
	Groups   GroupService
	Users    UserService
	Events   EventService
	Imports  ImportService

	Cases       CaseService
	Settings    SettingsService
	Attachments AttachmentService
	Inbox       NotificationService
	Outbox      OutboxService           // 通知发送记录 (administrators)
	NotifyPrefs NotificationPrefService // 通知设置 (every user, their own)

	Public PublicService
	Stats  StatsService // 统计分析

	Receptions ReceptionService
	Activities ActivityService
	Attendance AttendanceService // of every occasion: receptions and activities
	Diary      DiaryService      // 民情日记
	Ledgers    LedgerService     // 台账（五簿一册）
	Mailbox    MailboxService    // 代表信箱

	DutyRecords DutyRecordService // 履职登记
	SixOnes     SixOneService     // 六个一
	Congress    SessionService    // 代表大会会议 (suggestions and bills are Cases)
	// SuggestionStats: the figures of a session's suggestions (办理情况报告).
	SuggestionStats SuggestionStatsService
	Ballots         BallotService     // 民主测评
	ReportPlans     ReportPlanService // 代表述职计划
	Appraisals      AppraisalService  // 工作评议
	YearPlans       YearPlanService   // 年初计划
}

// SessionCookie is the name of the page session cookie.
const SessionCookie = "lianluo_session"

// ImportService loads rows from the sheets offices keep today. An import is
// all-or-nothing: if any row is bad, nothing is written and the error is a
// RowErrors listing every bad row. Rows refer to other records by name (or
// by numeric ID), resolved inside the caller's scope; a row may refer to a
// record created by an earlier row of the same import.
type ImportService interface {
	ImportOrgs(ctx context.Context, rows []OrgRow) error
	ImportStations(ctx context.Context, rows []StationRow) error
	ImportDeputies(ctx context.Context, rows []DeputyRow) error
	ImportUsers(ctx context.Context, rows []UserRow) error
}

// OrgRow is an organisation to import; Parent names its parent org.
type OrgRow struct {
	Org    Org
	Parent string
}

// StationRow is a station to import; Org names the managing NPC body, Head
// the head deputy, Deputies the deputies serving there.
type StationRow struct {
	Station  Station
	Org      string
	Head     string
	Deputies []string
}

// DeputyRow is a deputy to import; Group names the deputy group, Stations the stations.
type DeputyRow struct {
	Deputy   Deputy
	Group    string
	Stations []string
}

// UserRow is a user to import; each role names the record that scopes it.
type UserRow struct {
	User  User // with Password
	Roles []RoleRef
}

// RoleRef is a role with the name (or ID) of the org, station or deputy it is scoped to.
type RoleRef struct {
	Role string
	Ref  string
}

// RowError is one problem in an imported sheet. Row is the index in the
// slice handed to the importer; the sheet layer maps it to a sheet row.
type RowError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// RowErrors is the error of an import with bad rows.
type RowErrors []RowError

func (e RowErrors) Error() string {
	return Errorf(EINVALID, "导入数据有%d处错误，未导入任何记录。", len(e)).Error()
}
