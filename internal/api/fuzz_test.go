package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// FuzzPublicAPI sends any body, query string and tracking code to the
// endpoints anyone may call, through the whole server (its input checks,
// then decode, then the store). Whatever comes in, the answer is never a
// 500 — a database refusing what we passed it (a NUL on PostgreSQL) is one
// — and every error is the API's JSON error with a message. On PostgreSQL
// when LIANLUO_TEST_POSTGRES_URL is set.
func FuzzPublicAPI(f *testing.F) {
	endpoints := []struct{ method, path string }{
		{"POST", "/api/v1/public/opinions"},
		{"POST", "/api/v1/auth/login"},
		{"POST", "/api/v1/public/verify-codes"},
		{"GET", "/api/v1/public/opinions/"},
		{"POST", "/api/v1/public/opinions/%s/rating"},
		{"GET", "/api/v1/public/stations"},
		{"GET", "/api/v1/public/results"},
		{"GET", "/api/v1/public/regions"},
	}
	for i, s := range []struct{ body, query, code string }{
		{`{"station_id":1,"title":"路灯不亮","content":"庐山西路口的路灯坏了。","category":"道路照明","phone":"13912340000","consent":true}`, "", ""},
		{`{"username":"admin","password":"Lianluo@2026"}`, "", ""},
		{`{"phone":"13912340000"}`, "", ""},
		{"", "phone_tail=0000", "ABCDEFGHJK"},
		{`{"rating":"satisfied","comment":"好"}`, "phone_tail=0000", "ABCDEFGHJK"},
		{"", "q=%E5%A4%A7%E7%A2%B6&region=330206&page=2&per_page=5", ""},
		{"", "month=2026-03&category=%00", ""},
		{"", "code=330206004", ""},
	} {
		f.Add(uint8(i), []byte(s.body), s.query, s.code)
	}
	f.Add(uint8(0), []byte(`{"station_id":1,"title":"路灯\u0000","content":"\xff","consent":true}`), "", "")
	f.Add(uint8(3), []byte(nil), "phone_tail=%FF", "AB\x00CD")
	f.Add(uint8(1), []byte(`{"username":"a","password":"b"} {}`), "", "")

	dialect := sqlstore.SQLite
	if storetest.PostgresURL() != "" {
		dialect = sqlstore.Postgres
	}
	db := storetest.MustOpen(f, dialect)
	storetest.MustWorld(f, db)
	svc := db.Services()
	logger := slog.New(slog.DiscardHandler)
	h := server.New(server.Config{Services: svc, DB: db, Logger: logger,
		API: api.New(api.Config{Services: svc, Logger: logger, Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 1 << 20, PerName: 1 << 20}), Now: db.Now})})
	calls := 0
	f.Fuzz(func(t *testing.T, endpoint uint8, body []byte, query, code string) {
		e := endpoints[int(endpoint)%len(endpoints)]
		req := httptest.NewRequest(e.method, "/", bytes.NewReader(body))
		req.URL.Path = e.path
		if e.path == "/api/v1/public/opinions/" {
			req.URL.Path += code
		} else if bytes.Contains([]byte(e.path), []byte("%s")) {
			req.URL.Path = fmt.Sprintf(e.path, code)
		}
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/json")
		// A fresh address for each call, so the per-address limits on
		// submissions and codes let the fuzzer past them.
		calls++
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", calls>>16&255, calls>>8&255, calls&255)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q?%q = %d %s", e.method, req.URL.Path, query, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var res struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Error.Message == "" ||
				lianluo.HTTPStatus(res.Error.Code) != rec.Code {
				t.Fatalf("%s %q = %d %s; want the API's JSON error", e.method, req.URL.Path, rec.Code, rec.Body)
			}
		}
	})
}
