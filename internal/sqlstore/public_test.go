package sqlstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// voter is an anonymous caller from a client address.
func voter(addr string) context.Context {
	return lianluo.NewContextWithClientAddr(context.Background(), addr)
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func opinionTo(station int64, title string) lianluo.Opinion {
	return lianluo.Opinion{StationID: &station, Title: title, Content: title + "，已经一个多月了，晚上出行很不方便。",
		Category: "道路照明", Location: "庐山西路口", Name: "张三", Phone: "13912340000", Consent: true}
}

func TestPublicSubmitAndFollow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := voter("203.0.113.5")
		r, err := db.SubmitOpinion(ctx, opinionTo(w.StationA.ID, "路灯不亮"))
		if err != nil {
			t.Fatalf("SubmitOpinion: %v", err)
		}
		if len(r.TrackingCode) != 10 || r.Duplicate || r.StationName != w.StationA.Name || !r.PhoneGiven {
			t.Fatalf("receipt = %+v", r)
		}
		// The same opinion again (a second tap) gives the first code back and stores nothing.
		again, err := db.SubmitOpinion(ctx, opinionTo(w.StationA.ID, "路灯不亮"))
		if err != nil || again.TrackingCode != r.TrackingCode || !again.Duplicate {
			t.Fatalf("duplicate = %+v, %v; want the first code", again, err)
		}
		var n int
		rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM cases WHERE channel = 'online'`).Scan(&n)
		if n != 1 {
			t.Errorf("online cases = %d; want 1", n)
		}
		// Staff see it in the station's queue, channel online, registered by the public.
		cs, _, err := db.FindCases(w.As(t, "liaisona"), lianluo.CaseFilter{Status: []lianluo.CaseStatus{lianluo.StatusRegistered}})
		if err != nil || len(cs) != 1 || cs[0].Channel != "online" || cs[0].Submitter.Name == "" {
			t.Fatalf("station queue = %v, %v", cs, err)
		}
		c, err := db.FindCaseByID(w.As(t, "officea"), cs[0].ID)
		if err != nil || c.Events[0].ActorName != "群众（网上）" {
			t.Fatalf("case = %+v, %v", c, err)
		}

		// Following: a wrong tail and a wrong code answer the same 404.
		_, errTail := db.FollowOpinion(ctx, r.TrackingCode, "0001")
		_, errCode := db.FollowOpinion(ctx, "ABCDEFGHJK", "0000")
		if lianluo.ErrorCode(errTail) != lianluo.ENOTFOUND || errTail.Error() != errCode.Error() {
			t.Errorf("wrong tail = %v; wrong code = %v; want the same not found", errTail, errCode)
		}
		p, err := db.FollowOpinion(ctx, strings.ToLower(r.TrackingCode[:5])+"-"+r.TrackingCode[5:], "0000")
		if err != nil {
			t.Fatalf("FollowOpinion: %v", err)
		}
		if p.Stage != 1 || p.CanRate || !p.CanAddPhotos || len(p.Steps) != 1 {
			t.Errorf("new opinion = %+v", p)
		}
		// A rating before the answer is refused and stores nothing.
		if _, err := db.RateOpinion(ctx, r.TrackingCode, "0000", lianluo.PublicRating{Rating: "satisfied"}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("rating before the answer: %v", err)
		}

		// Photos: an image is kept; a text file is refused.
		if err := db.AddOpinionPhoto(ctx, r.TrackingCode, "0000", pngBytes(t)); err != nil {
			t.Fatalf("AddOpinionPhoto: %v", err)
		}
		if err := db.AddOpinionPhoto(ctx, r.TrackingCode, "0000", []byte("not an image at all")); lianluo.ErrorField(err) != "photo" {
			t.Errorf("a text as photo: %v", err)
		}
		if err := db.AddOpinionPhoto(ctx, r.TrackingCode, "9999", pngBytes(t)); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("photo with a wrong tail: %v", err)
		}

		// Staff work the case; the voter sees plain steps, never staff names or comments.
		c, _ = db.FindCaseByID(w.As(t, "officea"), c.ID)
		c = w.act(t, "liaisona", c, "triage", lianluo.CaseAction{Outcome: "forward", Comment: "内部备注：周敏经手"})
		if err := db.AddOpinionPhoto(ctx, r.TrackingCode, "0000", pngBytes(t)); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("photo once handled: %v", err)
		}
		c = w.act(t, "leadera", c, "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID})
		c = w.act(t, "unita", c, "sign", lianluo.CaseAction{})
		c = w.act(t, "unita", c, "reply", lianluo.CaseAction{Result: "A", Content: "已更换灯具。"})
		c = w.act(t, "officea", c, "feedback", lianluo.CaseAction{Content: "路灯已修好，请您查看。"})
		p, err = db.FollowOpinion(ctx, r.TrackingCode, "0000")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(p)
		for _, secret := range []string{"周敏", "大碶联络员", "大碶人大办", "街道办经办人", "内部备注", "13912340000"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("the voter's view shows %q: %s", secret, b)
			}
		}
		if p.Answer != "路灯已修好，请您查看。" || !p.CanRate || p.Stage != 4 || p.Photos != 1 {
			t.Errorf("answered opinion = %s", b)
		}
		if !strings.Contains(string(b), "已交由大碶街道办事处办理") {
			t.Errorf("timeline does not name the lead unit: %s", b)
		}

		// No deputy received it: the voter's rating closes it; a second rating is refused.
		p, err = db.RateOpinion(ctx, r.TrackingCode, "0000", lianluo.PublicRating{Rating: "satisfied", Comment: "修得很快"})
		if err != nil || p.Status != lianluo.StatusClosed || p.CanRate || len(p.Ratings) != 1 {
			t.Fatalf("after rating: %+v, %v", p, err)
		}
		if _, err := db.RateOpinion(ctx, r.TrackingCode, "0000", lianluo.PublicRating{Rating: "unsatisfied"}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("second rating: %v", err)
		}
		if _, err := db.RateOpinion(ctx, r.TrackingCode, "0000", lianluo.PublicRating{Rating: "great"}); lianluo.ErrorField(err) != "rating" {
			t.Errorf("unknown rating: %v", err)
		}
	})
}

func TestPublicSubmitToDeputy(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := voter("203.0.113.6")
		r, err := db.SubmitOpinion(ctx, lianluo.Opinion{DeputyID: &w.DeputyA1.ID, Title: "学校门口缺少红绿灯",
			Content: "上下学时车多，孩子过马路很危险。", Confidential: true, Consent: true})
		if err != nil {
			t.Fatal(err)
		}
		if r.DeputyName != "王建国" || r.StationName != w.StationA.Name || r.PhoneGiven {
			t.Errorf("receipt = %+v", r)
		}
		// Anonymous (no phone): the code alone finds it.
		p, err := db.FollowOpinion(ctx, r.TrackingCode, "")
		if err != nil || len(p.DeputyNames) != 1 {
			t.Fatalf("follow = %+v, %v", p, err)
		}
		// The deputy hears of it in the inbox and received the case.
		items, _, err := db.Inbox(w.As(t, "deputya"), true, lianluo.Page{})
		if err != nil || len(items) != 1 || !strings.Contains(items[0].Body, "学校门口") {
			t.Errorf("deputy inbox = %v, %v", items, err)
		}
		cs, _, _ := db.FindCases(w.As(t, "deputya"), lianluo.CaseFilter{})
		if len(cs) != 1 || !cs[0].Confidential {
			t.Errorf("deputy's cases = %v", cs)
		}
		// A deputy who received it drives the workflow: the voter's rating is kept beside.
		c, _ := db.FindCaseByID(w.As(t, "officea"), cs[0].ID)
		c = w.act(t, "officea", c, "triage", lianluo.CaseAction{Outcome: "forward"})
		c = w.act(t, "leadera", c, "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID})
		c = w.act(t, "unita", c, "sign", lianluo.CaseAction{})
		c = w.act(t, "unita", c, "reply", lianluo.CaseAction{Result: "B", Content: "已列入计划。"})
		c = w.act(t, "officea", c, "feedback", lianluo.CaseAction{Content: "已列入明年计划。"})
		p, err = db.RateOpinion(ctx, r.TrackingCode, "", lianluo.PublicRating{Rating: "unsatisfied"})
		if err != nil || p.Status != lianluo.StatusAwaitingEvaluation || p.CanRate {
			t.Fatalf("voter's rating on a deputy's case: %+v, %v", p, err)
		}
		c, _ = db.FindCaseByID(w.As(t, "officea"), c.ID)
		if len(c.Ratings) != 1 || c.Ratings[0].By != "voter" {
			t.Errorf("ratings = %+v", c.Ratings)
		}
	})
}

func TestPublicSubmitBadInput(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := voter("203.0.113.7")
		other := int64(999999)
		for _, tc := range []struct {
			name  string
			edit  func(o *lianluo.Opinion)
			field string
		}{
			{"empty content", func(o *lianluo.Opinion) { o.Content = "  " }, "content"},
			{"long content", func(o *lianluo.Opinion) { o.Content = strings.Repeat("很", 5001) }, "content"},
			{"no title", func(o *lianluo.Opinion) { o.Title = "" }, "title"},
			{"bad phone", func(o *lianluo.Opinion) { o.Phone = "12345" }, "phone"},
			{"no consent", func(o *lianluo.Opinion) { o.Consent = false }, "consent"},
			{"honeypot", func(o *lianluo.Opinion) { o.Website = "http://spam" }, "website"},
			{"no target", func(o *lianluo.Opinion) { o.StationID = nil }, "station_id"},
			{"both targets", func(o *lianluo.Opinion) { o.DeputyID = &w.DeputyA1.ID }, "station_id"},
			{"unknown station", func(o *lianluo.Opinion) { o.StationID = &other }, "station_id"},
			{"unknown category", func(o *lianluo.Opinion) { o.Category = "火星移民" }, "category"},
		} {
			o := opinionTo(w.StationA.ID, "井盖缺失")
			tc.edit(&o)
			_, err := db.SubmitOpinion(ctx, o)
			if lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: %v; want an error on %s", tc.name, err, tc.field)
			}
		}
		var n int
		rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM cases`).Scan(&n)
		if n != 0 {
			t.Errorf("%d cases stored by bad input", n)
		}
	})
}

