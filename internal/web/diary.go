package web

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// 民情日记 (003): the deputy's diary on a phone — the list
// with their counts against the norm, a new entry, the voter's
// confirmation (a signature drawn on the screen, or an SMS code) and one
// step to a case — and the office's table of every deputy's counts.

var diaryFlashes = map[string]string{
	"created":   "已保存。请选民签名或用短信验证码确认，确认后即生效。",
	"saved":     "已修改。",
	"code_sent": "验证码已发送到选民手机，请选民告诉您6位数字。",
	"confirmed": "选民已确认，这篇民情日记已生效。",
	"case":      "已转为群众意见，进入梳理流程。",
}

// diaryFields are the entry form's inputs.
var diaryFields = []string{"visited_at", "place", "voter_name", "voter_phone", "voter_address", "content", "handling", "category"}

type diaryRow struct {
	E      *lianluo.DiaryEntry
	When   string
	Status string
}

func diaryRows(list []*lianluo.DiaryEntry) []diaryRow {
	out := make([]diaryRow, 0, len(list))
	for _, e := range list {
		out = append(out, diaryRow{E: e, When: e.VisitedAt.Format("2006-01-02 15:04"), Status: lianluo.DiaryStatusNames[e.Status]})
	}
	return out
}

type diaryCountRow struct {
	C        lianluo.DiaryCount
	YearDue  int
	MonthOK  bool
	YearOK   bool
	MonthGap int // entries still missing this month
}

func diaryCountRows(cs []lianluo.DiaryCount, month int) []diaryCountRow {
	out := make([]diaryCountRow, 0, len(cs))
	due := lianluo.YearDue(month)
	for _, c := range cs {
		out = append(out, diaryCountRow{C: c, YearDue: due, MonthOK: c.MonthOK(), YearOK: c.Year >= due,
			MonthGap: max(0, lianluo.DiaryPerMonth-c.Month)})
	}
	return out
}

type diaryListPage struct {
	basePage
	IsDeputy   bool
	IsStaff    bool
	Year       int
	Month      int
	MonthValue string // 2026-03, the month picker
	Mine       *diaryCountRow
	Entries    []diaryRow
	Total      int
	Counts     []diaryCountRow
	Staff      []diaryRow // recent entries of the deputies in scope (staff)
	PerMonth   int
	PerYear    int
}

// diaryMonth reads ?month=2026-03 (this month when absent or wrong).
func (a *app) diaryMonth(r *http.Request) (int, int) {
	now := a.now().In(lianluo.Beijing)
	if t, err := time.ParseInLocation("2006-01", r.URL.Query().Get("month"), lianluo.Beijing); err == nil && t.Year() >= 2000 && t.Year() <= 2100 {
		return t.Year(), int(t.Month())
	}
	return now.Year(), int(now.Month())
}

func isDiaryStaff(ac *lianluo.Actor) bool { return ac.HasAny(lianluo.DiaryStaffRoles...) }

