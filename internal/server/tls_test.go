package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"lianluo/internal/server"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// loginOver posts the console's login form (or the API's, when api is set)
// with the right password through client to base, with extra headers.
func loginOver(t *testing.T, client *http.Client, base string, api bool, header ...string) *http.Response {
	t.Helper()
	var req *http.Request
	if api {
		req, _ = http.NewRequest("POST", base+"/api/v1/auth/login", strings.NewReader(`{"username":"heada","password":"`+storetest.Password+`"}`))
		req.Header.Set("Content-Type", "application/json")
	} else {
		form := url.Values{"username": {"heada"}, "password": {storetest.Password}}
		req, _ = http.NewRequest("POST", base+"/console/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusOK {
		t.Fatalf("login (api %v): status %d", api, res.StatusCode)
	}
	return res
}

// sessionCookie returns the session cookie a login answer sets.
func sessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == "lianluo_session" && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no session cookie in %q", res.Header.Values("Set-Cookie"))
	return nil
}

// The session cookie is Secure and the answer carries HSTS exactly when the
// request came over TLS: to this server, or to a trusted proxy that says so.
// A client's own X-Forwarded-Proto: https over plain HTTP changes nothing.
func TestSecureCookieAndHSTS(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustWorld(t, db)
		logins := server.NewLoginLimiter(server.LoginLimits{PerAddress: 1000, PerName: 1000})
		loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}

		direct := httptest.NewTLSServer(stack(t, db, server.Config{}, logins))
		t.Cleanup(direct.Close)
		plain := httptest.NewServer(stack(t, db, server.Config{}, logins))
		t.Cleanup(plain.Close)
		proxied := httptest.NewServer(stack(t, db, server.Config{TrustedProxies: loopback}, logins))
		t.Cleanup(proxied.Close)

		for _, tc := range []struct {
			name   string
			srv    *httptest.Server
			header []string
			secure bool
		}{
			{"TLS to the server", direct, nil, true},
			{"plain HTTP", plain, nil, false},
			{"plain HTTP, untrusted peer claims https", plain, []string{"X-Forwarded-Proto", "https"}, false},
			{"trusted proxy says https", proxied, []string{"X-Forwarded-Proto", "https"}, true},
			{"trusted proxy says http", proxied, []string{"X-Forwarded-Proto", "http"}, false},
			{"trusted proxy, no header", proxied, nil, false},
		} {
			for _, api := range []bool{false, true} {
				res := loginOver(t, tc.srv.Client(), tc.srv.URL, api, tc.header...)
				if got := sessionCookie(t, res).Secure; got != tc.secure {
					t.Errorf("%s (api %v): session cookie Secure = %v; want %v", tc.name, api, got, tc.secure)
				}
				hsts := res.Header.Get("Strict-Transport-Security")
				if want := map[bool]string{true: "max-age=31536000", false: ""}[tc.secure]; hsts != want {
					t.Errorf("%s (api %v): Strict-Transport-Security = %q; want %q", tc.name, api, hsts, want)
				}
			}
		}
	})
}