func TestPublicRateLimits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		// Per phone: five a day, from any address.
		for i := range 6 {
			o := opinionTo(w.StationA.ID, fmt.Sprintf("第%d个问题", i))
			_, err := db.SubmitOpinion(voter(fmt.Sprintf("198.51.100.%d", i)), o)
			if i < 5 && err != nil {
				t.Fatalf("submission %d: %v", i, err)
			}
			if i == 5 && lianluo.ErrorCode(err) != lianluo.ETOOMANY {
				t.Errorf("sixth from one phone: %v; want 429", err)
			}
		}
		// Per address: ten an hour.
		ctx := voter("198.51.100.99")
		var err error
		for i := range 11 {
			o := opinionTo(w.StationA.ID, fmt.Sprintf("地址%d", i))
			o.Phone = fmt.Sprintf("139000000%02d", i)
			_, err = db.SubmitOpinion(ctx, o)
			if i < 10 && err != nil {
				t.Fatalf("submission %d: %v", i, err)
			}
		}
		if lianluo.ErrorCode(err) != lianluo.ETOOMANY || !strings.Contains(lianluo.ErrorMessage(err), "一小时") {
			t.Errorf("eleventh from one address: %v", err)
		}
		// Guessing codes: 429 after twenty misses, even for a right code.
		g := voter("198.51.100.200")
		for range 20 {
			db.FollowOpinion(g, "ZZZZZZZZZZ", "")
		}
		if _, err := db.FollowOpinion(g, "ZZZZZZZZZZ", ""); lianluo.ErrorCode(err) != lianluo.ETOOMANY {
			t.Errorf("21st guess: %v; want 429", err)
		}
	})
}

