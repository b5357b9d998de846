package web_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func sigPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 120))
	for x := 10; x < 290; x++ {
		img.Set(x, 60, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func diaryForm(voter string) url.Values {
	return url.Values{"visited_at": {"2026-03-01T15:00"}, "place": {"灵峰社区3号楼"}, "voter_name": {voter},
		"voter_phone": {"13905741234"}, "voter_address": {"灵峰社区3号楼2单元501室"}, "content": {"楼道灯坏了一个月。"},
		"handling": {"请物业一周内修复。"}, "category": {"小区物业"}}
}

func TestDiaryPages(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		dep := f.loggedIn(t, "wangxy")
		res := dep.get("/console/diary")
		wantStatus(t, "diary list", res, http.StatusOK)
		wantBody(t, "diary list", res, "我的2026年3月", "本月还差 <strong>5</strong> 篇", `href="/console/diary/new"`)

		res = dep.get("/console/diary/new")
		wantStatus(t, "new entry form", res, http.StatusOK)
		wantBody(t, "new entry form", res, `type="datetime-local"`, `name="voter_phone"`, `<optgroup label="城乡建设">`)

		// Bad input: the field's error, and nothing saved.
		bad := diaryForm("")
		res = dep.post("/console/diary/new", bad)
		wantStatus(t, "entry without voter", res, http.StatusBadRequest)
		if msg := fieldErrors(res.Body)["voter_name"]; !strings.Contains(msg, "选民姓名") {
			t.Errorf("voter_name error = %q", msg)
		}
		wantBody(t, "entry without voter", res, "灵峰社区3号楼") // the input is kept
		if res := dep.get("/console/diary"); !strings.Contains(res.Body, "这个月还没有记录") {
			t.Errorf("bad input saved an entry")
		}

		res = dep.post("/console/diary/new", diaryForm("张桂芳"))
		wantStatus(t, "create entry", res, http.StatusSeeOther)
		id := idFromLocation(t, res, "/console/diary/")
		path := fmt.Sprintf("/console/diary/%d", id)
		res = dep.get(path + "?ok=created")
		wantBody(t, "entry", res, "请选民确认", "sig-canvas", `name="signature_file"`, "发送验证码到选民手机 13905741234", "转为群众意见")

		// Staff read it masked, and cannot confirm it.
		clerk := f.loggedIn(t, "dqclerk")
		res = clerk.get(path)
		wantStatus(t, "clerk reads", res, http.StatusOK)
		wantBody(t, "clerk reads", res, "139****1234", "查看选民联系方式")
		wantNoBody(t, "clerk reads", res, "13905741234", "sig-canvas")
		// The system administrator reads it masked and is offered no reveal (三员分立).
		res = f.loggedIn(t, "admin").get(path)
		wantStatus(t, "admin reads", res, http.StatusOK)
		wantBody(t, "admin reads", res, "139****1234")
		wantNoBody(t, "admin reads", res, "13905741234", path+"/reveal")
		if res := f.loggedIn(t, "dqunit").get(path); res.Status != http.StatusNotFound && res.Status != http.StatusForbidden {
			t.Errorf("unit handler reads a diary: %d", res.Status)
		}

		// A wrong code, then a signature that is not a PNG, then a good one.
		wantStatus(t, "send code", dep.post(path+"/code", url.Values{}), http.StatusSeeOther)
		res = dep.post(path+"/confirm", url.Values{"code": {"12"}})
		wantStatus(t, "malformed code", res, http.StatusBadRequest)
		wantBody(t, "malformed code", res, "6位数字")
		res = dep.uploadField(path+"/sign", "signature_file", "sig.png", []byte("GIF89a not a png"))
		wantStatus(t, "signature not a PNG", res, http.StatusBadRequest)
		wantBody(t, "signature not a PNG", res, "签名须为PNG图片")
		res = dep.post(path+"/sign", url.Values{"signature": {"data:image/png;base64," + base64.StdEncoding.EncodeToString(sigPNG(t))}})
		wantStatus(t, "sign", res, http.StatusSeeOther)
		res = dep.get(path)
		wantBody(t, "confirmed entry", res, "选民已确认", "选民手写签名", path+"/signature.png")
		wantNoBody(t, "confirmed entry", res, "sig-canvas", path+"/edit")
		if res := dep.get(path + "/edit"); res.Status != http.StatusConflict {
			t.Errorf("edit form of a confirmed entry: %d", res.Status)
		}
		if res := dep.get(path + "/signature.png"); res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("signature image: %d %s", res.Status, res.Header.Get("Content-Type"))
		}

		// To a case once.
		wantStatus(t, "to case", dep.post(path+"/case", url.Values{}), http.StatusSeeOther)
		res = dep.get(path + "?ok=case")
		wantBody(t, "entry with case", res, "已转为群众意见", "/console/cases/")
		res = clerk.post(path+"/case", url.Values{})
		wantStatus(t, "to case twice", res, http.StatusConflict)
		wantBody(t, "to case twice", res, "不能重复转交")

		// The office's table.
		res = clerk.get("/console/diary?month=2026-03")
		wantStatus(t, "office diary table", res, http.StatusOK)
		wantBody(t, "office diary table", res, "代表民情日记情况（2026年3月）", "王秀英", "李建国", "本月差4篇")
		wantNoBody(t, "office diary table", res, "陈海波")
	})
}

func TestMailboxPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f, clk := clockedFixture(t, db)
		liaison := f.loggedIn(t, "dqliaison")
		box := fmt.Sprintf("/console/stations/%d/mailbox", f.dqStation.ID)
		res := liaison.get(box)
		wantStatus(t, "mailbox", res, http.StatusOK)
		wantBody(t, "mailbox", res, "尚无开箱记录", `name="letters[2].content"`)

		form := url.Values{"rows": {"3"}, "opened_at": {"2026-03-02T09:00"}, "opened_by": {"王秀英、周敏"},
			"letters[0].content": {"夜间货车噪声大。"}, "letters[0].writer_name": {"赵大海"}, "letters[0].writer_phone": {"13805745678"},
			"letters[1].writer_name": {"钱某"}, // a name without content
		}
		res = liaison.post(box, form)
		wantStatus(t, "letter without content", res, http.StatusBadRequest)
		wantBody(t, "letter without content", res, "第2封来信的内容", "夜间货车噪声大。")
		form.Set("letters[1].content", "人行道被占用停车。")
		form.Set("letters[1].anonymous", "1")
		res = liaison.post(box, form)
		wantStatus(t, "record opening", res, http.StatusSeeOther)
		res = liaison.get(box)
		wantBody(t, "mailbox log", res, "开箱人：王秀英、周敏", "来信2封", "138****5678", "匿名", "转为群众意见")
		wantNoBody(t, "mailbox log", res, "13805745678", "钱某")

		list, _, err := db.FindOpenings(storetest.SystemContext(), f.dqStation.ID, lianluo.Page{})
		if err != nil || len(list) != 1 {
			t.Fatalf("openings = %v, %v", list, err)
		}
		letter := fmt.Sprintf("/console/mailbox/letters/%d/case", list[0].Letters[0].ID)
		wantStatus(t, "letter to case", liaison.post(letter, url.Values{}), http.StatusSeeOther)
		wantStatus(t, "letter to case twice", liaison.post(letter, url.Values{}), http.StatusConflict)

		// Another town's box is not found.
		clerk := f.loggedIn(t, "dqclerk")
		if res := clerk.get(fmt.Sprintf("/console/stations/%d/mailbox", f.xgStation.ID)); res.Status != http.StatusNotFound {
			t.Errorf("another town's mailbox: %d", res.Status)
		}

		// Eight days later the box is overdue.
		clk.set("2026-03-10 10:00")
		liaison, clerk = f.loggedIn(t, "dqliaison"), f.loggedIn(t, "dqclerk") // the sessions expired meanwhile
		res = liaison.get(box)
		wantBody(t, "overdue mailbox", res, "信箱已 <strong>8</strong> 天未开启")
		res = clerk.get("/console/mailbox")
		wantBody(t, "mailbox list", res, "超期未开启", "超过7天未开启", "本辖区季度汇总")
		// The station's own page says so too.
		station := fmt.Sprintf("/console/stations/%d", f.dqStation.ID)
		wantBody(t, "station page", clerk.get(station), "代表信箱已8天未开启", fmt.Sprintf(`href="/console/stations/%d/mailbox"`, f.dqStation.ID))
		// Without a choice, an office's summary is of its whole region.
		wantBody(t, "default summary", clerk.get("/console/mailbox/summary?quarter=2026Q1"), "大碶街道代表信箱来信汇总")
		res = clerk.get("/console/mailbox/summary?region=330206004&quarter=2026Q1")
		wantStatus(t, "region summary", res, http.StatusOK)
		wantBody(t, "region summary", res, "大碶街道代表信箱来信汇总", "<strong>2</strong>")

		res = clerk.get(fmt.Sprintf("/console/mailbox/summary?station_id=%d&quarter=2026Q1", f.dqStation.ID))
		wantStatus(t, "summary", res, http.StatusOK)
		wantBody(t, "summary", res, "2026年第一季度", "群众反映问题及解决情况清单", "赵**", "待梳理")
		if res := clerk.get(fmt.Sprintf("/console/mailbox/summary?station_id=%d&quarter=2026Q9", f.dqStation.ID)); res.Status != http.StatusBadRequest {
			t.Errorf("bad quarter: %d", res.Status)
		}
	})
}
