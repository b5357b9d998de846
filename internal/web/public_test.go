package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/qr"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
	"lianluo/internal/web"
)

// The online station's pages, through HTTP against a real store
// with the storetest World: 北仑区, station A in 大碶 with DeputyA1 (whose
// private phone is 13912345678) and a liaison (13800001111).

// publicWorld is the World with what the case workflow needs in town A
// (a leader, a unit and its handler, as internal/sqlstore's caseWorld),
// station A's public details and board, and the pages served over HTTP.
type publicWorld struct {
	*storetest.World
	UnitA *lianluo.Org
	srv   *httptest.Server
}

const (
	stationPhone = "0574-86881234"
	deputyPhone  = "13912345678" // DeputyA1's private number
	liaisonPhone = "13800001111" // station A's liaison
	publicURL    = "https://lianluo.example.cn"
)

func newPublicWorld(t *testing.T, db *sqlstore.DB) *publicWorld {
	t.Helper()
	w := &publicWorld{World: storetest.MustWorld(t, db)}
	ctx := storetest.SystemContext()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.UnitA = &lianluo.Org{Kind: "unit", Name: "大碶街道办事处", RegionCode: "330206004"}
	must(db.CreateOrg(ctx, w.UnitA))
	for _, u := range []*lianluo.User{
		{Username: "leadera", DisplayName: "大碶人大主任", Roles: []lianluo.Grant{{Role: "npc_leader", OrgID: &w.TownA.ID}}},
		{Username: "unita", DisplayName: "街道办经办人", Roles: []lianluo.Grant{{Role: "unit_handler", OrgID: &w.UnitA.ID}}},
	} {
		u.Password = storetest.Password
		storetest.MustCreateUser(t, db, ctx, u)
		w.Users[u.Username] = u
	}
	s, err := db.FindStationByID(ctx, w.StationA.ID)
	must(err)
	phone, hours := stationPhone, "工作日 8:30—11:30，13:30—17:00"
	_, err = db.UpdateStation(ctx, s.ID, lianluo.StationUpdate{Version: s.Version, Phone: &phone, OpeningHours: &hours,
		Board: &lianluo.StationBoard{
			Intro:    "大碶街道人大代表中心联络站设在街道便民服务中心二楼，是代表联系群众的固定场所。",
			Duties:   "听取群众意见建议；组织代表接待选民；督促有关部门办理群众反映的问题。",
			Rules:    "每月15日为代表接待日，代表轮流进站接待选民。",
			Schedule: "每月15日上午9:00—11:30，代表轮流进站接待",
		}})
	must(err)
	d, err := db.FindDeputyByID(ctx, w.DeputyA1.ID)
	must(err)
	unit, party, bio := "大碶街道某某股份经济合作社 社长", "中共党员", "长期在基层工作，关注老旧小区改造和养老服务。"
	_, err = db.UpdateDeputy(ctx, d.ID, lianluo.DeputyUpdate{Version: d.Version, WorkUnit: &unit, Party: &party, Bio: &bio})
	must(err)
	pages, err := web.New(web.Config{Services: db.Services(), Logger: slog.New(slog.DiscardHandler), Now: db.Now, PublicURL: publicURL})
	must(err)
	w.srv = httptest.NewServer(server.New(server.Config{Services: db.Services(), DB: db, Logger: slog.New(slog.DiscardHandler), Pages: pages}))
	t.Cleanup(w.srv.Close)
	return w
}

func eachPublic(t *testing.T, fn func(t *testing.T, w *publicWorld)) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) { fn(t, newPublicWorld(t, db)) })
}