func (a *app) diaryList(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	p := &diaryListPage{basePage: basePage{Title: "民情日记", Section: "diary"}, IsDeputy: ac.Has(lianluo.RoleDeputy),
		IsStaff: isDiaryStaff(ac), PerMonth: lianluo.DiaryPerMonth, PerYear: lianluo.DiaryPerYear}
	if !p.IsDeputy && !p.IsStaff {
		return lianluo.Forbidden()
	}
	if s, ok := diaryFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	p.Year, p.Month = a.diaryMonth(r)
	p.MonthValue = fmt.Sprintf("%04d-%02d", p.Year, p.Month)
	from := time.Date(p.Year, time.Month(p.Month), 1, 0, 0, 0, 0, lianluo.Beijing)
	to := from.AddDate(0, 1, 0)
	if p.IsDeputy {
		mine := ac.Scope.Deputies
		for _, id := range mine {
			cs, err := a.svc.Diary.DiaryCounts(ctx, lianluo.DiaryCountFilter{Year: p.Year, Month: p.Month, DeputyID: id})
			if err != nil {
				return err
			}
			if rows := diaryCountRows(cs, p.Month); len(rows) > 0 {
				p.Mine = &rows[0]
			}
			list, total, err := a.svc.Diary.FindDiaryEntries(ctx, lianluo.DiaryFilter{DeputyID: id, From: &from, To: &to, Page: lianluo.Page{PerPage: lianluo.MaxPerPage}})
			if err != nil {
				return err
			}
			p.Entries, p.Total = append(p.Entries, diaryRows(list)...), p.Total+total
		}
	}
	if p.IsStaff {
		cs, err := a.svc.Diary.DiaryCounts(ctx, lianluo.DiaryCountFilter{Year: p.Year, Month: p.Month})
		if err != nil {
			return err
		}
		p.Counts = diaryCountRows(cs, p.Month)
		list, _, err := a.svc.Diary.FindDiaryEntries(ctx, lianluo.DiaryFilter{From: &from, To: &to, Page: lianluo.Page{PerPage: 50}})
		if err != nil {
			return err
		}
		p.Staff = diaryRows(list)
	}
	return a.render(w, r, http.StatusOK, "diary", p)
}

type diaryFormPage struct {
	basePage
	E       *lianluo.DiaryEntry // nil for a new entry
	Version int
	In      lianluo.DiaryInput
	Form    formState
	Cats    []optGroup
	Action  string
}

func readDiaryInput(r *http.Request) lianluo.DiaryInput {
	return lianluo.DiaryInput{VisitedAt: formStr(r, "visited_at"), Place: formStr(r, "place"), VoterName: formStr(r, "voter_name"),
		VoterPhone: formStr(r, "voter_phone"), VoterAddress: formStr(r, "voter_address"), Content: formStr(r, "content"),
		Handling: formStr(r, "handling"), Category: formStr(r, "category")}
}

func (a *app) renderDiaryForm(w http.ResponseWriter, r *http.Request, status int, p *diaryFormPage) error {
	cats, err := a.categoryGroups(r.Context(), p.In.Category)
	if err != nil {
		return err
	}
	p.Cats = cats
	return a.render(w, r, status, "diary_form", p)
}

func (a *app) diaryNew(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).Has(lianluo.RoleDeputy) {
		return lianluo.Errorf(lianluo.EFORBIDDEN, "民情日记须由代表本人填写。")
	}
	in := lianluo.DiaryInput{VisitedAt: a.now().In(lianluo.Beijing).Format("2006-01-02T15:04")}
	return a.renderDiaryForm(w, r, http.StatusOK, &diaryFormPage{basePage: basePage{Title: "记民情日记", Section: "diary"}, In: in, Action: "/console/diary/new"})
}

func (a *app) diaryCreate(w http.ResponseWriter, r *http.Request) error {
	in := readDiaryInput(r)
	e, err := a.svc.Diary.CreateDiaryEntry(r.Context(), in)
	if err != nil {
		p := &diaryFormPage{basePage: basePage{Title: "记民情日记", Section: "diary"}, In: in, Action: "/console/diary/new"}
		if !p.Form.take(err, diaryFields...) {
			return err
		}
		return a.renderDiaryForm(w, r, p.Form.status(err), p)
	}
	return redirect(w, r, fmt.Sprintf("/console/diary/%d?ok=created", e.ID))
}

type diaryPage struct {
	basePage
	E         *lianluo.DiaryEntry
	Status    string
	When      string
	Confirmed string
	Own       bool
	Draft     bool
	CanCase   bool
	CanReveal bool
	Revealed  *lianluo.Submitter
	Edit      diaryFormPage
	CaseMsg   string
	CodeForm  formState
	SignForm  formState
	RevealF   formState
	HasMobile bool
}

