package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"lianluo"
	"lianluo/internal/schedule"
)

// A session's page (接待活动): its deputies with attendance and leave, the
// office's adjustments, the record and satisfaction check, photos, and the
// cases registered during it.

type receptionPage struct {
	basePage
	occasionView
	R           *lianluo.Reception
	StationName string
	Day, Time   string
	FormText    string
	Status      string
	Moved       string
	Editable    bool
	Recordable  bool

	// The adjustment form.
	Edit    formState
	Choices []option // the station's deputies
	Date    string
	Start   string
	End     string
	Forms   []option
	Theme   string
	RecF    formState
	Rec     recordValues
}

type recordValues struct {
	Visitors, Minutes, Satisfied, BasicallySatisfied, Unsatisfied string
}

type receptionEditInput struct {
	DeputyIDs              []int64
	Date, Start, End, Form string
	Theme                  string
}

// receptionSessionPage is a session's page around the shared view.
func (a *app) receptionSessionPage(r *http.Request, o *occasion, v occasionView, st occasionState) (string, page, error) {
	rc, s := o.X.(*lianluo.Reception), o.Station
	p := &receptionPage{basePage: basePage{Title: rc.StationName + " " + dayText(rc.StartsAt) + "接待", Section: "receptions", Flash: v.flash},
		occasionView: v, R: rc, StationName: rc.StationName, Day: fmt.Sprintf("%d年%s", rc.StartsAt.Year(), dayText(rc.StartsAt)), Time: timeSpan(rc),
		FormText: formText(rc.Form, rc.Theme), Status: lianluo.ReceptionStatusNames[rc.Status], Moved: movedText(rc)}
	if p.CanAdd {
		p.Intake = fmt.Sprintf("/console/cases/new?station_id=%d&reception_id=%d", rc.StationID, rc.ID)
	}
	active := rc.Status != lianluo.ReceptionCancelled
	p.Editable = p.CanManage && active && !p.Ended
	p.Recordable = p.CanWork && rc.Status == lianluo.ReceptionPublished && p.Started
	if active && len(rc.DeputyIDs) < schedule.MinPerSession {
		p.Warning = fmt.Sprintf("本次只安排了%d名代表，每次接待至少应安排%d名。", len(rc.DeputyIDs), schedule.MinPerSession)
	}

	// The adjustment form.
	in := receptionEditInput{DeputyIDs: rc.DeputyIDs, Date: rc.StartsAt.In(lianluo.Beijing).Format("2006-01-02"),
		Start: rc.StartsAt.In(lianluo.Beijing).Format("15:04"), End: rc.EndsAt.In(lianluo.Beijing).Format("15:04"), Form: rc.Form, Theme: rc.Theme}
	if x, ok := st.editIn.(*receptionEditInput); ok {
		in = *x
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
	if st.rec != nil {
		p.RecF = *st.rec
	}
	switch x, ok := st.recIn.(*recordValues); {
	case ok:
		p.Rec = *x
	case rc.Record != nil:
		p.Rec = recordValues{Visitors: strconv.Itoa(rc.Record.Visitors), Minutes: rc.Record.Minutes, Satisfied: strconv.Itoa(rc.Record.Satisfied),
			BasicallySatisfied: strconv.Itoa(rc.Record.BasicallySatisfied), Unsatisfied: strconv.Itoa(rc.Record.Unsatisfied)}
	}
	return "reception", p, nil
}

// saveReceptionEdit is the office's adjustment of a session.
func (a *app) saveReceptionEdit(r *http.Request, id int64) (any, error) {
	in := &receptionEditInput{Date: formStr(r, "date"), Start: formStr(r, "start"), End: formStr(r, "end"), Form: formStr(r, "form"), Theme: formStr(r, "theme")}
	version, err := formVersion(r)
	if err == nil {
		in.DeputyIDs, err = formIDs(r, "deputy_ids", "接待代表")
	}
	if err == nil {
		starts, ends := in.Date+"T"+in.Start, in.Date+"T"+in.End
		u := lianluo.ReceptionUpdate{DeputyIDs: &in.DeputyIDs, StartsAt: &starts, EndsAt: &ends, Form: &in.Form, Theme: &in.Theme, Version: version}
		_, err = a.svc.Receptions.UpdateReception(r.Context(), id, u)
	}
	return in, err
}

// saveReceptionRecord keeps the session's record and satisfaction check.
func (a *app) saveReceptionRecord(r *http.Request, id int64) (any, error) {
	in := &recordValues{Visitors: formStr(r, "visitors"), Minutes: formStr(r, "minutes"), Satisfied: formStr(r, "satisfied"),
		BasicallySatisfied: formStr(r, "basically_satisfied"), Unsatisfied: formStr(r, "unsatisfied")}
	rec := lianluo.ReceptionRecord{Minutes: in.Minutes}
	version, err := formVersion(r)
	for _, n := range []struct {
		field, label, s string
		dst             *int
	}{
		{"visitors", "接待群众人数", in.Visitors, &rec.Visitors},
		{"satisfied", "满意人数", in.Satisfied, &rec.Satisfied},
		{"basically_satisfied", "基本满意人数", in.BasicallySatisfied, &rec.BasicallySatisfied},
		{"unsatisfied", "不满意人数", in.Unsatisfied, &rec.Unsatisfied},
	} {
		if err != nil || n.s == "" {
			continue
		}
		v, e := strconv.Atoi(n.s)
		if e != nil {
			err = lianluo.FieldError(n.field, "%s应填写数字。", n.label)
		}
		*n.dst = v
	}
	if err == nil {
		_, err = a.svc.Receptions.RecordReception(r.Context(), id, version, rec)
	}
	return in, err
}
