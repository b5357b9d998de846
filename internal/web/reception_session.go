package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
	"lianluo/internal/schedule"
)

// A session's page (接待活动): its deputies with attendance and leave, the
// office's adjustments, the record and satisfaction check, photos, and the
// cases registered during it.

type receptionDeputyRow struct {
	D          lianluo.ReceptionDeputy
	Attendance string
	SignedAt   string
	SignedBy   string
	Leave      string // "待审批：出差" …
	Pending    bool
	Me         bool
}

type receptionCaseLink struct {
	ID           int64
	Title        string
	TrackingCode string
	Status       string
}

type receptionPage struct {
	basePage
	R           *lianluo.Reception
	StationName string
	When        string
	Day, Time   string
	FormText    string
	Status      string
	Moved       string
	Started     bool
	MarkOpen    bool // staff may mark attendance: from the sign-in window on
	Ended       bool
	CanManage   bool // adjust, cancel, decide leave
	CanWork     bool // mark attendance, record, photos, cases
	Editable    bool
	Recordable  bool
	Deputies    []receptionDeputyRow
	Me          *receptionDeputyRow // the viewer, when they are a deputy on it
	CanLeave    bool
	CanSignIn   bool
	Message     string // a refused action, in the store's words

	// The adjustment form.
	Edit     formState
	Choices  []option // the station's deputies
	Date     string
	Start    string
	End      string
	Forms    []option
	Theme    string
	Short    bool
	MinDeps  int
	LeaveF   formState
	Reason   string
	RecF     formState
	Rec      recordValues
	CaseF    formState
	CaseRef  string
	Cases    []receptionCaseLink
	Photos   []int
	PhotoErr string
	Intake   string
	MaxPhoto int
}

type recordValues struct {
	Visitors, Minutes, Satisfied, BasicallySatisfied, Unsatisfied string
}

// receptionState is what a POST hands back when re-showing the page.
type receptionState struct {
	status   int
	message  string
	edit     *formState
	editIn   *receptionEditInput
	leave    *formState
	reason   string
	rec      *formState
	recIn    *recordValues
	caseF    *formState
	caseRef  string
	photoErr string
}

type receptionEditInput struct {
	DeputyIDs              []int64
	Date, Start, End, Form string
	Theme                  string
}

