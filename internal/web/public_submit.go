package web

import (
	"context"
	"net/http"
	"strconv"

	"lianluo"
)

// Submitting an opinion online (我要反映 — 002 篇二 5. 开通咨询和意见渠道):
// to a station, or to a deputy (给代表留言), with photos, and a tracking
// code (查询码) in return.

type submitPage struct {
	publicBase
	Station     *lianluo.PublicStation // the chosen station, or nil
	Deputy      *lianluo.PublicDeputy  // the chosen deputy, or nil
	DeputySeats string                 // the chosen deputy's seats: 北仑区人大代表…
	Initial     string                 // the deputy's, when there is no portrait
	Choices     []optGroup             // the station select, when neither is chosen
	Categories  []optGroup
	O           lianluo.Opinion // what the voter typed
	Form        formState
	VerifyPhone bool   // the deployment asks for an SMS code
	CodeSentTo  string // the masked phone a code was just sent to
	// RepickPhotos: photos had been chosen when the page was sent back
	// (a browser cannot keep a chosen file across pages).
	RepickPhotos bool
	MaxPhotos    int
	MaxPhotoMB   int
	ConsentText  string
	// Errors lists every refused field in form order, for the summary.
	Errors []fieldMessage
}

// fieldMessage is one line of an error summary, linked to its field.
type fieldMessage struct{ Anchor, Message string }

type receiptPage struct {
	publicBase
	R           *lianluo.Receipt
	Target      string // 大碶街道人大代表中心联络站, or 王建国代表
	PhoneMasked string
	Photos      int    // photos stored with the opinion
	PhotoError  string // why the rest were not
}

// submitFields are the form's fields that can show an error next to them.
var submitFields = []string{"station_id", "title", "content", "category", "location", "name", "phone", "verify_code", "photos", "consent"}

func (a *app) submitForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &submitPage{}
	var err error
	if p.O.StationID, err = parseID(q.Get("station"), "station_id", "联络站"); err != nil {
		return lianluo.Errorf(lianluo.ENOTFOUND, "%s", stationGone)
	}
	if p.O.DeputyID, err = parseID(q.Get("deputy"), "deputy_id", "代表"); err != nil {
		return lianluo.Errorf(lianluo.ENOTFOUND, "%s", deputyGone)
	}
	if p.O.StationID != nil && p.O.DeputyID != nil {
		p.O.DeputyID = nil
	}
	// A station or deputy named in the address (a QR code, a link) must
	// exist: the voter is told at once, not after writing it all.
	if err := a.fillSubmitPage(r, p, true); err != nil {
		return err
	}
	return a.renderPublic(w, r, http.StatusOK, "public_submit", p)
}

// fillSubmitPage loads what the form shows besides the voter's input. With
// strict, a station or deputy that is not found is an error; otherwise the
// voter chooses again from the list.
func (a *app) fillSubmitPage(r *http.Request, p *submitPage, strict bool) error {
	ctx := r.Context()
	p.Title, p.Section = "我要反映", "submit"
	p.MaxPhotos, p.MaxPhotoMB, p.ConsentText = lianluo.MaxPublicPhotos, lianluo.MaxPhotoBytes>>20, lianluo.ConsentText
	p.Back = "/submit"
	switch {
	case p.O.StationID != nil:
		s, err := a.svc.Public.PublicStation(ctx, *p.O.StationID)
		if err == nil {
			p.Station = s
			p.Back = "/submit?station=" + strconv.FormatInt(s.ID, 10)
		} else if strict || lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			return notFoundAs(err, stationGone)
		} else {
			p.O.StationID = nil
		}
	case p.O.DeputyID != nil:
		d, err := a.svc.Public.PublicDeputy(ctx, *p.O.DeputyID)
		if err == nil {
			p.Deputy, p.Initial, p.DeputySeats = d, initial(d.Name), a.seatNamer(ctx).public(d)
			p.Title = "给" + d.Name + "代表留言"
			p.Back = "/submit?deputy=" + strconv.FormatInt(d.ID, 10)
		} else if strict || lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			return notFoundAs(err, deputyGone)
		} else {
			p.O.DeputyID = nil
		}
	}
	if p.Station == nil && p.Deputy == nil {
		choices, err := a.publicStationChoices(ctx, idStr(p.O.StationID))
		if err != nil {
			return err
		}
		p.Choices = choices
	}
	cats, err := a.svc.Settings.Categories(ctx)
	if err != nil {
		return err
	}
	p.Categories = categoryOptions(cats, p.O.Category)
	set, err := a.svc.Public.PublicSettings(ctx)
	if err != nil {
		return err
	}
	p.VerifyPhone = set.VerifyPhone
	return nil
}

