package jobs_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/jobs"
	"lianluo/internal/notify"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// enqueueTexts writes one text message per body straight into the outbox,
// due now, so that a gateway can tell the notifications apart.
func enqueueTexts(t *testing.T, db *sqlstore.DB, bodies []string) []int64 {
	t.Helper()
	driver := "sqlite"
	q := `INSERT INTO notifications (channel, phone, template, body, status, attempts, next_attempt_at, created_at)
		VALUES ('sms', '13912345678', 'case_feedback', $1, 'pending', 0, $2, $3) RETURNING id`
	if db.Dialect == sqlstore.Postgres {
		driver = "pgx"
	} else {
		q = strings.ReplaceAll(q, "$", "?")
	}
	raw, err := sql.Open(driver, rawDSN(db))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var ids []int64
	for _, b := range bodies {
		var id int64
		now := db.Now().UTC()
		if err := raw.QueryRow(q, b, now, now).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// An SMS gateway that fails its first requests and then recovers gets
// every notification exactly once: the scheduler retries the failures
// after their backoff through the real sender, loses none, and sends none
// twice.
func TestSMSGatewayRecovers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		const failFirst = 5
		var (
			mu        sync.Mutex
			requests  int
			delivered = map[string]int{} // by the content received
		)
		gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var m struct{ Phone, Content string }
			if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.Phone != "13912345678" {
				t.Errorf("gateway received %+v (%v); want a phone and a content", m, err)
			}
			mu.Lock()
			requests++
			fail := requests <= failFirst
			if !fail {
				delivered[m.Content]++
			}
			mu.Unlock()
			if fail {
				// A busy gateway that echoes the request, as some do.
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprintf(w, `{"code":500,"msg":"busy: %s %s"}`, m.Phone, m.Content)
				return
			}
			fmt.Fprint(w, `{"code":0,"msg":"ok"}`)
		}))
		defer gateway.Close()

		channels := notify.Config{SMS: &notify.SMSGateway{URL: gateway.URL + "/send", Sign: "联络", SuccessField: "code"}}
		s := jobs.New(jobs.Config{Store: db, Senders: channels.Senders(gateway.Client()), Now: clk.Now, Workers: 3,
			Backoff: func(int) time.Duration { return time.Second }})
		var bodies []string
		for i := range 12 {
			bodies = append(bodies, fmt.Sprintf("您反映的“路灯不亮%d”已有答复：已修复", i))
		}
		ids := enqueueTexts(t, db, bodies)

		// The first run delivers all but the failures, which wait out their backoff.
		if err := s.RunOnce(t.Context()); err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		var failed []int64
		for _, id := range ids {
			if n := notification(t, db, id); n.Status == "pending" {
				failed = append(failed, id)
				if !strings.Contains(n.LastError, "HTTP 500") || strings.Contains(n.LastError, "13912345678") || strings.Contains(n.LastError, "路灯") {
					t.Errorf("notification %d last error %q; want the gateway's status without the phone number or text", id, n.LastError)
				}
			}
		}
		if len(failed) != failFirst {
			t.Fatalf("after the first run %d notifications pending; want %d", len(failed), failFirst)
		}
		if err := s.RunOnce(t.Context()); err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if n := notification(t, db, failed[0]); n.Status != "pending" {
			t.Errorf("notification %d %s before its backoff ended; want pending", n.ID, n.Status)
		}
		for i := 0; i < 5; i++ {
			clk.Add(time.Second)
			if err := s.RunOnce(t.Context()); err != nil {
				t.Fatalf("RunOnce: %v", err)
			}
		}

		mu.Lock()
		defer mu.Unlock()
		if want := len(ids) + failFirst; requests != want {
			t.Errorf("gateway received %d requests; want %d (each notification once, plus the %d failures)", requests, want, failFirst)
		}
		for i, id := range ids {
			content := "【联络】" + bodies[i]
			n := notification(t, db, id)
			wantAttempts := 1
			for _, f := range failed {
				if f == id {
					wantAttempts = 2
				}
			}
			if got := delivered[content]; got != 1 || n.Status != "sent" || n.Attempts != wantAttempts || n.LastError != "" {
				t.Errorf("notification %d: delivered %d times, row %s attempt %d error %q; want delivered once, sent at attempt %d",
					id, got, n.Status, n.Attempts, n.LastError, wantAttempts)
			}
		}
		if len(delivered) != len(ids) {
			t.Errorf("gateway delivered %d distinct messages; want %d", len(delivered), len(ids))
		}
	})
}

