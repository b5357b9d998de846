package api

import (
	"net/http"

	"lianluo"
)

// route is one endpoint. The table below is the single list of the API: the
// mux is built from it and so is the OpenAPI document, so they cannot drift.
type route struct {
	Method, Path string
	Summary      string
	Tag          string
	Public       bool     // no login needed
	Query        []string // documented query parameters (all strings or integers)
	Body         any      // request body type, nil for none
	Resp         any      // response type; for List, the item type
	List         bool
	Status       int    // success status
	Produces     string // non-JSON response type
	Handle       func(w http.ResponseWriter, r *http.Request) error
}

var pageParams = []string{"page", "per_page"}

func (h *Handler) routes() []route {
	return []route{
		{Method: "POST", Path: "/api/v1/auth/login", Summary: "登录，返回令牌", Tag: "auth", Public: true, Body: loginRequest{}, Resp: loginResponse{}, Status: 200, Handle: h.login},
		{Method: "POST", Path: "/api/v1/auth/logout", Summary: "退出登录", Tag: "auth", Status: 204, Handle: h.logout},
		{Method: "GET", Path: "/api/v1/auth/me", Summary: "当前用户", Tag: "auth", Resp: lianluo.User{}, Status: 200, Handle: h.me},
		{Method: "POST", Path: "/api/v1/auth/password", Summary: "修改本人密码", Tag: "auth", Body: passwordRequest{}, Status: 204, Handle: h.changePassword},
		{Method: "GET", Path: "/api/v1/openapi.json", Summary: "本接口的 OpenAPI 文档", Tag: "meta", Public: true, Status: 200, Produces: "application/json", Handle: h.openAPI},

		{Method: "GET", Path: "/api/v1/regions", Summary: "行政区划列表（parent 的下级）", Tag: "regions", Query: append([]string{"parent", "under", "q", "level"}, pageParams...), Resp: lianluo.Region{}, List: true, Status: 200, Handle: h.listRegions},
		{Method: "GET", Path: "/api/v1/regions/{code}", Summary: "行政区划", Tag: "regions", Resp: lianluo.Region{}, Status: 200, Handle: h.getRegion},

		{Method: "GET", Path: "/api/v1/orgs", Summary: "机构列表", Tag: "orgs", Query: append([]string{"kind", "region", "q", "active"}, pageParams...), Resp: lianluo.Org{}, List: true, Status: 200, Handle: h.listOrgs},
		{Method: "POST", Path: "/api/v1/orgs", Summary: "新建机构", Tag: "orgs", Body: lianluo.Org{}, Resp: lianluo.Org{}, Status: 201, Handle: h.createOrg},
		{Method: "GET", Path: "/api/v1/orgs/{id}", Summary: "机构详情", Tag: "orgs", Resp: lianluo.Org{}, Status: 200, Handle: h.getOrg},
		{Method: "PATCH", Path: "/api/v1/orgs/{id}", Summary: "修改或停用机构（需 version）", Tag: "orgs", Body: lianluo.OrgUpdate{}, Resp: lianluo.Org{}, Status: 200, Handle: h.updateOrg},

		{Method: "GET", Path: "/api/v1/stations", Summary: "联络站列表", Tag: "stations", Query: append([]string{"kind", "region", "org_id", "q", "active"}, pageParams...), Resp: lianluo.Station{}, List: true, Status: 200, Handle: h.listStations},
		{Method: "POST", Path: "/api/v1/stations", Summary: "新建联络站", Tag: "stations", Body: lianluo.Station{}, Resp: lianluo.Station{}, Status: 201, Handle: h.createStation},
		{Method: "GET", Path: "/api/v1/stations/{id}", Summary: "联络站详情", Tag: "stations", Resp: lianluo.Station{}, Status: 200, Handle: h.getStation},
		{Method: "PATCH", Path: "/api/v1/stations/{id}", Summary: "修改或停用联络站（需 version）", Tag: "stations", Body: lianluo.StationUpdate{}, Resp: lianluo.Station{}, Status: 200, Handle: h.updateStation},

		{Method: "GET", Path: "/api/v1/deputies", Summary: "代表列表", Tag: "deputies", Query: append([]string{"region", "station_id", "group_id", "level", "status", "q"}, pageParams...), Resp: lianluo.Deputy{}, List: true, Status: 200, Handle: h.listDeputies},
		{Method: "POST", Path: "/api/v1/deputies", Summary: "新建代表", Tag: "deputies", Body: lianluo.Deputy{}, Resp: lianluo.Deputy{}, Status: 201, Handle: h.createDeputy},
		{Method: "GET", Path: "/api/v1/deputies/{id}", Summary: "代表详情", Tag: "deputies", Resp: lianluo.Deputy{}, Status: 200, Handle: h.getDeputy},
		{Method: "PATCH", Path: "/api/v1/deputies/{id}", Summary: "修改代表或变更状态（需 version）", Tag: "deputies", Body: lianluo.DeputyUpdate{}, Resp: lianluo.Deputy{}, Status: 200, Handle: h.updateDeputy},

		{Method: "GET", Path: "/api/v1/groups", Summary: "代表小组列表", Tag: "groups", Query: append([]string{"region", "org_id", "q"}, pageParams...), Resp: lianluo.DeputyGroup{}, List: true, Status: 200, Handle: h.listGroups},
		{Method: "POST", Path: "/api/v1/groups", Summary: "新建代表小组", Tag: "groups", Body: lianluo.DeputyGroup{}, Resp: lianluo.DeputyGroup{}, Status: 201, Handle: h.createGroup},
		{Method: "GET", Path: "/api/v1/groups/{id}", Summary: "代表小组详情", Tag: "groups", Resp: lianluo.DeputyGroup{}, Status: 200, Handle: h.getGroup},
		{Method: "PATCH", Path: "/api/v1/groups/{id}", Summary: "修改或停用代表小组（需 version）", Tag: "groups", Body: lianluo.GroupUpdate{}, Resp: lianluo.DeputyGroup{}, Status: 200, Handle: h.updateGroup},

		{Method: "GET", Path: "/api/v1/users", Summary: "用户列表", Tag: "users", Query: append([]string{"role", "q", "active"}, pageParams...), Resp: lianluo.User{}, List: true, Status: 200, Handle: h.listUsers},
		{Method: "POST", Path: "/api/v1/users", Summary: "新建用户（含初始密码）", Tag: "users", Body: lianluo.User{}, Resp: lianluo.User{}, Status: 201, Handle: h.createUser},
		{Method: "GET", Path: "/api/v1/users/{id}", Summary: "用户详情", Tag: "users", Resp: lianluo.User{}, Status: 200, Handle: h.getUser},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Summary: "修改、停用、解锁用户或重置密码（需 version）", Tag: "users", Body: lianluo.UserUpdate{}, Resp: lianluo.User{}, Status: 200, Handle: h.updateUser},

		{Method: "GET", Path: "/api/v1/cases", Summary: "意见列表（status 可逗号分隔；q 全文检索；todo 为待办类别；total 最多计到10000，超过时为10001）", Tag: "cases", Query: append([]string{"status", "station_id", "unit_id", "org_id", "category", "region", "overdue", "from", "to", "q", "todo"}, pageParams...), Resp: lianluo.Case{}, List: true, Status: 200, Handle: h.listCases},
		{Method: "POST", Path: "/api/v1/cases", Summary: "登记意见（接访登记）", Tag: "cases", Body: lianluo.CaseInput{}, Resp: lianluo.Case{}, Status: 201, Handle: h.createCase},
		{Method: "GET", Path: "/api/v1/cases/todo", Summary: "我的待办数量", Tag: "cases", Status: 200, Produces: "application/json", Handle: h.todoCounts},
		{Method: "GET", Path: "/api/v1/cases/{id}", Summary: "意见详情（含办理单位、答复、测评、全部办理记录和当前可执行的操作）", Tag: "cases", Resp: lianluo.Case{}, Status: 200, Handle: h.getCase},
		{Method: "POST", Path: "/api/v1/cases/{id}/actions/{action}", Summary: "办理操作：triage、approve、escalate、send_back、sign、return、request_extension、decide_extension、urge、reply、feedback、evaluate、supervise、close、archive、link（需 version）", Tag: "cases", Body: lianluo.CaseAction{}, Resp: lianluo.Case{}, Status: 200, Handle: h.caseAction},
		{Method: "POST", Path: "/api/v1/cases/{id}/reveal", Summary: "查看反映人联系方式（需说明原因，记入日志）", Tag: "cases", Body: revealRequest{}, Resp: lianluo.Submitter{}, Status: 200, Handle: h.revealSubmitter},
		{Method: "GET", Path: "/api/v1/cases/{id}/attachments", Summary: "附件列表", Tag: "cases", Resp: lianluo.Attachment{}, List: true, Status: 200, Handle: h.listAttachments},
		{Method: "POST", Path: "/api/v1/cases/{id}/attachments", Summary: "上传附件（照片或PDF，multipart 字段 file 或请求体）", Tag: "cases", Resp: lianluo.Attachment{}, Status: 201, Handle: h.uploadAttachment},
		{Method: "GET", Path: "/api/v1/cases/{id}/attachments/{aid}", Summary: "下载附件", Tag: "cases", Status: 200, Produces: "application/octet-stream", Handle: h.getAttachment},
		{Method: "GET", Path: "/api/v1/inbox", Summary: "我的消息（unread=true 只看未读；total 为条数）", Tag: "inbox", Query: append([]string{"unread"}, pageParams...), Resp: lianluo.Notification{}, List: true, Status: 200, Handle: h.inbox},
		{Method: "POST", Path: "/api/v1/inbox/{id}/read", Summary: "标记一条消息已读", Tag: "inbox", Status: 204, Handle: h.markRead},
		{Method: "POST", Path: "/api/v1/inbox/read_all", Summary: "全部标为已读", Tag: "inbox", Resp: readAllResult{}, Status: 200, Handle: h.markAllRead},
		{Method: "GET", Path: "/api/v1/categories", Summary: "意见类别", Tag: "settings", Resp: lianluo.Category{}, List: true, Status: 200, Handle: h.listCategories},
		{Method: "GET", Path: "/api/v1/settings/policy", Summary: "办理时限设置", Tag: "settings", Resp: lianluo.Policy{}, Status: 200, Handle: h.getPolicy},
		{Method: "PUT", Path: "/api/v1/settings/policy", Summary: "修改办理时限设置（系统管理员）", Tag: "settings", Body: lianluo.Policy{}, Resp: lianluo.Policy{}, Status: 200, Handle: h.putPolicy},
		{Method: "GET", Path: "/api/v1/calendar/{year}", Summary: "某年的法定节假日和调休上班日", Tag: "settings", Resp: lianluo.CalendarDay{}, List: true, Status: 200, Handle: h.getCalendar},
		{Method: "PUT", Path: "/api/v1/calendar/{year}", Summary: "设置某年的法定节假日和调休（系统管理员）", Tag: "settings", Body: calendarBody{}, Resp: lianluo.CalendarDay{}, List: true, Status: 200, Handle: h.putCalendar},

		{Method: "GET", Path: "/api/v1/exports/{kind}", Summary: "导出 Excel（kind：orgs、stations、deputies、users；仅含本人管辖范围）", Tag: "sheets", Status: 200, Produces: xlsxType, Handle: h.exportSheet},
		{Method: "GET", Path: "/api/v1/templates/{kind}", Summary: "下载 Excel 导入模板", Tag: "sheets", Status: 200, Produces: xlsxType, Handle: h.templateSheet},
		{Method: "POST", Path: "/api/v1/imports/{kind}", Summary: "导入 Excel（multipart 字段 file 或请求体为 .xlsx）；全部正确才写入，否则返回每一处错误（error.rows）", Tag: "sheets", Resp: importResult{}, Status: 201, Handle: h.importSheet},

		{Method: "GET", Path: "/api/v1/audit", Summary: "操作日志（系统管理员）", Tag: "audit", Query: append([]string{"entity", "entity_id", "actor_id", "action", "from", "to"}, pageParams...), Resp: lianluo.Event{}, List: true, Status: 200, Handle: h.listEvents},
	}
}
