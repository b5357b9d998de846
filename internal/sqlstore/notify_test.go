package sqlstore_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// mustSetPhone gives a World user a phone number, as an administrator would.
func mustSetPhone(t *testing.T, w *storetest.World, username, phone string) {
	t.Helper()
	u, err := w.DB.FindUserByID(storetest.SystemContext(), w.Users[username].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.DB.UpdateUser(storetest.SystemContext(), u.ID, lianluo.UserUpdate{Phone: &phone, Version: u.Version}); err != nil {
		t.Fatalf("UpdateUser(%s): %v", username, err)
	}
}

func mustSetPrefs(t *testing.T, w *storetest.World, username, email string, channels ...string) {
	t.Helper()
	if channels == nil {
		channels = []string{}
	}
	if _, err := w.DB.UpdateNotificationPrefs(w.As(t, username), lianluo.NotificationPrefs{Channels: channels, Email: email}); err != nil {
		t.Fatalf("UpdateNotificationPrefs(%s): %v", username, err)
	}
}

// outboxOf lists the outbox rows of a template as "channel→username phone address key-suffix".
func outboxOf(t *testing.T, w *storetest.World, template string) []string {
	t.Helper()
	raw := rawDB(t, w.DB)
	rows, err := raw.Query(rawSQL(w.DB, `
		SELECT channel, COALESCE(user_id, 0), phone, address, COALESCE(dedupe_key, '')
		FROM notifications WHERE template = $1 ORDER BY id`), template)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for name, u := range w.Users {
		names[u.ID] = name
	}
	var out []string
	for rows.Next() {
		var channel, phone, address, key string
		var uid int64
		if err := rows.Scan(&channel, &uid, &phone, &address, &key); err != nil {
			t.Fatal(err)
		}
		s := channel + "→" + names[uid]
		if phone, err = w.DB.OpenSealedForTest(phone); err != nil { // sealed at rest
			t.Fatal(err)
		}
		if phone != "" {
			s += " " + phone
		}
		if address != "" {
			s += " " + address
		}
		if strings.HasSuffix(key, ":"+channel) {
			s += " :" + channel // the channel's own dedupe key
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// An in-app notification to a user goes out on the channels they chose and
// can receive, and only those: a text message needs a mobile number, an
// e-mail an address, and any channel one the deployment delivers. Without
// any, the in-app item is all — no error, nothing lost.
func TestNotificationChannels(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		db.Channels = []string{lianluo.ChannelEmail, lianluo.ChannelWeCom}
		// officea: a mobile number and the default (SMS).
		mustSetPhone(t, w, "officea", "13912345001")
		// office: no phone; wants SMS, e-mail, and WeCom, which is switched off afterwards.
		mustSetPrefs(t, w, "office", "zhang.san@example.gov.cn", "sms", "email", "wecom")
		db.Channels = []string{lianluo.ChannelEmail} // WeCom switched off since
		// A second town office clerk with a landline only: in-app alone.
		u := &lianluo.User{Username: "officea2", Password: storetest.Password, DisplayName: "大碶文员二",
			Phone: "0574-86860000", Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &w.TownA.ID}}}
		if err := db.CreateUser(storetest.SystemContext(), u); err != nil {
			t.Fatal(err)
		}
		w.Users["officea2"] = u

		// 000: an urgent case tells the town's and the district's offices at once.
		c, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID,
			Title: "河道护栏倒塌", Content: "护栏倒塌，有落水危险。", RegionCode: "330206004", Urgent: true})
		if err != nil {
			t.Fatalf("CreateCase: %v", err)
		}
		got := outboxOf(t, w, "case_urgent")
		want := []string{
			"email→office zhang.san@example.gov.cn :email",
			"inapp→office",
			"inapp→officea",
			"inapp→officea2",
			"sms→officea 13912345001 :sms",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("outbox = %q; want %q", got, want)
		}

		// The claimed rows carry their address and the template's subject.
		claimed, err := db.ClaimNotifications(t.Context(), 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		var mail *lianluo.Notification
		for i, n := range claimed {
			if n.Channel == lianluo.ChannelEmail {
				mail = &claimed[i]
			}
		}
		if mail == nil || mail.Address != "zhang.san@example.gov.cn" || mail.Subject != "紧急意见" || !strings.Contains(mail.Body, "河道护栏倒塌") || !mail.Urgent {
			t.Fatalf("claimed e-mail = %+v; want the address, subject 紧急意见 and the body", mail)
		}
		if *mail.CaseID != c.ID {
			t.Errorf("e-mail case = %d; want %d", *mail.CaseID, c.ID)
		}

		// The administrator's list masks the address and names the recipient.
		list, total, err := db.FindNotifications(w.As(t, "admin"), sqlstore.NotificationFilter{Channel: "email"})
		if err != nil || total != 1 || list[0].Address != "z***@example.gov.cn" || list[0].UserName != "区代表工委" {
			t.Errorf("FindNotifications(email) = %d %+v, %v; want the masked address and the user's name", total, list, err)
		}
		list, _, err = db.FindNotifications(w.As(t, "admin"), sqlstore.NotificationFilter{Channel: "sms"})
		if err != nil || len(list) != 1 || list[0].Phone != "139****5001" {
			t.Errorf("FindNotifications(sms) = %+v, %v; want the masked phone", list, err)
		}
	})
}

