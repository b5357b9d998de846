package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// 接访登记: registering a case received at a station, by phone, by letter….

// channelOrder lists the intake channels in the order clerks meet them.
var channelOrder = []string{"visit", "phone", "letter", "online", "mailbox", "home_visit", "diary", "opinion_box", "forum", "hotline"}

// caseFields are the names of the register form's inputs.
var caseFields = []string{"channel", "station_id", "reception_id", "title", "content", "category", "region_code", "location",
	"submitter_name", "submitter_phone", "submitter_address", "submitter_id_number", "received_by", "kind"}

// caseFieldNames maps the store's error fields to the form's inputs.
var caseFieldNames = map[string]string{
	"submitter":           "submitter_name",
	"submitter.phone":     "submitter_phone",
	"submitter.address":   "submitter_address",
	"submitter.id_number": "submitter_id_number",
}

// renameField returns err with its field renamed through names.
func renameField(err error, names map[string]string) error {
	var e *lianluo.Error
	if errors.As(err, &e) {
		if n, ok := names[e.Field]; ok {
			c := *e
			c.Field = n
			return &c
		}
	}
	return err
}

type caseFormPage struct {
	basePage
	In       lianluo.CaseInput
	Form     formState
	Channels []option
	Stations []option
	Cats     []optGroup
	Region   regionField
	Deputies []deputyCheck
	MoreOpen bool // the ID number was given or is wrong
	// Reception is the session the case is registered in, described.
	Reception string
}

// deputyCheck is a receiving-deputy checkbox; Stations lists the stations
// the deputy serves at, so that app.js can show the chosen station's
// deputies first.
type deputyCheck struct {
	Value, Label, Stations string
	Selected               bool
}

func (a *app) showCaseForm(w http.ResponseWriter, r *http.Request, status int, in lianluo.CaseInput, f formState) error {
	reception := ""
	if in.ReceptionID != nil {
		if rc, err := a.svc.Receptions.FindReceptionByID(r.Context(), *in.ReceptionID); err == nil {
			reception = fmt.Sprintf("%s %s 的接待活动", rc.StationName, rc.StartsAt.Format("2006年1月2日 15:04"))
		}
	}
	ctx, ac := r.Context(), actor(r)
	p := &caseFormPage{basePage: basePage{Title: "接访登记", Section: "cases"}, In: in, Form: f,
		MoreOpen: in.Submitter.IDNumber != "" || f.Errors["submitter_id_number"] != ""}
	p.Channels = namedOptions(channelOrder, lianluo.ChannelNames, in.Channel)
	stations, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: new(true), Page: pg})
	})
	if err != nil {
		return err
	}
	for _, s := range stations {
		label := s.Name
		if s.RegionName != "" && !strings.Contains(s.Name, s.RegionName) {
			label += "（" + s.RegionName + "）"
		}
		p.Stations = append(p.Stations, option{Value: strconv.FormatInt(s.ID, 10), Label: label,
			Selected: in.StationID != nil && *in.StationID == s.ID})
	}
	if lianluo.AreasOf(ac).TakeCasesDirectly {
		// An NPC office takes letters and calls itself: the case goes to the
		// body whose region holds it.
		p.Stations = withBlank("（不经联络站，由人大机构直接受理）", p.Stations)
	} else if len(p.Stations) != 1 {
		p.Stations = withBlank("请选择", p.Stations)
	}
	if p.Cats, err = a.categoryGroups(ctx, in.Category); err != nil {
		return err
	}
	// Station staff and deputies have no region of their own: offer the
	// regions of their stations (and the villages below).
	regionActor := ac
	if !ac.Scope.All && len(ac.Scope.Regions) == 0 {
		cp := *ac
		for _, s := range stations {
			if !slices.Contains(cp.Scope.Regions, s.RegionCode) {
				cp.Scope.Regions = append(slices.Clip(cp.Scope.Regions), s.RegionCode)
			}
		}
		regionActor = &cp
	}
	region := in.RegionCode
	if region == "" && len(stations) == 1 {
		region = stations[0].RegionCode
	}
	if p.Region, err = a.regionField(ctx, regionActor, f, "region_code", "问题所在地", region); err != nil {
		return err
	}
	p.Region.Hint = "反映的问题发生在哪个乡镇（街道）、村（社区）。"
	deps, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.Deputy, int, error) {
		return a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Status: lianluo.DeputyInOffice, Page: pg})
	})
	if err != nil {
		return err
	}
	chosen := idSet(in.ReceivedBy)
	names := a.seatNamer(ctx)
	for _, d := range deps {
		var ids []string
		for _, s := range d.StationIDs {
			ids = append(ids, strconv.FormatInt(s, 10))
		}
		label := d.Name
		if lv := names.text(d.Seats, d.RegionCode); lv != "" {
			label += "（" + lv + "）"
		}
		p.Deputies = append(p.Deputies, deputyCheck{Value: strconv.FormatInt(d.ID, 10), Label: label,
			Stations: strings.Join(ids, " "), Selected: chosen[d.ID]})
	}
	p.Reception = reception
	return a.render(w, r, status, "case_form", p)
}