func (a *app) diaryPage(r *http.Request, id int64) (*diaryPage, error) {
	ctx, ac := r.Context(), actor(r)
	e, err := a.svc.Diary.FindDiaryEntryByID(ctx, id)
	if err != nil {
		return nil, err
	}
	own := lianluo.OwnsDiary(ac, e)
	p := &diaryPage{basePage: basePage{Title: "民情日记", Section: "diary"}, E: e, Status: lianluo.DiaryStatusNames[e.Status],
		When: e.VisitedAt.Format("2006年1月2日 15:04"), Own: own, Draft: e.Status == lianluo.DiaryDraft && e.CaseID == nil,
		CanCase: e.CaseID == nil && (own || isDiaryStaff(ac)), CanReveal: !own && isDiaryStaff(ac) && lianluo.MayRevealPersonalData(ac),
		HasMobile: len(e.Voter.Phone) == 11 && strings.HasPrefix(e.Voter.Phone, "1")}
	if e.ConfirmedAt != nil {
		p.Confirmed = lianluo.DiaryConfirmNames[e.ConfirmedBy] + "，" + e.ConfirmedAt.In(lianluo.Beijing).Format("2006-01-02 15:04")
	}
	if s, ok := diaryFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	p.Edit = diaryFormPage{basePage: basePage{Title: "修改民情日记", Section: "diary"}, E: e, Version: e.Version, Action: fmt.Sprintf("/console/diary/%d/edit", e.ID), In: lianluo.DiaryInput{
		VisitedAt: e.VisitedAt.Format("2006-01-02T15:04"), Place: e.Place, VoterName: e.Voter.Name, VoterPhone: e.Voter.Phone,
		VoterAddress: e.Voter.Address, Content: e.Content, Handling: e.Handling, Category: e.Category}}
	return p, nil
}

func (a *app) diaryDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.diaryPage(r, id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "diary_entry", p)
}

// diaryRetry re-shows the entry with the error of one of its forms.
func (a *app) diaryRetry(w http.ResponseWriter, r *http.Request, id int64, err error, set func(p *diaryPage) bool) error {
	p, perr := a.diaryPage(r, id)
	if perr != nil {
		return perr
	}
	if !set(p) {
		return err
	}
	return a.render(w, r, errorStatus(lianluo.ErrorCode(err)), "diary_entry", p)
}

// diaryEdit is the form for the deputy's own unconfirmed entry.
func (a *app) diaryEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.diaryPage(r, id)
	if err != nil {
		return err
	}
	if !p.Own {
		return lianluo.Errorf(lianluo.EFORBIDDEN, "只有记录这篇民情日记的代表本人可以修改。")
	}
	if !p.Draft {
		return lianluo.Errorf(lianluo.ESTATE, "这篇民情日记已经选民确认或已转为意见，不能再修改。")
	}
	return a.renderDiaryForm(w, r, http.StatusOK, &p.Edit)
}

func (a *app) diaryUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in := readDiaryInput(r)
	version, _ := strconv.Atoi(formStr(r, "version"))
	u := lianluo.DiaryUpdate{VisitedAt: &in.VisitedAt, Place: &in.Place, VoterName: &in.VoterName, VoterPhone: &in.VoterPhone,
		VoterAddress: &in.VoterAddress, Content: &in.Content, Handling: &in.Handling, Category: &in.Category, Version: version}
	if _, err := a.svc.Diary.UpdateDiaryEntry(r.Context(), id, u); err != nil {
		p, perr := a.diaryPage(r, id)
		if perr != nil {
			return perr
		}
		f := &p.Edit
		f.In, f.Version = in, version
		if !f.Form.take(err, diaryFields...) {
			return err
		}
		f.Form.ReloadURL = fmt.Sprintf("/console/diary/%d/edit", id)
		return a.renderDiaryForm(w, r, f.Form.status(err), f)
	}
	return redirect(w, r, fmt.Sprintf("/console/diary/%d?ok=saved", id))
}

func (a *app) diarySendCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.svc.Diary.SendDiaryCode(r.Context(), id); err != nil {
		return a.diaryRetry(w, r, id, err, func(p *diaryPage) bool {
			switch lianluo.ErrorCode(err) {
			case lianluo.ETOOMANY, lianluo.EINVALID:
				p.CodeForm.Message = lianluo.ErrorMessage(err)
				return true
			}
			return p.CodeForm.take(err)
		})
	}
	return redirect(w, r, fmt.Sprintf("/console/diary/%d?ok=code_sent#confirm", id))
}