func TestPublicVerifyPhone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := voter("203.0.113.8")
		if err := db.SendVerifyCode(ctx, "13912340000"); lianluo.ErrorField(err) != "phone" {
			t.Errorf("code while verification is off: %v", err)
		}
		if err := db.UpdatePublicSettings(w.As(t, "officea"), lianluo.PublicSettings{VerifyPhone: true}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("office changes settings: %v", err)
		}
		if err := db.UpdatePublicSettings(w.As(t, "admin"), lianluo.PublicSettings{VerifyPhone: true}); err != nil {
			t.Fatal(err)
		}
		if err := db.SendVerifyCode(ctx, "13912340000"); err != nil {
			t.Fatal(err)
		}
		if err := db.SendVerifyCode(ctx, "13912340000"); lianluo.ErrorCode(err) != lianluo.ETOOMANY {
			t.Errorf("second code within a minute: %v", err)
		}
		var body string
		if err := rawDB(t, db).QueryRow(`SELECT body FROM notifications WHERE template = 'verify_code' AND urgent = TRUE`).Scan(&body); err != nil {
			t.Fatal(err)
		}
		code := body[len("您的验证码是") : len("您的验证码是")+6]
		o := opinionTo(w.StationA.ID, "垃圾清运不及时")
		if _, err := db.SubmitOpinion(ctx, o); lianluo.ErrorField(err) != "verify_code" {
			t.Errorf("no code: %v", err)
		}
		o.VerifyCode = "000000"
		if code == o.VerifyCode {
			o.VerifyCode = "111111"
		}
		if _, err := db.SubmitOpinion(ctx, o); lianluo.ErrorField(err) != "verify_code" {
			t.Errorf("wrong code: %v", err)
		}
		o.VerifyCode = code
		if _, err := db.SubmitOpinion(ctx, o); err != nil {
			t.Errorf("right code: %v", err)
		}
		// Used once.
		o.Title, o.Content = "另一件事", "另一件事情需要反映一下。"
		if _, err := db.SubmitOpinion(ctx, o); lianluo.ErrorField(err) != "verify_code" {
			t.Errorf("code reused: %v", err)
		}
		// Without a phone, nothing to verify.
		o.Phone, o.VerifyCode = "", ""
		if _, err := db.SubmitOpinion(ctx, o); err != nil {
			t.Errorf("anonymous with verification on: %v", err)
		}
	})
}