// A group robot's post names the recipient and the kind of notice, not the
// case: the group reads along, and a case may be confidential.
func TestNotificationRobotWording(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		db.Channels = []string{lianluo.ChannelWeCom, lianluo.ChannelDingTalk}
		mustSetPrefs(t, w, "officea", "", "wecom", "dingtalk")
		if _, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID,
			Title: "某信访人涉法诉求", Content: "内容保密。", RegionCode: "330206004", Urgent: true}); err != nil {
			t.Fatal(err)
		}
		list, _, err := db.FindNotifications(w.As(t, "admin"), sqlstore.NotificationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		robots := 0
		for _, n := range list {
			if n.Channel != lianluo.ChannelWeCom && n.Channel != lianluo.ChannelDingTalk {
				continue
			}
			robots++
			if want := "致大碶人大办：您有一条新的通知（紧急意见），请登录联络平台查看。"; n.Body != want || n.Subject != "紧急意见" {
				t.Errorf("%s post = %q %q; want %q", n.Channel, n.Subject, n.Body, want)
			}
		}
		if robots != 2 {
			t.Errorf("%d robot posts; want 2 (WeCom and DingTalk)", robots)
		}
	})
}

// A deputy's account and the deputy record share the phone number: the
// deputy gets one text message, not two.
func TestNotificationOneTextPerPhone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		mustSetPhone(t, w, "deputya", w.DeputyA1.Phone)
		office := w.As(t, "officea")
		rule := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15", Start: "09:00", End: "11:00"}
		if err := db.CreateReceptionRule(office, rule); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GenerateRota(office, w.StationA.ID, 2026); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishRota(office, w.StationA.ID, 2026); err != nil {
			t.Fatal(err)
		}
		if got := countNotes(t, db, `template = 'rota_published' AND channel = 'sms'`); got != 1 {
			t.Errorf("rota text messages = %d; want 1", got)
		}
		if got := countNotes(t, db, `template = 'rota_published' AND channel = 'inapp' AND user_id = `+strconv.FormatInt(w.Users["deputya"].ID, 10)); got != 1 {
			t.Errorf("rota in-app items for the deputy = %d; want 1", got)
		}
	})
}

