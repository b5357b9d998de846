package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lianluo"
)

// The console's side of the online station: what a station publishes on
// its wall, deputies' portraits, publishing answered cases, and the
// administrator's settings.

func TestStationBoardForm(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		c := f.loggedIn(t, "dqclerk")
		path := fmt.Sprintf("/console/stations/%d/edit", f.dqStation.ID)
		page := c.get(path)
		wantStatus(t, "edit form", page, http.StatusOK)
		wantBody(t, "edit form", page, `name="board.schedule"`, "上墙公布")
		form := url.Values{
			"version": {"1"}, "kind": {"center"}, "name": {f.dqStation.Name}, "region_code": {"330206004"},
			"org_id": {strconv.FormatInt(f.dq.ID, 10)}, "deputy_ids": {strconv.FormatInt(f.dep1.ID, 10), strconv.FormatInt(f.dep2.ID, 10)},
			"board.schedule": {"每单月15日上午9:00—11:00"}, "board.duties": {"听取群众意见<script>alert(1)</script>"},
		}
		long := url.Values{}
		for k, v := range form {
			long[k] = v
		}
		long.Set("board.schedule", strings.Repeat("长", 1001))
		res := c.post(path, long)
		wantStatus(t, "too long a schedule", res, http.StatusBadRequest)
		wantBody(t, "too long a schedule", res, `<p class="field-error" id="board.schedule-error">接待安排`)
		wantStatus(t, "save board", c.post(path, form), http.StatusSeeOther)
		detail := c.get(fmt.Sprintf("/console/stations/%d", f.dqStation.ID))
		wantBody(t, "station page", detail, "每单月15日上午9:00—11:00", "&lt;script&gt;", "/stations/"+strconv.FormatInt(f.dqStation.ID, 10)+"/poster")
		wantNoBody(t, "station page", detail, "<script>alert(1)")
		// A station head may word the board of their own station too (the restricted form).
		s, _ := f.db.FindStationByID(f.as(t, "admin"), f.dqStation.ID)
		if s.Board.Schedule != "每单月15日上午9:00—11:00" {
			t.Errorf("stored board = %+v", s.Board)
		}
	})
}