// publicStationChoices lists the active stations grouped by town, for a select
// that works without script.
func (a *app) publicStationChoices(ctx context.Context, selected string) ([]optGroup, error) {
	stations, err := collect(choiceLimit, func(pg lianluo.Page) ([]*lianluo.PublicStation, int, error) {
		return a.svc.Public.PublicStations(ctx, lianluo.PublicStationFilter{Page: pg})
	})
	if err != nil {
		return nil, err
	}
	towns, err := a.publicTowns(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range towns {
		names[t.Code] = t.Name
	}
	var groups []optGroup
	index := map[string]int{}
	for _, s := range stations {
		key, label := s.RegionCode, s.RegionName
		if len(key) >= 9 && names[key[:9]] != "" {
			key, label = key[:9], names[key[:9]]
		}
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, optGroup{Label: label})
		}
		id := strconv.FormatInt(s.ID, 10)
		groups[i].Options = append(groups[i].Options, option{Value: id, Label: s.Name, Selected: id == selected})
	}
	return groups, nil
}

// categoryOptions offers the categories as every form does
// (lianluo.CategoryGroups), with the chosen one selected.
func categoryOptions(cats []lianluo.Category, selected string) []optGroup {
	var out []optGroup
	for _, g := range lianluo.CategoryGroups(cats) {
		og := optGroup{Label: g.Name}
		for _, c := range g.Choices {
			og.Options = append(og.Options, option{Value: c.Value, Label: c.Label, Selected: c.Value == selected})
		}
		out = append(out, og)
	}
	return out
}

// opinionFrom reads the voter's opinion from the posted form.
func opinionFrom(f *publicForm) (lianluo.Opinion, error) {
	o := lianluo.Opinion{
		Title: f.get("title"), Content: f.get("content"), Category: f.get("category"), Location: f.get("location"),
		Name: f.get("name"), Phone: f.get("phone"), Confidential: f.bool("confidential"), Consent: f.bool("consent"),
		VerifyCode: f.get("verify_code"), Website: f.values.Get("website"),
	}
	var err error
	if o.StationID, err = parseID(f.get("station_id"), "station_id", "联络站"); err != nil {
		return o, err
	}
	if o.DeputyID, err = parseID(f.get("deputy_id"), "deputy_id", "代表"); err != nil {
		return o, err
	}
	return o, nil
}

// photosChosen reports whether the posted form named photos, even when the
// files themselves were not sent (the 获取验证码 button posts without them).
func photosChosen(f *publicForm) bool {
	if len(f.photos) > 0 || f.tooBig || f.tooMany {
		return true
	}
	for _, v := range f.values["photos"] {
		if v != "" {
			return true
		}
	}
	return false
}

