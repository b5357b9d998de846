package main

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
)

// env is an environment holding exactly vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// Every serve setting is read from its LIANLUO_* variable, and a flag wins
// over the variable.
func TestServeConfigFromEnv(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want config
	}{
		{"defaults", nil, nil,
			config{DataDir: "data", Addr: "127.0.0.1:8080", Jobs: true}},
		{"trusted proxies", map[string]string{"LIANLUO_TRUSTED_PROXIES": "10.0.0.0/8, ::1/128"}, nil,
			config{DataDir: "data", Addr: "127.0.0.1:8080", Jobs: true, TrustedProxies: "10.0.0.0/8, ::1/128"}},
		{"flag over variable", map[string]string{"LIANLUO_TRUSTED_PROXIES": "10.0.0.0/8"}, []string{"--trusted-proxies=127.0.0.1/32"},
			config{DataDir: "data", Addr: "127.0.0.1:8080", Jobs: true, TrustedProxies: "127.0.0.1/32"}},
		{"trust proxy off", map[string]string{"LIANLUO_TRUST_PROXY": "0"}, nil,
			config{DataDir: "data", Addr: "127.0.0.1:8080", Jobs: true}},
		{"every variable", map[string]string{
			"LIANLUO_DATA_DIR": "/srv/lianluo", "LIANLUO_DATABASE_URL": "postgres://db/lianluo",
			"LIANLUO_ADDR": "0.0.0.0:80", "LIANLUO_DEV": "true", "LIANLUO_DEMO": "1",
			"LIANLUO_PUBLIC_URL": "https://lianluo.example.cn", "LIANLUO_TRUSTED_PROXIES": "192.168.1.10", "LIANLUO_JOBS": "false",
			"LIANLUO_KEY_FILE": "/srv/lianluo.key",
		}, nil,
			config{DataDir: "/srv/lianluo", DatabaseURL: "postgres://db/lianluo", KeyFile: "/srv/lianluo.key", Addr: "0.0.0.0:80", Dev: true,
				Demo: true, PublicURL: "https://lianluo.example.cn", TrustedProxies: "192.168.1.10", Jobs: false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := serveConfig(tc.args, env(tc.env), io.Discard)
			if err != nil {
				t.Fatalf("serveConfig(%v, %v): %v", tc.args, tc.env, err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("serveConfig(%v, %v) = %+v; want %+v", tc.args, tc.env, *got, tc.want)
			}
		})
	}
}

// An on/off variable that is neither 1/true nor 0/false stops every command,
// naming the variable, even when a flag would override it.
func TestBadBoolEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		key  string
		args []string
	}{
		{"LIANLUO_TRUST_PROXY", []string{"serve", "--addr", "127.0.0.1:0"}},
		{"LIANLUO_TRUST_PROXY", []string{"serve", "--trust-proxy"}},
		{"LIANLUO_JOBS", []string{"serve"}},
		{"LIANLUO_DEMO", []string{"serve"}},
		{"LIANLUO_DEV", []string{"serve"}},
		{"LIANLUO_DEV", []string{"user", "list"}},
		{"LIANLUO_DEV", []string{"export", "template", "orgs", "--out", dir + "/t.xlsx"}},
	} {
		var out bytes.Buffer
		e := env(map[string]string{"LIANLUO_DATA_DIR": dir, tc.key: "yes"})
		err := run(context.Background(), tc.args, e, &out, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.key) {
			t.Errorf("%s=yes lianluo %v: %v; want an error naming %s", tc.key, tc.args, err, tc.key)
		}
	}
}

// A wrong proxy range stops serve with a message naming the setting and the
// value; the retired --trust-proxy is refused, pointing at --trusted-proxies.
func TestTrustedProxiesRefused(t *testing.T) {
	t.Parallel()
	refusedConfigs(t, []refusedConfig{
		{"bad range", nil, []string{"--trusted-proxies", "10.0.0.0/8,10.0.0.300/32"}, []string{"--trusted-proxies", "10.0.0.300/32", "不是有效"}},
		{"bad range in the variable", map[string]string{"LIANLUO_TRUSTED_PROXIES": "proxy.local"}, nil, []string{"LIANLUO_TRUSTED_PROXIES", "proxy.local"}},
		{"--trust-proxy", nil, []string{"--trust-proxy"}, []string{"--trust-proxy", "已停用", "--trusted-proxies"}},
		{"LIANLUO_TRUST_PROXY=1", map[string]string{"LIANLUO_TRUST_PROXY": "1"}, nil, []string{"LIANLUO_TRUST_PROXY", "--trusted-proxies"}},
	})
}

// refusedConfig is a serve configuration that must stop serve, and what
// its message must name.
type refusedConfig struct {
	name string
	env  map[string]string
	args []string
	want []string
}

func refusedConfigs(t *testing.T, cases []refusedConfig) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := serveConfig(tc.args, env(tc.env), io.Discard)
			if err == nil {
				t.Fatalf("serveConfig(%v, %v) = nil error; want refused", tc.args, tc.env)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("serveConfig(%v, %v) = %v; want it to name %q", tc.args, tc.env, err, w)
				}
			}
		})
	}
}
