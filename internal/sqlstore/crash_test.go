package sqlstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// Nothing acknowledged is lost when the process dies: a child process
// registers cases from 8 concurrent writers (on SQLite through the group
// commit) and prints each case as CreateCase returns it; it is killed
// (SIGKILL) in full flow, and every case it printed must be in the
// database with its content, on both databases.
func TestCrashKeepsAcknowledgedCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		cmd := osexec.Command(os.Args[0], "-test.run", "^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "LIANLUO_CRASH_CHILD=1", "LIANLUO_CRASH_STATION="+strconv.FormatInt(w.StationA.ID, 10))
		if db.Dialect == sqlstore.Postgres {
			kf, err := storetest.KeyFile()
			if err != nil {
				t.Fatal(err)
			}
			cmd.Env = append(cmd.Env, "LIANLUO_CRASH_DATABASE="+db.URL, "LIANLUO_CRASH_KEY_FILE="+kf)
		} else {
			cmd.Env = append(cmd.Env, "LIANLUO_CRASH_DATA="+filepath.Dir(db.URL))
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := map[int64]string{}
		lines := bufio.NewScanner(out)
		deadline := time.Now().Add(20 * time.Second)
		for lines.Scan() && len(acked) < 300 && time.Now().Before(deadline) {
			id, title, ok := strings.Cut(strings.TrimPrefix(lines.Text(), "ack "), " ")
			if n, err := strconv.ParseInt(id, 10, 64); ok && err == nil {
				acked[n] = title
			}
		}
		cmd.Process.Kill() // SIGKILL, in full flow
		cmd.Wait()
		if len(acked) < 50 {
			t.Fatalf("the child acknowledged %d cases before it was killed; want a real flow", len(acked))
		}
		ctx := storetest.SystemContext()
		for id, title := range acked {
			c, err := db.FindCaseByID(ctx, id)
			if err != nil || c.Title != title || c.Content != crashContent(title) {
				t.Errorf("acknowledged case %d after the kill = %+v, %v; want %q with its content", id, c, err, title)
			}
		}
	})
}

func crashContent(title string) string {
	return title + "：小区门口路灯坏了一个月，晚上出行不便。"
}

// TestCrashChild is the process TestCrashKeepsAcknowledgedCases kills.
func TestCrashChild(t *testing.T) {
	if os.Getenv("LIANLUO_CRASH_CHILD") != "1" {
		t.Skip("run by TestCrashKeepsAcknowledgedCases")
	}
	cfg := sqlstore.Config{DataDir: os.Getenv("LIANLUO_CRASH_DATA"), DatabaseURL: os.Getenv("LIANLUO_CRASH_DATABASE"),
		KeyFile: os.Getenv("LIANLUO_CRASH_KEY_FILE"), PasswordHash: sqlstore.PasswordHashForTests}
	db, err := sqlstore.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	station, _ := strconv.ParseInt(os.Getenv("LIANLUO_CRASH_STATION"), 10, 64)
	s, err := db.Login(context.Background(), "liaisona", storetest.Password, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Authenticate(context.Background(), s.Token, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	ctx := lianluo.NewContextWithActor(context.Background(), a)
	var mu sync.Mutex // one line at a time on stdout
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				title := fmt.Sprintf("路灯不亮%d-%d", g, i)
				in := lianluo.CaseInput{Title: title, Content: crashContent(title), Category: "urban", Channel: "visit",
					StationID: &station, RegionCode: "330206004", Submitter: lianluo.Submitter{Name: "张三", Phone: "13900001111"}}
				c, err := db.CreateCase(ctx, in)
				if err != nil {
					fmt.Fprintln(os.Stderr, "create:", err)
					return
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "ack %d %s\n", c.ID, c.Title)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