func TestPublishedResults(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.path(t, lianluo.StatusHandling)
		office := w.As(t, "officea")
		if _, err := db.PublishCase(office, c.ID, lianluo.PublishInput{Version: c.Version, Published: true, Answer: "x"}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("publish while handling: %v", err)
		}
		c = w.act(t, "unita", c, "reply", lianluo.CaseAction{Result: "A", Content: "已更换灯具。如再损坏请拨打13800138000。"})
		c = w.act(t, "officea", c, "feedback", lianluo.CaseAction{Content: "已电话告知张三：路灯已修好。"})
		if _, err := db.PublishCase(w.As(t, "liaisona"), c.ID, lianluo.PublishInput{Version: c.Version, Published: true}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("liaison publishes: %v", err)
		}
		if _, err := db.PublishCase(office, c.ID, lianluo.PublishInput{Version: c.Version - 1, Published: true}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale publish: %v", err)
		}
		if _, err := db.PublishCase(w.As(t, "officea"), c.ID, lianluo.PublishInput{Version: c.Version, Published: false}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("unpublish what is not public: %v", err)
		}
		c, err := db.PublishCase(office, c.ID, lianluo.PublishInput{Version: c.Version, Published: true})
		if err != nil || c.PublishedAt == nil || c.PublicAnswer == "" {
			t.Fatalf("publish: %+v, %v", c, err)
		}
		// An unpublished case stays out.
		w.path(t, lianluo.StatusAwaitingEvaluation)
		rs, total, err := db.PublishedResults(context.Background(), lianluo.ResultFilter{})
		if err != nil || total != 1 {
			t.Fatalf("results = %v, %d, %v", rs, total, err)
		}
		got := rs[0]
		// The unit's answer by default (not the feedback to the voter), numbers masked.
		if got.Submitter != "张*" || got.Result != "A" || got.Answer != "已更换灯具。如再损坏请拨打138****8000。" {
			t.Errorf("result = %+v", got)
		}
		for _, f := range []lianluo.ResultFilter{{Region: "330206004"}, {Category: "城乡建设"}, {Month: "2026-03"}} {
			if _, n, err := db.PublishedResults(context.Background(), f); err != nil || n != 1 {
				t.Errorf("filter %+v: %d, %v; want 1", f, n, err)
			}
		}
		for _, f := range []lianluo.ResultFilter{{Region: "330206003"}, {Category: "教育"}, {Month: "2026-04"}} {
			if _, n, err := db.PublishedResults(context.Background(), f); err != nil || n != 0 {
				t.Errorf("filter %+v: %d, %v; want 0", f, n, err)
			}
		}
		if _, _, err := db.PublishedResults(context.Background(), lianluo.ResultFilter{Month: "三月"}); lianluo.ErrorField(err) != "month" {
			t.Errorf("bad month: %v", err)
		}
		c, err = db.PublishCase(office, c.ID, lianluo.PublishInput{Version: c.Version, Published: false})
		if err != nil || c.PublishedAt != nil {
			t.Fatalf("unpublish: %v", err)
		}
		if _, n, _ := db.PublishedResults(context.Background(), lianluo.ResultFilter{}); n != 0 {
			t.Errorf("after unpublish: %d results", n)
		}
	})
}