func (a *app) caseNew(w http.ResponseWriter, r *http.Request) error {
	ac := actor(r)
	if !lianluo.CanRegisterCases(ac) {
		return lianluo.Forbidden()
	}
	in := lianluo.CaseInput{Channel: "visit"}
	// A deputy registering what they heard is the receiving deputy.
	if d, ok := ac.OwnDeputy(); ok {
		in.ReceivedBy = []int64{d}
	}
	if len(ac.Scope.Stations) == 1 {
		in.StationID = &ac.Scope.Stations[0]
	}
	// From a reception's page: the session's station and deputies.
	if id, err := strconv.ParseInt(r.URL.Query().Get("reception_id"), 10, 64); err == nil && id > 0 {
		rc, err := a.svc.Receptions.FindReceptionByID(r.Context(), id)
		if err != nil {
			return err
		}
		in.ReceptionID, in.StationID, in.ReceivedBy = &rc.ID, &rc.StationID, rc.DeputyIDs
	}
	return a.showCaseForm(w, r, http.StatusOK, in, formState{})
}

func caseInputFromForm(r *http.Request) (lianluo.CaseInput, error) {
	in := lianluo.CaseInput{
		Kind:     lianluo.KindOpinion,
		Channel:  formStr(r, "channel"),
		Title:    formStr(r, "title"),
		Content:  formStr(r, "content"),
		Category: formStr(r, "category"),
		Location: formStr(r, "location"),
		Submitter: lianluo.Submitter{
			Name:     formStr(r, "submitter_name"),
			Phone:    formStr(r, "submitter_phone"),
			Address:  formStr(r, "submitter_address"),
			IDNumber: strings.ToUpper(formStr(r, "submitter_id_number")),
		},
		Urgent:       formBool(r, "urgent"),
		Confidential: formBool(r, "confidential"),
	}
	var errs [4]error
	in.RegionCode, errs[0] = regionFromForm(r, "region_code")
	in.StationID, errs[1] = formID(r, "station_id", "联络站")
	in.ReceivedBy, errs[2] = formIDs(r, "received_by", "接待代表")
	in.ReceptionID, errs[3] = formID(r, "reception_id", "接待活动")
	return in, firstErr(errs[:]...)
}

func (a *app) caseCreate(w http.ResponseWriter, r *http.Request) error {
	if !lianluo.CanRegisterCases(actor(r)) {
		return lianluo.Forbidden()
	}
	in, err := caseInputFromForm(r)
	var c *lianluo.Case
	if err == nil {
		c, err = a.svc.Cases.CreateCase(r.Context(), in)
	}
	if err != nil {
		err = renameField(err, caseFieldNames)
		var f formState
		if !f.take(err, caseFields...) {
			return err
		}
		return a.showCaseForm(w, r, f.status(err), in, f)
	}
	return redirect(w, r, caseURL(c.ID)+"?ok=registered")
}
