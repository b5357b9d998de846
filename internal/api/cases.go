package api

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lianluo"
)

func (h *Handler) listCases(w http.ResponseWriter, r *http.Request) error {
	f, err := caseFilter(r)
	if err != nil {
		return err
	}
	items, total, err := h.svc.Cases.FindCases(r.Context(), f)
	if err != nil {
		return err
	}
	return writePaged(w, items, total, f.Page)
}

// caseFilter reads the case list's filters, shared by the list and its
// export (GET /api/v1/exports/cases).
func caseFilter(r *http.Request) (lianluo.CaseFilter, error) {
	q := query{r: r}
	f := lianluo.CaseFilter{StationID: q.int64("station_id"), UnitID: q.int64("unit_id"), OrgID: q.int64("org_id"),
		Category: q.str("category"), Region: q.str("region"), Q: q.str("q"), Todo: q.str("todo"),
		Kind: q.str("kind"), SessionID: q.int64("session_id"),
		From: q.date("from", false), To: q.date("to", true), Page: q.page()}
	if s := q.str("status"); s != "" {
		for _, st := range strings.Split(s, ",") {
			f.Status = append(f.Status, lianluo.CaseStatus(st))
		}
	}
	if b := q.boolPtr("overdue"); b != nil {
		f.Overdue = *b
	}
	return f, q.err
}

func (h *Handler) createCase(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.CaseInput
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.svc.Cases.CreateCase(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (h *Handler) getCase(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Cases.FindCaseByID)
}

func (h *Handler) caseAction(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[lianluo.CaseAction](r)
	if err != nil {
		return err
	}
	c, err := h.svc.Cases.Act(r.Context(), id, lianluo.WorkflowAction(r.PathValue("action")), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

// revealRequest is the purpose (callback 电话回访, verify 核实身份,
// handling 办理需要, other 其他) and the reason of a reveal.
type revealRequest = lianluo.RevealReason

func (h *Handler) revealSubmitter(w http.ResponseWriter, r *http.Request) error {
	id, in, err := idAndBody[revealRequest](r)
	if err != nil {
		return err
	}
	s, err := h.svc.Cases.RevealSubmitter(r.Context(), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (h *Handler) todoCounts(w http.ResponseWriter, r *http.Request) error {
	m, err := h.svc.Cases.TodoCounts(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

// uploadAttachment takes the file as multipart field "file" or as the raw body
// (with ?name=).
func (h *Handler) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, lianluo.MaxAttachmentBytes+1<<20)
	name := r.URL.Query().Get("name")
	var src io.Reader = r.Body
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, fh, err := r.FormFile("file")
		if err != nil {
			if strings.Contains(err.Error(), "too large") {
				return lianluo.Errorf(lianluo.ETOOLARGE, "附件不能超过%dMB。", lianluo.MaxAttachmentBytes>>20)
			}
			return lianluo.FieldError("file", "请选择要上传的文件。")
		}
		defer f.Close()
		src, name = f, fh.Filename
	}
	data, err := io.ReadAll(src)
	if err != nil {
		return lianluo.Errorf(lianluo.ETOOLARGE, "附件不能超过%dMB。", lianluo.MaxAttachmentBytes>>20)
	}
	a, err := h.svc.Attachments.AddAttachment(r.Context(), id, name, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

func (h *Handler) listAttachments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	items, err := h.svc.Attachments.FindAttachments(r.Context(), id)
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}

func (h *Handler) getAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil {
		return lianluo.NotFound("附件")
	}
	a, err := h.svc.Attachments.FindAttachment(r.Context(), id, aid)
	if err != nil {
		return err
	}
	if err := h.svc.Events.RecordEvent(r.Context(), lianluo.EntityCase, id, lianluo.AuditDownload, fmt.Sprintf("下载附件“%s”（附件 %d）", a.Name, a.ID)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(a.Name))
	w.Header().Set("Content-Length", fmt.Sprint(len(a.Data)))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(a.Data)
	return err
}

func (h *Handler) listCategories(w http.ResponseWriter, r *http.Request) error {
	items, err := h.svc.Settings.Categories(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, items, len(items))
}

func (h *Handler) getPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := h.svc.Settings.Policy(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) putPolicy(w http.ResponseWriter, r *http.Request) error {
	// Fields the body leaves out keep their values.
	p, err := h.svc.Settings.Policy(r.Context())
	if err != nil {
		return err
	}
	if err := decode(r, &p); err != nil {
		return err
	}
	if err := h.svc.Settings.UpdatePolicy(r.Context(), p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func calendarYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, lianluo.FieldError("year", "年份不正确。")
	}
	return y, nil
}

func (h *Handler) getCalendar(w http.ResponseWriter, r *http.Request) error {
	y, err := calendarYear(r)
	if err != nil {
		return err
	}
	return h.writeCalendar(w, r, y)
}

// calendarYearList is a year's days with the version a PUT sends back.
type calendarYearList struct {
	Items   []lianluo.CalendarDay `json:"items"`
	Total   int                   `json:"total"`
	Version string                `json:"version"`
}

func (h *Handler) writeCalendar(w http.ResponseWriter, r *http.Request, year int) error {
	days, err := h.svc.Settings.CalendarDays(r.Context(), year)
	if err != nil {
		return err
	}
	if days == nil {
		days = []lianluo.CalendarDay{}
	}
	return writeJSON(w, http.StatusOK, calendarYearList{Items: days, Total: len(days), Version: lianluo.CalendarVersion(days)})
}

type calendarBody struct {
	Days []lianluo.CalendarDay `json:"days"`
	// Version, if given, is the year's version as last read (CalendarVersion);
	// the PUT is refused if the year changed meanwhile.
	Version string `json:"version,omitempty"`
}

func (h *Handler) putCalendar(w http.ResponseWriter, r *http.Request) error {
	y, err := calendarYear(r)
	if err != nil {
		return err
	}
	var in calendarBody
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.svc.Settings.SetCalendarYear(r.Context(), y, in.Days, in.Version); err != nil {
		return err
	}
	return h.writeCalendar(w, r, y)
}

func (h *Handler) listSessions(w http.ResponseWriter, r *http.Request) error {
	ss, err := h.svc.Congress.FindSessions(r.Context())
	if err != nil {
		return err
	}
	return writeList(w, ss, len(ss))
}

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.SessionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := h.svc.Congress.CreateSession(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}

func (h *Handler) getSession(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Congress.FindSessionByID)
}
