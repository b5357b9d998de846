package web_test

import (
	"fmt"
	"net/url"
	"testing"

	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A reception's and an activity's pages are one set of pages: what a user
// sees and may do with the deputies, sign-in, photos, cases and cancelling
// is the same for both kinds.
func TestOccasionPagesAlike(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, clk := clockedFixture(t, db)                                            // 2026-03-02 09:30
		reception := fmt.Sprintf("/console/receptions/%d", weeklyRota(t, f)[0].ID) // every Monday morning; the first is 2026-03-09
		clerk := f.loggedIn(t, "dqclerk")
		create := func(starts, ends string) string {
			t.Helper()
			res := clerk.post("/console/activities/new", url.Values{"kind": {"inspection"}, "title": {"视察老旧小区改造"},
				"station_id": {fmt.Sprint(f.dqStation.ID)}, "starts_at": {starts}, "ends_at": {ends}})
			wantStatus(t, "create an activity", res, 303)
			return fmt.Sprintf("/console/activities/%d", idFromLocation(t, res, "/console/activities/"))
		}
		activity := create("2026-03-09T14:00", "2026-03-09T16:00")
		page := clerk.get(activity)
		wantStatus(t, "publish", clerk.post(activity+"/publish", url.Values{"version": {formVersionIn(t, page.Body, activity+"/publish")}}), 303)
		draft := create("2026-03-20T09:00", "2026-03-20T11:00")

		deputyLink := fmt.Sprintf(`<a href="/console/deputies/%d">王秀英</a>`, f.dep1.ID)
		for _, tt := range []struct {
			kind, path, noun string
		}{
			{"reception", reception, "接待"},
			{"activity", activity, "活动"},
		} {
			t.Run(tt.kind, func(t *testing.T) {
				clerk, deputy, liaison := f.loggedIn(t, "dqclerk"), f.loggedIn(t, "wangxy"), f.loggedIn(t, "dqliaison")

				// Staff reach a deputy's record from the table; the deputy reads names only.
				page := clerk.get(tt.path)
				wantStatus(t, "staff", page, 200)
				wantBody(t, "staff", page, deputyLink, `data-confirm="确定取消本次`+tt.noun, `action="`+tt.path+`/cases"`, `action="`+tt.path+`/photos"`,
					"每次"+tt.noun+"最多20张")
				page = deputy.get(tt.path)
				wantStatus(t, "deputy", page, 200)
				wantBody(t, "deputy", page, "王秀英", "不能参加？申请请假", `action="`+tt.path+`/leave"`)
				wantNoBody(t, "deputy", page, deputyLink, `action="`+tt.path+`/cases"`, `action="`+tt.path+`/attendance"`)

				// Only a deputy signs in; staff are told so on the page, with a 409.
				res := liaison.post(tt.path+"/signin", nil)
				wantStatus(t, "staff sign in", res, 409)
				wantBody(t, "staff sign in", res, "只有代表本人可以签到")

				// Attendance may be marked from half an hour before the start.
				wantNoBody(t, "before the window", clerk.get(tt.path), `action="`+tt.path+`/attendance"`)
			})
		}

		// On the day, both kinds take marks the same way.
		clk.set("2026-03-09 13:40")
		clerk = f.loggedIn(t, "dqclerk")
		for _, path := range []string{reception, activity} {
			wantBody(t, "in the window", clerk.get(path), `action="`+path+`/attendance"`)
			res := clerk.post(path+"/attendance", url.Values{"deputy_id": {fmt.Sprint(f.dep2.ID)}, "attendance": {"present"}})
			wantStatus(t, "mark "+path, res, 303)
			page := clerk.get(res.Header.Get("Location"))
			wantBody(t, "marked "+path, page, "出席情况已登记。", "工作人员登记")
			// Someone came: it took place and is no longer offered for cancelling (lianluo.CheckCancel).
			wantNoBody(t, "marked "+path, page, `action="`+path+`/cancel"`)
		}

		// A draft nobody was told of takes no photos or cases: no forms, and a
		// photo posted anyway is refused at its field.
		page = clerk.get(draft)
		wantNoBody(t, "draft", page, `action="`+draft+`/cases"`, `action="`+draft+`/photos"`)
		res := clerk.uploadAs(draft+"/photos", "photo", "a.png", tinyPNG(t))
		wantStatus(t, "photo of a draft", res, 409)
		wantBody(t, "photo of a draft", res, `id="photo-error"`, "只有已发布或已完成的活动可以上传照片")
	})
}
