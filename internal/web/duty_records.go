package web

import (
	"fmt"
	"net/http"
	"strconv"

	"lianluo"
)

// 履职登记 (docs/duty-records.md): the list with its filters, the form (a
// deputy's own on their phone, or staff's for a deputy), and the record
// with staff's confirm / return.

var dutyFlashes = map[string]string{
	"photo":     "照片已上传。",
	"created":   "已登记。联络站或人大办工作人员确认后计入履职和“六个一”。",
	"confirmed": "已确认，这条履职登记计入“六个一”。",
	"returned":  "已退回，并告知退回原因。",
	"saved":     "已修改，等待确认。",
}

// dutyFields are the form's inputs.
var dutyFields = []string{"deputy_id", "kind", "date", "description"}

type dutyRow struct {
	R      *lianluo.DutyRecord
	Kind   string
	Status string
	Short  string // the description, cut for the list
}

func dutyRows(list []*lianluo.DutyRecord) []dutyRow {
	out := make([]dutyRow, 0, len(list))
	for _, x := range list {
		out = append(out, dutyRow{R: x, Kind: x.Kind.Name(), Status: x.Status.Name(), Short: lianluo.Truncate(x.Description, 40)})
	}
	return out
}

type dutyListPage struct {
	basePage
	IsStaff  bool
	Own      int64 // the deputy signed in, for 我的“六个一”
	Kinds    []option
	Statuses []option
	Deputies []option
	Year     string
	Rows     []dutyRow
	Pager    pager
}

// isDutyActor reports whether the actor uses duty records at all: deputies
// and the staff who read deputies' records (as for the diary).
func isDutyActor(ac *lianluo.Actor) bool { return ac.Has(lianluo.RoleDeputy) || isDiaryStaff(ac) }

func (a *app) dutyList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	if !isDutyActor(ac) {
		return lianluo.Forbidden()
	}
	q := r.URL.Query()
	pg := pageOf(r)
	f := lianluo.DutyRecordFilter{Kind: lianluo.DutyKind(q.Get("kind")), Status: lianluo.DutyStatus(q.Get("status")), Page: pg}
	f.DeputyID, _ = strconv.ParseInt(q.Get("deputy_id"), 10, 64)
	if y, err := strconv.Atoi(q.Get("year")); err == nil {
		f.Year = y
	}
	p := &dutyListPage{basePage: basePage{Title: "履职登记", Section: "duty"}, IsStaff: isDiaryStaff(ac),
		Kinds:    withBlank("全部类型", namedOptions(lianluo.DutyKinds, lianluo.DutyKindNames, string(f.Kind))),
		Statuses: withBlank("全部状态", namedOptions([]lianluo.DutyStatus{lianluo.DutyPending, lianluo.DutyConfirmed, lianluo.DutyReturned}, lianluo.DutyStatusNames, string(f.Status)))}
	if f.Year != 0 {
		p.Year = strconv.Itoa(f.Year)
	}
	p.Own, _ = ac.OwnDeputy()
	if p.IsStaff {
		ds, err := a.deputyChoices(ctx, map[int64]bool{f.DeputyID: true})
		if err != nil {
			return err
		}
		p.Deputies = withBlank("全部代表", ds)
	}
	if s, ok := dutyFlashes[q.Get("ok")]; ok {
		p.Flash = s
	}
	list, n, err := a.svc.DutyRecords.FindDutyRecords(ctx, f)
	if err != nil {
		return err
	}
	p.Rows, p.Pager = dutyRows(list), newPager(r, n, pg)
	return a.render(w, r, http.StatusOK, "duty_records", p)
}

type dutyFormPage struct {
	basePage
	In       lianluo.DutyRecordInput
	Deputy   string // the deputy recording their own, or the record's deputy when editing
	Deputies []option
	Kinds    []option
	Form     formState
	Action   string
	Version  int // editing: the record's version
}

