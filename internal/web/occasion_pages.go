package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"lianluo"
)

// An occasion's page and its actions, one set for every kind (接待, 代表活动):
// attendance, leave and its decision, sign-in, photos and linked cases go
// to lianluo.AttendanceService with the kind, and so does cancelling; the
// edit, the record and publishing go to the kind's own service through its description
// (occasion_kinds.go). Every action redirects back to the page, or re-shows
// it with the refusal.

// occasionRoutes registers the page and actions of a kind under its base.
func (a *app) occasionRoutes(page func(string, handler), k *occasionKind) {
	page("GET "+k.base+"/{id}", a.occasionDetail(k))
	page("POST "+k.base+"/{id}/edit", a.occasionEdit(k))
	page("POST "+k.base+"/{id}/cancel", a.occasionCancel(k))
	page("POST "+k.base+"/{id}/attendance", a.occasionMark(k))
	page("POST "+k.base+"/{id}/leave", a.occasionLeave(k))
	page("POST "+k.base+"/{id}/leave/{deputy_id}", a.occasionDecide(k))
	page("POST "+k.base+"/{id}/record", a.occasionRecord(k))
	page("POST "+k.base+"/{id}/photos", a.occasionPhotoUpload(k))
	page("GET "+k.base+"/{id}/photos/{n}", a.occasionPhoto(k))
	page("POST "+k.base+"/{id}/cases", a.occasionLinkCase(k))
	page("POST "+k.base+"/{id}/signin", a.occasionSignIn(k))
	if k.publish != nil {
		page("POST "+k.base+"/{id}/publish", a.occasionPublish(k))
	}
}

func (a *app) showOccasion(w http.ResponseWriter, r *http.Request, k *occasionKind, id int64, st occasionState) error {
	o, err := k.load(a, r, id)
	if err != nil {
		return err
	}
	name, p, err := k.page(a, r, o, a.occasionView(r, k, o, st), st)
	if err != nil {
		return err
	}
	status := st.status
	if status == 0 {
		status = http.StatusOK
	}
	return a.render(w, r, status, name, p)
}

// occasionRefused re-shows the page with a refused action's message (a
// state error, a conflict, or invalid input without a form field); other
// errors go to the error page.
func (a *app) occasionRefused(w http.ResponseWriter, r *http.Request, k *occasionKind, id int64, err error) error {
	switch c := lianluo.ErrorCode(err); c {
	case lianluo.ESTATE, lianluo.ECONFLICT, lianluo.ESTALE, lianluo.EINVALID:
		return a.showOccasion(w, r, k, id, occasionState{status: errorStatus(c), message: lianluo.ErrorMessage(err)})
	}
	return err
}

func (a *app) occasionDetail(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		return a.showOccasion(w, r, k, id, occasionState{})
	}
}

// occasionEdit saves the kind's edit form; its fields are the kind's.
func (a *app) occasionEdit(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if in, err := k.edit(a, r, id); err != nil {
			f := formState{ReloadURL: k.url(id, "", "edit")}
			if !f.take(err, k.editFields...) {
				return err
			}
			return a.showOccasion(w, r, k, id, occasionState{status: f.status(err), edit: &f, editIn: in})
		}
		return redirect(w, r, k.url(id, "updated", ""))
	}
}

// occasionRecord saves the kind's record form.
func (a *app) occasionRecord(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if in, err := k.record(a, r, id); err != nil {
			f := formState{ReloadURL: k.url(id, "", "record")}
			if !f.take(err, k.recordFields...) {
				return err
			}
			return a.showOccasion(w, r, k, id, occasionState{status: f.status(err), rec: &f, recIn: in})
		}
		return redirect(w, r, k.url(id, "recorded", "record"))
	}
}

// occasionVersioned is publish or cancel: a change of the whole occasion
// with the version the page showed.
func (a *app) occasionVersioned(k *occasionKind, change func(*app, *http.Request, int64, int) error, ok string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		if err := change(a, r, id, version); err != nil {
			return a.occasionRefused(w, r, k, id, err)
		}
		return redirect(w, r, k.url(id, ok, ""))
	}
}

func (a *app) occasionPublish(k *occasionKind) handler {
	return a.occasionVersioned(k, k.publish, "published")
}

func (a *app) occasionCancel(k *occasionKind) handler {
	return a.occasionVersioned(k, func(a *app, r *http.Request, id int64, version int) error {
		return a.svc.Attendance.Cancel(r.Context(), k.kind, id, version)
	}, "cancelled")
}

