package api

import (
	"net/http"

	"lianluo"
)

// Activities (代表活动): create, list, change, publish (notice),
// cancel, sign-in, leave, attendance, the record, photos and linked cases.

func (h *Handler) createActivity(w http.ResponseWriter, r *http.Request) error {
	var in lianluo.ActivityInput
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := h.svc.Activities.CreateActivity(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

func (h *Handler) listActivities(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.ActivityFilter{StationID: q.int64("station_id"), GroupID: q.int64("group_id"), DeputyID: q.int64("deputy_id"),
		Kind: q.str("kind"), Status: q.str("status"), From: q.date("from", false), To: q.date("to", true), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Activities.FindActivities(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) getActivity(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Activities.FindActivityByID)
}

func (h *Handler) updateActivity(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(u *lianluo.ActivityUpdate) int { return u.Version }, h.svc.Activities.UpdateActivity)
}

// versionRequest carries the version an action expects (required).
type versionRequest struct {
	Version int `json:"version"`
}

func (h *Handler) publishActivity(w http.ResponseWriter, r *http.Request) error {
	return actOn(w, r, func(id int64, in versionRequest) (*lianluo.Activity, error) {
		return h.svc.Activities.PublishActivity(r.Context(), id, in.Version)
	})
}

// activityRecordRequest is an activity's record with the activity's version.
type activityRecordRequest struct {
	Version  int    `json:"version"`
	Minutes  string `json:"minutes"`
	Outcomes string `json:"outcomes"`
}

func (h *Handler) recordActivity(w http.ResponseWriter, r *http.Request) error {
	return actOn(w, r, func(id int64, in activityRecordRequest) (*lianluo.Activity, error) {
		if in.Version <= 0 {
			return nil, lianluo.FieldError("version", "请提供活动的当前版本号（version），以免覆盖他人的修改。")
		}
		return h.svc.Activities.RecordActivity(r.Context(), id, in.Version, lianluo.ActivityRecord{Minutes: in.Minutes, Outcomes: in.Outcomes})
	})
}

// activityNormItem is a station's year against the activity norm (003).
type activityNormItem struct {
	lianluo.StationActivityYear
	Rate int `json:"rate"` // deputies' participation, percent
}

func (h *Handler) activityNorms(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	year, region := q.receptionYear(h.now()), q.str("region")
	if q.err != nil {
		return q.err
	}
	rows, err := h.svc.Activities.ActivityYear(r.Context(), year, region)
	if err != nil {
		return err
	}
	items := make([]activityNormItem, 0, len(rows))
	for _, y := range rows {
		items = append(items, activityNormItem{StationActivityYear: y, Rate: y.Rate()})
	}
	return writeList(w, items, len(items))
}
