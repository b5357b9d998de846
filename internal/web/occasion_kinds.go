package web

import (
	"fmt"
	"net/http"

	"lianluo"
)

// occasionKind is what the shared occasion pages (occasion_pages.go) need
// to know of a kind: where it lives, what it calls things, how its record
// is loaded into the shared view, and its own forms (the edit and the
// record, and publishing an activity). A third kind is one more entry in
// occasionKinds.
type occasionKind struct {
	kind    lianluo.OccasionKind
	base    string            // the pages' URL: /console/receptions
	flashes map[string]string // the kind's own confirmations; occasionFlashes for the rest
	words   occasionWords

	// load reads the occasion with its invitees and organiser.
	load func(a *app, r *http.Request, id int64) (*occasion, error)
	// page builds the kind's page around the shared view: the template's name and its data.
	page func(a *app, r *http.Request, o *occasion, v occasionView, st occasionState) (string, page, error)

	// edit and record read the kind's form and save it, giving back the
	// input to re-show when refused; their fields are editFields and recordFields.
	edit, record             func(a *app, r *http.Request, id int64) (any, error)
	editFields, recordFields []string

	publish func(a *app, r *http.Request, id int64, version int) error // nil: published otherwise (receptions, with the rota)
}

// occasionWords are the phrases of the shared partials that differ by kind.
type occasionWords struct {
	Noun          string // 接待, 活动
	Invitees      string // the deputies' heading
	NoInvitees    string
	MeText        string // the invited deputy's box
	SelfSignIn    string // how a deputy's own sign-in reads
	LeaveHint     string // who decides leave
	Cases         string // the cases' heading
	NoCases       string
	CaseHint      string
	Photos        string // the photos' heading
	CancelConfirm string
}

// occasionKinds are the kinds with pages, in the order of lianluo.OccasionKinds.
var occasionKinds = []*occasionKind{receptionKind, activityKind}

var receptionKind = &occasionKind{
	kind: lianluo.KindReception, base: "/console/receptions", flashes: receptionFlashes,
	words: occasionWords{Noun: "接待", Invitees: "接待代表", NoInvitees: "本次没有安排代表。", MeText: "您是本次接待的代表。",
		SelfSignIn: "本人扫码签到", LeaveHint: "站长审批后通知您。",
		Cases: "本次接待登记的意见", NoCases: "还没有登记意见。", CaseHint: "填意见编号（如 128）或查询码；只能关联在本站登记的意见。",
		Photos: "现场照片", CancelConfirm: "确定取消本次接待吗？已安排的代表会收到取消通知。"},
	load: (*app).loadReception, page: (*app).receptionSessionPage,
	edit: (*app).saveReceptionEdit, editFields: []string{"deputy_ids", "starts_at", "ends_at", "form", "theme"},
	record: (*app).saveReceptionRecord, recordFields: []string{"visitors", "minutes", "satisfied", "basically_satisfied", "unsatisfied"},
}

var activityKind = &occasionKind{
	kind: lianluo.KindActivity, base: "/console/activities", flashes: activityFlashes,
	words: occasionWords{Noun: "活动", Invitees: "邀请代表", NoInvitees: "还没有邀请代表。", MeText: "您受邀参加本次活动。",
		SelfSignIn: "本人签到", LeaveHint: "由组织活动的站长、代表小组组长或人大工作人员审批。",
		Cases: "活动中提出的意见", NoCases: "还没有关联意见。", CaseHint: "填意见编号（如 128）或查询码；只能关联您范围内的意见。",
		Photos: "活动照片", CancelConfirm: "确定取消本次活动吗？已发布的，受邀代表会收到取消通知。"},
	load: (*app).loadActivity, page: (*app).activityDetailPage,
	edit: (*app).saveActivityEdit, editFields: []string{"title", "content", "place", "starts_at", "ends_at", "deputy_ids"},
	record: (*app).saveActivityRecord, recordFields: []string{"minutes", "outcomes"},
	publish: func(a *app, r *http.Request, id int64, version int) error {
		_, err := a.svc.Activities.PublishActivity(r.Context(), id, version)
		return err
	},
}

// occasionFlashes are the confirmations every kind shares (?ok=…).
var occasionFlashes = map[string]string{
	"marked":  "出席情况已登记。",
	"decided": "请假审批已完成，已通知代表。",
	"photo":   "照片已上传。",
	"linked":  "已关联意见。",
	"signed":  "签到成功。",
}

// flash is the confirmation ?ok= names on the kind's page.
func (k *occasionKind) flash(r *http.Request) string {
	ok := r.URL.Query().Get("ok")
	if s, found := k.flashes[ok]; found {
		return s
	}
	return occasionFlashes[ok]
}

// url is the occasion's page, with a confirmation and an anchor.
func (k *occasionKind) url(id int64, ok, anchor string) string {
	u := fmt.Sprintf("%s/%d", k.base, id)
	if ok != "" {
		u += "?ok=" + ok
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

// loadReception is a reception with its station's powers: the station may
// be out of a deputy's registry scope (a district deputy at a town
// station); then they only see the session.
func (a *app) loadReception(r *http.Request, id int64) (*occasion, error) {
	ctx := r.Context()
	rc, err := a.svc.Receptions.FindReceptionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	o := &occasion{ID: rc.ID, Version: rc.Version, Rules: rc.Occasion(), Deputies: rc.Deputies, CaseIDs: rc.CaseIDs, Photos: rc.Photos, X: rc}
	s, err := a.svc.Stations.FindStationByID(ctx, rc.StationID)
	switch {
	case err == nil:
		o.Station, o.Organiser = s, &lianluo.Organiser{RegionCode: s.RegionCode, StationID: &s.ID}
	case lianluo.ErrorCode(err) != lianluo.ENOTFOUND:
		return nil, err
	}
	return o, nil
}

// loadActivity is an activity with its organiser; a group meeting's
// leaders are loaded for a deputy, who may be one of them.
func (a *app) loadActivity(r *http.Request, id int64) (*occasion, error) {
	ctx, ac := r.Context(), actor(r)
	x, err := a.svc.Activities.FindActivityByID(ctx, id)
	if err != nil {
		return nil, err
	}
	org := &lianluo.Organiser{RegionCode: x.RegionCode, StationID: x.StationID, GroupID: x.GroupID}
	if x.GroupID != nil && ac.Has(lianluo.RoleDeputy) {
		if g, err := a.svc.Groups.FindGroupByID(ctx, *x.GroupID); err == nil {
			for _, l := range []*int64{g.LeaderID, g.DeputyLeaderID} {
				if l != nil {
					org.GroupLeaders = append(org.GroupLeaders, *l)
				}
			}
		}
	}
	return &occasion{ID: x.ID, Version: x.Version, Rules: x.Occasion(), Organiser: org, Deputies: x.Deputies, CaseIDs: x.CaseIDs, Photos: x.Photos, X: x}, nil
}
