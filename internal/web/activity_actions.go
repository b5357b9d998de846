// An activity's own forms on its page: the edit and the record. The rest
// of its actions are the shared occasion actions (occasion_pages.go).

package web

import (
	"net/http"

	"lianluo"
)

// saveActivityEdit changes an activity that has not ended.
func (a *app) saveActivityEdit(r *http.Request, id int64) (any, error) {
	in := &activityEditInput{Title: formStr(r, "title"), Content: formStr(r, "content"), Place: formStr(r, "place"),
		StartsAt: formStr(r, "starts_at"), EndsAt: formStr(r, "ends_at")}
	version, err := formVersion(r)
	if err == nil {
		in.DeputyIDs, err = formIDs(r, "deputy_ids", "邀请代表")
	}
	if err == nil {
		u := lianluo.ActivityUpdate{Title: &in.Title, Content: &in.Content, Place: &in.Place, StartsAt: &in.StartsAt, EndsAt: &in.EndsAt,
			DeputyIDs: &in.DeputyIDs, Version: version}
		_, err = a.svc.Activities.UpdateActivity(r.Context(), id, u)
	}
	return in, err
}

// saveActivityRecord keeps the minutes and outcomes; the activity is done.
func (a *app) saveActivityRecord(r *http.Request, id int64) (any, error) {
	in := &activityRecordInput{Minutes: formStr(r, "minutes"), Outcomes: formStr(r, "outcomes")}
	version, err := formVersion(r)
	if err == nil {
		_, err = a.svc.Activities.RecordActivity(r.Context(), id, version, lianluo.ActivityRecord{Minutes: in.Minutes, Outcomes: in.Outcomes})
	}
	return in, err
}
