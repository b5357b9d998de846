package web

import (
	"fmt"
	"net/http"

	"lianluo"
)

// The voter's ballot (民主测评, docs/reports.md): /ballot/{token}, no
// login, one page an elderly voter can use on a small phone — the subject,
// three big choices per item, a comment, the phone number, one button —
// then a thank-you page; a closed ballot says so. Staff print its QR code
// from the poster page.

type ballotPage struct {
	publicBase
	Token   string
	B       *lianluo.PublicBallot
	Form    formState
	Choices map[string]lianluo.BallotChoice // as marked, shown again after an error
	Comment string
	Phone   string
	Voted   bool // the thank-you page
}

// Options are the three marks for an item, the voter's own checked.
func (p *ballotPage) Options(key string) []option {
	out := make([]option, 0, len(lianluo.BallotChoices))
	for _, c := range lianluo.BallotChoices {
		out = append(out, option{Value: string(c), Label: c.Name(), Selected: p.Choices[key] == c})
	}
	return out
}

func ballotPath(token string) string { return "/ballot/" + token }

func (a *app) ballotForm(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	b, err := a.svc.Ballots.PublicBallot(r.Context(), token)
	if err != nil {
		return err
	}
	return a.renderPublic(w, r, http.StatusOK, "public_ballot", &ballotPage{publicBase: publicBase{Title: b.Title}, Token: token, B: b})
}

func (a *app) ballotVote(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token := r.PathValue("token")
	b, err := a.svc.Ballots.PublicBallot(ctx, token)
	if err != nil {
		return err
	}
	v := lianluo.BallotVote{Choices: map[string]lianluo.BallotChoice{}, Comment: formStr(r, "comment"), Phone: formStr(r, "phone")}
	for _, it := range b.Items {
		if c := formStr(r, "choice_"+it.Key); c != "" {
			v.Choices[it.Key] = lianluo.BallotChoice(c)
		}
	}
	err = a.svc.Ballots.CastVote(ctx, token, v)
	if err == nil {
		return redirect(w, r, ballotPath(token)+"/thanks")
	}
	if lianluo.ErrorCode(err) == lianluo.ETOOMANY {
		return err
	}
	p := &ballotPage{publicBase: publicBase{Title: b.Title}, Token: token, B: b, Choices: v.Choices, Comment: v.Comment, Phone: v.Phone}
	if !p.Form.take(err, "choices", "comment", "phone") {
		return err
	}
	if lianluo.ErrorCode(err) == lianluo.ESTATE {
		b.Open = false // closed while the voter was marking
	}
	return a.renderPublic(w, r, errorStatus(lianluo.ErrorCode(err)), "public_ballot", p)
}

func (a *app) ballotThanks(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	b, err := a.svc.Ballots.PublicBallot(r.Context(), token)
	if err != nil {
		return err
	}
	return a.renderPublic(w, r, http.StatusOK, "public_ballot", &ballotPage{publicBase: publicBase{Title: b.Title}, Token: token, B: b, Voted: true})
}

// The staff's side: the QR code and the poster of a ballot, for whoever
// may manage it (the token is theirs only).

func (a *app) managedBallot(r *http.Request) (*lianluo.Ballot, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	b, err := a.svc.Ballots.FindBallotByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !b.CanManage || b.Token == "" {
		return nil, lianluo.Forbidden()
	}
	return b, nil
}

func (a *app) ballotQR(w http.ResponseWriter, r *http.Request) error {
	b, err := a.managedBallot(r)
	if err != nil {
		return err
	}
	return writeStaffQR(w, a.baseURL(r)+ballotPath(b.Token))
}

type ballotPoster struct {
	Title string
	B     *lianluo.Ballot
	URL   string
	Back  string
}

func (a *app) ballotPosterPage(w http.ResponseWriter, r *http.Request) error {
	b, err := a.managedBallot(r)
	if err != nil {
		return err
	}
	back := fmt.Sprintf("/console/activities/%d", b.ActivityID)
	if q := r.URL.Query().Get("back"); q != "" && safeBack(q) == q {
		back = q
	}
	return a.renderPrint(w, "ballot_poster", &ballotPoster{Title: b.Title + " 民主测评二维码", B: b, URL: a.baseURL(r) + ballotPath(b.Token), Back: back})
}