func (w *publicWorld) client(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: w.srv.URL, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (w *publicWorld) staff(t *testing.T, username string) *client {
	t.Helper()
	c := w.client(t)
	res := c.post("/console/login", url.Values{"username": {username}, "password": {storetest.Password}})
	wantStatus(t, "login "+username, res, http.StatusSeeOther)
	return c
}

// photoPNG is a small picture, as a phone would send (only smaller).
func photoPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for x := range 8 {
		for y := range 6 {
			img.Set(x, y, color.RGBA{uint8(30 * x), 120, uint8(40 * y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type photoFile struct {
	name string
	data []byte
}

// postMultipart posts fields and photos as a browser posts the submit form.
func (c *client) postMultipart(path string, fields url.Values, files ...photoFile) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := mw.CreateFormFile("photos", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func (w *publicWorld) opinion(title string) url.Values {
	return url.Values{
		"station_id": {strconv.FormatInt(w.StationA.ID, 10)},
		"title":      {title},
		"content":    {title + "，已经一个多月了，晚上老人出门不安全，希望尽快修好。"},
		"category":   {"道路照明"},
		"location":   {"庐山西路口"},
		"name":       {"张三"},
		"phone":      {"13912340000"},
		"consent":    {"1"},
		"website":    {""},
	}
}

var receiptCodeRe = regexp.MustCompile(`id="receipt-code">([A-Z0-9]+)<`)

// followed is the page a 303 leads to, fetched as a browser would
// (Post/Redirect/Get): the response must be a 303 to want.
func followed(t *testing.T, c *client, what string, res response, want string) response {
	t.Helper()
	wantStatus(t, what, res, http.StatusSeeOther)
	if got := res.Header.Get("Location"); got != want {
		t.Fatalf("%s: Location = %q; want %q", what, got, want)
	}
	return c.get(want)
}

// submitted posts the submit form and returns the receipt it redirects to.
func submitted(t *testing.T, c *client, form url.Values, files ...photoFile) response {
	t.Helper()
	res := followed(t, c, "submit "+form.Get("title"), c.postMultipart("/submit", form, files...), "/submit/done")
	wantStatus(t, "receipt "+form.Get("title"), res, http.StatusOK)
	return res
}

// submitOK submits an opinion and returns its tracking code.
func submitOK(t *testing.T, c *client, form url.Values, files ...photoFile) string {
	t.Helper()
	res := submitted(t, c, form, files...)
	m := receiptCodeRe.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("receipt without a code:\n%s", clip(res.Body))
	}
	return m[1]
}

// onlineCases counts the opinions that came in online.
func (w *publicWorld) onlineCases(t *testing.T) []*lianluo.Case {
	t.Helper()
	cs, _, err := w.DB.FindCases(w.As(t, "admin"), lianluo.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*lianluo.Case
	for _, c := range cs {
		if c.Channel == "online" {
			out = append(out, c)
		}
	}
	return out
}

// caseOf finds the case of a tracking code, as the office sees it.
func (w *publicWorld) caseOf(t *testing.T, code string) *lianluo.Case {
	t.Helper()
	for _, c := range w.onlineCases(t) {
		if c.TrackingCode == code {
			full, err := w.DB.FindCaseByID(w.As(t, "admin"), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return full
		}
	}
	t.Fatalf("no case with code %s", code)
	return nil
}

// feedBack drives a case to 待满意度测评 the way staff do: triage forward,
// approve, sign, reply, feedback (internal/sqlstore's case_test.go path).
func (w *publicWorld) feedBack(t *testing.T, code, answer string) *lianluo.Case {
	t.Helper()
	c := w.caseOf(t, code)
	step := func(user string, action lianluo.WorkflowAction, in lianluo.CaseAction) {
		t.Helper()
		in.Version = c.Version
		got, err := w.DB.Act(w.As(t, user), c.ID, action, in)
		if err != nil {
			t.Fatalf("%s %s in %s: %v", user, action, c.Status, err)
		}
		c = got
	}
	step("liaisona", "triage", lianluo.CaseAction{Outcome: "forward", Comment: "内部备注：周敏经手"})
	step("leadera", "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID})
	step("unita", "sign", lianluo.CaseAction{})
	step("unita", "reply", lianluo.CaseAction{Result: "A", Content: "已更换灯具。"})
	step("liaisona", "feedback", lianluo.CaseAction{Content: answer})
	return c
}

// wantPublicLayout checks a page is in the public layout, not the console's.
func wantPublicLayout(t *testing.T, what string, res response) {
	t.Helper()
	wantBody(t, what, res, `<html lang="zh-CN" class="pub`, "/static/public.css", `action="/prefs"`)
	wantNoBody(t, what, res, "/static/app.css", "{{", "<no value>", "ZgotmplZ", "%!")
}

func TestPublicPages(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(w.DB.SetDeputyPhoto(w.As(t, "admin"), w.DeputyA2.ID, photoPNG(t)))
		c := w.client(t)
		sid, did := strconv.FormatInt(w.StationA.ID, 10), strconv.FormatInt(w.DeputyA1.ID, 10)
		code := submitOK(t, w.client(t), w.opinion("路灯不亮"))
		for _, tc := range []struct {
			path string
			want []string
		}{
			{"/", []string{"网上代表联络站", "全天候", `href="/submit"`, `href="/track"`, `href="/results"`, `href="/console/login"`, "工作人员登录",
				"大碶街道", "小港街道", "个联络站", w.StationA.Name, w.StationB.Name, `class="hero"`}},
			{"/?region=330206004", []string{`aria-current="page">大碶街道`, w.StationA.Name, `name="region" value="330206004"`}},
			{"/?q=" + url.QueryEscape("小港"), []string{"“小港”的搜索结果", w.StationB.Name}},
			{"/stations/" + sid, []string{w.StationA.Name, "中心联络站", "大碶街道庐山西路1号",
				"https://uri.amap.com/search?keyword=" + strings.ToLower(url.QueryEscape("大碶街道庐山西路1号")), `href="tel:` + stationPhone,
				"工作日 8:30—11:30", "周敏", w.DeputyA1.Name, w.DeputyA2.Name, "北仑区人大代表", "宁波市人大代表、北仑区人大代表",
				"近期接待安排", "每月15日上午9:00—11:30", "联络站简介", "工作职责", "工作制度", "工作流程", "接访登记", "存档",
				`href="/submit?station=` + sid + `"`, "/stations/" + sid + "/qr.png", "/stations/" + sid + "/poster",
				fmt.Sprintf(`src="/deputies/%d/photo"`, w.DeputyA2.ID), `<span class="avatar avatar-initial" aria-hidden="true">王</span>`}},
			{"/stations/" + sid + "/poster", []string{w.StationA.Name, "扫码反映意见", `src="/stations/` + sid + `/qr.svg"`,
				publicURL + "/submit?station=" + sid, w.DeputyA1.Name, "宁波市人大代表、北仑区人大代表", "每月15日上午9:00—11:30",
				"大碶街道庐山西路1号", stationPhone, "用浏览器的打印功能", "poster-page"}},
			{"/deputies/" + did, []string{w.DeputyA1.Name, `<p class="dep-levels">北仑区人大代表</p>`, "北仑区人大代表，第十八届，选区：第3选区", "中共党员",
				"大碶街道某某股份经济合作社 社长", "老旧小区改造", `href="/stations/` + sid + `"`, `href="/submit?deputy=` + did + `"`,
				"给代表留言", `aria-hidden="true">王</span>`}},
			{"/submit?station=" + sid, []string{"我要反映", `name="station_id" value="` + sid + `"`, w.StationA.Name,
				"请写清楚什么事、在哪里、希望怎么解决", `accept="image/*"`, "multiple", `enctype="multipart/form-data"`,
				"不留手机号就收不到短信", "为我保密", lianluo.ConsentText, `name="website"`, `tabindex="-1"`, `autocomplete="off"`,
				"请勿填写", `<optgroup label="城乡建设">`, "其他城乡建设问题"}},
			{"/submit?deputy=" + did, []string{"给" + w.DeputyA1.Name + "代表留言", `name="deputy_id" value="` + did + `"`}},
			{"/submit", []string{`<select id="f-station_id" name="station_id"`, `<optgroup label="大碶街道">`, `<optgroup label="小港街道">`, w.StationB.Name}},
			{"/track", []string{"查询办理进度", `name="code"`, `name="tail"`, "未留手机号的不用填"}},
			{"/track/" + code, []string{"查询办理进度", `value="` + code + `"`}},
			{"/results", []string{"办理结果公开", `type="month"`, `<option value="330206004">大碶街道</option>`, "暂时还没有公开的办理结果"}},
		} {
			res := c.get(tc.path)
			wantStatus(t, tc.path, res, http.StatusOK)
			wantBody(t, tc.path, res, tc.want...)
			wantPublicLayout(t, tc.path, res)
			for _, bad := range []string{"<style", "style=", "<script", "onclick=", "javascript:", deputyPhone, liaisonPhone} {
				if strings.Contains(res.Body, bad) {
					t.Errorf("%s contains %q", tc.path, bad)
				}
			}
		}

		// The portrait: its type, cached an hour; none is a public 404.
		res := c.get(fmt.Sprintf("/deputies/%d/photo", w.DeputyA2.ID))
		wantStatus(t, "photo", res, http.StatusOK)
		if got := res.Header.Get("Content-Type"); got != "image/png" {
			t.Errorf("photo Content-Type = %q", got)
		}
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=3600" {
			t.Errorf("photo Cache-Control = %q", got)
		}
		res = c.get("/deputies/" + did + "/photo")
		wantStatus(t, "no photo", res, http.StatusNotFound)
		wantPublicLayout(t, "no photo", res)
		// A town without stations.
		res = c.get("/?region=330206005")
		wantStatus(t, "a town without stations", res, http.StatusNotFound)
		wantPublicLayout(t, "a town without stations", res)
	})
}

func TestPublicNotFound(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		ctx := storetest.SystemContext()
		s, err := w.DB.FindStationByID(ctx, w.StationB.ID)
		if err != nil {
			t.Fatal(err)
		}
		off := false
		if _, err := w.DB.UpdateStation(ctx, s.ID, lianluo.StationUpdate{Version: s.Version, Active: &off}); err != nil {
			t.Fatal(err)
		}
		c := w.client(t)
		for _, path := range []string{
			"/stations/999999", "/stations/abc", "/stations/0", fmt.Sprintf("/stations/%d", w.StationB.ID),
			fmt.Sprintf("/stations/%d/poster", w.StationB.ID), "/stations/999999/qr.png", "/stations/999999/qr.svg",
			"/deputies/999999", "/deputies/x", "/deputies/999999/qr.png", "/deputies/999999/photo",
			"/submit?station=999999", "/submit?deputy=abc",
		} {
			res := c.get(path)
			wantStatus(t, path, res, http.StatusNotFound)
			wantPublicLayout(t, path, res)
			wantBody(t, path, res, "未找到", `href="/submit"`)
		}
		// An inactive station is not offered either.
		res := c.get("/")
		wantNoBody(t, "home", res, w.StationB.Name)
		wantNoBody(t, "submit", c.get("/submit"), w.StationB.Name)
	})
}

func TestPublicSubmit(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		c := w.client(t)
		// Refused submissions re-show the form with what was typed, the
		// summary on top, the message next to the field, and store nothing.
		for _, tc := range []struct {
			name   string
			change func(url.Values)
			files  []photoFile
			status int
			field  string // the field with the message, or "" for the summary only
			want   string
		}{
			{"no consent", func(f url.Values) { f.Del("consent") }, nil, http.StatusBadRequest, "consent", "请阅读并同意"},
			{"no title", func(f url.Values) { f.Set("title", "") }, nil, http.StatusBadRequest, "title", "请填写标题"},
			{"bad phone", func(f url.Values) { f.Set("phone", "12345") }, nil, http.StatusBadRequest, "phone", "格式不正确"},
			{"not a photo", nil, []photoFile{{"scan.jpg", []byte("%PDF-1.4 not a photo at all")}}, http.StatusBadRequest, "photos", "不是照片"},
			{"a good and a bad photo", nil, []photoFile{{"ok.png", photoPNG(t)}, {"virus.exe", []byte("MZ\x90\x00")}}, http.StatusBadRequest, "photos", "“virus.exe”不是照片"},
			{"too many photos", nil, []photoFile{{"1.png", photoPNG(t)}, {"2.png", photoPNG(t)}, {"3.png", photoPNG(t)}, {"4.png", photoPNG(t)},
				{"5.png", photoPNG(t)}, {"6.png", photoPNG(t)}, {"7.png", photoPNG(t)}}, http.StatusBadRequest, "photos", "最多上传6张照片"},
			{"a photo over 10 MB", nil, []photoFile{{"big.png", append(photoPNG(t), make([]byte, lianluo.MaxPhotoBytes)...)}}, http.StatusRequestEntityTooLarge, "photos", "照片太大"},
			{"honeypot", func(f url.Values) { f.Set("website", "http://spam.example") }, nil, http.StatusBadRequest, "", "提交未成功，请刷新页面后重新填写。"},
			{"unknown category", func(f url.Values) { f.Set("category", "不存在的类别") }, nil, http.StatusBadRequest, "category", "请从列表中选择问题类别"},
			{"no station", func(f url.Values) { f.Del("station_id") }, nil, http.StatusBadRequest, "station_id", "请选择要反映给哪个联络站"},
		} {
			form := w.opinion("菜场门口积水<b>严重</b>")
			if tc.change != nil {
				tc.change(form)
			}
			res := c.postMultipart("/submit", form, tc.files...)
			wantStatus(t, tc.name, res, tc.status)
			wantPublicLayout(t, tc.name, res)
			wantBody(t, tc.name, res, `class="alert" role="alert"`, tc.want)
			if tc.field != "" {
				if got := fieldErrors(res.Body)[tc.field]; !strings.Contains(got, tc.want) {
					t.Errorf("%s: error next to %s = %q; want %q (errors %v)", tc.name, tc.field, got, tc.want, fieldErrors(res.Body))
				}
				wantBody(t, tc.name, res, fmt.Sprintf(`aria-describedby="%s-error`, tc.field), fmt.Sprintf(`href="#%s-error"`, tc.field))
			}
			// What the voter typed is kept (escaped), except the honeypot.
			wantBody(t, tc.name, res, "菜场门口积水&lt;b&gt;严重&lt;/b&gt;", "已经一个多月了")
			if tc.name != "bad phone" {
				wantBody(t, tc.name, res, `value="13912340000"`)
			}
			wantNoBody(t, tc.name, res, "spam.example", "<b>严重")
			if cs := w.onlineCases(t); len(cs) != 0 {
				t.Fatalf("%s: stored %d cases", tc.name, len(cs))
			}
		}

		// Several mistakes: all of them at once, in the summary and by the fields.
		form := w.opinion("")
		form.Set("content", "")
		form.Del("consent")
		res := c.postMultipart("/submit", form, photoFile{"notes.txt", []byte("a text file, not a photo")})
		wantStatus(t, "several mistakes", res, http.StatusBadRequest)
		errs := fieldErrors(res.Body)
		for _, field := range []string{"title", "content", "photos", "consent"} {
			if errs[field] == "" {
				t.Errorf("several mistakes: no message next to %s (%v)", field, errs)
			}
			wantBody(t, "several mistakes", res, `<li><a href="#`+field+`-error">`)
		}
		if n := len(w.onlineCases(t)); n != 0 {
			t.Fatalf("several mistakes: stored %d cases", n)
		}

		// A good submission with a photo: 303 to the receipt, the photo kept.
		form = w.opinion("庐山西路路灯不亮")
		res = submitted(t, c, form, photoFile{"light.png", photoPNG(t)})
		wantPublicLayout(t, "receipt", res)
		wantBody(t, "receipt", res, "提交成功", "查询码", "截屏", "会发短信告诉您（139****0000）", "已上传 1 张照片", `href="/track/`)
		code := receiptCodeRe.FindStringSubmatch(res.Body)[1]
		cs := w.caseOf(t, code)
		if cs.StationID == nil || *cs.StationID != w.StationA.ID || !strings.HasSuffix(cs.Submitter.Phone, "0000") || cs.Category != "道路照明" {
			t.Errorf("stored case = %+v", cs)
		}
		atts, err := w.DB.FindAttachments(w.As(t, "admin"), cs.ID)
		if err != nil || len(atts) != 1 || atts[0].ContentType != "image/png" {
			t.Errorf("attachments = %v, %v; want the photo", atts, err)
		}
		// Reloading the receipt shows it again and stores nothing.
		again := c.get("/submit/done")
		wantStatus(t, "receipt again", again, http.StatusOK)
		if again.Body != res.Body {
			t.Errorf("the receipt changed on reload:\n%s\n----\n%s", clip(res.Body), clip(again.Body))
		}
		if n := len(w.onlineCases(t)); n != 1 {
			t.Errorf("after reloading the receipt: %d cases", n)
		}
		// The same again (a second tap): the same code, nothing new.
		res = submitted(t, c, form, photoFile{"light.png", photoPNG(t)})
		wantBody(t, "duplicate", res, "已经收到", code)
		if n := len(w.onlineCases(t)); n != 1 {
			t.Errorf("after a duplicate: %d cases", n)
		}
		if atts, _ := w.DB.FindAttachments(w.As(t, "admin"), cs.ID); len(atts) != 1 {
			t.Errorf("after a duplicate: %d photos", len(atts))
		}
		// Without a phone: no SMS, keep the code.
		form = w.opinion("公交站牌被撞坏")
		form.Del("phone")
		res = submitted(t, c, form)
		wantBody(t, "no phone", res, "不会收到短信")
		// To a deputy.
		form = w.opinion("想约代表谈谈加装电梯")
		form.Del("station_id")
		form.Set("deputy_id", strconv.FormatInt(w.DeputyA1.ID, 10))
		res = submitted(t, c, form)
		wantBody(t, "to a deputy", res, w.DeputyA1.Name+"代表")
		// Another browser (or the same after half an hour) gets no receipt, only the way to track.
		res = w.client(t).get("/submit/done")
		wantStatus(t, "receipt elsewhere", res, http.StatusOK)
		wantBody(t, "receipt elsewhere", res, "提交回执只在提交后半小时内显示", `action="/track"`)
		wantNoBody(t, "receipt elsewhere", res, `id="receipt-code"`)
	})
}

func TestPublicSubmitRateLimit(t *testing.T) {
	t.Parallel()
	w := newPublicWorld(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := w.client(t)
	for i := range 10 {
		form := w.opinion(fmt.Sprintf("第%d件事", i+1))
		form.Del("phone")
		res := c.postMultipart("/submit", form)
		wantStatus(t, fmt.Sprint("submission ", i+1), res, http.StatusSeeOther)
	}
	res := c.postMultipart("/submit", w.opinion("第十一件事"))
	wantStatus(t, "eleventh submission", res, http.StatusTooManyRequests)
	wantPublicLayout(t, "429", res)
	wantBody(t, "429", res, "提交太频繁了", "第十一件事")
}

func TestPublicVerifyCode(t *testing.T) {
	t.Parallel()
	w := newPublicWorld(t, storetest.MustOpen(t, sqlstore.SQLite))
	if err := w.DB.UpdatePublicSettings(w.As(t, "admin"), lianluo.PublicSettings{VerifyPhone: true}); err != nil {
		t.Fatal(err)
	}
	c := w.client(t)
	res := c.get(fmt.Sprintf("/submit?station=%d", w.StationA.ID))
	wantBody(t, "form", res, `name="verify_code"`, `formaction="/submit/code"`, "获取验证码", `class="default-submit"`)
	// 获取验证码 posts the fields without the photos and gets them all back.
	form := w.opinion("小区门口路灯不亮")
	form.Set("photos", "light.jpg")
	res = c.post("/submit/code", form)
	wantStatus(t, "send code", res, http.StatusOK)
	wantBody(t, "send code", res, "验证码已发送到 139****0000", `value="小区门口路灯不亮"`, `value="13912340000"`, "请重新选择", `checked`)
	res = c.post("/submit/code", form)
	wantStatus(t, "send again at once", res, http.StatusTooManyRequests)
	wantBody(t, "send again at once", res, "1分钟后")
	form.Set("phone", "1391234")
	res = c.post("/submit/code", form)
	wantStatus(t, "bad phone", res, http.StatusBadRequest)
	if got := fieldErrors(res.Body)["phone"]; got == "" {
		t.Errorf("bad phone: no error next to the field: %v", fieldErrors(res.Body))
	}
	// Submitting without the code is refused next to the code field.
	res = c.postMultipart("/submit", w.opinion("小区门口路灯不亮"))
	wantStatus(t, "no code", res, http.StatusBadRequest)
	if got := fieldErrors(res.Body)["verify_code"]; !strings.Contains(got, "验证码") {
		t.Errorf("no code: errors %v", fieldErrors(res.Body))
	}
	res = c.postMultipart("/submit", func() url.Values {
		f := w.opinion("小区门口路灯不亮")
		f.Set("verify_code", "000000")
		return f
	}())
	wantStatus(t, "wrong code", res, http.StatusBadRequest)
	if n := len(w.onlineCases(t)); n != 0 {
		t.Errorf("stored %d cases without a right code", n)
	}
}

var trackCodeRe = regexp.MustCompile(`value="[A-Z0-9]{10}"`)

func TestPublicTrack(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		c := w.client(t)
		code := submitOK(t, c, w.opinion("路灯不亮<script>alert(1)</script>"))

		// A wrong code and a wrong tail get the same 404 page.
		wrongTail := c.post("/track", url.Values{"code": {code}, "tail": {"0001"}})
		wrongCode := c.post("/track", url.Values{"code": {"ABCDEFGHJK"}, "tail": {"0000"}})
		for name, res := range map[string]response{"wrong tail": wrongTail, "wrong code": wrongCode} {
			wantStatus(t, name, res, http.StatusNotFound)
			wantPublicLayout(t, name, res)
			wantBody(t, name, res, "没有找到这条意见。请核对查询码和手机号后四位。")
		}
		if a, b := trackCodeRe.ReplaceAllString(wrongTail.Body, ""), trackCodeRe.ReplaceAllString(wrongCode.Body, ""); a != b {
			t.Errorf("a wrong tail and a wrong code answer differently:\n%s\n----\n%s", clip(a), clip(b))
		}
		// /track/{code} for an opinion with a phone shows the same form as for no opinion at all.
		// (A browser other than the one that submitted: that one keeps the tail for a while.)
		other := w.client(t)
		withPhone, none := other.get("/track/"+code), other.get("/track/ABCDEFGHJK")
		wantStatus(t, "link, phone given", withPhone, http.StatusOK)
		wantStatus(t, "link, no such code", none, http.StatusOK)
		if a, b := trackCodeRe.ReplaceAllString(withPhone.Body, ""), trackCodeRe.ReplaceAllString(none.Body, ""); a != b {
			t.Errorf("/track/{code} tells a code exists:\n%s\n----\n%s", clip(a), clip(b))
		}
		wantNoBody(t, "link, phone given", withPhone, "路灯不亮")
		// A tail cookie made up by a stranger is checked like a typed tail.
		u, _ := url.Parse(w.srv.URL + "/track/" + code)
		other.hc.Jar.SetCookies(u, []*http.Cookie{{Name: "lianluo_track", Value: "0001", Path: "/track/" + code}})
		forged := other.get("/track/" + code)
		wantStatus(t, "forged tail", forged, http.StatusOK)
		wantNoBody(t, "forged tail", forged, "路灯不亮")
		if a, b := trackCodeRe.ReplaceAllString(forged.Body, ""), trackCodeRe.ReplaceAllString(none.Body, ""); a != b {
			t.Errorf("a forged tail answers differently from no opinion:\n%s\n----\n%s", clip(a), clip(b))
		}
		// The right code (typed loosely) and tail: the opinion, its text escaped.
		res := followed(t, c, "track", c.post("/track", url.Values{"code": {strings.ToLower(code[:5]) + " " + code[5:]}, "tail": {"0000"}}), "/track/"+code)
		wantStatus(t, "track", res, http.StatusOK)
		wantPublicLayout(t, "track", res)
		wantBody(t, "track", res, "已收到，等待工作人员梳理", `aria-current="step"`, "已提交", "受理", "办理", "答复",
			"意见已登记", "路灯不亮&lt;script&gt;alert(1)&lt;/script&gt;", "补充照片", `name="tail" value="0000"`, `aria-live="polite"`)
		wantNoBody(t, "track", res, "<script>alert(1)", "请您评价办理结果", "13912340000")
		if strings.Contains(res.Header.Get("Location")+res.Body, "tail=0000") {
			t.Errorf("the tail is in an address")
		}
		// Bad input next to its field.
		res = c.post("/track", url.Values{"code": {""}, "tail": {"12"}})
		wantStatus(t, "no code", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["code"]; got == "" {
			t.Errorf("no code: %v", fieldErrors(res.Body))
		}

		// Photos may be added while the opinion is new; a bad one stores nothing.
		path := "/track/" + code + "/photos"
		res = c.postMultipart(path, url.Values{"tail": {"0000"}}, photoFile{"a.png", photoPNG(t)}, photoFile{"b.txt", []byte("hello, not a photo")})
		wantStatus(t, "a bad photo", res, http.StatusBadRequest)
		wantBody(t, "a bad photo", res, "不是照片", "照片</dt><dd>没有")
		res = c.postMultipart(path, url.Values{"tail": {"9999"}}, photoFile{"a.png", photoPNG(t)})
		wantStatus(t, "photo, wrong tail", res, http.StatusNotFound)
		res = followed(t, c, "add a photo", c.postMultipart(path, url.Values{"tail": {"0000"}}, photoFile{"a.png", photoPNG(t)}), "/track/"+code+"?ok=photos&n=1")
		wantStatus(t, "add a photo", res, http.StatusOK)
		wantBody(t, "add a photo", res, "已补充 1 张照片", "照片</dt><dd>1 张")

		// A rating before the answer is refused and stores nothing.
		rate := "/track/" + code + "/rating"
		res = c.post(rate, url.Values{"tail": {"0000"}, "rating": {"satisfied"}})
		wantStatus(t, "rating before the answer", res, http.StatusConflict)
		wantBody(t, "rating before the answer", res, "向您反馈办理结果后才能评价")
		if cs := w.caseOf(t, code); len(cs.Ratings) != 0 {
			t.Errorf("ratings before the answer: %v", cs.Ratings)
		}
		res = c.post(rate, url.Values{"tail": {"1234"}, "rating": {"satisfied"}})
		wantStatus(t, "rating, wrong tail", res, http.StatusNotFound)

		// Staff work the case; nothing of theirs reaches the voter's page.
		w.feedBack(t, code, "路灯已修好，请您查看。")
		res = followed(t, c, "answered", c.post("/track", url.Values{"code": {code}, "tail": {"0000"}}), "/track/"+code)
		wantStatus(t, "answered", res, http.StatusOK)
		wantBody(t, "answered", res, "已答复，请您评价办理结果", "路灯已修好，请您查看。", "请您评价办理结果",
			`value="satisfied"`, `value="basically_satisfied"`, `value="unsatisfied"`, "已交由大碶街道办事处办理")
		// The unit's answer, with its result in words, and the feedback, each under its own heading.
		wantBody(t, "answered", res, `<h2 id="reply-h">承办单位答复</h2>`, `<span class="reply-unit">大碶街道办事处</span>`,
			`<span class="tag tag-ok" id="op-result">已解决或基本解决</span>`, `<p class="prewrap" id="op-reply">已更换灯具。</p>`,
			`<h2 id="ans-h">给您的反馈</h2>`, `<p class="prewrap" id="op-answer">路灯已修好，请您查看。</p>`)
		wantNoBody(t, "answered", res, "内部备注", "周敏", "街道办经办人", "大碶联络员", "补充照片")
		res = c.post(rate, url.Values{"tail": {"0000"}, "rating": {"great"}})
		wantStatus(t, "bad rating", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["rating"]; got == "" {
			t.Errorf("bad rating: %v", fieldErrors(res.Body))
		}
		res = followed(t, c, "rate", c.post(rate, url.Values{"tail": {"0000"}, "rating": {"satisfied"}, "comment": {"修得很快<i>谢谢</i>"}}), "/track/"+code+"?ok=rated")
		wantStatus(t, "rate", res, http.StatusOK)
		wantBody(t, "rate", res, "谢谢您的评价", `<strong class="rating-name">满意</strong>`, "修得很快&lt;i&gt;谢谢&lt;/i&gt;", ">已办结<")
		wantNoBody(t, "rate", res, "请您评价办理结果")
		res = c.post(rate, url.Values{"tail": {"0000"}, "rating": {"unsatisfied"}})
		wantStatus(t, "rate twice", res, http.StatusConflict)
		wantBody(t, "rate twice", res, "您已经评价过了")
	})
}

// Nothing a voter types can run in a staff page either.
func TestPublicTextEscapedForStaff(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		form := w.opinion("<script>alert('标题')</script>")
		form.Set("content", `<img src=x onerror="alert(1)">反映内容<script>alert(2)</script>`)
		form.Set("location", `"><script>alert(3)</script>`)
		form.Set("name", "<b>张三</b>")
		code := submitOK(t, w.client(t), form)
		cs := w.caseOf(t, code)
		res := w.staff(t, "officea").get(fmt.Sprintf("/console/cases/%d", cs.ID))
		wantStatus(t, "staff case page", res, http.StatusOK)
		wantBody(t, "staff case page", res, "&lt;script&gt;alert(", "&lt;img src=x onerror=")
		for _, bad := range []string{"<script>alert", "<img src=x", "<b>张三"} {
			if strings.Contains(res.Body, bad) {
				t.Errorf("the staff case page carries %q unescaped", bad)
			}
		}
	})
}

func TestPublicResults(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		c := w.client(t)
		code := submitOK(t, c, w.opinion("庐山西路路灯不亮"))
		cs := w.feedBack(t, code, "已更换灯具，已电话告知张三。")
		if _, err := w.DB.PublishCase(w.As(t, "officea"), cs.ID, lianluo.PublishInput{Version: cs.Version, Published: true,
			Answer: "已更换灯具。如有问题请拨打13800138000。"}); err != nil {
			t.Fatal(err)
		}
		res := c.get("/results")
		wantStatus(t, "results", res, http.StatusOK)
		wantBody(t, "results", res, "共 1 条办理结果", "庐山西路路灯不亮", "道路照明", "大碶街道", w.StationA.Name, "张*",
			"已解决或基本解决", "138****8000", "2026年3月2日")
		wantNoBody(t, "results", res, "13800138000", "张三")
		for _, tc := range []struct {
			query string
			n     int
		}{
			{"?region=330206004", 1}, {"?region=330206003", 0}, {"?category=" + url.QueryEscape("城乡建设"), 1},
			{"?category=" + url.QueryEscape("教育"), 0}, {"?month=2026-03", 1}, {"?month=2026-02", 0},
		} {
			res := c.get("/results" + tc.query)
			wantStatus(t, tc.query, res, http.StatusOK)
			wantBody(t, tc.query, res, fmt.Sprintf("共 %d 条办理结果", tc.n))
		}
		res = c.get("/results?month=March")
		wantStatus(t, "bad month", res, http.StatusBadRequest)
		if got := fieldErrors(res.Body)["month"]; got == "" {
			t.Errorf("bad month: %v", fieldErrors(res.Body))
		}
	})
}

