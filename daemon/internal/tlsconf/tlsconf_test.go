package tlsconf

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1": true, "127.9.9.9": true, "::1": true, "[::1]": true, "LOCALHOST": true,
		"imap.example.com": false, "10.0.0.1": false, "localhost.example.com": false, "": false} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestClient(t *testing.T) {
	cfg, err := Client("[::1]", "")
	if err != nil || cfg.ServerName != "::1" || cfg.InsecureSkipVerify || cfg.RootCAs != nil {
		t.Fatalf("Client without CA = %+v, %v", cfg, err)
	}
	bad := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	if _, err := Client("h", bad); err == nil {
		t.Error("a ca_file without a PEM certificate must be refused")
	}
	if _, err := Client("h", filepath.Join(t.TempDir(), "missing.pem")); err == nil {
		t.Error("a missing ca_file must be refused")
	}
}
