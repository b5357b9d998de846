// An activity's actions on its page: edit, publish, cancel, attendance,
// leave, the record, photos, linked cases and sign-in; each redirects back.

package web

import (
	"lianluo"
	"net/http"
	"strconv"
)

// activityRefused re-shows the page with a refused action's message; other
// errors go to the error page.
func (a *app) activityRefused(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	switch c := lianluo.ErrorCode(err); c {
	case lianluo.ESTATE, lianluo.ECONFLICT, lianluo.ESTALE, lianluo.EINVALID:
		return a.showActivity(w, r, id, activityState{status: errorStatus(c), message: lianluo.ErrorMessage(err)})
	}
	return err
}

var activityEditFields = []string{"title", "content", "place", "starts_at", "ends_at", "deputy_ids"}

func (a *app) activityUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := activityEditInput{Title: formStr(r, "title"), Content: formStr(r, "content"), Place: formStr(r, "place"),
		StartsAt: formStr(r, "starts_at"), EndsAt: formStr(r, "ends_at")}
	version, err := formVersion(r)
	if err == nil {
		in.DeputyIDs, err = formIDs(r, "deputy_ids", "邀请代表")
	}
	if err == nil {
		u := lianluo.ActivityUpdate{Title: &in.Title, Content: &in.Content, Place: &in.Place, StartsAt: &in.StartsAt, EndsAt: &in.EndsAt,
			DeputyIDs: &in.DeputyIDs, Version: version}
		_, err = a.svc.Activities.UpdateActivity(r.Context(), id, u)
	}
	if err != nil {
		f := formState{ReloadURL: activityURL(id, "", "edit")}
		if !f.take(err, activityEditFields...) {
			return err
		}
		return a.showActivity(w, r, id, activityState{status: f.status(err), edit: &f, editIn: &in})
	}
	return redirect(w, r, activityURL(id, "updated", ""))
}

func (a *app) activityPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.Activities.PublishActivity(r.Context(), id, version); err != nil {
		return a.activityRefused(w, r, id, err)
	}
	return redirect(w, r, activityURL(id, "published", ""))
}

func (a *app) activityCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.Activities.CancelActivity(r.Context(), id, version); err != nil {
		return a.activityRefused(w, r, id, err)
	}
	return redirect(w, r, activityURL(id, "cancelled", ""))
}

func (a *app) activityMark(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	deputyID, err := strconv.ParseInt(formStr(r, "deputy_id"), 10, 64)
	if err != nil {
		return lianluo.FieldError("deputy_id", "表单缺少代表，请刷新页面后重试。")
	}
	if err := a.svc.Attendance.MarkAttendance(r.Context(), lianluo.KindActivity, id, deputyID, formStr(r, "attendance")); err != nil {
		return a.activityRefused(w, r, id, err)
	}
	return redirect(w, r, activityURL(id, "marked", "deputies"))
}

func (a *app) activityLeave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	reason := formStr(r, "reason")
	if err := a.svc.Attendance.RequestLeave(r.Context(), lianluo.KindActivity, id, reason); err != nil {
		var f formState
		if !f.take(err, "reason") {
			return err
		}
		return a.showActivity(w, r, id, activityState{status: f.status(err), leave: &f, reason: reason})
	}
	if formStr(r, "back") == "mine" {
		return redirect(w, r, "/console/my-receptions?ok=leave")
	}
	return redirect(w, r, activityURL(id, "leave", ""))
}

func (a *app) activityDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	deputyID, err := strconv.ParseInt(r.PathValue("deputy_id"), 10, 64)
	if err != nil {
		return lianluo.NotFound("代表")
	}
	if err := a.svc.Attendance.DecideLeave(r.Context(), lianluo.KindActivity, id, deputyID, formBool(r, "approve")); err != nil {
		return a.activityRefused(w, r, id, err)
	}
	return redirect(w, r, activityURL(id, "decided", "deputies"))
}

func (a *app) activityRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	minutes, outcomes := formStr(r, "minutes"), formStr(r, "outcomes")
	version, err := formVersion(r)
	if err == nil {
		_, err = a.svc.Activities.RecordActivity(r.Context(), id, version, lianluo.ActivityRecord{Minutes: minutes, Outcomes: outcomes})
	}
	if err != nil {
		f := formState{ReloadURL: activityURL(id, "", "record")}
		if !f.take(err, "minutes", "outcomes") {
			return err
		}
		return a.showActivity(w, r, id, activityState{status: f.status(err), rec: &f, minutes: minutes, outcomes: outcomes, recFilled: true})
	}
	return redirect(w, r, activityURL(id, "recorded", "record"))
}

func (a *app) activityPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readPhotoField(r, "photo")
	if err == nil {
		err = a.svc.Attendance.AddPhoto(r.Context(), lianluo.KindActivity, id, data)
	}
	if err != nil {
		switch c := lianluo.ErrorCode(err); c {
		case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
			return a.showActivity(w, r, id, activityState{status: errorStatus(c), photoErr: lianluo.ErrorMessage(err)})
		}
		return err
	}
	return redirect(w, r, activityURL(id, "photo", "photos"))
}

func (a *app) activityPhoto(w http.ResponseWriter, r *http.Request) error {
	return servePhoto(w, r, a.kindPhoto(lianluo.KindActivity))
}

func (a *app) activityLinkCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ref := formStr(r, "case")
	caseID, err := a.findCaseRef(r, ref)
	if err == nil {
		err = a.svc.Attendance.LinkCase(r.Context(), lianluo.KindActivity, id, caseID)
	}
	if err != nil {
		err = renameField(err, map[string]string{"case_id": "case"})
		var f formState
		if !f.take(err, "case") {
			return err
		}
		return a.showActivity(w, r, id, activityState{status: f.status(err), caseF: &f, caseRef: ref})
	}
	return redirect(w, r, activityURL(id, "linked", "cases"))
}

func (a *app) activitySignIn(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.svc.Attendance.SignIn(r.Context(), lianluo.KindActivity, id); err != nil {
		switch c := lianluo.ErrorCode(err); c {
		case lianluo.ESTATE, lianluo.EFORBIDDEN:
			return a.showActivity(w, r, id, activityState{status: errorStatus(c), message: lianluo.ErrorMessage(err)})
		}
		return err
	}
	return redirect(w, r, activityURL(id, "signed", ""))
}
