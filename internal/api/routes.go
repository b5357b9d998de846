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
	Public       bool // no login needed
	// Open while the caller must change their password or turn the
	// second factor on: logging out, reading oneself, changing the
	// password and enrolling. Every other route answers 403
	// password_change_required or mfa_enrolment_required until then.
	BeforeChange bool
	Query        []string // documented query parameters (all strings or integers)
	Body         any      // request body type, nil for none
	Resp         any      // response type; for List, the item type
	List         bool
	Paged        bool   // a List answering has_more, and total only when known (writePaged)
	Status       int    // success status
	Produces     string // non-JSON response type
	// Part of the platform (lianluo.DutyAllows); when empty, the tag's
	// (partOfTag).
	Part   lianluo.Part
	Handle func(w http.ResponseWriter, r *http.Request) error
}

// partOfTag is the part of the platform each tag's routes belong to;
// a tag not listed is the business (lianluo.PartWork).
var partOfTag = map[string]lianluo.Part{
	"auth": lianluo.PartOwn, "meta": lianluo.PartOwn, "public": lianluo.PartOwn, "inbox": lianluo.PartOwn, "regions": lianluo.PartOwn,
	"users": lianluo.PartAccounts, "audit": lianluo.PartAudit,
}

// part is the route's part of the platform.
func (rt route) part() lianluo.Part {
	if rt.Part != "" {
		return rt.Part
	}
	if p, ok := partOfTag[rt.Tag]; ok {
		return p
	}
	return lianluo.PartWork
}

var pageParams = []string{"page", "per_page"}