// A user sees and sets their own channels; bad input changes nothing.
func TestNotificationPrefs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		db.Channels = []string{lianluo.ChannelEmail}
		mustSetPhone(t, w, "unit", "13912345002")
		ctx := w.As(t, "unit")
		p, err := db.NotificationPrefs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(p.Channels) != "[sms]" || p.Phone != "139****5002" || !p.CanText || fmt.Sprint(p.Available) != "[sms email]" || p.UpdatedAt != nil {
			t.Errorf("default prefs = %+v; want sms, the masked phone, sms and email available", p)
		}
		for _, tc := range []struct {
			name  string
			p     lianluo.NotificationPrefs
			field string
		}{
			{"unknown channel", lianluo.NotificationPrefs{Channels: []string{"pigeon"}}, "channels"},
			{"e-mail without address", lianluo.NotificationPrefs{Channels: []string{"email"}}, "email"},
			{"bad address", lianluo.NotificationPrefs{Channels: []string{"email"}, Email: "张三@"}, "email"},
			{"address with a name", lianluo.NotificationPrefs{Email: "张三 <a@b.cn>"}, "email"},
			{"not delivered here", lianluo.NotificationPrefs{Channels: []string{"dingtalk"}}, "channels"},
		} {
			if _, err := db.UpdateNotificationPrefs(ctx, tc.p); lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: UpdateNotificationPrefs(%+v) = %v; want an error on %s", tc.name, tc.p, err, tc.field)
			}
		}
		p, err = db.UpdateNotificationPrefs(ctx, lianluo.NotificationPrefs{Channels: []string{"email", "sms", "email"}, Email: " li.si@example.gov.cn "})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(p.Channels) != "[sms email]" || p.Email != "li.si@example.gov.cn" || p.UpdatedAt == nil {
			t.Errorf("saved prefs = %+v", p)
		}
		// Nothing but in-app.
		if p, err = db.UpdateNotificationPrefs(ctx, lianluo.NotificationPrefs{Channels: []string{}}); err != nil || len(p.Channels) != 0 || p.Channels == nil {
			t.Errorf("UpdateNotificationPrefs(none) = %+v, %v", p, err)
		}
		// Another user's are their own.
		if other, err := db.NotificationPrefs(w.As(t, "office")); err != nil || fmt.Sprint(other.Channels) != "[sms]" || other.Phone != "" || other.CanText {
			t.Errorf("office's prefs = %+v, %v; want the default, no phone", other, err)
		}
		// The change is in the audit trail, without the address.
		evs, _, err := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Action: "notify_prefs"})
		if err != nil || len(evs) != 2 || strings.Contains(evs[1].Summary, "li.si") || evs[1].Summary != "通知渠道：站内消息、短信、邮件；已填写邮箱" {
			t.Errorf("events = %+v, %v", evs, err)
		}
		if _, err := db.NotificationPrefs(t.Context()); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("NotificationPrefs without login = %v", err)
		}
	})
}

// Quiet hours hold text messages that are not urgent from 22:00 to 08:00
// Beijing time, and nothing else: in-app items, e-mail and robots' posts
// go out at once, and so does an urgent text.
func TestQuietHoursHoldOnlyTexts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		raw := rawDB(t, db)
		ctx := t.Context()
		setClock(t, db, "2026-03-02 23:00")
		ids := mustEnqueue(t, raw, db,
			outboxRow{channel: "sms", phone: "13912345678"},
			outboxRow{channel: "sms", phone: "13912345679", urgent: true},
			outboxRow{channel: "inapp"},
			outboxRow{channel: "email"},
			outboxRow{channel: "wecom"},
			outboxRow{channel: "dingtalk"})
		for _, tc := range []struct {
			at   string
			want []int64
		}{
			{"2026-03-02 23:00", ids[1:]},
			{"2026-03-03 07:59", nil},
			{"2026-03-03 08:00", ids[:1]},
		} {
			setClock(t, db, tc.at)
			got, err := db.ClaimNotifications(ctx, 10, time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(idsOf(got), tc.want) {
				t.Errorf("ClaimNotifications at %s = %v; want %v", tc.at, idsOf(got), tc.want)
			}
			for _, n := range got {
				if err := db.MarkSent(ctx, n.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, tc := range []struct {
			at    string
			quiet bool
		}{{"2026-03-02 21:59", false}, {"2026-03-02 22:00", true}, {"2026-03-02 23:00", true}, {"2026-03-03 07:59", true}, {"2026-03-03 08:00", false}} {
			at, _ := time.ParseInLocation("2006-01-02 15:04", tc.at, lianluo.Beijing)
			if got := sqlstore.QuietHours(at.UTC()); got != tc.quiet {
				t.Errorf("QuietHours(%s) = %v; want %v", tc.at, got, tc.quiet)
			}
		}
	})
}

// The administrator's counts by status, and the retry of a dead letter
// with its audit event.
func TestOutboxCountsAndRetry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		raw := rawDB(t, db)
		ctx := t.Context()
		ids := mustEnqueue(t, raw, db, outboxRow{channel: "sms", phone: "13912345678"}, outboxRow{channel: "email"}, outboxRow{channel: "inapp"})
		if _, err := db.ClaimNotifications(ctx, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkFailed(ctx, ids[0], "HTTP 500", db.Now(), true); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkSent(ctx, ids[2]); err != nil {
			t.Fatal(err)
		}
		admin := w.As(t, "admin")
		counts, err := db.CountNotifications(admin, "")
		if err != nil || fmt.Sprint(counts) != "map[dead:1 pending:1 sent:1]" {
			t.Errorf("CountNotifications = %v, %v", counts, err)
		}
		if counts, err := db.CountNotifications(admin, "wecom"); err != nil || fmt.Sprint(counts) != "map[dead:0 pending:0 sent:0]" {
			t.Errorf("CountNotifications(wecom) = %v, %v", counts, err)
		}
		if _, err := db.CountNotifications(w.As(t, "office"), ""); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("CountNotifications as office = %v; want forbidden", err)
		}
		if err := db.RetryNotification(admin, ids[0]); err != nil {
			t.Fatal(err)
		}
		evs, _, err := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Entity: "notification", EntityID: ids[0]})
		if err != nil || len(evs) != 1 || evs[0].Action != "retry" || evs[0].ActorName != "管理员（admin）" {
			t.Errorf("retry events = %+v, %v", evs, err)
		}
		if counts, _ := db.CountNotifications(admin, "sms"); counts["pending"] != 1 || counts["dead"] != 0 {
			t.Errorf("sms counts after retry = %v", counts)
		}
	})
}

