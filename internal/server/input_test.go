package server_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"testing"

	"lianluo/internal/server"
)

// TestCheckInputReplaysBody: a form that passes the checks reaches the
// handler byte for byte — a small urlencoded one, and a multipart one large
// enough to be read ahead into a temporary file — and a bad file name after
// megabytes of photo is still found, on a page (plain text) and in the API
// (its JSON error). The temporary files are gone afterwards.
func TestCheckInputReplaysBody(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var got []byte
	h := server.CheckInput(slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
	}))
	photo := bytes.Repeat([]byte{0, 0xff, 'x'}, 1<<20) // 3 MB that are not text, as a photo is not
	form := func(filename string) (string, []byte) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("title", "路灯不亮")
		for i, name := range []string{"a.png", filename} {
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="photos%d"; filename="%s"`, i, name))
			pw, _ := mw.CreatePart(hdr)
			pw.Write(photo)
		}
		mw.Close()
		return mw.FormDataContentType(), b.Bytes()
	}

	for _, tc := range []struct {
		name, path, ct string
		body           []byte
		status         int
		answer         string // part of the answer, for a refusal
	}{
		{"urlencoded", "/track", "application/x-www-form-urlencoded", []byte("code=ABC&tail=0000"), 200, ""},
		{"multipart", "/submit", "", nil, 200, ""},
		{"a bad file name, page", "/submit", "", nil, 400, "字段“photos1”"},
		{"a bad file name, API", "/api/v1/public/opinions/X/photos", "", nil, 400, `"field":"photos1"`},
		{"a bad value", "/track", "application/x-www-form-urlencoded", []byte("code=ABC%00&tail=0000"), 400, "字段“code”"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.body == nil {
				name := "b.png"
				if tc.status != 200 {
					name = "b\xff.png"
				}
				tc.ct, tc.body = form(name)
			}
			got = nil
			req := httptest.NewRequest("POST", tc.path, bytes.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ct)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.answer) {
				t.Fatalf("POST %s = %d %s; want %d with %q", tc.path, rec.Code, rec.Body, tc.status, tc.answer)
			}
			if tc.status == 200 && !bytes.Equal(got, tc.body) {
				t.Errorf("the handler read %d bytes; want the %d sent, unchanged", len(got), len(tc.body))
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
			if strings.HasPrefix(tc.path, "/api/") && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Errorf("API refusal Content-Type = %q", rec.Header().Get("Content-Type"))
			}
		})
	}
}