func (a *app) diaryConfirmCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.Diary.ConfirmDiaryByCode(r.Context(), id, formStr(r, "code")); err != nil {
		return a.diaryRetry(w, r, id, err, func(p *diaryPage) bool {
			if lianluo.ErrorCode(err) == lianluo.ETOOMANY {
				p.CodeForm.Message = lianluo.ErrorMessage(err)
				return true
			}
			return p.CodeForm.take(err, "code")
		})
	}
	return redirect(w, r, fmt.Sprintf("/console/diary/%d?ok=confirmed", id))
}

// maxSignatureForm bounds the signature post: the data URL (a third larger
// than the PNG) or the uploaded file, with the form around it.
const maxSignatureForm = lianluo.MaxSignatureBytes*2 + 64<<10

// readSignature takes the signature from the form: the canvas's data URL
// (field signature) or, without JavaScript, an uploaded PNG (signature_file).
func readSignature(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		r.Body = http.MaxBytesReader(w, r.Body, maxSignatureForm)
		if err := r.ParseMultipartForm(maxSignatureForm); err != nil {
			return nil, lianluo.Errorf(lianluo.ETOOLARGE, "签名图片不能超过%dKB。", lianluo.MaxSignatureBytes>>10)
		}
		if f, _, err := r.FormFile("signature_file"); err == nil {
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, lianluo.MaxSignatureBytes+1))
			if err != nil {
				return nil, err
			}
			if len(data) > 0 {
				return data, lianluo.CheckSignature("signature", data)
			}
		}
	}
	s := strings.TrimSpace(r.FormValue("signature"))
	if s == "" {
		return nil, lianluo.FieldError("signature", "请让选民在框内签名，或上传签名照片（PNG）。")
	}
	if strings.HasPrefix(s, "data:") {
		return lianluo.ParseSignature("signature", s)
	}
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, lianluo.FieldError("signature", "签名须为PNG图片。")
	}
	return data, lianluo.CheckSignature("signature", data)
}

func (a *app) diarySign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readSignature(w, r)
	if err == nil {
		_, err = a.svc.Diary.ConfirmDiaryBySignature(r.Context(), id, data)
	}
	if err != nil {
		return a.diaryRetry(w, r, id, err, func(p *diaryPage) bool {
			if lianluo.ErrorCode(err) == lianluo.ETOOLARGE {
				p.SignForm.Message = lianluo.ErrorMessage(err)
				return true
			}
			return p.SignForm.take(err, "signature")
		})
	}
	return redirect(w, r, fmt.Sprintf("/console/diary/%d?ok=confirmed", id))
}

func (a *app) diarySignature(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.svc.Diary.DiarySignature(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(p.Data)
	return err
}

func (a *app) diaryCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.Diary.DiaryToCase(r.Context(), id); err != nil {
		return a.diaryRetry(w, r, id, err, func(p *diaryPage) bool {
			if lianluo.ErrorCode(err) == lianluo.ESTATE || lianluo.ErrorCode(err) == lianluo.EINVALID {
				p.CaseMsg = lianluo.ErrorMessage(err)
				return true
			}
			return false
		})
	}
	return redirect(w, r, fmt.Sprintf("/console/diary/%d?ok=case", id))
}

func (a *app) diaryReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	s, err := a.svc.Diary.RevealDiaryVoter(r.Context(), id, formRevealReason(r))
	p, perr := a.diaryPage(r, id)
	if perr != nil {
		return perr
	}
	if err != nil {
		if !p.RevealF.take(err, "purpose", "reason") {
			return err
		}
		return a.render(w, r, p.RevealF.status(err), "diary_entry", p)
	}
	p.Revealed = s
	return a.render(w, r, http.StatusOK, "diary_entry", p)
}
