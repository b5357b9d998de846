package api

import (
	"net/http"
	"strconv"

	"lianluo"
)

// Deputies' diaries (民情日记): the deputy's own entries,
// the voter's confirmation by SMS code or signature, and one step to a case.

func (h *Handler) listDiary(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.DiaryFilter{DeputyID: q.int64("deputy_id"), From: q.date("from", false), To: q.date("to", true), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Diary.FindDiaryEntries(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) createDiary(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.DiaryInput
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := h.svc.Diary.CreateDiaryEntry(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (h *Handler) getDiary(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Diary.FindDiaryEntryByID)
}

func (h *Handler) updateDiary(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.DiaryUpdate) int { return u.Version }, h.svc.Diary.UpdateDiaryEntry)
}

func (h *Handler) sendDiaryCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Diary.SendDiaryCode(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// diaryConfirm is the voter's confirmation: the SMS code, or the signature
// as a data URL ("data:image/png;base64,…") — one of them.
type diaryConfirm struct {
	Code      string `json:"code,omitempty"`
	Signature string `json:"signature,omitempty"`
}

func (h *Handler) confirmDiary(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[diaryConfirm](r)
	if err != nil {
		return err
	}
	var e *lianluo.DiaryEntry
	switch {
	case in.Code != "" && in.Signature != "":
		return lianluo.FieldError("code", "请只提供验证码（code）或签名（signature）中的一项。")
	case in.Signature != "":
		data, err := lianluo.ParseSignature("signature", in.Signature)
		if err != nil {
			return err
		}
		e, err = h.svc.Diary.ConfirmDiaryBySignature(r.Context(), id, data)
		if err != nil {
			return err
		}
	case in.Code != "":
		if e, err = h.svc.Diary.ConfirmDiaryByCode(r.Context(), id, in.Code); err != nil {
			return err
		}
	default:
		return lianluo.FieldError("code", "请提供选民收到的短信验证码（code）或选民签名（signature）。")
	}
	return writeJSON(w, http.StatusOK, e)
}

func (h *Handler) diarySignature(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Diary.DiarySignature(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(p.Data)))
	_, err = w.Write(p.Data)
	return err
}

func (h *Handler) diaryToCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.Diary.DiaryToCase(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) revealDiaryVoter(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[revealRequest](r)
	if err != nil {
		return err
	}
	s, err := h.svc.Diary.RevealDiaryVoter(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

// diaryCountItem is a deputy's count with the norm of 003.
type diaryCountItem struct {
	lianluo.DiaryCount
	MonthNorm int  `json:"month_norm"`
	YearDue   int  `json:"year_due"` // what the year needs by the end of the month
	YearNorm  int  `json:"year_norm"`
	MonthMet  bool `json:"month_met"`
}

func (h *Handler) diaryCounts(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	now := h.now().In(lianluo.Beijing)
	f := lianluo.DiaryCountFilter{Year: int(q.int64("year")), Month: int(q.int64("month")), Region: q.regionParam("region"), DeputyID: q.int64("deputy_id")}
	if q.err != nil {
		return q.err
	}
	if f.Year == 0 {
		f.Year = now.Year()
	}
	if f.Month == 0 {
		f.Month = int(now.Month())
	}
	rows, err := h.svc.Diary.DiaryCounts(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]diaryCountItem, 0, len(rows))
	for _, c := range rows {
		items = append(items, diaryCountItem{DiaryCount: c, MonthNorm: lianluo.DiaryPerMonth, YearDue: lianluo.YearDue(f.Month),
			YearNorm: lianluo.DiaryPerYear, MonthMet: c.MonthOK()})
	}
	return writeList(w, items, len(items))
}
