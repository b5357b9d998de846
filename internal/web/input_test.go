package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/api"
	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
	"lianluo/internal/web"
)

// TestBadText sends NUL bytes and invalid UTF-8 — which PostgreSQL cannot
// store in text and SQLite stores — through every kind of input the
// server takes: JSON bodies, query strings, the path, urlencoded and
// multipart forms and an uploaded file's name, on the public API and
// pages, the logins and a staff form. Each answers 400 naming the field,
// on both databases, and writes nothing.
func TestBadText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		svc := db.Services()
		logger := slog.New(slog.DiscardHandler)
		pages, err := web.New(web.Config{Services: svc, Logger: logger, Now: db.Now})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(server.New(server.Config{Services: svc, DB: db, Logger: logger, Pages: pages,
			API: api.New(api.Config{Services: svc, Logger: logger, Logins: server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000}), Now: db.Now})}))
		t.Cleanup(srv.Close)
		ctx := storetest.SystemContext()

		// One good opinion to track, rate and add photos to.
		opinion := func(title string) map[string]any {
			return map[string]any{"station_id": w.StationA.ID, "title": title, "content": "庐山西路口的路灯坏了一个多月。",
				"category": "道路照明", "name": "张三", "phone": "13912340000", "consent": true}
		}
		b, _ := json.Marshal(opinion("路灯不亮"))
		res, err := http.Post(srv.URL+"/api/v1/public/opinions", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var receipt lianluo.Receipt
		json.NewDecoder(res.Body).Decode(&receipt)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated || receipt.TrackingCode == "" {
			t.Fatalf("submit a good opinion: %d %+v", res.StatusCode, receipt)
		}
		code := receipt.TrackingCode
		cases, _, err := db.FindCases(ctx, lianluo.CaseFilter{})
		if err != nil || len(cases) != 1 {
			t.Fatalf("FindCases = %d, %v; want the one opinion", len(cases), err)
		}
		_, users, err := db.FindUsers(ctx, lianluo.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		admin := w.Token(t, "admin")

		jsonBody := func(v any) string { b, _ := json.Marshal(v); return string(b) }
		form := func(kv ...string) string {
			f := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				f.Add(kv[i], kv[i+1])
			}
			return f.Encode()
		}
		// photo is a multipart body with a good PNG under the file name
		// given (set raw in the part's header, as a client may send it).
		photo := func(field, disposition string, fields ...string) (string, string) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			for i := 0; i+1 < len(fields); i += 2 {
				mw.WriteField(fields[i], fields[i+1])
			}
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="%s"; %s`, field, disposition))
			h.Set("Content-Type", "image/png")
			pw, _ := mw.CreatePart(h)
			pw.Write(photoPNG(t))
			mw.Close()
			return mw.FormDataContentType(), b.String()
		}
		const (
			jsonCT = "application/json"
			formCT = "application/x-www-form-urlencoded"
		)
		multipartCT, badFileName := photo("photo", `filename="照片`+"\xff"+`.png"`)
		submitCT, badSubmit := photo("photos", `filename="a.png"`, "station_id", fmt.Sprint(w.StationA.ID), "title", "路灯\x00不亮",
			"content", "庐山西路口的路灯坏了一个多月。", "category", "道路照明", "consent", "1")
		nulCT, nulFileName := photo("photos", `filename*=UTF-8''a%00b.png`, "station_id", fmt.Sprint(w.StationA.ID), "title", "路灯不亮",
			"content", "庐山西路口的路灯坏了一个多月。", "category", "道路照明", "consent", "1")
		badOpinion := opinion("路灯不亮")
		badOpinion["content"] = "路灯\x00坏了"

		for _, tc := range []struct {
			name, method, path, ct, body, token string
			field                               string
		}{
			{"public submission, a NUL in JSON", "POST", "/api/v1/public/opinions", jsonCT, jsonBody(badOpinion), "", "content"},
			{"public submission, \\u0000 written out", "POST", "/api/v1/public/opinions", jsonCT,
				strings.Replace(jsonBody(opinion("路灯不亮")), "路灯不亮", `路灯\u0000不亮`, 1), "", "title"},
			{"public submission, invalid UTF-8 in JSON", "POST", "/api/v1/public/opinions", jsonCT,
				strings.Replace(jsonBody(opinion("路灯不亮")), "张三", "张\xff三", 1), "", "name"},
			{"public submission page", "POST", "/submit", submitCT, badSubmit, "", "title"},
			{"public submission page, a NUL in a file name", "POST", "/submit", nulCT, nulFileName, "", "photos"},
			{"public track look-up, query", "GET", "/api/v1/public/opinions/" + code + "?phone_tail=00%0000", "", "", "", "phone_tail"},
			{"public track look-up, path", "GET", "/api/v1/public/opinions/" + code + "%00", "", "", "", "path"},
			{"public track page", "POST", "/track", formCT, form("code", code+"\xff", "tail", "0000"), "", "code"},
			{"public rating", "POST", "/api/v1/public/opinions/" + code + "/rating?phone_tail=0000", jsonCT,
				jsonBody(map[string]string{"rating": "satisfied", "comment": "好\x00"}), "", "comment"},
			{"public photo, a file name", "POST", "/api/v1/public/opinions/" + code + "/photos?phone_tail=0000", multipartCT, badFileName, "", "photo"},
			{"API login", "POST", "/api/v1/auth/login", jsonCT, jsonBody(map[string]string{"username": "admin\x00", "password": "x"}), "", "username"},
			{"console login", "POST", "/console/login", formCT, form("username", "admin\xff", "password", "x"), "", "username"},
			{"staff create", "POST", "/api/v1/users", jsonCT, jsonBody(map[string]any{"username": "newclerk", "display_name": "新\x00文员",
				"password": storetest.Password, "roles": []map[string]any{{"role": "system_admin"}}}), admin, "display_name"},
			{"staff list, query", "GET", "/api/v1/cases?q=%FF%FE", "", "", admin, "q"},
			{"console page, query", "GET", "/console/cases?q=%00", "", "", "", "q"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
				if err != nil {
					t.Fatal(err)
				}
				if tc.ct != "" {
					req.Header.Set("Content-Type", tc.ct)
				}
				if tc.token != "" {
					req.Header.Set("Authorization", "Bearer "+tc.token)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(raw), "“"+tc.field+"”") {
					t.Fatalf("%s %s = %d %s; want 400 naming %q", tc.method, tc.path, res.StatusCode, raw, tc.field)
				}
				if strings.HasPrefix(tc.path, "/api/") {
					var e struct{ Error struct{ Code, Field string } }
					if json.Unmarshal(raw, &e); e.Error.Code != lianluo.EINVALID || e.Error.Field != tc.field {
						t.Errorf("API error = %s; want code invalid, field %q", raw, tc.field)
					}
				}
			})
		}

		if got, _, err := db.FindCases(ctx, lianluo.CaseFilter{}); err != nil || len(got) != 1 {
			t.Errorf("cases after the refused requests = %d, %v; want 1", len(got), err)
		}
		if got, err := db.FindAttachments(ctx, cases[0].ID); err != nil || len(got) != 0 {
			t.Errorf("photos after the refused requests = %d, %v; want 0", len(got), err)
		}
		if _, got, err := db.FindUsers(ctx, lianluo.UserFilter{}); err != nil || got != users {
			t.Errorf("users after the refused requests = %d, %v; want %d", got, err, users)
		}
	})
}