// A WeCom group robot that answers 500 and then recovers gets every post
// exactly once. The posts come the real way: users who chose WeCom (通知设置)
// are told of urgent cases, and the outbox holds a row per post.
func TestWeComRobotRecovers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := newClock(db)
		w := storetest.MustWorld(t, db)
		db.Channels = []string{lianluo.ChannelWeCom}
		for _, u := range []string{"officea", "office"} {
			if _, err := db.UpdateNotificationPrefs(w.As(t, u), lianluo.NotificationPrefs{Channels: []string{"wecom"}}); err != nil {
				t.Fatal(err)
			}
		}
		const failFirst = 3
		var (
			mu        sync.Mutex
			requests  int
			delivered int
		)
		robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var m struct {
				MsgType string
				Text    struct{ Content string }
			}
			if err := json.NewDecoder(r.Body).Decode(&m); err != nil || m.MsgType != "text" || r.URL.Query().Get("key") != "ROBOTKEY" ||
				!strings.HasPrefix(m.Text.Content, "紧急意见\n致") || strings.Contains(m.Text.Content, "护栏") {
				t.Errorf("robot received %+v at %s (%v); want a text post without the case", m, r.URL, err)
			}
			mu.Lock()
			requests++
			fail := requests <= failFirst
			if !fail {
				delivered++
			}
			mu.Unlock()
			if fail {
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprint(w, `{"errcode":-1,"errmsg":"system error"}`)
				return
			}
			fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
		}))
		defer robot.Close()

		for i := range 3 {
			if _, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID,
				Title: fmt.Sprintf("河道护栏倒塌%d", i), Content: "有落水危险。", RegionCode: "330206004", Urgent: true}); err != nil {
				t.Fatal(err)
			}
		}
		posts, total, err := db.FindNotifications(storetest.SystemContext(), sqlstore.NotificationFilter{Channel: "wecom", Page: lianluo.Page{PerPage: 100}})
		if err != nil || total != 6 {
			t.Fatalf("WeCom posts queued = %d, %v; want 6 (two users, three cases)", total, err)
		}

		channels := notify.Config{WeCom: &notify.WeComRobot{URL: robot.URL + "/cgi-bin/webhook/send?key=ROBOTKEY"}}
		s := jobs.New(jobs.Config{Store: db, Senders: channels.Senders(robot.Client()), Now: clk.Now, Workers: 2,
			Backoff: func(int) time.Duration { return time.Second }})
		if err := s.RunOnce(t.Context()); err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		failed := 0
		for _, p := range posts {
			if n := notification(t, db, p.ID); n.Status == "pending" {
				failed++
				if !strings.Contains(n.LastError, "企业微信机器人") || !strings.Contains(n.LastError, "HTTP 500") || strings.Contains(n.LastError, "ROBOTKEY") {
					t.Errorf("post %d last error %q; want the robot's status without its key", n.ID, n.LastError)
				}
			}
		}
		if failed != failFirst {
			t.Fatalf("after the first run %d posts pending; want %d", failed, failFirst)
		}
		for range 3 {
			clk.Add(time.Second)
			if err := s.RunOnce(t.Context()); err != nil {
				t.Fatalf("RunOnce: %v", err)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if requests != len(posts)+failFirst || delivered != len(posts) {
			t.Errorf("robot received %d requests, %d delivered; want %d and %d", requests, delivered, len(posts)+failFirst, len(posts))
		}
		for _, p := range posts {
			if n := notification(t, db, p.ID); n.Status != "sent" || n.Attempts > 2 || n.LastError != "" {
				t.Errorf("post %d: %s at attempt %d, error %q; want sent within two attempts", n.ID, n.Status, n.Attempts, n.LastError)
			}
		}
	})
}