// The voter sees the unit's answer (its result in words) apart from the
// feedback, and only the answer that was fed back to them.
func TestFollowShowsUnitAnswer(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := voter("203.0.113.9")
		follow := func(c *lianluo.Case) *lianluo.PublicOpinion {
			t.Helper()
			p, err := db.FollowOpinion(ctx, c.TrackingCode, "0000")
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		c := w.path(t, lianluo.StatusReplied)
		if p := follow(c); p.Reply != nil || p.Answer != "" {
			t.Errorf("before the feedback: reply %+v, answer %q; want neither", p.Reply, p.Answer)
		}
		c = w.act(t, "liaisona", c, "feedback", lianluo.CaseAction{Content: "路灯已修好，请查看。"})
		p := follow(c)
		if p.Reply == nil || *p.Reply != (lianluo.PublicReply{Unit: "大碶街道办事处", Result: "A", ResultText: "已解决或基本解决", Content: "已更换灯具。", At: p.Reply.At}) {
			t.Errorf("reply = %+v; want the unit's answer", p.Reply)
		}
		if p.Answer != "路灯已修好，请查看。" || p.AnswerLabel != "给您的反馈" {
			t.Errorf("answer = %q (%s); want the feedback", p.Answer, p.AnswerLabel)
		}
		// A second round: its reply shows only once fed back.
		c = w.act(t, "deputya", c, "evaluate", lianluo.CaseAction{By: "deputy", Rating: "unsatisfied"})
		c = w.act(t, "officea", c, "supervise", lianluo.CaseAction{Comment: "请一周内全部修复"})
		c = w.act(t, "unita", c, "reply", lianluo.CaseAction{Result: "B", Content: "其余路灯列入本月维修计划。"})
		if p := follow(c); p.Reply == nil || p.Reply.Content != "已更换灯具。" {
			t.Errorf("round 2 replied, not fed back: reply = %+v; want round 1's", p.Reply)
		}
		c = w.act(t, "liaisona", c, "feedback", lianluo.CaseAction{Content: "其余路灯本月修好。"})
		if p := follow(c); p.Reply == nil || p.Reply.Content != "其余路灯列入本月维修计划。" || p.Reply.ResultText != "正在解决或列入计划解决" || p.Answer != "其余路灯本月修好。" {
			t.Errorf("round 2 fed back: reply = %+v, answer %q", p.Reply, p.Answer)
		}
		// Answered on the spot: no unit, the answer under its own name.
		d := w.path(t, lianluo.StatusAnswered)
		if p := follow(d); p.Reply != nil || p.Answer != "已联系物业当场修复。" || p.AnswerLabel != "当场答复" {
			t.Errorf("answered on the spot: reply %+v, answer %q (%s)", p.Reply, p.Answer, p.AnswerLabel)
		}
	})
}

