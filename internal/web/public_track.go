package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"

	"lianluo"
)

// Following an opinion with its tracking code (查询码): the voter's view of
// the case, adding photos while it is new, and the satisfaction rating
// (满意度测评 — 001) once the answer is fed back.
//
// The phone tail travels in POST bodies and, for half an hour after the
// store accepted it, in a cookie scoped to the opinion's pages (see
// public_redirect.go) — never in an address, so it stays out of the
// browser's history and the logs. A wrong code and a wrong tail get the
// same page: nothing tells whether a code exists.

type trackPage struct {
	publicBase
	Code string // as typed, for the form
	Tail string // the phone's last four digits, kept in the view's forms
	Form formState

	Op       *lianluo.PublicOpinion // nil: the form
	Stages   []stageView
	Steps    []stepView
	Ratings  []ratingView
	Answered string // when the answer came, Beijing time
	Rating   []option
	Comment  string
	Thanks   bool
	// For the add-photos form.
	PhotosLeft int
	MaxPhotoMB int
}

type stageView struct {
	N             int
	Name          string
	Done, Current bool
}

type stepView struct{ At, Text string }

type ratingView struct{ Name, Comment, At string }

// tailRe is what the tail field takes: four digits, or nothing.
var tailRe = regexp.MustCompile(`^[0-9]{4}$`)

func (a *app) trackForm(w http.ResponseWriter, r *http.Request) error {
	return a.renderPublic(w, r, http.StatusOK, "public_track", newTrackForm(""))
}

func newTrackForm(code string) *trackPage {
	return &trackPage{publicBase: publicBase{Title: "查询办理进度", Section: "track", Back: "/track"}, Code: code}
}

// trackView shows an opinion; flash and form carry what a POST adds.
func (a *app) trackView(w http.ResponseWriter, r *http.Request, status int, op *lianluo.PublicOpinion, tail string, p *trackPage) error {
	if p == nil {
		p = &trackPage{}
	}
	p.Title, p.Section = "办理进度", "track"
	p.Back = "/track/" + url.PathEscape(op.TrackingCode)
	p.Op, p.Code, p.Tail = op, op.TrackingCode, tail
	for i, name := range lianluo.StageNames {
		n := i + 1
		p.Stages = append(p.Stages, stageView{N: n, Name: name, Done: n <= op.Stage, Current: n == op.Stage})
	}
	for _, s := range op.Steps {
		p.Steps = append(p.Steps, stepView{At: bjTime(s.At), Text: s.Text})
	}
	for _, rt := range op.Ratings {
		p.Ratings = append(p.Ratings, ratingView{Name: lianluo.RatingNames[rt.Rating], Comment: rt.Comment, At: bjTime(rt.At)})
	}
	if op.AnsweredAt != nil {
		p.Answered = bjTime(*op.AnsweredAt)
	}
	selected := ""
	if p.Rating != nil {
		for _, o := range p.Rating {
			if o.Selected {
				selected = o.Value
			}
		}
	}
	p.Rating = namedOptions([]string{"satisfied", "basically_satisfied", "unsatisfied"}, lianluo.RatingNames, selected)
	p.PhotosLeft = max(lianluo.MaxPublicPhotos-op.Photos, 0)
	p.MaxPhotoMB = lianluo.MaxPhotoBytes >> 20
	return a.renderPublic(w, r, status, "public_track", p)
}

// trackFailed shows the form again for a lookup the store refused: the one
// not-found message (404) or the rate limit (429).
func (a *app) trackFailed(w http.ResponseWriter, r *http.Request, code string, err error) error {
	switch lianluo.ErrorCode(err) {
	case lianluo.ENOTFOUND, lianluo.ETOOMANY:
		p := newTrackForm(code)
		p.Form.Message = lianluo.ErrorMessage(err)
		return a.renderPublic(w, r, errorStatus(lianluo.ErrorCode(err)), "public_track", p)
	}
	return err
}

// checkTail refuses a tail that cannot be one, next to its field.
func checkTail(tail string) error {
	if tail != "" && !tailRe.MatchString(tail) {
		return lianluo.FieldError("tail", "请填写手机号的最后4位数字。")
	}
	return nil
}