func readDutyInput(r *http.Request) lianluo.DutyRecordInput {
	in := lianluo.DutyRecordInput{Kind: lianluo.DutyKind(formStr(r, "kind")), Date: formStr(r, "date"), Description: formStr(r, "description")}
	in.DeputyID, _ = strconv.ParseInt(formStr(r, "deputy_id"), 10, 64)
	return in
}

// renderDutyForm shows the form for a new record, or for rec when editing.
func (a *app) renderDutyForm(w http.ResponseWriter, r *http.Request, status int, in lianluo.DutyRecordInput, form formState, rec *lianluo.DutyRecord) error {
	ctx, ac := r.Context(), actor(r)
	if !isDutyActor(ac) {
		return lianluo.Forbidden()
	}
	p := &dutyFormPage{basePage: basePage{Title: "登记履职", Section: "duty"}, In: in, Form: form, Action: "/console/duty-records/new",
		Kinds: withBlank("请选择", namedOptions(lianluo.DutyKinds, lianluo.DutyKindNames, string(in.Kind)))}
	switch own, ok := ac.OwnDeputy(); {
	case rec != nil:
		p.Title, p.Deputy, p.Action, p.Version = "修改履职登记", rec.DeputyName, fmt.Sprintf("/console/duty-records/%d/edit", rec.ID), rec.Version
	case ok && !isDiaryStaff(ac):
		d, err := a.svc.Deputies.FindDeputyByID(ctx, own)
		if err != nil {
			return err
		}
		p.Deputy = d.Name
	default:
		ds, err := a.deputyChoices(ctx, map[int64]bool{in.DeputyID: true})
		if err != nil {
			return err
		}
		p.Deputies = withBlank("请选择代表", ds)
	}
	return a.render(w, r, status, "duty_record_form", p)
}

func (a *app) dutyNew(w http.ResponseWriter, r *http.Request) error {
	in := lianluo.DutyRecordInput{Date: a.now().In(lianluo.Beijing).Format("2006-01-02"), Kind: lianluo.DutyKind(r.URL.Query().Get("kind"))}
	in.DeputyID, _ = strconv.ParseInt(r.URL.Query().Get("deputy_id"), 10, 64)
	return a.renderDutyForm(w, r, http.StatusOK, in, formState{}, nil)
}

func (a *app) dutyCreate(w http.ResponseWriter, r *http.Request) error {
	in := readDutyInput(r)
	rec, err := a.svc.DutyRecords.CreateDutyRecord(r.Context(), in)
	if err != nil {
		var form formState
		if !form.take(err, dutyFields...) {
			return err
		}
		return a.renderDutyForm(w, r, form.status(err), in, form, nil)
	}
	return redirect(w, r, fmt.Sprintf("/console/duty-records/%d?ok=created", rec.ID))
}

// dutyEdit is the form for a record not yet confirmed.
func (a *app) dutyEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.dutyPage(r, id)
	if err != nil {
		return err
	}
	if !p.Edit {
		return lianluo.Errorf(lianluo.ESTATE, "这条履职登记已确认，不能再修改。")
	}
	rec := p.R
	in := lianluo.DutyRecordInput{DeputyID: rec.DeputyID, Kind: rec.Kind, Date: rec.Date, Description: rec.Description}
	return a.renderDutyForm(w, r, http.StatusOK, in, formState{}, rec)
}

func (a *app) dutyUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := readDutyInput(r)
	version, _ := strconv.Atoi(formStr(r, "version"))
	u := lianluo.DutyRecordUpdate{Kind: &in.Kind, Date: &in.Date, Description: &in.Description, Version: version}
	if _, err := a.svc.DutyRecords.UpdateDutyRecord(r.Context(), id, u); err != nil {
		rec, ferr := a.svc.DutyRecords.FindDutyRecordByID(r.Context(), id)
		if ferr != nil {
			return ferr
		}
		var form formState
		if !form.take(err, dutyFields...) {
			return err
		}
		form.ReloadURL = fmt.Sprintf("/console/duty-records/%d/edit", id)
		rec.Version = version
		return a.renderDutyForm(w, r, form.status(err), in, form, rec)
	}
	return redirect(w, r, fmt.Sprintf("/console/duty-records/%d?ok=saved", id))
}