// Publishing refuses a public text that carries the submitter's name,
// phone or address (the default text included), names what it found
// without repeating the phone or address, and changes nothing.
func TestPublishRefusesPersonalDetails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		office := w.As(t, "officea")
		// The submitter is 张三, 13912340000, 大碶街道某小区5幢 (caseWorld.register).
		c := w.path(t, lianluo.StatusAwaitingEvaluation)
		for _, tc := range []struct{ answer, want string }{
			{"路灯已修好，已电话告知张三。", "公开内容中含有反映人的姓名“张三”，请删除后再公开。"},
			{"请拨打13912340000了解进展。", "公开内容中含有反映人的电话号码，请删除后再公开。"},
			{"尾号912340000的住户已回访。", "公开内容中含有反映人的电话号码，请删除后再公开。"},
			{"已到大碶街道某小区5幢查看。", "公开内容中含有反映人的住址，请删除后再公开。"},
		} {
			_, err := db.PublishCase(office, c.ID, lianluo.PublishInput{Version: c.Version, Published: true, Answer: tc.answer})
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "answer" || lianluo.ErrorMessage(err) != tc.want {
				t.Errorf("PublishCase(%q) = %v; want the answer refused with %q", tc.answer, err, tc.want)
			}
			if msg := lianluo.ErrorMessage(err); strings.Contains(msg, "13912340000") || strings.Contains(msg, "5幢") {
				t.Errorf("the refusal repeats the phone or address: %q", msg)
			}
			p, err := db.PreviewPublish(office, c.ID, tc.answer)
			if err != nil || lianluo.ErrorMessage(p.Refusal) != tc.want {
				t.Errorf("PreviewPublish(%q) = %+v, %v; want the refusal %q", tc.answer, p, err, tc.want)
			}
		}
		after, err := db.FindCaseByID(office, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != c.Version || after.PublishedAt != nil || after.PublicAnswer != "" {
			t.Errorf("after refused publications: version %d → %d, published %v, answer %q", c.Version, after.Version, after.PublishedAt, after.PublicAnswer)
		}
		if _, n, _ := db.PublishedResults(context.Background(), lianluo.ResultFilter{}); n != 0 {
			t.Errorf("refused publications listed: %d", n)
		}

		// A unit's answer that names the voter is refused as the default too.
		e := w.path(t, lianluo.StatusHandling)
		e = w.act(t, "unita", e, "reply", lianluo.CaseAction{Result: "A", Content: "已上门告知张三，路灯已修复。"})
		e = w.act(t, "liaisona", e, "feedback", lianluo.CaseAction{Content: "路灯已修复。"})
		if _, err := db.PublishCase(office, e.ID, lianluo.PublishInput{Version: e.Version, Published: true}); lianluo.ErrorField(err) != "answer" {
			t.Errorf("publish a default answer with the name: %v; want refused", err)
		}

		// The preview is what /results then shows.
		p, err := db.PreviewPublish(office, c.ID, "")
		if err != nil || p.Refusal != nil {
			t.Fatalf("PreviewPublish(default) = %+v, %v", p, err)
		}
		if p.Result.Answer != "已更换灯具。" || p.Result.Submitter != "张*" || p.Result.Title != c.Title {
			t.Errorf("preview = %+v; want the unit's answer under 张*", p.Result)
		}
		if _, err := db.PreviewPublish(w.As(t, "liaisona"), c.ID, ""); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("liaison previews: %v", err)
		}
		if _, err := db.PublishCase(office, c.ID, lianluo.PublishInput{Version: c.Version, Published: true}); err != nil {
			t.Fatal(err)
		}
		rs, _, err := db.PublishedResults(context.Background(), lianluo.ResultFilter{})
		if err != nil || len(rs) != 1 {
			t.Fatalf("results = %v, %v", rs, err)
		}
		got, want := *rs[0], *p.Result
		got.PublishedAt = want.PublishedAt
		if got != want {
			t.Errorf("published %+v; previewed %+v", got, want)
		}
	})
}