func (a *app) showReception(w http.ResponseWriter, r *http.Request, id int64, st receptionState) error {
	ctx, ac := r.Context(), actor(r)
	rc, err := a.svc.Receptions.FindReceptionByID(ctx, id)
	if err != nil {
		return err
	}
	now := a.now()
	p := &receptionPage{basePage: basePage{Title: rc.StationName + " " + dayText(rc.StartsAt) + "接待", Section: "receptions"},
		R: rc, StationName: rc.StationName, When: whenText(rc), Day: fmt.Sprintf("%d年%s", rc.StartsAt.Year(), dayText(rc.StartsAt)), Time: timeSpan(rc), FormText: formText(rc.Form, rc.Theme),
		Status: lianluo.ReceptionStatusNames[rc.Status], Moved: movedText(rc), Message: st.message,
		Started: !now.Before(rc.StartsAt), MarkOpen: !now.Before(rc.StartsAt.Add(-lianluo.SignInEarly)), Ended: now.After(rc.EndsAt), MinDeps: schedule.MinPerSession,
		MaxPhoto: lianluo.MaxPhotoBytes >> 20, PhotoErr: st.photoErr,
		Intake: fmt.Sprintf("/console/cases/new?station_id=%d&reception_id=%d", rc.StationID, rc.ID)}
	flashOf(r, &p.basePage)
	// The station may be out of a deputy's registry scope (a district
	// deputy at a town station); then they only see the session.
	s, err := a.svc.Stations.FindStationByID(ctx, rc.StationID)
	switch {
	case err == nil:
		p.CanManage, p.CanWork = lianluo.StationPowers(ac, s.ID, s.RegionCode)
	case lianluo.ErrorCode(err) != lianluo.ENOTFOUND:
		return err
	}
	active := rc.Status != lianluo.ReceptionCancelled
	p.Editable = p.CanManage && active && !p.Ended
	p.Recordable = p.CanWork && rc.Status == lianluo.ReceptionPublished && p.Started
	for _, d := range rc.Deputies {
		row := receptionDeputyRow{D: d, Attendance: lianluo.AttendanceName(d.Attendance, p.Ended),
			Me: ac.Has(lianluo.RoleDeputy) && slices.Contains(ac.Scope.Deputies, d.DeputyID)}
		if d.SignedInAt != nil {
			row.SignedAt = d.SignedInAt.In(lianluo.Beijing).Format("15:04")
			row.SignedBy = map[string]string{"self": "本人扫码签到", "staff": "工作人员登记"}[d.SignedBy]
		}
		if d.LeaveStatus != "" {
			row.Leave = lianluo.LeaveStatusNames[d.LeaveStatus] + "：" + d.LeaveReason
			row.Pending = d.LeaveStatus == lianluo.LeavePending
		}
		p.Deputies = append(p.Deputies, row)
	}
	for i := range p.Deputies {
		if p.Deputies[i].Me {
			p.Me = &p.Deputies[i]
		}
	}
	if p.Me != nil {
		p.CanLeave = lianluo.CheckLeaveRequest(rc.Occasion(), p.Me.D.Invitee(), now) == nil
		p.CanSignIn = lianluo.CheckSignIn(rc.Occasion(), p.Me.D.Invitee(), now) == nil
	}

	// The adjustment form.
	in := receptionEditInput{DeputyIDs: rc.DeputyIDs, Date: rc.StartsAt.In(lianluo.Beijing).Format("2006-01-02"),
		Start: rc.StartsAt.In(lianluo.Beijing).Format("15:04"), End: rc.EndsAt.In(lianluo.Beijing).Format("15:04"), Form: rc.Form, Theme: rc.Theme}
	if st.editIn != nil {
		in = *st.editIn
	}
	if st.edit != nil {
		p.Edit = *st.edit
	}
	p.Date, p.Start, p.End, p.Theme = in.Date, in.Start, in.End, in.Theme
	p.Forms = namedOptions(formKeys, schedule.FormNames, in.Form)
	if p.Editable && s != nil {
		for _, d := range s.Deputies {
			p.Choices = append(p.Choices, option{Value: strconv.FormatInt(d.ID, 10), Label: d.Name, Selected: slices.Contains(in.DeputyIDs, d.ID)})
		}
		// A deputy no longer at the station stays listed while on the session.
		for _, d := range rc.Deputies {
			if !slices.ContainsFunc(s.Deputies, func(x lianluo.DeputyRef) bool { return x.ID == d.DeputyID }) {
				p.Choices = append(p.Choices, option{Value: strconv.FormatInt(d.DeputyID, 10), Label: d.Name + "（已不在本站）", Selected: slices.Contains(in.DeputyIDs, d.DeputyID)})
			}
		}
	}
	p.Short = active && len(rc.DeputyIDs) < schedule.MinPerSession
	if st.leave != nil {
		p.LeaveF = *st.leave
	}
	p.Reason = st.reason
	if st.rec != nil {
		p.RecF = *st.rec
	}
	switch {
	case st.recIn != nil:
		p.Rec = *st.recIn
	case rc.Record != nil:
		p.Rec = recordValues{Visitors: strconv.Itoa(rc.Record.Visitors), Minutes: rc.Record.Minutes, Satisfied: strconv.Itoa(rc.Record.Satisfied),
			BasicallySatisfied: strconv.Itoa(rc.Record.BasicallySatisfied), Unsatisfied: strconv.Itoa(rc.Record.Unsatisfied)}
	}
	if st.caseF != nil {
		p.CaseF = *st.caseF
	}
	p.CaseRef = st.caseRef
	for _, cid := range rc.CaseIDs {
		link := receptionCaseLink{ID: cid, Title: fmt.Sprintf("意见 #%d", cid)}
		if c, err := a.svc.Cases.FindCaseByID(ctx, cid); err == nil {
			link.Title, link.TrackingCode, link.Status = c.Title, c.TrackingCode, lianluo.StatusNames[c.Status]
		}
		p.Cases = append(p.Cases, link)
	}
	for n := 1; n <= rc.Photos; n++ {
		p.Photos = append(p.Photos, n)
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return a.render(w, r, status, "reception", p)
}

func receptionURL(id int64, ok, anchor string) string {
	u := fmt.Sprintf("/console/receptions/%d", id)
	if ok != "" {
		u += "?ok=" + ok
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

func (a *app) receptionDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return a.showReception(w, r, id, receptionState{})
}

// refused re-shows the page with a state error (409) or an invalid one
// without a form field; other errors go to the error page.
func (a *app) refused(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	switch c := lianluo.ErrorCode(err); c {
	case lianluo.ESTATE, lianluo.ECONFLICT, lianluo.ESTALE, lianluo.EINVALID:
		return a.showReception(w, r, id, receptionState{status: errorStatus(c), message: lianluo.ErrorMessage(err)})
	}
	return err
}

var receptionEditFields = []string{"deputy_ids", "starts_at", "ends_at", "form", "theme"}

func (a *app) receptionUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := receptionEditInput{Date: formStr(r, "date"), Start: formStr(r, "start"), End: formStr(r, "end"), Form: formStr(r, "form"), Theme: formStr(r, "theme")}
	version, err := formVersion(r)
	if err == nil {
		in.DeputyIDs, err = formIDs(r, "deputy_ids", "接待代表")
	}
	if err == nil {
		starts, ends := in.Date+"T"+in.Start, in.Date+"T"+in.End
		u := lianluo.ReceptionUpdate{DeputyIDs: &in.DeputyIDs, StartsAt: &starts, EndsAt: &ends, Form: &in.Form, Theme: &in.Theme, Version: version}
		_, err = a.svc.Receptions.UpdateReception(r.Context(), id, u)
	}
	if err != nil {
		f := formState{ReloadURL: receptionURL(id, "", "edit")}
		if !f.take(err, receptionEditFields...) {
			return err
		}
		return a.showReception(w, r, id, receptionState{status: f.status(err), edit: &f, editIn: &in})
	}
	return redirect(w, r, receptionURL(id, "updated", ""))
}

func (a *app) receptionCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.Receptions.UpdateReception(r.Context(), id, lianluo.ReceptionUpdate{Cancel: true, Version: version}); err != nil {
		return a.refused(w, r, id, err)
	}
	return redirect(w, r, receptionURL(id, "cancelled", ""))
}