func (a *app) submit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, err := readPublicForm(r, "photos")
	if err != nil {
		return err
	}
	o, idErr := opinionFrom(f)
	p := &submitPage{O: o}
	reshow := func(status int) error {
		p.Errors = summary(&p.Form, submitFields)
		p.RepickPhotos = photosChosen(f)
		if err := a.fillSubmitPage(r, p, false); err != nil {
			return err
		}
		return a.renderPublic(w, r, status, "public_submit", p)
	}
	// Every check that needs no database comes first, the photos' bytes
	// included, so that a bad photo stores nothing; and every refused field
	// is reported at once, not one per round trip.
	errs := []error{}
	if idErr != nil {
		errs = append(errs, idErr)
	} else {
		errs = opinionErrors(o)
		o.Validate() // trims what the voter typed
		p.O = o
	}
	if perr := checkPhotos(f, "photos"); perr != nil {
		errs = append(errs, perr)
	}
	if len(errs) > 0 {
		for _, err := range errs {
			if !p.Form.take(err, submitFields...) {
				return err
			}
		}
		status := p.Form.status(errs[0])
		if f.tooBig {
			status = http.StatusRequestEntityTooLarge
		}
		return reshow(status)
	}
	receipt, err := a.svc.Public.SubmitOpinion(ctx, o)
	if err != nil {
		switch lianluo.ErrorCode(err) {
		case lianluo.ETOOMANY, lianluo.ETOOLARGE:
			p.Form.Message = lianluo.ErrorMessage(err)
			return reshow(errorStatus(lianluo.ErrorCode(err)))
		}
		if !p.Form.take(err, submitFields...) {
			return err
		}
		return reshow(p.Form.status(err))
	}
	// The receipt is a page of its own (GET /submit/done): reloading it
	// shows the receipt again and submits nothing (public_redirect.go).
	f2 := receiptFlash{Code: receipt.TrackingCode, Tail: lianluo.PhoneTail(o.Phone), Duplicate: receipt.Duplicate,
		ToDeputy: receipt.DeputyName != "" && o.DeputyID != nil, PhoneMasked: lianluo.MaskPhone(o.Phone)}
	if o.Phone == "" {
		f2.PhoneMasked = ""
	}
	if !receipt.Duplicate {
		// The first submission kept its photos; a duplicate's are the same.
		for _, ph := range f.photos {
			if err := a.svc.Public.AddOpinionPhoto(ctx, receipt.TrackingCode, f2.Tail, ph.data); err != nil {
				if lianluo.ErrorCode(err) == lianluo.EINTERNAL {
					a.log.Error("add opinion photo", "path", lianluo.LogPath(r.URL.Path), "err", err)
				}
				f2.PhotoError = lianluo.ErrorMessage(err)
				break
			}
			f2.Photos++
		}
	}
	setReceipt(w, r, f2)
	keepTail(w, r, receipt.TrackingCode, f2.Tail)
	return redirect(w, r, "/submit/done")
}

// sendCode answers the 获取验证码 button: it texts a code to the phone in
// the form and shows the form again with everything the voter typed.
func (a *app) sendCode(w http.ResponseWriter, r *http.Request) error {
	f, err := readPublicForm(r, "photos")
	if err != nil {
		return err
	}
	o, _ := opinionFrom(f)
	p := &submitPage{O: o}
	status := http.StatusOK
	if err := a.svc.Public.SendVerifyCode(r.Context(), o.Phone); err != nil {
		switch {
		case lianluo.ErrorCode(err) == lianluo.ETOOMANY:
			p.Form.Message = lianluo.ErrorMessage(err)
		case !p.Form.take(err, "phone"):
			return err
		}
		status = errorStatus(lianluo.ErrorCode(err))
	} else {
		p.CodeSentTo = lianluo.MaskPhone(o.Phone)
		p.Flash = "验证码已发送到 " + p.CodeSentTo + "，10分钟内有效。请把短信里的6位数字填在“短信验证码”一栏。"
	}
	p.Errors = summary(&p.Form, []string{"phone"})
	p.RepickPhotos = photosChosen(f)
	if err := a.fillSubmitPage(r, p, false); err != nil {
		return err
	}
	return a.renderPublic(w, r, status, "public_submit", p)
}

// opinionErrors returns every field error of an opinion, in the order the
// domain checks them. lianluo.Opinion.Validate stops at the first; here
// each refused field is given an acceptable stand-in and the opinion is
// checked again, so that the rules stay in one place.
func opinionErrors(o lianluo.Opinion) []error {
	var errs []error
	for range len(submitFields) + 2 {
		err := o.Validate()
		if err == nil {
			break
		}
		errs = append(errs, err)
		switch lianluo.ErrorField(err) {
		case "station_id":
			one := int64(1)
			o.StationID, o.DeputyID = &one, nil
		case "title":
			o.Title = "标题"
		case "content":
			o.Content = "反映的内容"
		case "category":
			o.Category = ""
		case "location":
			o.Location = ""
		case "name":
			o.Name = ""
		case "phone":
			o.Phone = ""
		case "consent":
			o.Consent = true
		case "verify_code":
			o.VerifyCode = ""
		default:
			// The honeypot, or a rule this list does not know: stop here.
			return errs
		}
	}
	return errs
}

// summary lists a form's field errors in form order and points the
// summary's first link at the first of them.
func summary(f *formState, fields []string) []fieldMessage {
	var out []fieldMessage
	for _, name := range fields {
		if msg := f.Errors[name]; msg != "" {
			out = append(out, fieldMessage{Anchor: name + "-error", Message: msg})
		}
	}
	if len(out) > 0 {
		f.First, f.Anchor = out[0].Message, out[0].Anchor
	}
	return out
}