func (a *app) track(w http.ResponseWriter, r *http.Request) error {
	code, tail := formStr(r, "code"), formStr(r, "tail")
	p := newTrackForm(code)
	var err error
	if lianluo.NormalizeTrackingCode(code) == "" {
		err = lianluo.FieldError("code", "请填写查询码。")
	} else {
		err = checkTail(tail)
	}
	if err != nil {
		p.Form.take(err, "code", "tail")
		return a.renderPublic(w, r, http.StatusBadRequest, "public_track", p)
	}
	op, err := a.svc.Public.FollowOpinion(r.Context(), code, tail)
	if err != nil {
		return a.trackFailed(w, r, code, err)
	}
	keepTail(w, r, op.TrackingCode, tail)
	return redirect(w, r, trackPath(op.TrackingCode))
}

// trackCode shows an opinion: from a link (the receipt's button), or after
// a form on this page (POST, then 303 here). An opinion given without a
// phone shows at once; one with a phone when this browser has just given
// its tail (keptTail); otherwise, or when the code is wrong, the form comes
// filled in, worded the same either way.
func (a *app) trackCode(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	tail := keptTail(r)
	op, err := a.svc.Public.FollowOpinion(r.Context(), code, tail)
	switch lianluo.ErrorCode(err) {
	case "":
		p := &trackPage{}
		trackFlash(r, op, p)
		return a.trackView(w, r, http.StatusOK, op, tail, p)
	case lianluo.ENOTFOUND:
		if tail != "" {
			forgetTail(w, r, code)
		}
		return a.renderPublic(w, r, http.StatusOK, "public_track", newTrackForm(lianluo.NormalizeTrackingCode(code)))
	}
	return a.trackFailed(w, r, code, err)
}

func (a *app) trackPhotos(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	f, err := readPublicForm(r, "photos")
	if err != nil {
		return err
	}
	tail := f.get("tail")
	// Check every photo before storing any.
	perr := checkPhotos(f, "photos")
	if perr == nil && len(f.photos) == 0 {
		perr = lianluo.FieldError("photos", "请选择照片。")
	}
	added := 0
	if perr == nil {
		for _, ph := range f.photos {
			if err := a.svc.Public.AddOpinionPhoto(ctx, code, tail, ph.data); err != nil {
				switch lianluo.ErrorCode(err) {
				case lianluo.ENOTFOUND, lianluo.ETOOMANY:
					return a.trackFailed(w, r, code, err)
				case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
					perr = err
				default:
					return err
				}
				break
			}
			added++
		}
	}
	op, err := a.svc.Public.FollowOpinion(ctx, code, tail)
	if err != nil {
		return a.trackFailed(w, r, code, err)
	}
	if perr == nil {
		keepTail(w, r, op.TrackingCode, tail)
		return redirect(w, r, fmt.Sprintf("%s?ok=photos&n=%d", trackPath(op.TrackingCode), added))
	}
	// Refused (some photos may have gone in first): the page again, with why.
	p := &trackPage{}
	if added > 0 {
		p.Flash = fmt.Sprintf("已补充 %d 张照片，谢谢！", added)
	}
	if lianluo.ErrorField(perr) == "photos" {
		p.Form.take(perr, "photos")
	} else {
		p.Form.Message = lianluo.ErrorMessage(perr)
	}
	status := errorStatus(lianluo.ErrorCode(perr))
	if f.tooBig {
		status = http.StatusRequestEntityTooLarge
	}
	return a.trackView(w, r, status, op, tail, p)
}

func (a *app) trackRate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code, tail := r.PathValue("code"), formStr(r, "tail")
	in := lianluo.PublicRating{Rating: formStr(r, "rating"), Comment: formStr(r, "comment")}
	op, err := a.svc.Public.RateOpinion(ctx, code, tail, in)
	if err == nil {
		keepTail(w, r, op.TrackingCode, tail)
		return redirect(w, r, trackPath(op.TrackingCode)+"?ok=rated")
	}
	switch lianluo.ErrorCode(err) {
	case lianluo.ENOTFOUND, lianluo.ETOOMANY:
		return a.trackFailed(w, r, code, err)
	case lianluo.EINVALID, lianluo.ESTATE:
	default:
		return err
	}
	p := &trackPage{Comment: in.Comment, Rating: []option{{Value: in.Rating, Selected: true}}}
	if !p.Form.take(err, "rating", "comment") {
		return err
	}
	op, ferr := a.svc.Public.FollowOpinion(ctx, code, tail)
	if ferr != nil {
		return a.trackFailed(w, r, code, ferr)
	}
	return a.trackView(w, r, errorStatus(lianluo.ErrorCode(err)), op, tail, p)
}