type dutyPage struct {
	basePage
	R       *lianluo.DutyRecord
	Kind    string
	Status  string
	Decided string
	Decide  bool // the caller may confirm or return it now
	Reason  string
	Form    formState
	Photos  []int // 1…n, for …/photos/{n}
	AddPic  bool  // the caller may add a photo now
	Edit    bool  // the caller may correct it now (not yet confirmed)
	PicErr  string
	MaxPics int
}

func (a *app) dutyPage(r *http.Request, id int64) (*dutyPage, error) {
	ctx := r.Context()
	rec, err := a.svc.DutyRecords.FindDutyRecordByID(ctx, id)
	if err != nil {
		return nil, err
	}
	record, decide, err := a.svc.DutyRecords.DutyRecordPowers(ctx, rec.DeputyID)
	if err != nil {
		return nil, err
	}
	pending := rec.Status == lianluo.DutyPending
	p := &dutyPage{basePage: basePage{Title: "履职登记", Section: "duty"}, R: rec, Kind: rec.Kind.Name(), Status: rec.Status.Name(),
		Decide: decide && pending, AddPic: record && pending && rec.Photos < lianluo.MaxDutyPhotos, MaxPics: lianluo.MaxDutyPhotos,
		Edit: record && rec.Status != lianluo.DutyConfirmed}
	for n := 1; n <= rec.Photos; n++ {
		p.Photos = append(p.Photos, n)
	}
	if rec.DecidedAt != nil {
		p.Decided = rec.DecidedBy + "，" + rec.DecidedAt.In(lianluo.Beijing).Format("2006-01-02 15:04")
	}
	if s, ok := dutyFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	return p, nil
}

func (a *app) dutyDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.dutyPage(r, id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "duty_record", p)
}

func (a *app) dutyDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(formStr(r, "version"))
	d := lianluo.DutyDecision{Version: version, Decision: formStr(r, "decision"), Reason: formStr(r, "reason")}
	if _, err := a.svc.DutyRecords.DecideDutyRecord(r.Context(), id, d); err != nil {
		p, perr := a.dutyPage(r, id)
		if perr != nil {
			return perr
		}
		if !p.Form.take(err, "decision", "reason") {
			return err
		}
		p.Reason = d.Reason
		p.Form.ReloadURL = fmt.Sprintf("/console/duty-records/%d", id)
		return a.render(w, r, p.Form.status(err), "duty_record", p)
	}
	ok := "confirmed"
	if d.Decision == lianluo.DutyDecideReturn {
		ok = "returned"
	}
	return redirect(w, r, fmt.Sprintf("/console/duty-records/%d?ok=%s", id, ok))
}

func (a *app) dutyPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readPhotoField(r, "photo")
	if err == nil {
		_, err = a.svc.DutyRecords.AddDutyPhoto(r.Context(), id, data)
	}
	if err != nil {
		switch c := lianluo.ErrorCode(err); c {
		case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
			p, perr := a.dutyPage(r, id)
			if perr != nil {
				return perr
			}
			p.PicErr = lianluo.ErrorMessage(err)
			return a.render(w, r, errorStatus(c), "duty_record", p)
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/console/duty-records/%d?ok=photo#photos", id))
}

// dutyPhoto answers /console/duty-records/{id}/photos/{n}, kept out of shared caches.
func (a *app) dutyPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return lianluo.NotFound("照片")
	}
	p, err := a.svc.DutyRecords.DutyPhoto(r.Context(), id, n)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(p.Data)
	return err
}