// TestTemplatesUseConstants checks the store names every notification's
// template with a lianluo.Msg… constant. lianluo.TemplateKey rejects a
// misspelt constant, but Go converts an untyped string literal to a named
// string type silently, so a literal such as "case_feedbak" would still
// compile: this scan is what keeps literals out. That every constant has
// its wording is checked in the root package (TestTemplateWording).
func TestTemplatesUseConstants(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// The helpers that take a template key, and at which argument.
	helpers := map[string]int{"smsVoter": 0, "Message": 0, "inapp": 2, "notifyLeaders": 2, "notifyOffice": 2,
		"notifyUnits": 2, "notifyUnitsOf": 2, "notifyDeputyOf": 4, "notifyReceivingDeputies": 1}
	seen := 0
	fset := token.NewFileSet()
	check := func(e ast.Expr) {
		seen++
		if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
			t.Errorf("%s: template key %s is a literal; use a lianluo.Msg… constant", fset.Position(b.Pos()), b.Value)
		}
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Template" {
					check(n.Value)
				}
			case *ast.CallExpr:
				var fn string
				switch f := n.Fun.(type) {
				case *ast.Ident:
					fn = f.Name
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				}
				if i, ok := helpers[fn]; ok && i < len(n.Args) {
					check(n.Args[i])
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if s, ok := l.(*ast.SelectorExpr); ok && s.Sel.Name == "template" && i < len(n.Rhs) {
						check(n.Rhs[i])
					}
				}
			}
			return true
		})
	}
	if seen < 20 {
		t.Fatalf("found %d template keys in the store; the scan is broken", seen)
	}
}

// Messages read as before the wording moved into one table.
func TestMessageWording(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key           lianluo.TemplateKey
		args          []any
		subject, body string
	}{
		{"case_feedback", []any{"路灯不亮", "已修复"}, "意见办理答复", "您反映的“路灯不亮”已有答复：已修复"},
		{"case_pending_approval", []any{"有意见", "路灯不亮"}, "意见待审核交办", "有意见待审核交办：“路灯不亮”。"},
		{"case_pending_approval", []any{"下级报送意见", "路灯不亮"}, "意见待审核交办", "下级报送意见待审核交办：“路灯不亮”。"},
		{"case_due_soon", []any{"路灯不亮", "2026-03-23", "（还有3个工作日）"}, "办理期限将到", "“路灯不亮”将于 2026-03-23 到期（还有3个工作日），请抓紧办理并按时答复。"},
		{"case_due_soon", []any{"路灯不亮", "2026-03-23", ""}, "办理期限将到", "“路灯不亮”将于 2026-03-23 到期，请抓紧办理并按时答复。"},
		{"verify_code", []any{"123456"}, "短信验证码", "您的验证码是123456，10分钟内有效。如非本人操作，请忽略本短信。"},
		{"no_such_template", []any{"正文"}, "联络平台通知", "正文"},
	} {
		subject, body := lianluo.Message(tc.key, tc.args...)
		if subject != tc.subject || body != tc.body {
			t.Errorf("Message(%s, %q) = %q, %q; want %q, %q", tc.key, tc.args, subject, body, tc.subject, tc.body)
		}
	}
}
