package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// What a request says about itself through reverse proxies: the client's
// address (ClientAddr, in server.go) and whether it came over TLS. Both are
// believed only from the proxies listed in Config.TrustedProxies.

// forwardedFor splits X-Forwarded-For headers (several headers count as one
// list, in order) into their entries.
func forwardedFor(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	return hops
}

// parseHop reads one X-Forwarded-For entry: an address, or an address and
// a port as some proxies write it ("192.0.2.1:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of CIDR ranges
// ("10.0.0.0/8,127.0.0.1/32"); a single address stands for itself.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			return nil, fmt.Errorf("“%s”不是有效的网段或地址，应写成 CIDR，例如 10.0.0.0/8、192.168.1.10/32、::1/128", f)
		}
	}
	return out, nil
}

type secureKey struct{}

// IsSecure reports whether the request came over TLS, as securityHeaders
// decided: a cookie set on it is marked Secure.
func IsSecure(r *http.Request) bool {
	secure, _ := r.Context().Value(secureKey{}).(bool)
	return secure || r.TLS != nil
}

// overTLS: this server's own TLS, or X-Forwarded-Proto: https from a
// trusted proxy (the rightmost value, the one the nearest proxy wrote).
// Anyone else's X-Forwarded-Proto is the client's word and proves nothing.
func overTLS(r *http.Request, trusted []netip.Prefix) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer.Unmap(), trusted) {
		return false
	}
	protos := forwardedFor(r.Header.Values("X-Forwarded-Proto"))
	return len(protos) > 0 && strings.EqualFold(protos[len(protos)-1], "https")
}
