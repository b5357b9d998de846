package api

import (
	"net/http"

	"lianluo"
)

// 民主测评 ballots: staff read the tally, close the voting and enter the
// paper ballots' counts; voters vote without a login at the ballot's
// token (the store checks the ballot is open, one vote per phone, and
// limits the votes per address, as for the online station's opinions).

func (h *Handler) getBallot(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Ballots.FindBallotByID)
}

func (h *Handler) closeBallot(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[versionRequest](r)
	if err != nil {
		return err
	}
	b, err := h.svc.Ballots.CloseBallot(r.Context(), id, in.Version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

func (h *Handler) putBallotPaper(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(p *lianluo.BallotPaper) int { return p.Version }, h.svc.Ballots.SetBallotPaper)
}

func (h *Handler) publicBallot(w http.ResponseWriter, r *http.Request) error {
	b, err := h.svc.Ballots.PublicBallot(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

// voteReceipt answers a vote.
type voteReceipt struct {
	Message string `json:"message"`
}

func (h *Handler) castVote(w http.ResponseWriter, r *http.Request) error {
	var v lianluo.BallotVote
	if err := decode(r, &v); err != nil {
		return err
	}
	if err := h.svc.Ballots.CastVote(r.Context(), r.PathValue("token"), v); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, voteReceipt{Message: "投票成功，感谢您的参与！"})
}