func (a *app) receptionMark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	deputyID, err := strconv.ParseInt(formStr(r, "deputy_id"), 10, 64)
	if err != nil {
		return lianluo.Errorf(lianluo.EINVALID, "表单缺少代表，请刷新页面后重试。")
	}
	if err := a.svc.Attendance.MarkAttendance(r.Context(), lianluo.KindReception, id, deputyID, formStr(r, "attendance")); err != nil {
		return a.refused(w, r, id, err)
	}
	return redirect(w, r, receptionURL(id, "marked", "deputies"))
}

func (a *app) receptionLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	reason := formStr(r, "reason")
	if err := a.svc.Attendance.RequestLeave(r.Context(), lianluo.KindReception, id, reason); err != nil {
		var f formState
		if !f.take(err, "reason") {
			return err
		}
		return a.showReception(w, r, id, receptionState{status: f.status(err), leave: &f, reason: reason})
	}
	if back := formStr(r, "back"); back == "mine" {
		return redirect(w, r, "/console/my-receptions?ok=leave")
	}
	return redirect(w, r, receptionURL(id, "leave", ""))
}

func (a *app) receptionDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	deputyID, err := strconv.ParseInt(r.PathValue("deputy_id"), 10, 64)
	if err != nil {
		return lianluo.NotFound("代表")
	}
	if err := a.svc.Attendance.DecideLeave(r.Context(), lianluo.KindReception, id, deputyID, formBool(r, "approve")); err != nil {
		return a.refused(w, r, id, err)
	}
	return redirect(w, r, receptionURL(id, "decided", "deputies"))
}

var recordFields = []string{"visitors", "minutes", "satisfied", "basically_satisfied", "unsatisfied"}

func (a *app) receptionRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := recordValues{Visitors: formStr(r, "visitors"), Minutes: formStr(r, "minutes"), Satisfied: formStr(r, "satisfied"),
		BasicallySatisfied: formStr(r, "basically_satisfied"), Unsatisfied: formStr(r, "unsatisfied")}
	var rec lianluo.ReceptionRecord
	num := func(field, label, s string, dst *int) {
		if err != nil || s == "" {
			return
		}
		n, e := strconv.Atoi(s)
		if e != nil {
			err = lianluo.FieldError(field, "%s应填写数字。", label)
		}
		*dst = n
	}
	version, err := formVersion(r)
	num("visitors", "接待群众人数", in.Visitors, &rec.Visitors)
	num("satisfied", "满意人数", in.Satisfied, &rec.Satisfied)
	num("basically_satisfied", "基本满意人数", in.BasicallySatisfied, &rec.BasicallySatisfied)
	num("unsatisfied", "不满意人数", in.Unsatisfied, &rec.Unsatisfied)
	rec.Minutes = in.Minutes
	if err == nil {
		_, err = a.svc.Receptions.RecordReception(r.Context(), id, version, rec)
	}
	if err != nil {
		f := formState{ReloadURL: receptionURL(id, "", "record")}
		if !f.take(err, recordFields...) {
			return err
		}
		return a.showReception(w, r, id, receptionState{status: f.status(err), rec: &f, recIn: &in})
	}
	return redirect(w, r, receptionURL(id, "recorded", "record"))
}