// uploadField posts one file as a multipart field.
func (c *client) uploadField(path, field, name string, data []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, err := mw.CreateFormFile(field, name)
	if err != nil {
		c.t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	req, err := http.NewRequest("POST", c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestDeputyPhotoForm(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		clerk := f.loggedIn(t, "dqclerk")
		path := fmt.Sprintf("/console/deputies/%d/photo", f.dep1.ID)
		res := clerk.uploadField(path, "photo", "note.txt", []byte("这不是照片"))
		wantStatus(t, "a text file as photo", res, http.StatusBadRequest)
		wantBody(t, "refused photo", res, "只能上传照片")
		wantStatus(t, "upload photo", clerk.uploadField(path, "photo", "me.png", tinyPNG(t)), http.StatusSeeOther)
		page := clerk.get(fmt.Sprintf("/console/deputies/%d?ok=photo", f.dep1.ID))
		wantBody(t, "deputy page", page, "照片已更新", fmt.Sprintf(`src="/deputies/%d/photo"`, f.dep1.ID), "删除照片")
		// The deputy may change their own portrait; a liaison may not touch anyone's.
		wantStatus(t, "deputy's own photo", f.loggedIn(t, "wangxy").uploadField(path, "photo", "me.png", tinyPNG(t)), http.StatusSeeOther)
		liaison := f.loggedIn(t, "dqliaison")
		if res := liaison.uploadField(path, "photo", "x.png", tinyPNG(t)); res.Status != http.StatusForbidden && res.Status != http.StatusNotFound {
			t.Errorf("liaison uploads a photo: %d", res.Status)
		}
		// Another town's deputy is not found.
		if res := clerk.uploadField(fmt.Sprintf("/console/deputies/%d/photo", f.dep3.ID), "photo", "x.png", tinyPNG(t)); res.Status != http.StatusNotFound {
			t.Errorf("photo of another town's deputy: %d", res.Status)
		}
		wantStatus(t, "delete photo", clerk.post(path+"/delete", url.Values{}), http.StatusSeeOther)
		d, _ := f.db.FindDeputyByID(f.as(t, "admin"), f.dep1.ID)
		if d.HasPhoto {
			t.Error("photo still there after delete")
		}
	})
}

var publishVersionRe = regexp.MustCompile(`action="/console/cases/\d+/publish"[^>]*>\s*<input type="hidden" name="version" value="(\d+)">`)

func TestCasePublishForm(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		clerk := f.loggedIn(t, "dqclerk")
		id := f.register(t, clerk, "菜场门口积水")
		page := clerk.get(fmt.Sprintf("/console/cases/%d", id))
		wantNoBody(t, "new case", page, "在网上公开办理结果")
		mustAct(t, clerk, id, "triage", url.Values{"outcome": {"answered"}, "answer": {"已联系环卫当场疏通，请联系13912340000核实。"}})
		page = clerk.get(fmt.Sprintf("/console/cases/%d", id))
		wantBody(t, "answered case", page, "在网上公开办理结果", "已联系环卫当场疏通")
		m := publishVersionRe.FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatalf("no publish form with a version\n%s", clip(page.Body))
		}
		publish := fmt.Sprintf("/console/cases/%d/publish", id)
		// A liaison may not publish.
		res := f.loggedIn(t, "dqliaison").post(publish, url.Values{"version": {m[1]}, "published": {"true"}})
		if res.Status != http.StatusForbidden {
			t.Errorf("liaison publishes: %d", res.Status)
		}
		res = clerk.post(publish, url.Values{"version": {"1"}, "published": {"true"}})
		wantStatus(t, "stale publish", res, http.StatusConflict)
		res = clerk.post(publish, url.Values{"version": {m[1]}, "published": {"true"}, "answer": {"已当场疏通，环卫所电话13800138000。"}})
		wantStatus(t, "publish", res, http.StatusSeeOther)
		page = clerk.get(fmt.Sprintf("/console/cases/%d?ok=publish", id))
		wantBody(t, "published case", page, "已在网上联络站公开办理结果", "已公开", "撤回公开")
		rs, n, err := f.db.PublishedResults(f.as(t, "admin"), lianluo.ResultFilter{})
		if err != nil || n != 1 || !strings.Contains(rs[0].Answer, "138****8000") {
			t.Fatalf("published results = %v, %d, %v", rs, n, err)
		}
		m = publishVersionRe.FindStringSubmatch(page.Body)
		wantStatus(t, "unpublish", clerk.post(publish, url.Values{"version": {m[1]}, "published": {"false"}}), http.StatusSeeOther)
		if _, n, _ := f.db.PublishedResults(f.as(t, "admin"), lianluo.ResultFilter{}); n != 0 {
			t.Errorf("after unpublish: %d results", n)
		}
	})
}

func TestPublicSettingsForm(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		if res := f.loggedIn(t, "dqclerk").get("/console/settings/public"); res.Status != http.StatusForbidden {
			t.Errorf("clerk opens settings: %d", res.Status)
		}
		admin := f.loggedIn(t, "admin")
		wantBody(t, "settings", admin.get("/console/settings/public"), "短信验证码")
		wantStatus(t, "save", admin.post("/console/settings/public", url.Values{"verify_phone": {"1"}}), http.StatusSeeOther)
		s, err := f.db.PublicSettings(f.as(t, "admin"))
		if err != nil || !s.VerifyPhone {
			t.Errorf("settings = %+v, %v", s, err)
		}
		if res := f.loggedIn(t, "dqclerk").post("/console/settings/public", url.Values{}); res.Status != http.StatusForbidden {
			t.Errorf("clerk saves settings: %d", res.Status)
		}
	})
}