func TestPublicStationsAndDeputies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		ctx := context.Background()
		office := w.As(t, "officea")
		board := lianluo.StationBoard{Schedule: "每单月15日上午9:00—11:00", Duties: "听取和反映群众意见"}
		st, err := db.UpdateStation(office, w.StationA.ID, lianluo.StationUpdate{Board: &board, Version: w.StationA.Version})
		if err != nil || st.Board != board {
			t.Fatalf("UpdateStation board: %+v, %v", st, err)
		}
		long := lianluo.StationBoard{Schedule: strings.Repeat("长", 1001)}
		if _, err := db.UpdateStation(office, w.StationA.ID, lianluo.StationUpdate{Board: &long, Version: st.Version}); lianluo.ErrorField(err) != "board.schedule" {
			t.Errorf("long schedule: %v", err)
		}
		ps, err := db.PublicStation(ctx, w.StationA.ID)
		if err != nil || ps.Board.Schedule != board.Schedule || len(ps.Deputies) != 2 || ps.DeputyCount != 2 || ps.Liaisons[0] != "周敏" {
			t.Fatalf("PublicStation = %+v, %v", ps, err)
		}
		b, _ := json.Marshal(ps)
		if strings.Contains(string(b), "13912345678") || strings.Contains(string(b), "13800001111") {
			t.Errorf("public station shows a private phone: %s", b)
		}
		// The region picker starts at the district and goes down to the towns.
		pk, err := db.PublicRegions(ctx, "")
		if err != nil || pk.Current.Code != "330206" || len(pk.Children) != 2 || pk.Current.Stations != 2 {
			t.Fatalf("PublicRegions = %+v, %v", pk, err)
		}
		pk, err = db.PublicRegions(ctx, "330206004000")
		if err != nil || pk.Current.Name != "大碶街道" || len(pk.Path) != 2 || len(pk.Children) != 0 {
			t.Errorf("PublicRegions(town) = %+v, %v", pk, err)
		}
		list, total, err := db.PublicStations(ctx, lianluo.PublicStationFilter{Region: "330206003"})
		if err != nil || total != 1 || list[0].ID != w.StationB.ID {
			t.Errorf("PublicStations(小港) = %v, %d, %v", list, total, err)
		}
		for _, bad := range []string{"abc", "33020", "3302060030001"} {
			if _, _, err := db.PublicStations(ctx, lianluo.PublicStationFilter{Region: bad}); lianluo.ErrorField(err) != "region" {
				t.Errorf("PublicStations(region %q): %v; want an error on region", bad, err)
			}
		}
		// Deputies: a portrait set by the office; no phone in the profile.
		if err := db.SetDeputyPhoto(w.As(t, "liaisona"), w.DeputyA1.ID, pngBytes(t)); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("liaison sets a photo: %v", err)
		}
		if err := db.SetDeputyPhoto(office, w.DeputyA1.ID, []byte("%PDF-1.4 not a photo")); lianluo.ErrorField(err) != "photo" {
			t.Errorf("a PDF as portrait: %v", err)
		}
		if err := db.SetDeputyPhoto(w.As(t, "deputya"), w.DeputyA1.ID, pngBytes(t)); err != nil {
			t.Fatalf("deputy sets own photo: %v", err)
		}
		pd, err := db.PublicDeputy(ctx, w.DeputyA1.ID)
		if err != nil || !pd.HasPhoto || len(pd.Stations) != 1 {
			t.Fatalf("PublicDeputy = %+v, %v", pd, err)
		}
		if b, _ := json.Marshal(pd); strings.Contains(string(b), "13912345678") {
			t.Errorf("public profile shows the phone: %s", b)
		}
		if ph, err := db.DeputyPhoto(ctx, w.DeputyA1.ID); err != nil || ph.ContentType != "image/png" {
			t.Errorf("DeputyPhoto = %v, %v", ph, err)
		}
		// A deputy out of office and an inactive station are not public.
		status := lianluo.DeputyTerminated
		d2, _ := db.FindDeputyByID(office, w.DeputyA2.ID)
		if _, err := db.UpdateDeputy(office, d2.ID, lianluo.DeputyUpdate{Status: &status, Version: d2.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublicDeputy(ctx, w.DeputyA2.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("terminated deputy: %v", err)
		}
		off := false
		sb, _ := db.FindStationByID(storetest.SystemContext(), w.StationB.ID)
		if _, err := db.UpdateStation(storetest.SystemContext(), sb.ID, lianluo.StationUpdate{Active: &off, Version: sb.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublicStation(ctx, sb.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("inactive station: %v", err)
		}
	})
}

// What the voter wrote is theirs and the office cannot edit it, so /results
// masks the voter's own name and address in it, as it masks numbers.
func TestPublishedResultsMaskTheVoterInTheirText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := w.register(t, "张三反映大碶街道某小区5幢门口积水")
		c = w.act(t, "officea", c, "triage", lianluo.CaseAction{Outcome: "answered", Answer: "已当场联系物业清理。"})
		if _, err := db.PublishCase(w.As(t, "officea"), c.ID, lianluo.PublishInput{Version: c.Version, Published: true}); err != nil {
			t.Fatalf("publish: %v", err)
		}
		rs, _, err := db.PublishedResults(context.Background(), lianluo.ResultFilter{})
		if err != nil || len(rs) != 1 {
			t.Fatalf("results = %v, %v", rs, err)
		}
		want := "张*反映（地址已隐去）门口积水"
		if rs[0].Title != want || rs[0].Content != want+"，请尽快处理。" {
			t.Errorf("published title, content = %q, %q; want the voter's name and address masked: %q", rs[0].Title, rs[0].Content, want)
		}
	})
}