func (h *Handler) routes() []route {
	return []route{
		{Method: "POST", Path: "/api/v1/auth/login", Summary: "登录，返回令牌；已启用双因素认证的账号返回 mfa_required 和 mfa_token，再调用 /auth/login/mfa", Tag: "auth", Public: true, Body: loginRequest{}, Resp: loginResponse{}, Status: 200, Handle: h.login},
		{Method: "POST", Path: "/api/v1/auth/login/mfa", Summary: "登录第二步：验证器上的6位验证码或一个恢复码（5分钟内）", Tag: "auth", Public: true, Body: mfaLoginRequest{}, Resp: loginResponse{}, Status: 200, Handle: h.loginMFA},
		{Method: "GET", Path: "/api/v1/auth/mfa", Summary: "我的双因素认证状态", Tag: "auth", Resp: lianluo.MFAStatus{}, Status: 200, BeforeChange: true, Handle: h.mfaStatus},
		{Method: "POST", Path: "/api/v1/auth/mfa/enrol", Summary: "开始启用双因素认证：返回密钥和 otpauth 地址（用验证器扫描）", Tag: "auth", Resp: lianluo.MFAEnrolment{}, Status: 200, BeforeChange: true, Handle: h.mfaEnrol},
		{Method: "POST", Path: "/api/v1/auth/mfa/confirm", Summary: "用验证器的第一个验证码确认启用；返回10个恢复码（只显示这一次）", Tag: "auth", Body: mfaCodeRequest{}, Resp: mfaRecoveryResponse{}, Status: 200, BeforeChange: true, Handle: h.mfaConfirm},
		{Method: "POST", Path: "/api/v1/auth/mfa/disable", Summary: "停用双因素认证（需本人密码）", Tag: "auth", Body: mfaDisableRequest{}, Status: 204, Handle: h.mfaDisable},
		{Method: "POST", Path: "/api/v1/auth/logout", Summary: "退出登录", Tag: "auth", Status: 204, BeforeChange: true, Handle: h.logout},
		{Method: "GET", Path: "/api/v1/auth/me", Summary: "当前用户", Tag: "auth", Resp: lianluo.User{}, Status: 200, BeforeChange: true, Handle: h.me},
		{Method: "POST", Path: "/api/v1/auth/password", Summary: "修改本人密码", Tag: "auth", Body: passwordRequest{}, Status: 204, BeforeChange: true, Handle: h.changePassword},
		{Method: "GET", Path: "/api/v1/auth/notification-prefs", Summary: "我的通知设置（站内消息之外的渠道；available 为本系统开通的渠道）", Tag: "auth", Resp: lianluo.NotificationPrefs{}, Status: 200, Handle: h.getNotificationPrefs},
		{Method: "PUT", Path: "/api/v1/auth/notification-prefs", Summary: "修改我的通知设置（channels：sms、email、wecom、dingtalk，可为空；选 email 须填 email）", Tag: "auth", Body: lianluo.NotificationPrefs{}, Resp: lianluo.NotificationPrefs{}, Status: 200, Handle: h.putNotificationPrefs},
		{Method: "GET", Path: "/api/v1/openapi.json", Summary: "本接口的 OpenAPI 文档", Tag: "meta", Public: true, Status: 200, Produces: "application/json", Handle: h.openAPI},

		// The online station (网上联络站): no login.
		{Method: "GET", Path: "/api/v1/public/regions", Summary: "网上联络站：按地区找联络站（code 为当前地区，空为本系统最上级；列出下一级有联络站的地区）", Tag: "public", Public: true, Query: []string{"code"}, Resp: lianluo.RegionPicker{}, Status: 200, Handle: h.publicRegions},
		{Method: "GET", Path: "/api/v1/public/stations", Summary: "网上联络站：联络站列表（只含在用的）", Tag: "public", Public: true, Query: append([]string{"region", "q"}, pageParams...), Resp: lianluo.PublicStation{}, List: true, Status: 200, Handle: h.publicStations},
		{Method: "GET", Path: "/api/v1/public/stations/{id}", Summary: "网上联络站：联络站详情（上墙公布内容、联络员姓名和进站代表）", Tag: "public", Public: true, Resp: lianluo.PublicStation{}, Status: 200, Handle: h.publicStation},
		{Method: "GET", Path: "/api/v1/public/deputies/{id}", Summary: "网上联络站：代表公开信息（不含联系电话）", Tag: "public", Public: true, Resp: lianluo.PublicDeputy{}, Status: 200, Handle: h.publicDeputy},
		{Method: "GET", Path: "/api/v1/public/deputies/{id}/photo", Summary: "网上联络站：代表照片", Tag: "public", Public: true, Status: 200, Produces: "image/*", Handle: h.publicDeputyPhoto},
		{Method: "GET", Path: "/api/v1/public/settings", Summary: "网上联络站设置（verify_phone 为真时，留手机号须先获取短信验证码）", Tag: "public", Public: true, Resp: lianluo.PublicSettings{}, Status: 200, Handle: h.publicSettings},
		{Method: "POST", Path: "/api/v1/public/verify-codes", Summary: "获取短信验证码（本站开启手机验证时）", Tag: "public", Public: true, Body: verifyCodeRequest{}, Status: 204, Handle: h.sendVerifyCode},
		{Method: "POST", Path: "/api/v1/public/opinions", Summary: "群众提交意见建议（station_id 或 deputy_id 二选一，须 consent），返回查询码；几分钟内重复提交同一内容返回200和原查询码（duplicate 为 true）", Tag: "public", Public: true, Body: lianluo.Opinion{}, Resp: lianluo.Receipt{}, Status: 201, Handle: h.submitOpinion},
		{Method: "GET", Path: "/api/v1/public/opinions/{tracking_code}", Summary: "凭查询码和手机号后四位（phone_tail，未留手机号可不填）查询办理进度", Tag: "public", Public: true, Query: []string{"phone_tail"}, Resp: lianluo.PublicOpinion{}, Status: 200, Handle: h.followOpinion},
		{Method: "POST", Path: "/api/v1/public/opinions/{tracking_code}/photos", Summary: "补充照片（受理前、提交后24小时内，最多6张；multipart 字段 photo 或请求体为图片），返回现有照片数", Tag: "public", Public: true, Query: []string{"phone_tail"}, Resp: photoCount{}, Status: 201, Handle: h.addOpinionPhoto},
		{Method: "POST", Path: "/api/v1/public/opinions/{tracking_code}/rating", Summary: "对办理结果评价（satisfied、basically_satisfied、unsatisfied；phone_tail 可放在请求体中）", Tag: "public", Public: true, Query: []string{"phone_tail"}, Body: ratingRequest{}, Resp: lianluo.PublicOpinion{}, Status: 200, Handle: h.rateOpinion},
		{Method: "GET", Path: "/api/v1/public/ballots/{token}", Summary: "民主测评：测评事项和测评项目（open 为是否还在投票）", Tag: "public", Public: true, Resp: lianluo.PublicBallot{}, Status: 200, Handle: h.publicBallot},
		{Method: "POST", Path: "/api/v1/public/ballots/{token}", Summary: "群众投票：choices 为每个测评项目的评价（satisfied 满意、basic 基本满意、dissatisfied 不满意），comment 意见建议（500字以内），phone 手机号码（每个号码限投一次）", Tag: "public", Public: true, Body: lianluo.BallotVote{}, Resp: voteReceipt{}, Status: 201, Handle: h.castVote},
		{Method: "GET", Path: "/api/v1/public/results", Summary: "办理结果公开（反映人姓名和文中号码已隐去；month 如 2026-03，按提交月份）", Tag: "public", Public: true, Query: append([]string{"region", "category", "month"}, pageParams...), Resp: lianluo.PublishedResult{}, List: true, Status: 200, Handle: h.publishedResults},

		{Method: "GET", Path: "/api/v1/regions", Summary: "行政区划列表（parent 的下级）", Tag: "regions", Query: append([]string{"parent", "under", "q", "level"}, pageParams...), Resp: lianluo.Region{}, List: true, Status: 200, Handle: h.listRegions},
		{Method: "GET", Path: "/api/v1/regions/{code}", Summary: "行政区划", Tag: "regions", Resp: lianluo.Region{}, Status: 200, Handle: h.getRegion},

		{Method: "GET", Path: "/api/v1/orgs", Summary: "机构列表", Tag: "orgs", Query: append([]string{"kind", "region", "q", "active"}, pageParams...), Resp: lianluo.Org{}, List: true, Status: 200, Handle: h.listOrgs},
		{Method: "POST", Path: "/api/v1/orgs", Summary: "新建机构", Tag: "orgs", Body: lianluo.Org{}, Resp: lianluo.Org{}, Status: 201, Handle: h.createOrg},
		{Method: "GET", Path: "/api/v1/orgs/{id}", Summary: "机构详情", Tag: "orgs", Resp: lianluo.Org{}, Status: 200, Handle: h.getOrg},
		{Method: "PATCH", Path: "/api/v1/orgs/{id}", Summary: "修改或停用机构（需 version）", Tag: "orgs", Body: lianluo.OrgUpdate{}, Resp: lianluo.Org{}, Status: 200, Handle: h.updateOrg},

		{Method: "GET", Path: "/api/v1/stations", Summary: "联络站列表", Tag: "stations", Query: append([]string{"kind", "region", "org_id", "q", "active"}, pageParams...), Resp: lianluo.Station{}, List: true, Status: 200, Handle: h.listStations},
		{Method: "POST", Path: "/api/v1/stations", Summary: "新建联络站", Tag: "stations", Body: lianluo.Station{}, Resp: lianluo.Station{}, Status: 201, Handle: h.createStation},
		{Method: "GET", Path: "/api/v1/stations/{id}", Summary: "联络站详情", Tag: "stations", Resp: lianluo.Station{}, Status: 200, Handle: h.getStation},
		{Method: "GET", Path: "/api/v1/stations/{id}/checklist", Summary: "联络站标准（九有）达标情况：清单各项是否达标、达标日期、照片数，can_tick 表示调用者可否勾选；范围内可见", Tag: "stations", Resp: lianluo.StationChecklist{}, Status: 200, Handle: h.getChecklistOf},
		{Method: "PUT", Path: "/api/v1/stations/{id}/checklist/{item}", Summary: "勾选联络站的一项标准（该联络站所在地区的人大办或系统管理员，需该项 version，未勾选过为 1）：done 为是否达标，达标须填 date（不晚于今天）", Tag: "stations", Body: lianluo.ChecklistTick{}, Resp: lianluo.StationChecklist{}, Status: 200, Handle: h.tickChecklist},
		{Method: "POST", Path: "/api/v1/stations/{id}/checklist/{item}/photos", Summary: "上传联络站一项标准的照片（multipart 字段 photo 或请求体为图片；可勾选该站标准者；每项最多9张）", Tag: "stations", Resp: lianluo.StationChecklist{}, Status: 201, Handle: h.addChecklistPhoto},
		{Method: "GET", Path: "/api/v1/stations/{id}/checklist/{item}/photos/{n}", Summary: "联络站一项标准的第 n 张照片（从1起）", Tag: "stations", Status: 200, Produces: "image/*", Handle: h.checklistPhoto},
		{Method: "PATCH", Path: "/api/v1/stations/{id}", Summary: "修改或停用联络站（需 version）", Tag: "stations", Body: lianluo.StationUpdate{}, Resp: lianluo.Station{}, Status: 200, Handle: h.updateStation},

		{Method: "GET", Path: "/api/v1/deputies", Summary: "代表列表", Tag: "deputies", Query: append([]string{"region", "station_id", "group_id", "level", "status", "q"}, pageParams...), Resp: lianluo.Deputy{}, List: true, Status: 200, Handle: h.listDeputies},
		{Method: "POST", Path: "/api/v1/deputies", Summary: "新建代表", Tag: "deputies", Body: lianluo.Deputy{}, Resp: lianluo.Deputy{}, Status: 201, Handle: h.createDeputy},
		{Method: "GET", Path: "/api/v1/deputies/{id}", Summary: "代表详情", Tag: "deputies", Resp: lianluo.Deputy{}, Status: 200, Handle: h.getDeputy},
		{Method: "PATCH", Path: "/api/v1/deputies/{id}", Summary: "修改代表或变更状态（需 version）", Tag: "deputies", Body: lianluo.DeputyUpdate{}, Resp: lianluo.Deputy{}, Status: 200, Handle: h.updateDeputy},
		{Method: "PUT", Path: "/api/v1/deputies/{id}/photo", Summary: "上传代表照片（multipart 字段 photo 或请求体为图片；本人或管辖的人大办）", Tag: "deputies", Status: 204, Handle: h.putDeputyPhoto},
		{Method: "DELETE", Path: "/api/v1/deputies/{id}/photo", Summary: "删除代表照片", Tag: "deputies", Status: 204, Handle: h.deleteDeputyPhoto},
		{Method: "GET", Path: "/api/v1/deputies/{id}/record", Summary: "代表履职档案：某年（year 缺省为今年）的代表职务、进站接待和代表活动出勤（按活动类型）、述职、每月已确认民情日记、收集意见及办理情况、履职积分及各项得分；代表本人和管辖范围内的人大办、联络站工作人员可查看，其他人为404", Tag: "deputies", Query: []string{"year"}, Resp: lianluo.DeputyRecord{}, Status: 200, Handle: h.deputyRecord},
		{Method: "GET", Path: "/api/v1/deputies/{id}/record.xlsx", Summary: "导出代表履职档案 Excel；参数和权限同 /api/v1/deputies/{id}/record", Tag: "deputies", Query: []string{"year"}, Status: 200, Produces: xlsxType, Handle: h.deputyRecordSheet},

		{Method: "GET", Path: "/api/v1/groups", Summary: "代表小组列表", Tag: "groups", Query: append([]string{"region", "org_id", "q"}, pageParams...), Resp: lianluo.DeputyGroup{}, List: true, Status: 200, Handle: h.listGroups},
		{Method: "POST", Path: "/api/v1/groups", Summary: "新建代表小组", Tag: "groups", Body: lianluo.DeputyGroup{}, Resp: lianluo.DeputyGroup{}, Status: 201, Handle: h.createGroup},
		{Method: "GET", Path: "/api/v1/groups/{id}", Summary: "代表小组详情", Tag: "groups", Resp: lianluo.DeputyGroup{}, Status: 200, Handle: h.getGroup},
		{Method: "PATCH", Path: "/api/v1/groups/{id}", Summary: "修改或停用代表小组（需 version）", Tag: "groups", Body: lianluo.GroupUpdate{}, Resp: lianluo.DeputyGroup{}, Status: 200, Handle: h.updateGroup},

		{Method: "GET", Path: "/api/v1/users", Summary: "用户列表", Tag: "users", Query: append([]string{"role", "q", "active"}, pageParams...), Resp: lianluo.User{}, List: true, Status: 200, Handle: h.listUsers},
		{Method: "POST", Path: "/api/v1/users", Summary: "新建用户（含初始密码）", Tag: "users", Body: lianluo.User{}, Resp: lianluo.User{}, Status: 201, Handle: h.createUser},
		{Method: "GET", Path: "/api/v1/users/{id}", Summary: "用户详情", Tag: "users", Resp: lianluo.User{}, Status: 200, Handle: h.getUser},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Summary: "修改、停用、解锁用户或重置密码（需 version）", Tag: "users", Body: lianluo.UserUpdate{}, Resp: lianluo.User{}, Status: 200, Handle: h.updateUser},

		{Method: "GET", Path: "/api/v1/cases", Summary: "意见、代表建议和议案列表，新登记的在前（status 可逗号分隔；q 全文检索；todo 为待办类别；kind 为 opinion、suggestion 或 bill；session_id 为某次会议的建议和议案）。不逐页计数：has_more 表示后面还有下一页；total 只在本页已到最后时给出（为符合条件的总数），否则不给", Tag: "cases", Query: append([]string{"status", "station_id", "unit_id", "org_id", "category", "region", "overdue", "from", "to", "q", "todo", "kind", "session_id"}, pageParams...), Resp: lianluo.Case{}, List: true, Paged: true, Status: 200, Handle: h.listCases},
		{Method: "POST", Path: "/api/v1/cases", Summary: "登记意见（接访登记）；kind 为 suggestion 或 bill 时为代表起草建议或议案（草稿，session_id、lead_deputy_id、cosigner_ids、reasons、proposals、evidence_case_ids）", Tag: "cases", Body: lianluo.CaseInput{}, Resp: lianluo.Case{}, Status: 201, Handle: h.createCase},
		{Method: "GET", Path: "/api/v1/sessions", Summary: "代表大会会议列表（本人大机构的；代表为可提出建议的会议）", Tag: "suggestions", Resp: lianluo.CongressSession{}, List: true, Status: 200, Handle: h.listSessions},
		{Method: "POST", Path: "/api/v1/sessions", Summary: "登记代表大会会议（人大机构；会期不超过一个月，不得与本机构其他会议重叠）", Tag: "suggestions", Body: lianluo.SessionInput{}, Resp: lianluo.CongressSession{}, Status: 201, Handle: h.createSession},
		{Method: "GET", Path: "/api/v1/sessions/{id}", Summary: "会议详情（建议、议案件数）", Tag: "suggestions", Resp: lianluo.CongressSession{}, Status: 200, Handle: h.getSession},
		{Method: "GET", Path: "/api/v1/cases/todo", Summary: "我的待办数量：各类待办的件数，最多数到 100，100 表示“99 件以上”", Tag: "cases", Status: 200, Produces: "application/json", Handle: h.todoCounts},
		{Method: "GET", Path: "/api/v1/cases/{id}", Summary: "意见详情（含办理单位、答复、测评、全部办理记录和当前可执行的操作）", Tag: "cases", Resp: lianluo.Case{}, Status: 200, Handle: h.getCase},
		{Method: "POST", Path: "/api/v1/cases/{id}/actions/{action}", Summary: "办理操作（需 version）。意见：triage、approve、escalate、send_back、sign、return、request_extension、decide_extension、urge、reply、feedback、evaluate、supervise、close、archive、link；建议和议案：submit、cosign、list_on_agenda、convert_to_suggestion、record_resolution、transfer、sign、consult、reply、request_extension、decide_extension、urge、evaluate、redo、close、archive、mark_key", Tag: "cases", Body: lianluo.CaseAction{}, Resp: lianluo.Case{}, Status: 200, Handle: h.caseAction},
		{Method: "POST", Path: "/api/v1/cases/{id}/publish", Summary: "在网上公开办理结果（published=true，answer 默认为承办单位的答复，没有承办单位的为当场答复或解释说明；含反映人姓名、电话号码、住址的拒绝公开）或撤回公开（人大办；需 version）", Tag: "cases", Body: lianluo.PublishInput{}, Resp: lianluo.Case{}, Status: 200, Handle: h.publishCase},
		{Method: "POST", Path: "/api/v1/cases/{id}/reveal", Summary: "查看反映人联系方式（需说明原因，记入日志）", Tag: "cases", Body: revealRequest{}, Resp: lianluo.Submitter{}, Status: 200, Handle: h.revealSubmitter},
		{Method: "GET", Path: "/api/v1/cases/{id}/attachments", Summary: "附件列表", Tag: "cases", Resp: lianluo.Attachment{}, List: true, Status: 200, Handle: h.listAttachments},
		{Method: "POST", Path: "/api/v1/cases/{id}/attachments", Summary: "上传附件（照片或PDF，multipart 字段 file 或请求体）", Tag: "cases", Resp: lianluo.Attachment{}, Status: 201, Handle: h.uploadAttachment},
		{Method: "GET", Path: "/api/v1/cases/{id}/attachments/{aid}", Summary: "下载附件", Tag: "cases", Status: 200, Produces: "application/octet-stream", Handle: h.getAttachment},

		{Method: "GET", Path: "/api/v1/stats/cases", Summary: "意见办理统计：按受理时间统计所选期间的受理数、交办数、答复数、办结数、满意数及件件有回音率、办结率、按时答复率、满意率（见 docs/statistics.md）；from、to 为北京时间日期（含首尾，都不填为本年），或用 period（2026、2026Q4、2026-11）；region 为地区（默认本人范围）；group_by 为 region、station、category、channel、unit、month 或 status；人大办、人大领导、管理员和联络站工作人员可用", Tag: "stats", Query: []string{"region", "from", "to", "period", "group_by", "station_id", "category", "unit_id"}, Resp: lianluo.CaseStatsResult{}, Status: 200, Handle: h.caseStats},
		{Method: "GET", Path: "/api/v1/stats/cases.xlsx", Summary: "意见办理统计导出 Excel：参数和权限同 /api/v1/stats/cases；比率为百分比格式，无从计算的为空", Tag: "stats", Query: []string{"region", "from", "to", "period", "group_by", "station_id", "category", "unit_id"}, Status: 200, Produces: xlsxType, Handle: h.caseStatsSheet},
		{Method: "GET", Path: "/api/v1/stats/hot-topics", Summary: "热点问题：近 days 天（1–366，缺省30）受理的意见中反映同一问题的归为一组（至少2件，合并办理的只计主件），按件数从多到少，最多50组（见 docs/statistics.md）；region 为地区（默认本人范围）；人大办、人大领导、管理员和联络站工作人员可用", Tag: "stats", Query: []string{"region", "days"}, Resp: lianluo.HotTopic{}, List: true, Status: 200, Handle: h.hotTopics},
		{Method: "GET", Path: "/api/v1/stats/deputies", Summary: "代表履职积分排名：范围内各联络站代表某年（year 缺省为今年）的接待与活动出勤、述职、已确认民情日记、收集意见及办结数、已确认履职登记和按积分标准计算的积分（含各项得分），按积分从高到低排名；station_id 为一个联络站，region 为地区；人大办、人大领导、管理员和联络站工作人员可用", Tag: "stats", Query: []string{"year", "station_id", "region"}, Resp: lianluo.DeputyStatsRow{}, List: true, Status: 200, Handle: h.deputyStats},
		{Method: "GET", Path: "/api/v1/stats/stations", Summary: "联络站评分排名：范围内各联络站某年（year 缺省为今年）的接待举行场次与应举行场次、代表出勤、组织活动及参与、受理意见及件件有回音率和满意率（统计分析口径）、意见箱每周开箱情况，按评分标准计算的得分（含各项）、等级（green、yellow、red）和名次；region 为地区，station_id 为一个联络站；人大办、人大领导、管理员和联络站工作人员可用", Tag: "stats", Query: []string{"year", "station_id", "region"}, Resp: lianluo.StationStatsRow{}, List: true, Status: 200, Handle: h.stationStats},
		{Method: "GET", Path: "/api/v1/stats/stations.xlsx", Summary: "联络站评分排名导出 Excel（第二张表为所用评分标准）；参数和权限同 /api/v1/stats/stations", Tag: "stats", Query: []string{"year", "station_id", "region"}, Status: 200, Produces: xlsxType, Handle: h.stationStatsSheet},
		{Method: "GET", Path: "/api/v1/stats/deputies.xlsx", Summary: "代表履职积分排名导出 Excel（第二张表为所用积分标准）；参数和权限同 /api/v1/stats/deputies", Tag: "stats", Query: []string{"year", "station_id", "region"}, Status: 200, Produces: xlsxType, Handle: h.deputyStatsSheet},
		{Method: "GET", Path: "/api/v1/stats/suggestions", Summary: "代表建议办理情况统计（见 docs/suggestions.md）：session_id 为会议（闭会期间的用 org_id 和 year）；合计、按主办单位（尚未交办的单列一行）和议案：收到建议数、已交办、按时交办（15日内）、已答复、按时答复（含批准的延期）、面商率、A/B/C类件数和占比、已评价、满意率、重点督办；并列出各件建议；本人大机构的人大办、人大领导和系统管理员可看全部，承办单位只看本单位主办的", Tag: "stats", Query: []string{"session_id", "org_id", "year"}, Resp: lianluo.SuggestionStatsResult{}, Status: 200, Handle: h.suggestionStats},
		{Method: "GET", Path: "/api/v1/stats/suggestions.xlsx", Summary: "代表建议办理情况统计导出 Excel（第二张表为建议清单）；参数和权限同 /api/v1/stats/suggestions；每次导出记入操作日志", Tag: "stats", Query: []string{"session_id", "org_id", "year"}, Status: 200, Produces: xlsxType, Handle: h.suggestionStatsSheet},
		// Ledgers (台账: 五簿一册, docs/ledgers.md)
		{Method: "GET", Path: "/api/v1/ledgers/{book}", Summary: "台账（五簿）：book 为 group_meetings（代表小组会议登记簿）、group_activities（代表小组活动登记簿）、receptions（人大代表接待选民登记簿）、opinions（人大代表建议批评意见登记簿）、visits（走访群众登记簿）或 handbook（人大代表履职手册，按代表）；五簿 station_id 或 group_id 选一个，履职手册用 deputy_id，year 为年份；按日期排列，每条带 link（记录页面）；book 加 .xlsx（如 receptions.xlsx）导出 Excel；人大办、人大领导看本辖区，联络站工作人员看本站及在本站活动的代表小组，代表看本人所在小组和本人的履职手册；反映人姓名只留姓、电话只留尾号", Tag: "ledgers", Query: []string{"station_id", "group_id", "deputy_id", "year"}, Resp: lianluo.Ledger{}, Status: 200, Handle: h.ledger},
		{Method: "GET", Path: "/api/v1/inbox", Summary: "我的消息（unread=true 只看未读；total 为条数）", Tag: "inbox", Query: append([]string{"unread"}, pageParams...), Resp: lianluo.Notification{}, List: true, Status: 200, Handle: h.inbox},
		{Method: "POST", Path: "/api/v1/inbox/{id}/read", Summary: "标记一条消息已读", Tag: "inbox", Status: 204, Handle: h.markRead},
		{Method: "POST", Path: "/api/v1/inbox/read_all", Summary: "全部标为已读", Tag: "inbox", Resp: readAllResult{}, Status: 200, Handle: h.markAllRead},
		{Method: "GET", Path: "/api/v1/categories", Summary: "意见类别", Tag: "settings", Resp: lianluo.Category{}, List: true, Status: 200, Handle: h.listCategories},
		{Method: "GET", Path: "/api/v1/settings/policy", Summary: "办理时限设置", Tag: "settings", Resp: lianluo.Policy{}, Status: 200, Handle: h.getPolicy},
		{Method: "PUT", Path: "/api/v1/settings/policy", Summary: "修改办理时限设置（系统管理员）", Tag: "settings", Body: lianluo.Policy{}, Resp: lianluo.Policy{}, Status: 200, Handle: h.putPolicy},
		{Method: "GET", Path: "/api/v1/settings/security", Summary: "安全设置：密码规则、双因素认证要求与查看联系方式上限（安全管理员）", Tag: "settings", Part: lianluo.PartSecurity, Resp: lianluo.SecurityPolicy{}, Status: 200, Handle: h.getSecurityPolicy},
		{Method: "PUT", Path: "/api/v1/settings/security", Summary: "修改安全设置（安全管理员，需 version）", Tag: "settings", Part: lianluo.PartSecurity, Body: lianluo.SecurityPolicy{}, Resp: lianluo.SecurityPolicy{}, Status: 200, Handle: h.putSecurityPolicy},
		{Method: "GET", Path: "/api/v1/settings/public", Summary: "网上联络站设置", Tag: "settings", Resp: lianluo.PublicSettings{}, Status: 200, Handle: h.publicSettings},
		{Method: "PUT", Path: "/api/v1/settings/public", Summary: "修改网上联络站设置（系统管理员）", Tag: "settings", Body: lianluo.PublicSettings{}, Resp: lianluo.PublicSettings{}, Status: 200, Handle: h.putPublicSettings},
		{Method: "GET", Path: "/api/v1/settings/station-rating", Summary: "联络站评分标准：各评分项目的权重和绿、黄分数线", Tag: "settings", Resp: lianluo.StationRating{}, Status: 200, Handle: h.getStationRating},
		{Method: "PUT", Path: "/api/v1/settings/station-rating", Summary: "修改联络站评分标准（区县人大办或系统管理员，需 version）：items 中列出的项目按 weight 修改（0 至 100，最多一位小数），未列出的不变；green、yellow 为分数线（0 或缺省为不变，绿须高于黄）", Tag: "settings", Body: lianluo.StationRating{}, Resp: lianluo.StationRating{}, Status: 200, Handle: h.putStationRating},
		{Method: "GET", Path: "/api/v1/settings/station-checklist", Summary: "联络站标准清单（缺省为九有：有牌子、有场所、有制度、有计划、有活动、有台账、有信箱、有经费、有成效）", Tag: "settings", Resp: lianluo.Checklist{}, Status: 200, Handle: h.getChecklist},
		{Method: "PUT", Path: "/api/v1/settings/station-checklist", Summary: "修改联络站标准清单（区县人大办或系统管理员，需 version）：items 为完整清单，每项 key（小写字母、数字、下划线）和 name（1 至 20 字），1 至 30 项", Tag: "settings", Body: lianluo.Checklist{}, Resp: lianluo.Checklist{}, Status: 200, Handle: h.putChecklist},
		{Method: "GET", Path: "/api/v1/settings/scoring", Summary: "履职积分标准：各积分项目、计分单位和分值（负数为扣分）", Tag: "settings", Resp: lianluo.Scoring{}, Status: 200, Handle: h.getScoring},
		{Method: "PUT", Path: "/api/v1/settings/scoring", Summary: "修改履职积分标准（区县人大办或系统管理员，需 version）：items 中列出的项目按 points 修改（-50 至 50，最多一位小数），未列出的不变；修改后所有积分按新标准计算", Tag: "settings", Body: lianluo.Scoring{}, Resp: lianluo.Scoring{}, Status: 200, Handle: h.putScoring},
		{Method: "GET", Path: "/api/v1/calendar/{year}", Summary: "某年的法定节假日和调休上班日", Tag: "settings", Resp: lianluo.CalendarDay{}, List: true, Status: 200, Handle: h.getCalendar},
		{Method: "PUT", Path: "/api/v1/calendar/{year}", Summary: "设置某年的法定节假日和调休（系统管理员）", Tag: "settings", Body: calendarBody{}, Resp: lianluo.CalendarDay{}, List: true, Status: 200, Handle: h.putCalendar},

		{Method: "GET", Path: "/api/v1/exports/cases", Summary: "导出意见 Excel：筛选参数同 /api/v1/cases（不分页），本人管辖范围内全部符合条件的意见；反映人姓名只留姓，文中电话、证件号码隐去；每次导出记入操作日志；人大办、人大领导、管理员和联络站工作人员可用", Tag: "sheets", Query: []string{"status", "station_id", "unit_id", "org_id", "category", "region", "overdue", "from", "to", "q", "todo"}, Status: 200, Produces: xlsxType, Handle: h.exportCases},
		{Method: "GET", Path: "/api/v1/exports/{kind}", Summary: "导出 Excel（kind：orgs、stations、deputies、users；仅含本人管辖范围）", Tag: "sheets", Status: 200, Produces: xlsxType, Handle: h.exportSheet},
		{Method: "GET", Path: "/api/v1/templates/{kind}", Summary: "下载 Excel 导入模板", Tag: "sheets", Status: 200, Produces: xlsxType, Handle: h.templateSheet},
		{Method: "POST", Path: "/api/v1/imports/{kind}", Summary: "导入 Excel（multipart 字段 file 或请求体为 .xlsx）；全部正确才写入，否则返回每一处错误（error.rows）", Tag: "sheets", Resp: importResult{}, Status: 201, Handle: h.importSheet},

		// Receptions.
		{Method: "POST", Path: "/api/v1/stations/{id}/reception-rules", Summary: "新增接待规则（rrule 为 RFC 5545 子集，如 FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15）", Tag: "receptions", Body: lianluo.ReceptionRule{}, Resp: lianluo.ReceptionRule{}, Status: 201, Handle: h.createReceptionRule},
		{Method: "GET", Path: "/api/v1/stations/{id}/reception-rules", Summary: "联络站的接待规则", Tag: "receptions", Resp: lianluo.ReceptionRule{}, List: true, Status: 200, Handle: h.listReceptionRules},
		{Method: "PATCH", Path: "/api/v1/reception-rules/{id}", Summary: "修改或停用接待规则（需 version）", Tag: "receptions", Body: lianluo.ReceptionRuleUpdate{}, Resp: lianluo.ReceptionRule{}, Status: 200, Handle: h.updateReceptionRule},
		{Method: "POST", Path: "/api/v1/stations/{id}/rota", Summary: "生成某年的接待轮值表（已发布和已过去的接待保留）", Tag: "receptions", Body: yearRequest{}, Resp: lianluo.Rota{}, Status: 200, Handle: h.generateRota},
		{Method: "POST", Path: "/api/v1/stations/{id}/rota/publish", Summary: "发布某年的轮值表并通知代表（场次不够每位代表轮值一次时，须 accept: true 表示接受）", Tag: "receptions", Body: publishRequest{}, Resp: publishResult{}, Status: 200, Handle: h.publishRota},
		{Method: "POST", Path: "/api/v1/stations/{id}/rota/sessions", Summary: "增加场次：在本年度剩余工作日增加接待，直到每位代表都能轮值一次，并重新安排未发布的接待", Tag: "receptions", Body: yearRequest{}, Resp: lianluo.Rota{}, Status: 200, Handle: h.addRotaSessions},
		{Method: "GET", Path: "/api/v1/stations/{id}/rota/problems", Summary: "轮值表不满足的要求", Tag: "receptions", Query: []string{"year"}, Resp: lianluo.RotaProblem{}, List: true, Status: 200, Handle: h.rotaProblems},
		{Method: "GET", Path: "/api/v1/stations/{id}/calendar-link", Summary: "联络站接待安排的日历订阅地址", Tag: "receptions", Resp: feedLink{}, Status: 200, Handle: h.calendarLink("station")},
		{Method: "GET", Path: "/api/v1/receptions", Summary: "接待活动列表（from、to 为日期）", Tag: "receptions", Query: append([]string{"station_id", "deputy_id", "status", "from", "to"}, pageParams...), Resp: lianluo.Reception{}, List: true, Status: 200, Handle: h.listReceptions},
		{Method: "GET", Path: "/api/v1/receptions/{id}", Summary: "接待活动详情", Tag: "receptions", Resp: lianluo.Reception{}, Status: 200, Handle: h.getReception},
		{Method: "PATCH", Path: "/api/v1/receptions/{id}", Summary: "调整接待：换人、加人、减人、改时间（需 version）", Tag: "receptions", Body: lianluo.ReceptionUpdate{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.updateReception},
		{Method: "POST", Path: "/api/v1/receptions/{id}/cancel", Summary: "取消接待（需 version；已举行或已有代表签到的不能取消）", Tag: "receptions", Body: versionRequest{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.cancelOccasion(lianluo.KindReception)},
		{Method: "POST", Path: "/api/v1/receptions/{id}/signin", Summary: "代表本人签到（接待开始前30分钟至结束）", Tag: "receptions", Resp: lianluo.Reception{}, Status: 200, Handle: h.signIn(lianluo.KindReception)},
		{Method: "POST", Path: "/api/v1/receptions/{id}/leave", Summary: "代表请假", Tag: "receptions", Body: leaveRequest{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.requestLeave(lianluo.KindReception)},
		{Method: "POST", Path: "/api/v1/receptions/{id}/leave/{deputy_id}/decide", Summary: "审批请假（站长或人大工作人员）", Tag: "receptions", Body: leaveDecision{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.decideLeave(lianluo.KindReception)},
		{Method: "POST", Path: "/api/v1/receptions/{id}/attendance", Summary: "工作人员登记代表出席情况", Tag: "receptions", Body: attendanceRequest{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.markAttendance(lianluo.KindReception)},
		{Method: "POST", Path: "/api/v1/receptions/{id}/record", Summary: "填写接待记录与满意度测评（需 version）", Tag: "receptions", Body: recordRequest{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.recordReception},
		{Method: "POST", Path: "/api/v1/receptions/{id}/cases", Summary: "关联本次接待中登记的意见", Tag: "receptions", Body: linkCaseRequest{}, Resp: lianluo.Reception{}, Status: 200, Handle: h.linkCase(lianluo.KindReception)},
		{Method: "POST", Path: "/api/v1/receptions/{id}/photos", Summary: "上传现场照片（multipart 字段 photo 或请求体）", Tag: "receptions", Resp: lianluo.Reception{}, Status: 201, Handle: h.uploadPhoto(lianluo.KindReception)},
		{Method: "GET", Path: "/api/v1/receptions/{id}/photos/{n}", Summary: "第 n 张现场照片（从1起）", Tag: "receptions", Status: 200, Produces: "image/jpeg", Handle: h.getPhoto(lianluo.KindReception)},
		{Method: "GET", Path: "/api/v1/deputies/{id}/unavailability", Summary: "代表登记的不能参加接待的时段", Tag: "receptions", Resp: lianluo.Unavailability{}, List: true, Status: 200, Handle: h.listUnavailability},
		{Method: "POST", Path: "/api/v1/deputies/{id}/unavailability", Summary: "登记不能参加接待的时段（出差、住院等）", Tag: "receptions", Body: unavailabilityRequest{}, Resp: lianluo.Unavailability{}, Status: 201, Handle: h.addUnavailability},
		{Method: "DELETE", Path: "/api/v1/unavailability/{id}", Summary: "删除不能参加接待的登记", Tag: "receptions", Status: 204, Handle: h.deleteUnavailability},
		{Method: "GET", Path: "/api/v1/deputies/{id}/calendar-link", Summary: "代表本人接待安排的日历订阅地址", Tag: "receptions", Resp: feedLink{}, Status: 200, Handle: h.calendarLink("deputy")},
		{Method: "GET", Path: "/api/v1/attendance", Summary: "代表进站接待出勤统计（year 缺省为今年）", Tag: "receptions", Query: []string{"year", "station_id", "region"}, Resp: attendanceItem{}, List: true, Status: 200, Handle: h.attendance},
		{Method: "POST", Path: "/api/v1/attendance/notices", Summary: "向范围内全部在任代表发送年度出勤情况通报（station_id 缺省为本人管理的全部联络站；每次调用每位代表一份）", Tag: "receptions", Body: lianluo.AttendanceNoticeScope{}, Resp: noticesResult{}, Status: 200, Handle: h.sendAttendanceNotices},
		{Method: "GET", Path: "/api/v1/attendance/deputies/{id}/notice", Summary: "一位代表的年度出勤情况通报（本人及所在联络站全体代表的出勤）", Tag: "receptions", Query: []string{"year"}, Resp: lianluo.AttendanceNotice{}, Status: 200, Handle: h.attendanceNotice},
		{Method: "POST", Path: "/api/v1/attendance/deputies/{id}/notice", Summary: "向一位代表发送年度出勤情况通报", Tag: "receptions", Body: yearRequest{}, Resp: noticeSent{}, Status: 200, Handle: h.sendAttendanceNotice},
		{Method: "GET", Path: "/api/v1/attendance.xlsx", Summary: "导出代表出勤统计 Excel", Tag: "receptions", Query: []string{"year", "station_id", "region"}, Status: 200, Produces: xlsxType, Handle: h.attendanceSheet},

		// Activities (代表活动).
		{Method: "POST", Path: "/api/v1/activities", Summary: "新建代表活动（kind：study、training、inspection、research、law_check、forum、appraisal、report、group_meeting；group_meeting 须 group_id，其余须 station_id；starts_at、ends_at 为 RFC 3339；deputy_ids 为空时邀请本站代表或本组全体代表）", Tag: "activities", Body: lianluo.ActivityInput{}, Resp: lianluo.Activity{}, Status: 201, Handle: h.createActivity},
		{Method: "GET", Path: "/api/v1/activities", Summary: "代表活动列表（from、to 为日期）", Tag: "activities", Query: append([]string{"station_id", "group_id", "deputy_id", "kind", "status", "from", "to"}, pageParams...), Resp: lianluo.Activity{}, List: true, Status: 200, Handle: h.listActivities},
		{Method: "GET", Path: "/api/v1/activities/norms", Summary: "各联络站某年活动达标情况（每季度至少1次、全年不少于6次、代表参与率不低于90%；year 缺省为今年）", Tag: "activities", Query: []string{"year", "region"}, Resp: activityNormItem{}, List: true, Status: 200, Handle: h.activityNorms},
		// 年初计划 (docs/year-plans.md).
		{Method: "POST", Path: "/api/v1/year-plans", Summary: "制定年度活动计划（联络站或代表小组所在地区的人大办；owner_kind 为 station 或 group，owner_id，year 为去年至明年，items 每项 month 1–12、kind 为活动类型、title、note；每个联络站或小组每年一份）", Tag: "activities", Body: lianluo.YearPlanInput{}, Resp: lianluo.YearPlan{}, Status: 201, Handle: h.createYearPlan},
		{Method: "GET", Path: "/api/v1/year-plans", Summary: "年度活动计划列表（代表只见本站、本小组已发布的计划）", Tag: "activities", Query: append([]string{"year", "station_id", "group_id"}, pageParams...), Resp: lianluo.YearPlan{}, List: true, Status: 200, Handle: h.listYearPlans},
		{Method: "GET", Path: "/api/v1/year-plans/{id}", Summary: "年度活动计划及完成情况：每项的 state（done 按时完成、done_late 推迟完成、late 逾期未办、upcoming 未到期）、计划外已开展的活动（progress.unplanned）、对照活动制度的提示（warnings）", Tag: "activities", Resp: lianluo.YearPlan{}, Status: 200, Handle: h.getYearPlan},
		{Method: "PUT", Path: "/api/v1/year-plans/{id}", Summary: "修改年度活动计划（人大办；items 为完整清单，需 version；已发布的计划修改后仍为已发布，修改内容记入操作日志）", Tag: "activities", Body: lianluo.YearPlanUpdate{}, Resp: lianluo.YearPlan{}, Status: 200, Handle: h.updateYearPlan},
		{Method: "POST", Path: "/api/v1/year-plans/{id}/publish", Summary: "发布年度活动计划并通知本站或本小组的代表（人大办；需 version；已发布的不能再次发布）", Tag: "activities", Body: versionRequest{}, Resp: lianluo.YearPlan{}, Status: 200, Handle: h.publishYearPlan},
		{Method: "GET", Path: "/api/v1/activities/{id}", Summary: "代表活动详情（含邀请代表、出席、请假、记录）", Tag: "activities", Resp: lianluo.Activity{}, Status: 200, Handle: h.getActivity},
		{Method: "PATCH", Path: "/api/v1/activities/{id}", Summary: "修改代表活动（需 version）", Tag: "activities", Body: lianluo.ActivityUpdate{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.updateActivity},
		{Method: "GET", Path: "/api/v1/ballots/{id}", Summary: "民主测评详情和计票：每个测评项目的网上、纸质和合计票数（满意、基本满意、不满意），群众意见（电话号码已隐去）；token 仅对可管理者返回", Tag: "activities", Resp: lianluo.Ballot{}, Status: 200, Handle: h.getBallot},
		{Method: "POST", Path: "/api/v1/ballots/{id}/close", Summary: "结束民主测评（可管理该活动者，需 version）：述职测评的结果通知述职代表，并记入其履职档案和代表小组台账", Tag: "activities", Body: versionRequest{}, Resp: lianluo.Ballot{}, Status: 200, Handle: h.closeBallot},
		{Method: "PUT", Path: "/api/v1/ballots/{id}/paper", Summary: "登记纸质测评票数（可管理该活动者，需 paper_version 作为 version）：items 为各测评项目的满意、基本满意、不满意票数", Tag: "activities", Body: lianluo.BallotPaper{}, Resp: lianluo.Ballot{}, Status: 200, Handle: h.putBallotPaper},
		{Method: "GET", Path: "/api/v1/report-plans", Summary: "代表述职计划列表（范围内的代表小组；可按 year、group_id 筛选）：每名计划述职代表的述职活动、到会选民（少于50人 few_voters 为真）、述职报告、民主测评计票；未安排当面述职代表的书面履职报告及审查情况", Tag: "activities", Query: append([]string{"year", "group_id"}, pageParams...), Resp: lianluo.ReportPlan{}, List: true, Status: 200, Handle: h.listReportPlans},
		{Method: "POST", Path: "/api/v1/report-plans", Summary: "制定代表小组某年的述职计划（该小组所在地区的人大办，或小组组长、副组长）：deputy_ids 为当面述职的代表；每年应占本组代表20%至30%、任期第一年一般不安排、本届已述职的代表不宜重复安排——有这些问题时须填 reason（理由）才能保存，理由和问题一并记录", Tag: "activities", Body: lianluo.ReportPlanInput{}, Resp: lianluo.ReportPlan{}, Status: 201, Handle: h.createReportPlan},
		{Method: "GET", Path: "/api/v1/report-plans/{id}", Summary: "代表述职计划详情", Tag: "activities", Resp: lianluo.ReportPlan{}, Status: 200, Handle: h.getReportPlan},
		{Method: "PUT", Path: "/api/v1/report-plans/{id}", Summary: "修改述职计划的当面述职代表（整份名单，需计划的 version）：检查同制定时，有问题须填 reason；已登记述职活动的代表不能移出", Tag: "activities", Body: lianluo.ReportPlanUpdate{}, Resp: lianluo.ReportPlan{}, Status: 200, Handle: h.updateReportPlan},
		{Method: "DELETE", Path: "/api/v1/report-plans/{id}", Summary: "删除述职计划（?version=；计划中还没有登记述职活动时才可删除，例如年度或小组选错）", Tag: "activities", Query: []string{"version"}, Status: 204, Handle: h.deleteReportPlan},
		{Method: "PUT", Path: "/api/v1/report-plans/{id}/deputies/{deputy_id}", Summary: "登记计划述职代表的述职活动（类型为述职、在计划年度、已邀请该代表）和到会选民人数（需该代表条目的 version）；首次登记即开启民主测评，之后不能更换活动", Tag: "activities", Body: lianluo.ReportLink{}, Resp: lianluo.ReportPlan{}, Status: 200, Handle: h.linkReport},
		{Method: "POST", Path: "/api/v1/activities/{id}/publish", Summary: "发布活动通知并通知受邀代表（须提前7天，代表小组活动提前3天；version 可选）", Tag: "activities", Body: versionRequest{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.publishActivity},
		{Method: "POST", Path: "/api/v1/activities/{id}/cancel", Summary: "取消活动（需 version；已举行或已有代表签到的不能取消）", Tag: "activities", Body: versionRequest{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.cancelOccasion(lianluo.KindActivity)},
		{Method: "POST", Path: "/api/v1/activities/{id}/signin", Summary: "受邀代表本人签到（活动开始前30分钟至结束）", Tag: "activities", Resp: lianluo.Activity{}, Status: 200, Handle: h.signIn(lianluo.KindActivity)},
		{Method: "POST", Path: "/api/v1/activities/{id}/leave", Summary: "受邀代表请假", Tag: "activities", Body: leaveRequest{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.requestLeave(lianluo.KindActivity)},
		{Method: "POST", Path: "/api/v1/activities/{id}/leave/{deputy_id}", Summary: "审批请假（组织联络站站长、代表小组组长或人大工作人员）", Tag: "activities", Body: leaveDecision{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.decideLeave(lianluo.KindActivity)},
		{Method: "POST", Path: "/api/v1/activities/{id}/attendance", Summary: "工作人员登记代表出席情况", Tag: "activities", Body: attendanceRequest{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.markAttendance(lianluo.KindActivity)},
		{Method: "POST", Path: "/api/v1/activities/{id}/record", Summary: "填写活动记录和提出的意见建议（需 version；活动随即完成）", Tag: "activities", Body: activityRecordRequest{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.recordActivity},
		{Method: "POST", Path: "/api/v1/activities/{id}/photos", Summary: "上传活动照片（multipart 字段 photo 或请求体）", Tag: "activities", Resp: lianluo.Activity{}, Status: 201, Handle: h.uploadPhoto(lianluo.KindActivity)},
		{Method: "GET", Path: "/api/v1/activities/{id}/photos/{n}", Summary: "第 n 张活动照片（从1起）", Tag: "activities", Status: 200, Produces: "image/jpeg", Handle: h.getPhoto(lianluo.KindActivity)},
		{Method: "POST", Path: "/api/v1/activities/{id}/cases", Summary: "关联活动中提出的意见", Tag: "activities", Body: linkCaseRequest{}, Resp: lianluo.Activity{}, Status: 200, Handle: h.linkCase(lianluo.KindActivity)},

		// Deputies' diaries (民情日记 — 003) and the deputy mailboxes (代表信箱 — 004).
		{Method: "GET", Path: "/api/v1/diary", Summary: "民情日记列表（代表只见本人的；人大办和联络站工作人员可查看辖区代表的，选民联系方式已遮蔽；from、to 为日期）", Tag: "diary", Query: append([]string{"deputy_id", "from", "to"}, pageParams...), Resp: lianluo.DiaryEntry{}, List: true, Status: 200, Handle: h.listDiary},
		{Method: "POST", Path: "/api/v1/diary", Summary: "代表本人记录民情日记（visited_at 如 2026-03-02T09:30）", Tag: "diary", Body: lianluo.DiaryInput{}, Resp: lianluo.DiaryEntry{}, Status: 201, Handle: h.createDiary},
		{Method: "GET", Path: "/api/v1/diary/counts", Summary: "民情日记数量与要求对照（每月至少5篇、全年不少于60篇；只计选民已确认的；year、month 缺省为本月）", Tag: "diary", Query: []string{"year", "month", "region", "deputy_id"}, Resp: diaryCountItem{}, List: true, Status: 200, Handle: h.diaryCounts},
		{Method: "GET", Path: "/api/v1/diary/{id}", Summary: "民情日记详情", Tag: "diary", Resp: lianluo.DiaryEntry{}, Status: 200, Handle: h.getDiary},
		{Method: "PATCH", Path: "/api/v1/diary/{id}", Summary: "修改未经选民确认的民情日记（代表本人；需 version）", Tag: "diary", Body: lianluo.DiaryUpdate{}, Resp: lianluo.DiaryEntry{}, Status: 200, Handle: h.updateDiary},
		{Method: "POST", Path: "/api/v1/diary/{id}/confirm-code", Summary: "向选民手机发送确认验证码（6位，10分钟内有效，每分钟最多1次、每天最多5次）", Tag: "diary", Status: 204, Handle: h.sendDiaryCode},
		{Method: "POST", Path: "/api/v1/diary/{id}/confirm", Summary: "选民确认：code 为短信验证码（输错5次须重新获取），或 signature 为签名图片 data:image/png;base64,…；确认后不能再修改", Tag: "diary", Body: diaryConfirm{}, Resp: lianluo.DiaryEntry{}, Status: 200, Handle: h.confirmDiary},
		{Method: "GET", Path: "/api/v1/diary/{id}/signature", Summary: "选民签名图片", Tag: "diary", Status: 200, Produces: "image/png", Handle: h.diarySignature},
		{Method: "POST", Path: "/api/v1/diary/{id}/case", Summary: "将民情日记转为群众意见（渠道 diary，带入选民信息；只能转一次）", Tag: "diary", Resp: lianluo.Case{}, Status: 201, Handle: h.diaryToCase},
		{Method: "POST", Path: "/api/v1/diary/{id}/reveal", Summary: "查看选民联系方式（需说明原因，记入日志）", Tag: "diary", Body: revealRequest{}, Resp: lianluo.Submitter{}, Status: 200, Handle: h.revealDiaryVoter},
		// 履职登记 and 六个一 (docs/duty-records.md).
		{Method: "GET", Path: "/api/v1/duty-records", Summary: "履职登记列表（代表只见本人的；人大办和联络站工作人员可查看辖区代表的；kind 为履职类型，status 为 pending/confirmed/returned）", Tag: "duty", Query: append([]string{"deputy_id", "kind", "status", "year"}, pageParams...), Resp: lianluo.DutyRecord{}, List: true, Status: 200, Handle: h.listDutyRecords},
		{Method: "POST", Path: "/api/v1/duty-records", Summary: "登记履职（为选民办实事好事、帮扶困难户、民情调查、持证视察、书面履职报告、外出培训；代表本人，或联络站、人大办工作人员代为登记；date 如 2026-03-01）", Tag: "duty", Body: lianluo.DutyRecordInput{}, Resp: lianluo.DutyRecord{}, Status: 201, Handle: h.createDutyRecord},
		{Method: "GET", Path: "/api/v1/duty-records/{id}", Summary: "履职登记详情", Tag: "duty", Resp: lianluo.DutyRecord{}, Status: 200, Handle: h.getDutyRecord},
		{Method: "PATCH", Path: "/api/v1/duty-records/{id}", Summary: "修改未确认的履职登记（代表本人或工作人员；需 version）；已退回的修改后重新等待确认", Tag: "duty", Body: lianluo.DutyRecordUpdate{}, Resp: lianluo.DutyRecord{}, Status: 200, Handle: h.updateDutyRecord},
		{Method: "POST", Path: "/api/v1/duty-records/{id}/confirm", Summary: "确认或退回履职登记（联络站或人大办工作人员；decision 为 confirm 或 return，退回须填 reason；需 version；只有确认的计入六个一）", Tag: "duty", Body: lianluo.DutyDecision{}, Resp: lianluo.DutyRecord{}, Status: 200, Handle: h.decideDutyRecord},
		{Method: "POST", Path: "/api/v1/duty-records/{id}/photos", Summary: "上传履职照片（multipart 字段 photo 或请求体为图片；待确认时，代表本人或工作人员；最多9张）", Tag: "duty", Resp: lianluo.DutyRecord{}, Status: 201, Handle: h.addDutyPhoto},
		{Method: "GET", Path: "/api/v1/duty-records/{id}/photos/{n}", Summary: "履职照片（n 从1开始）", Tag: "duty", Status: 200, Produces: "image/*", Handle: h.dutyPhoto},
		{Method: "GET", Path: "/api/v1/deputies/{id}/six-ones", Summary: "代表“六个一”完成情况及依据（year 缺省为今年；每半年一次的项目要求2，done 为有记录的半年数）", Tag: "duty", Query: []string{"year"}, Resp: lianluo.SixOnes{}, Status: 200, Handle: h.deputySixOnes},
		{Method: "GET", Path: "/api/v1/groups/{id}/six-ones", Summary: "代表小组“六个一”完成情况及依据（按小组组织并已记录的活动计）", Tag: "duty", Query: []string{"year"}, Resp: lianluo.SixOnes{}, Status: 200, Handle: h.groupSixOnes},
		// 工作评议 (docs/appraisals.md).
		{Method: "GET", Path: "/api/v1/appraisals", Summary: "工作评议列表（year 为年度；人大办、人大领导看本辖区的，承办单位只看评议本单位的，且只见本单位；每个单位带民意测评票数 tally 和整改进度 progress：done 已验收、total 共几项、overdue 超期未报告）", Tag: "appraisals", Query: append([]string{"year"}, pageParams...), Resp: lianluo.Appraisal{}, List: true, Status: 200, Handle: h.listAppraisals},
		{Method: "POST", Path: "/api/v1/appraisals", Summary: "新建工作评议（该人大机构所在地区的人大办；org_id 为组织评议的人大机构，unit_ids 为辖区内的被评议单位；scheduled_on 应在第四季度，否则须填 schedule_reason）", Tag: "appraisals", Body: lianluo.AppraisalInput{}, Resp: lianluo.Appraisal{}, Status: 201, Handle: h.createAppraisal},
		{Method: "GET", Path: "/api/v1/appraisals/{id}", Summary: "工作评议详情：步骤、被评议单位、民意测评、评议意见、整改事项（承办单位只见本单位的）", Tag: "appraisals", Resp: lianluo.Appraisal{}, Status: 200, Handle: h.getAppraisal},
		{Method: "GET", Path: "/api/v1/appraisals/{id}/summary.xlsx", Summary: "导出工作评议情况 Excel：每个被评议单位的民意测评票数、满意率、评议意见和整改进度，第二张表为整改事项；权限同 /api/v1/appraisals/{id}；每次导出记入操作日志", Tag: "appraisals", Status: 200, Produces: xlsxType, Handle: h.appraisalSheet},
		{Method: "POST", Path: "/api/v1/appraisals/{id}/steps", Summary: "记录下一个评议步骤（依次为 collect 收集意见、meeting 评议会议、ballot 民意测评、findings 评议意见、rectification 整改、supervision 督办；on 为日期；collect 可带 case_ids；meeting 须 activity_id（类型为评议的代表活动）和每个单位的 report；ballot 须每个单位的 tally；findings 须每个单位的 findings，通知该单位；rectification 须每个单位已有整改事项；supervision 须全部整改事项已验收；需评议的 version）", Tag: "appraisals", Body: lianluo.AppraisalStepInput{}, Resp: lianluo.Appraisal{}, Status: 200, Handle: h.recordAppraisalStep},
		{Method: "POST", Path: "/api/v1/appraisals/{id}/rectifications", Summary: "给被评议单位列出整改事项（人大办；评议意见之后、督办结束之前；due_on 为完成期限），通知该单位", Tag: "appraisals", Body: lianluo.RectificationInput{}, Resp: lianluo.Rectification{}, Status: 201, Handle: h.addRectification},
		{Method: "GET", Path: "/api/v1/rectifications", Summary: "本单位的整改事项（承办单位经办人；未完成的在前，按完成期限）", Tag: "appraisals", Resp: lianluo.Rectification{}, List: true, Status: 200, Handle: h.unitRectifications},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/report", Summary: "报告整改完成（本单位经办人；整改中或被退回时；report 为整改情况；需 version）", Tag: "appraisals", Body: lianluo.RectDecision{}, Resp: lianluo.Rectification{}, Status: 200, Handle: h.actOnRectification(lianluo.RectReport)},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/accept", Summary: "验收整改（人大办；单位已报告时；需 version）", Tag: "appraisals", Body: lianluo.RectDecision{}, Resp: lianluo.Rectification{}, Status: 200, Handle: h.actOnRectification(lianluo.RectAccept)},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/return", Summary: "退回整改（人大办；单位已报告时；须填 reason，通知该单位；需 version）", Tag: "appraisals", Body: lianluo.RectDecision{}, Resp: lianluo.Rectification{}, Status: 200, Handle: h.actOnRectification(lianluo.RectReturn)},
		{Method: "POST", Path: "/api/v1/stations/{id}/mailbox/openings", Summary: "登记代表信箱开箱（opened_at、opened_by 开箱人姓名，letters 为本次来信）", Tag: "mailbox", Body: lianluo.OpeningInput{}, Resp: lianluo.MailboxOpening{}, Status: 201, Handle: h.recordOpening},
		{Method: "GET", Path: "/api/v1/mailbox/openings", Summary: "联络站代表信箱的开箱记录（含来信，来信人联系方式已遮蔽）", Tag: "mailbox", Query: append([]string{"station_id"}, pageParams...), Resp: lianluo.MailboxOpening{}, List: true, Status: 200, Handle: h.listOpenings},
		{Method: "GET", Path: "/api/v1/mailbox/status", Summary: "各联络站代表信箱的开启情况（超过7天未开启为 overdue）", Tag: "mailbox", Query: []string{"station_id"}, Resp: lianluo.MailboxStatus{}, List: true, Status: 200, Handle: h.mailboxStatuses},
		{Method: "POST", Path: "/api/v1/mailbox/letters/{id}/case", Summary: "将来信转为群众意见（渠道 mailbox；只能转一次）", Tag: "mailbox", Resp: lianluo.Case{}, Status: 201, Handle: h.letterToCase},
		{Method: "GET", Path: "/api/v1/mailbox/summary", Summary: "代表信箱季度汇总（station_id 或 region 二选一；quarter 如 2026Q4，缺省为上一季度）", Tag: "mailbox", Query: []string{"station_id", "region", "quarter"}, Resp: lianluo.MailboxSummary{}, Status: 200, Handle: h.mailboxSummary},

		{Method: "GET", Path: "/api/v1/notifications", Summary: "通知发送记录（系统管理员；status：pending、sent、dead；含尝试次数和最近错误，手机号和邮箱已遮蔽）", Tag: "notifications", Query: append([]string{"status", "channel", "case_id"}, pageParams...), Resp: lianluo.Notification{}, List: true, Status: 200, Handle: h.listNotifications},
		{Method: "GET", Path: "/api/v1/notifications/counts", Summary: "各状态的通知条数（系统管理员）", Tag: "notifications", Query: []string{"channel"}, Status: 200, Produces: "application/json", Handle: h.notificationCounts},
		{Method: "POST", Path: "/api/v1/notifications/{id}/retry", Summary: "重新发送一条发送失败的通知（系统管理员；尝试次数清零，记入操作日志）", Tag: "notifications", Status: 204, Handle: h.retryNotification},

		{Method: "GET", Path: "/api/v1/audit", Summary: "操作日志（安全审计员）", Tag: "audit", Query: append([]string{"entity", "entity_id", "actor_id", "action", "from", "to"}, pageParams...), Resp: lianluo.Event{}, List: true, Status: 200, Handle: h.listEvents},
		{Method: "GET", Path: "/api/v1/audit/verify", Summary: "校验操作日志的哈希链（安全审计员）：ok、事件数、第一个内容或链接不符的事件 first_bad_id、链头哈希 head", Tag: "audit", Resp: lianluo.AuditCheck{}, Status: 200, Handle: h.verifyAudit},
		{Method: "GET", Path: "/api/v1/settings/audit", Summary: "审计日志设置：audit_retention_days 保存天数（至少180天；安全审计员）", Tag: "settings", Part: lianluo.PartAudit, Resp: lianluo.AuditSettings{}, Status: 200, Handle: h.getAuditSettings},
		{Method: "PUT", Path: "/api/v1/settings/audit", Summary: "修改审计日志设置（安全审计员；保存天数不少于180天）", Tag: "settings", Part: lianluo.PartAudit, Body: lianluo.AuditSettings{}, Resp: lianluo.AuditSettings{}, Status: 200, Handle: h.putAuditSettings},
	}
}
