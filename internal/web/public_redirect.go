package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"unicode/utf8"

	"lianluo"
	"lianluo/internal/server"
)

// Post/Redirect/Get on the online station: every public form that
// succeeds answers 303 to a page that can be reloaded, bookmarked or gone
// back to without sending anything twice. Refused forms are shown again
// at once, with what the voter typed and the error next to its field.
//
// Two things a result page needs are not in its address:
//
//   - The phone tail. It never goes into an address (browser history,
//     proxies' logs). After the voter has given the right tail, the pages
//     keep it for half an hour in a cookie that only /track/{code} and its
//     forms receive (Path), that script cannot read (HttpOnly) and that no
//     other site's form sends (SameSite). The cookie holds nothing the
//     voter did not type, and it is not a key: GET /track/{code} passes it
//     to the store as the tail, which checks it like a typed one and counts
//     a wrong one against the address's lookups. A stranger without it gets
//     the form, as before, worded the same whether the code exists or not.
//   - The receipt. The tracking code is shown once, right after
//     submitting, at GET /submit/done: the receipt travels in a cookie
//     scoped to that path, so the code appears in no address at all (the
//     request log already hides /track/{code}, but proxies in front may
//     not). The page checks the code and tail with the store before
//     showing anything, and reloading shows the same receipt until the
//     cookie expires.

const (
	trackCookie   = "lianluo_track"
	receiptCookie = "lianluo_receipt"
	// flashAge is how long a voter's browser keeps the tail and the
	// receipt: long enough to read, rate and come back to the page, short
	// enough for a phone lent to someone else.
	flashAge = 30 * 60
)

func trackPath(code string) string { return "/track/" + url.PathEscape(code) }

// keepTail remembers the tail the store just accepted for code.
func keepTail(w http.ResponseWriter, r *http.Request, code, tail string) {
	if tail == "" {
		return // no phone given: the opinion shows without one
	}
	http.SetCookie(w, &http.Cookie{Name: trackCookie, Value: tail, Path: trackPath(code), MaxAge: flashAge,
		HttpOnly: true, Secure: server.IsSecure(r), SameSite: http.SameSiteLaxMode})
}

// keptTail is the tail remembered for the code in the request's path.
func keptTail(r *http.Request) string {
	c, err := r.Cookie(trackCookie)
	if err != nil || !tailRe.MatchString(c.Value) {
		return ""
	}
	return c.Value
}

func forgetTail(w http.ResponseWriter, r *http.Request, code string) {
	http.SetCookie(w, &http.Cookie{Name: trackCookie, Path: trackPath(code), MaxAge: -1,
		HttpOnly: true, Secure: server.IsSecure(r), SameSite: http.SameSiteLaxMode})
}

// receiptFlash is what the receipt page shows besides what the store
// knows of the opinion.
type receiptFlash struct {
	Code        string `json:"c"`
	Tail        string `json:"t,omitempty"`
	Duplicate   bool   `json:"d,omitempty"`
	ToDeputy    bool   `json:"p,omitempty"`
	PhoneMasked string `json:"m,omitempty"`
	Photos      int    `json:"n,omitempty"`
	PhotoError  string `json:"e,omitempty"`
}

// maskedPhoneRe is the only shape a masked phone may have on the receipt.
var maskedPhoneRe = regexp.MustCompile(`^1[0-9]{2}\*{4}[0-9]{4}$`)

func setReceipt(w http.ResponseWriter, r *http.Request, f receiptFlash) {
	b, _ := json.Marshal(f)
	http.SetCookie(w, &http.Cookie{Name: receiptCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/submit/done",
		MaxAge: flashAge, HttpOnly: true, Secure: server.IsSecure(r), SameSite: http.SameSiteLaxMode})
}

// readReceipt reads the receipt cookie; ok is false when there is none
// or it does not hold a receipt this site could have written.
func readReceipt(r *http.Request) (f receiptFlash, ok bool) {
	c, err := r.Cookie(receiptCookie)
	if err != nil {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(b, &f) != nil || f.Code == "" || (f.Tail != "" && !tailRe.MatchString(f.Tail)) ||
		f.Photos < 0 || f.Photos > lianluo.MaxPublicPhotos || utf8.RuneCountInString(f.PhotoError) > 200 {
		return f, false
	}
	if f.PhoneMasked != "" && (!maskedPhoneRe.MatchString(f.PhoneMasked) || lianluo.PhoneTail(f.PhoneMasked) != f.Tail) {
		return f, false
	}
	return f, true
}

// submitDone is the receipt after a submission (GET, after the 303).
func (a *app) submitDone(w http.ResponseWriter, r *http.Request) error {
	f, ok := readReceipt(r)
	var op *lianluo.PublicOpinion
	if ok {
		var err error
		op, err = a.svc.Public.FollowOpinion(r.Context(), f.Code, f.Tail)
		switch lianluo.ErrorCode(err) {
		case "":
		case lianluo.ENOTFOUND:
			ok = false
		default:
			return err
		}
	}
	if !ok {
		// Expired, or opened on another device: the code is with the voter.
		p := newTrackForm("")
		p.Form.Message = "提交回执只在提交后半小时内显示。请用查询码查询办理进度；查询码找不到了，请联系联络站。"
		return a.renderPublic(w, r, http.StatusOK, "public_track", p)
	}
	rp := &receiptPage{publicBase: publicBase{Title: "提交成功", Section: "submit", Back: trackPath(op.TrackingCode)},
		R:           &lianluo.Receipt{TrackingCode: op.TrackingCode, Duplicate: f.Duplicate, StationName: op.StationName, PhoneGiven: f.Tail != "", CreatedAt: op.SubmittedAt},
		Target:      op.StationName,
		PhoneMasked: f.PhoneMasked, Photos: f.Photos, PhotoError: f.PhotoError}
	if f.ToDeputy && len(op.DeputyNames) > 0 {
		rp.R.DeputyName = op.DeputyNames[0]
		rp.Target = op.DeputyNames[0] + "代表"
	}
	if f.Duplicate {
		rp.Title = "已经收到"
	}
	return a.renderPublic(w, r, http.StatusOK, "public_receipt", rp)
}

// trackFlash is the confirmation a redirect to /track/{code} asks for.
func trackFlash(r *http.Request, op *lianluo.PublicOpinion, p *trackPage) {
	q := r.URL.Query()
	switch q.Get("ok") {
	case "rated":
		p.Thanks = len(op.Ratings) > 0
	case "photos":
		if n, err := strconv.Atoi(q.Get("n")); err == nil && n > 0 && n <= lianluo.MaxPublicPhotos && n <= op.Photos {
			p.Flash = "已补充 " + strconv.Itoa(n) + " 张照片，谢谢！"
		}
	}
}
