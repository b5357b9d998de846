package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
	"lianluo/internal/web"
)

// FuzzPublicForms posts any form body — urlencoded, or multipart with a
// fixed boundary the fuzzer can cut across — and any query string to the
// pages anyone may use, through the whole server (its input checks, the
// form reading, the store). The answer is never a 500. On PostgreSQL when
// LIANLUO_TEST_POSTGRES_URL is set.
func FuzzPublicForms(f *testing.F) {
	const boundary = "fuzzboundary"
	endpoints := []struct{ method, path string }{
		{"POST", "/submit"},
		{"POST", "/submit/code"},
		{"POST", "/track"},
		{"POST", "/track/%s/rating"},
		{"GET", "/track/%s"},
		{"POST", "/console/login"},
		{"GET", "/results"},
		{"POST", "/prefs"},
	}
	submit := url.Values{"station_id": {"1"}, "title": {"路灯不亮"}, "content": {"庐山西路口的路灯坏了一个多月。"},
		"category": {"道路照明"}, "name": {"张三"}, "phone": {"13912340000"}, "consent": {"1"}}
	multipartBody := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n路灯不亮\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"station_id\"\r\n\r\n1\r\n" +
		"--" + boundary + "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n" +
		"--" + boundary + "--\r\n"
	for _, s := range []struct {
		endpoint  uint8
		multipart bool
		body      string
		query     string
		code      string
	}{
		{0, false, submit.Encode(), "", ""},
		{0, true, multipartBody, "", ""},
		{1, false, url.Values{"phone": {"13912340000"}}.Encode(), "", ""},
		{2, false, "code=ABCDEFGHJK&tail=0000", "", ""},
		{3, false, "tail=0000&rating=satisfied&comment=%E5%A5%BD", "", "ABCDEFGHJK"},
		{4, false, "", "tail=0000", "ABCDEFGHJK"},
		{5, false, "username=admin&password=x&next=%2Fconsole%2F", "", ""},
		{6, false, "", "region=330206&category=%E9%81%93%E8%B7%AF&month=2026-03&page=2", ""},
		{7, false, "toggle=large&back=%2Fresults", "", ""},
		{0, true, strings.Replace(multipartBody, "a.png", "a\x00.png", 1), "", ""},
		{2, false, "code=AB%00CD&tail=%FF", "", ""},
	} {
		f.Add(s.endpoint, s.multipart, []byte(s.body), s.query, s.code)
	}

	dialect := sqlstore.SQLite
	if storetest.PostgresURL() != "" {
		dialect = sqlstore.Postgres
	}
	db := storetest.MustOpen(f, dialect)
	storetest.MustWorld(f, db)
	logger := slog.New(slog.DiscardHandler)
	pages, err := web.New(web.Config{Services: db.Services(), Logger: logger, Now: db.Now})
	if err != nil {
		f.Fatal(err)
	}
	h := server.New(server.Config{Services: db.Services(), DB: db, Logger: logger, Pages: pages})
	calls := 0
	f.Fuzz(func(t *testing.T, endpoint uint8, multipart bool, body []byte, query, code string) {
		e := endpoints[int(endpoint)%len(endpoints)]
		req := httptest.NewRequest(e.method, "/", bytes.NewReader(body))
		req.URL.Path = strings.Replace(e.path, "%s", code, 1)
		req.URL.RawQuery = query
		if multipart {
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		calls++ // a fresh address each time, past the per-address limits
		req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:40000", calls>>16&255, calls>>8&255, calls&255)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q?%q = %d\n%s", e.method, req.URL.Path, query, rec.Code, clip(rec.Body.String()))
		}
	})
}