func TestPublicQR(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		c := w.client(t)
		for _, tc := range []struct{ path, target string }{
			{fmt.Sprintf("/stations/%d/qr", w.StationA.ID), fmt.Sprintf("%s/submit?station=%d", publicURL, w.StationA.ID)},
			{fmt.Sprintf("/deputies/%d/qr", w.DeputyA1.ID), fmt.Sprintf("%s/submit?deputy=%d", publicURL, w.DeputyA1.ID)},
		} {
			want, err := qr.Encode(tc.target)
			if err != nil {
				t.Fatal(err)
			}
			res := c.get(tc.path + ".png")
			wantStatus(t, tc.path+".png", res, http.StatusOK)
			if got := res.Header.Get("Content-Type"); got != "image/png" {
				t.Errorf("%s.png Content-Type = %q", tc.path, got)
			}
			img, err := png.Decode(strings.NewReader(res.Body))
			if err != nil || img.Bounds().Dx() < 200 {
				t.Errorf("%s.png does not decode as a PNG of a usable size: %v", tc.path, err)
			}
			if res.Body != string(want.PNG(10)) {
				t.Errorf("%s.png is not the code of %s", tc.path, tc.target)
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=86400" {
				t.Errorf("%s.png Cache-Control = %q", tc.path, got)
			}
			res = c.get(tc.path + ".svg")
			wantStatus(t, tc.path+".svg", res, http.StatusOK)
			if got := res.Header.Get("Content-Type"); got != "image/svg+xml" {
				t.Errorf("%s.svg Content-Type = %q", tc.path, got)
			}
			if res.Body != string(want.SVG()) {
				t.Errorf("%s.svg is not the code of %s", tc.path, tc.target)
			}
		}
	})
}