func (a *app) occasionMark(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		deputyID, err := strconv.ParseInt(formStr(r, "deputy_id"), 10, 64)
		if err != nil {
			return lianluo.FieldError("deputy_id", "表单缺少代表，请刷新页面后重试。")
		}
		if err := a.svc.Attendance.MarkAttendance(r.Context(), k.kind, id, deputyID, formStr(r, "attendance")); err != nil {
			return a.occasionRefused(w, r, k, id, err)
		}
		return redirect(w, r, k.url(id, "marked", "deputies"))
	}
}

// occasionLeave is the invited deputy's request; from 我的接待 (back=mine)
// it returns there.
func (a *app) occasionLeave(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		reason := formStr(r, "reason")
		if err := a.svc.Attendance.RequestLeave(r.Context(), k.kind, id, reason); err != nil {
			var f formState
			if !f.take(err, "reason") {
				return err
			}
			return a.showOccasion(w, r, k, id, occasionState{status: f.status(err), leave: &f, reason: reason})
		}
		if formStr(r, "back") == "mine" {
			return redirect(w, r, "/console/my-receptions?ok=leave")
		}
		return redirect(w, r, k.url(id, "leave", ""))
	}
}

func (a *app) occasionDecide(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		deputyID, err := strconv.ParseInt(r.PathValue("deputy_id"), 10, 64)
		if err != nil {
			return lianluo.NotFound("代表")
		}
		if err := a.svc.Attendance.DecideLeave(r.Context(), k.kind, id, deputyID, formBool(r, "approve")); err != nil {
			return a.occasionRefused(w, r, k, id, err)
		}
		return redirect(w, r, k.url(id, "decided", "deputies"))
	}
}

func (a *app) occasionPhotoUpload(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		data, err := readPhotoField(r, "photo")
		if err == nil {
			err = a.svc.Attendance.AddPhoto(r.Context(), k.kind, id, data)
		}
		if err != nil {
			switch c := lianluo.ErrorCode(err); c {
			case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
				return a.showOccasion(w, r, k, id, occasionState{status: errorStatus(c), photoErr: lianluo.ErrorMessage(err)})
			}
			return err
		}
		return redirect(w, r, k.url(id, "photo", "photos"))
	}
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

// occasionPhoto answers {base}/{id}/photos/{n}, kept out of shared caches.
func (a *app) occasionPhoto(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 1 {
			return lianluo.NotFound("照片")
		}
		p, err := a.svc.Attendance.Photo(r.Context(), k.kind, id, n)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", p.ContentType)
		w.Header().Set("Cache-Control", "private, no-store")
		_, err = w.Write(p.Data)
		return err
	}
}

func (a *app) occasionLinkCase(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		ref := formStr(r, "case")
		caseID, err := a.findCaseRef(r, ref)
		if err == nil {
			err = a.svc.Attendance.LinkCase(r.Context(), k.kind, id, caseID)
		}
		if err != nil {
			err = renameField(err, map[string]string{"case_id": "case"})
			var f formState
			if !f.take(err, "case") {
				return err
			}
			return a.showOccasion(w, r, k, id, occasionState{status: f.status(err), caseF: &f, caseRef: ref})
		}
		return redirect(w, r, k.url(id, "linked", "cases"))
	}
}

// findCaseRef resolves what the clerk typed: a case's number (编号) or its
// tracking code (查询码), among the cases in their scope.
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

// occasionSignIn signs the calling deputy in. Posted from a station's
// sign-in page (station_id), a refusal or the success shows there. A
// refusal is a 409 whether it is the time or the person: the page says why.
func (a *app) occasionSignIn(k *occasionKind) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		station := formStr(r, "station_id")
		if err := a.svc.Attendance.SignIn(r.Context(), k.kind, id); err != nil {
			switch c := lianluo.ErrorCode(err); c {
			case lianluo.ESTATE, lianluo.EFORBIDDEN:
				if station != "" {
					return a.showSignIn(w, r, station, errorStatus(c), lianluo.ErrorMessage(err))
				}
				return a.showOccasion(w, r, k, id, occasionState{status: errorStatus(lianluo.ESTATE), message: lianluo.ErrorMessage(err)})
			}
			return err
		}
		if sid, err := strconv.ParseInt(station, 10, 64); err == nil {
			return redirect(w, r, "/console/signin/"+strconv.FormatInt(sid, 10)+"?ok=signed")
		}
		return redirect(w, r, k.url(id, "signed", ""))
	}
}