func (a *app) receptionPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readPhotoField(r, "photo")
	if err == nil {
		err = a.svc.Attendance.AddPhoto(r.Context(), lianluo.KindReception, id, data)
	}
	if err != nil {
		switch c := lianluo.ErrorCode(err); c {
		case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
			return a.showReception(w, r, id, receptionState{status: errorStatus(c), photoErr: lianluo.ErrorMessage(err)})
		}
		return err
	}
	return redirect(w, r, receptionURL(id, "photo", "photos"))
}

// readPhotoField reads one uploaded photo of a multipart form.
func readPhotoField(r *http.Request, field string) ([]byte, error) {
	tooLarge := lianluo.Errorf(lianluo.ETOOLARGE, "照片不能超过%dMB。", lianluo.MaxPhotoBytes>>20)
	f, _, err := r.FormFile(field)
	if err != nil {
		if strings.Contains(err.Error(), "too large") {
			return nil, tooLarge
		}
		return nil, lianluo.FieldError(field, "请选择要上传的照片。")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, lianluo.MaxPhotoBytes+1))
	if err != nil || len(data) > lianluo.MaxPhotoBytes {
		return nil, tooLarge
	}
	return data, nil
}

func (a *app) receptionPhoto(w http.ResponseWriter, r *http.Request) error {
	return servePhoto(w, r, a.kindPhoto(lianluo.KindReception))
}

// kindPhoto reads the photos of an occasion of kind.
func (a *app) kindPhoto(kind lianluo.OccasionKind) func(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
	return func(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
		return a.svc.Attendance.Photo(ctx, kind, id, n)
	}
}

// servePhoto answers {…}/{id}/photos/{n} with the n-th photo get returns,
// kept out of shared caches.
func servePhoto(w http.ResponseWriter, r *http.Request, get func(ctx context.Context, id int64, n int) (*lianluo.Photo, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return lianluo.NotFound("照片")
	}
	p, err := get(r.Context(), id, n)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(p.Data)
	return err
}

func (a *app) receptionLinkCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ref := formStr(r, "case")
	caseID, err := a.findCaseRef(r, ref)
	if err == nil {
		err = a.svc.Attendance.LinkCase(r.Context(), lianluo.KindReception, id, caseID)
	}
	if err != nil {
		err = renameField(err, map[string]string{"case_id": "case"})
		var f formState
		if !f.take(err, "case") {
			return err
		}
		return a.showReception(w, r, id, receptionState{status: f.status(err), caseF: &f, caseRef: ref})
	}
	return redirect(w, r, receptionURL(id, "linked", "cases"))
}

// findCaseRef resolves what the clerk typed: a case's number (编号) or its
// tracking code (查询码), among the station's cases.
func (a *app) findCaseRef(r *http.Request, ref string) (int64, error) {
	ref = strings.TrimPrefix(strings.TrimSpace(ref), "#")
	if ref == "" {
		return 0, lianluo.FieldError("case", "请填写意见编号或查询码。")
	}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil && n > 0 {
		return n, nil
	}
	cases, _, err := a.svc.Cases.FindCases(r.Context(), lianluo.CaseFilter{Tracking: ref, Page: lianluo.Page{Page: 1, PerPage: 1}})
	if err != nil {
		return 0, err
	}
	if len(cases) == 0 {
		return 0, lianluo.FieldError("case", "没有查询码为“%s”的意见，或不在您的管辖范围内。", ref)
	}
	return cases[0].ID, nil
}

func (a *app) receptionSignIn(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.svc.Attendance.SignIn(r.Context(), lianluo.KindReception, id); err != nil {
		switch c := lianluo.ErrorCode(err); c {
		case lianluo.ESTATE, lianluo.EFORBIDDEN:
			if st := formStr(r, "station_id"); st != "" {
				return a.showSignIn(w, r, st, errorStatus(c), lianluo.ErrorMessage(err))
			}
			return a.refused(w, r, id, lianluo.Errorf(lianluo.ESTATE, "%s", lianluo.ErrorMessage(err)))
		}
		return err
	}
	if formStr(r, "station_id") != "" {
		rc, err := a.svc.Receptions.FindReceptionByID(r.Context(), id)
		if err != nil {
			return err
		}
		return redirect(w, r, fmt.Sprintf("/console/signin/%d?ok=signed", rc.StationID))
	}
	return redirect(w, r, receptionURL(id, "signed", ""))
}
