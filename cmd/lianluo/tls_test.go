package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// selfSigned writes a fresh self-signed certificate for 127.0.0.1 and its
// key as PEM files in dir, and returns their paths and the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "lianluo test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if cert, err = x509.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// With --tls-cert and --tls-key serve speaks HTTPS itself, names https://
// addresses, and answers with HSTS.
func TestServeTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile, cert := selfSigned(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--jobs=false",
			"--tls-cert", certFile, "--tls-key", keyFile}, noEnv, &out, &logs)
	}()
	addrRe := regexp.MustCompile(`https://(127\.0\.0\.1:\d+)/console/`)
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s\n%s", err, out.String(), logs.String())
		default:
		}
	}
	if addr == "" {
		t.Fatalf("serve did not print an https address:\n%s\n%s", out.String(), logs.String())
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get("https://" + addr + "/console/login")
	if err != nil {
		t.Fatalf("GET over TLS: %v", err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Strict-Transport-Security") != "max-age=31536000" {
		t.Errorf("GET over TLS: %d, Strict-Transport-Security %q; want 200 and max-age=31536000", res.StatusCode, res.Header.Get("Strict-Transport-Security"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v", err)
	}
}

// A certificate without its key, a key without its certificate and files
// that are no certificate stop serve with a message naming the settings.
func TestTLSConfigRefused(t *testing.T) {
	t.Parallel()
	certFile, keyFile, _ := selfSigned(t, t.TempDir())
	otherCert, _, _ := selfSigned(t, t.TempDir())
	refusedConfigs(t, []refusedConfig{
		{"cert only", nil, []string{"--tls-cert", certFile}, []string{"--tls-key", "同时"}},
		{"key only in the variable", map[string]string{"LIANLUO_TLS_KEY": keyFile}, nil, []string{"LIANLUO_TLS_CERT", "同时"}},
		{"missing file", nil, []string{"--tls-cert", certFile + ".none", "--tls-key", keyFile}, []string{"--tls-cert", "无法读取"}},
		{"key of another certificate", nil, []string{"--tls-cert", otherCert, "--tls-key", keyFile}, []string{"无法读取", "匹配"}},
		{"key as the certificate", nil, []string{"--tls-cert", keyFile, "--tls-key", keyFile}, []string{"无法读取"}},
	})
	c, err := serveConfig([]string{"--tls-cert", certFile}, env(map[string]string{"LIANLUO_TLS_KEY": keyFile}), io.Discard)
	if err != nil || c.TLSCert != certFile || c.TLSKey != keyFile {
		t.Errorf("serveConfig with both = %+v, %v; want both files", c, err)
	}
}
