package server_test

import (
	"net/http/httptest"
	"testing"

	"lianluo/internal/server"
)

// ClientAddr takes X-Forwarded-For only from a trusted proxy, and then the
// rightmost address that is not a trusted proxy: what a client writes in
// the header itself never becomes its address.
func TestClientAddr(t *testing.T) {
	t.Parallel()
	proxies, err := server.ParseTrustedProxies("10.0.0.0/8, 127.0.0.1, ::1/128")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		peer    string
		xff     []string // X-Forwarded-For headers, in order
		trusted bool     // with the proxies above (else none)
		want    string
	}{
		{"direct, no header", "203.0.113.7:5000", nil, true, "203.0.113.7"},
		{"direct, spoofed header", "203.0.113.7:5000", []string{"1.2.3.4"}, true, "203.0.113.7"},
		{"no trusted proxies: header ignored", "10.0.0.2:5000", []string{"198.51.100.9"}, false, "10.0.0.2"},
		{"one proxy", "10.0.0.2:5000", []string{"198.51.100.9"}, true, "198.51.100.9"},
		{"one proxy, client spoofs a leftmost entry", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.9"}, true, "198.51.100.9"},
		{"client spoofs a trusted address", "10.0.0.2:5000", []string{"10.9.9.9, 198.51.100.9"}, true, "198.51.100.9"},
		{"two proxies", "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.9, 10.0.0.3"}, true, "198.51.100.9"},
		{"two headers count as one list", "127.0.0.1:5000", []string{"1.2.3.4", "198.51.100.9, 10.0.0.3"}, true, "198.51.100.9"},
		{"loopback proxy, IPv6 client", "[::1]:5000", []string{"2001:db8::5"}, true, "2001:db8::5"},
		{"entry with a port", "10.0.0.2:5000", []string{"198.51.100.9:4711"}, true, "198.51.100.9"},
		{"garbage left of the client", "10.0.0.2:5000", []string{"evil, 198.51.100.9"}, true, "198.51.100.9"},
		{"garbage from the client only", "10.0.0.2:5000", []string{"<script>"}, true, "10.0.0.2"},
		{"every entry a proxy", "10.0.0.2:5000", []string{"10.0.0.4, 10.0.0.3"}, true, "10.0.0.4"},
		{"proxy without a header", "10.0.0.2:5000", nil, true, "10.0.0.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			trusted := proxies
			if !tc.trusted {
				trusted = nil
			}
			if got := server.ClientAddr(r, trusted); got != tc.want {
				t.Errorf("ClientAddr(peer %s, X-Forwarded-For %q) = %q; want %q", tc.peer, tc.xff, got, tc.want)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"10.0.0.0/33", "proxy.example.cn", "10.0.0.1-10.0.0.9", "fe80::/129"} {
		if _, err := server.ParseTrustedProxies(s); err == nil {
			t.Errorf("ParseTrustedProxies(%q) = nil error; want refused", s)
		}
	}
	got, err := server.ParseTrustedProxies(" 10.1.2.3/8 ,192.168.1.10,, ::1/128")
	if err != nil || len(got) != 3 || got[0].String() != "10.0.0.0/8" || got[1].String() != "192.168.1.10/32" || got[2].String() != "::1/128" {
		t.Errorf("ParseTrustedProxies = %v, %v; want [10.0.0.0/8 192.168.1.10/32 ::1/128]", got, err)
	}
}