func TestPublicURLFromRequest(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	w := storetest.MustWorld(t, db)
	h, err := web.New(web.Config{Services: db.Services(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", fmt.Sprintf("http://station.local:8080/stations/%d/qr.svg", w.StationA.ID), nil)
	r = r.WithContext(lianluo.NewContextWithClientAddr(context.Background(), "192.0.2.1"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	want, _ := qr.Encode(fmt.Sprintf("http://station.local:8080/submit?station=%d", w.StationA.ID))
	if rec.Code != http.StatusOK || rec.Body.String() != string(want.SVG()) {
		t.Errorf("QR without PublicURL: %d; want the code of the request's own address", rec.Code)
	}
	if got := rec.Header().Get("Cache-Control"); got != "private, max-age=86400" {
		t.Errorf("QR from the Host header: Cache-Control = %q; want private", got)
	}
}

func TestPublicPrefs(t *testing.T) {
	t.Parallel()
	w := newPublicWorld(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := w.client(t)
	for _, tc := range []struct{ back, want string }{
		{"/stations/1?x=1", "/stations/1?x=1"},
		{"/", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"", "/"},
	} {
		res := c.post("/prefs", url.Values{"toggle": {"large"}, "back": {tc.back}})
		wantStatus(t, "prefs back="+tc.back, res, http.StatusSeeOther)
		if got := res.Header.Get("Location"); got != tc.want {
			t.Errorf("prefs back=%q: Location = %q; want %q", tc.back, got, tc.want)
		}
	}
	// An odd number of toggles above: large text is on.
	res := c.get("/")
	wantBody(t, "large", res, `class="pub t-large"`, `value="large" aria-pressed="true"`)
	c.post("/prefs", url.Values{"toggle": {"contrast"}, "back": {"/"}})
	wantBody(t, "large and contrast", c.get("/track"), `class="pub t-large t-contrast"`)
	c.post("/prefs", url.Values{"toggle": {"large"}, "back": {"/"}})
	c.post("/prefs", url.Values{"toggle": {"contrast"}, "back": {"/"}})
	wantBody(t, "both off", c.get("/"), `class="pub"`, `value="large" aria-pressed="false"`)
	// From another site, the switch is refused (cross-origin protection).
	res = c.post("/prefs", url.Values{"toggle": {"large"}, "back": {"/"}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	wantStatus(t, "cross-site prefs", res, http.StatusForbidden)
}

// TestPublicWeight keeps every public page far from 200 KB before images,
// for cheap phones on weak connections, and reports the sizes.
func TestPublicWeight(t *testing.T) {
	t.Parallel()
	w := newPublicWorld(t, storetest.MustOpen(t, sqlstore.SQLite))
	c := w.client(t)
	code := submitOK(t, c, func() url.Values { f := w.opinion("路灯不亮"); f.Del("phone"); return f }())
	css := c.get("/static/public.css")
	wantStatus(t, "public.css", css, http.StatusOK)
	const limit = 200 << 10
	for _, path := range []string{
		"/", fmt.Sprintf("/stations/%d", w.StationA.ID), fmt.Sprintf("/stations/%d/poster", w.StationA.ID),
		fmt.Sprintf("/deputies/%d", w.DeputyA1.ID), "/submit", fmt.Sprintf("/submit?station=%d", w.StationA.ID),
		"/track", "/track/" + code, "/results", "/stations/999",
	} {
		res := c.get(path)
		total := len(res.Body) + len(css.Body)
		t.Logf("%-28s HTML %6d B + public.css %5d B = %6d B", path, len(res.Body), len(css.Body), total)
		if total > limit/4 {
			t.Errorf("%s weighs %d bytes with its CSS; keep it far under %d", path, total, limit)
		}
	}
}

// TestPublicStationRota: the station page and its poster list the coming
// sessions of the published rota, never a draft.
func TestPublicStationRota(t *testing.T) {
	t.Parallel()
	eachPublic(t, func(t *testing.T, w *publicWorld) {
		office := w.As(t, "admin")
		if err := w.DB.CreateReceptionRule(office, &lianluo.ReceptionRule{StationID: w.StationA.ID,
			RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Start: "09:00", End: "11:00", Form: "theme", Theme: "老旧小区改造"}); err != nil {
			t.Fatal(err)
		}
		year := w.DB.Now().In(lianluo.Beijing).Year()
		if _, err := w.DB.GenerateRota(office, w.StationA.ID, year); err != nil {
			t.Fatal(err)
		}
		c := w.client(t)
		sid := strconv.FormatInt(w.StationA.ID, 10)
		res := c.get("/stations/" + sid)
		wantStatus(t, "draft rota", res, http.StatusOK)
		wantNoBody(t, "draft rota", res, "接待代表：", "主题接待：老旧小区改造")
		if _, err := w.DB.PublishRota(office, w.StationA.ID, year); err != nil {
			t.Fatal(err)
		}
		res = c.get("/stations/" + sid)
		wantBody(t, "published rota", res, "接待代表：", "主题接待：老旧小区改造", "09:00–11:00")
		if n := strings.Count(res.Body, `<p class="s-deps">`); n < 1 || n > 6 {
			t.Errorf("station page lists %d sessions; want 1 to 6", n)
		}
		wantBody(t, "poster", c.get("/stations/"+sid+"/poster"), `class="poster-sessions"`, "09:00–11:00")
	})
}
