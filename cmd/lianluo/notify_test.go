package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// envOf is an environment from a map.
func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// A wrong notification setting refuses to start, naming the variable and
// never its value; the configured channels are logged once, by name.
func TestNotificationChannelsFromEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"jobs", "run-once"}} {
		env := map[string]string{"LIANLUO_DATA_DIR": dir, "LIANLUO_WECOM_URL": "qyapi.weixin.qq.com/send?key=SECRETKEY"}
		err := run(context.Background(), args, envOf(env), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "LIANLUO_WECOM_URL") || strings.Contains(err.Error(), "SECRETKEY") {
			t.Errorf("lianluo %v with a bad LIANLUO_WECOM_URL = %v; want an error naming the variable, not the key", args, err)
		}
	}

	env := map[string]string{
		"LIANLUO_DATA_DIR":      dir,
		"LIANLUO_WECOM_URL":     "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY",
		"LIANLUO_SMTP_ADDR":     "127.0.0.1:1",
		"LIANLUO_SMTP_FROM":     "noreply@example.gov.cn",
		"LIANLUO_SMTP_USER":     "lianluo",
		"LIANLUO_SMTP_PASSWORD": "PASSWORD-1",
	}
	var out, logs bytes.Buffer
	if err := run(context.Background(), []string{"jobs", "run-once"}, envOf(env), &out, &logs); err != nil {
		t.Fatalf("jobs run-once = %v\n%s", err, logs.String())
	}
	l := logs.String()
	if !strings.Contains(l, "channels=inapp,email,wecom") || !strings.Contains(l, "sms=log") || strings.Count(l, "notification channels") != 1 {
		t.Errorf("logs lack the channels line once:\n%s", l)
	}
	for _, secret := range []string{"SECRETKEY", "PASSWORD-1", "qyapi", "127.0.0.1:1"} {
		if strings.Contains(l, secret) {
			t.Errorf("logs show %q:\n%s", secret, l)
		}
	}
}
