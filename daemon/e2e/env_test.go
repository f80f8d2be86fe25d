package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test CA"},
		NotBefore:             time.Unix(0, 0),
		NotAfter:              time.Unix(1<<32, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseEnvFile(t *testing.T) {
	ca := writeCA(t)
	env := `# written by .ci/mailservers
LEADUP_E2E_DIR=/tmp/x
LEADUP_E2E_IMAP_HOST=127.0.0.1
LEADUP_E2E_IMAPS_PORT=10993
LEADUP_E2E_IMAP_STARTTLS_PORT=10143
LEADUP_E2E_SMTP_PORT=10587
LEADUP_E2E_CA=` + ca + `
LEADUP_E2E_USER=alex@example.com
LEADUP_E2E_PASSWORD=secret
LEADUP_E2E_BOSS=jane@example.com
`
	s, err := Parse([]byte(env))
	if err != nil {
		t.Fatal(err)
	}
	if s.IMAPSAddr() != "127.0.0.1:10993" || s.IMAPStartTLSAddr() != "127.0.0.1:10143" || s.SMTPAddr() != "127.0.0.1:10587" {
		t.Errorf("addresses: %s %s %s", s.IMAPSAddr(), s.IMAPStartTLSAddr(), s.SMTPAddr())
	}
	if s.SMTPPlainAddr() != "" {
		t.Errorf("SMTPPlainAddr = %q without the key, want empty", s.SMTPPlainAddr())
	}
	if s.BossPassword != "secret" || s.CAPool == nil {
		t.Errorf("defaults: boss password %q, CA pool %v", s.BossPassword, s.CAPool)
	}
	boss := s.ForUser(s.Boss)
	if boss.User != "jane@example.com" || boss.Password != "secret" || s.User != "alex@example.com" {
		t.Errorf("ForUser: %s/%s, original now %s", boss.User, boss.Password, s.User)
	}
}

func TestParseEnvFileNamesMissingAndBadKeys(t *testing.T) {
	_, err := Parse([]byte("LEADUP_E2E_IMAP_HOST=127.0.0.1\nLEADUP_E2E_IMAPS_PORT=nope\n"))
	if err == nil {
		t.Fatal("no error for an incomplete env file")
	}
	for _, want := range []string{"LEADUP_E2E_CA", "LEADUP_E2E_USER", "LEADUP_E2E_SMTP_PORT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	_, err = Parse([]byte(strings.Join([]string{
		"LEADUP_E2E_DIR=/d", "LEADUP_E2E_IMAP_HOST=h", "LEADUP_E2E_IMAPS_PORT=99999",
		"LEADUP_E2E_IMAP_STARTTLS_PORT=1", "LEADUP_E2E_SMTP_PORT=2", "LEADUP_E2E_CA=/none",
		"LEADUP_E2E_USER=u", "LEADUP_E2E_PASSWORD=p", "LEADUP_E2E_BOSS=b",
	}, "\n")))
	if err == nil || !strings.Contains(err.Error(), "LEADUP_E2E_IMAPS_PORT") {
		t.Fatalf("error %v does not name the bad port", err)
	}
}

func TestParseEnvFileServers(t *testing.T) {
	ca := writeCA(t)
	base := strings.Join([]string{
		"LEADUP_E2E_DIR=/d", "LEADUP_E2E_IMAP_HOST=localhost", "LEADUP_E2E_IMAPS_PORT=11993",
		"LEADUP_E2E_IMAP_STARTTLS_PORT=11143", "LEADUP_E2E_SMTP_PORT=11587", "LEADUP_E2E_CA=" + ca,
		"LEADUP_E2E_USER=alex@localhost", "LEADUP_E2E_PASSWORD=p", "LEADUP_E2E_BOSS=jane@localhost",
	}, "\n") + "\n"
	s, err := Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != Dovecot || s.IsMox() || s.LogFile != "postfix/postfix.log" {
		t.Errorf("without LEADUP_E2E_SERVER: name %q, mox %v, log %q; want Dovecot's", s.Name, s.IsMox(), s.LogFile)
	}
	if _, err := Parse([]byte(base + "LEADUP_E2E_SERVER=mox\n")); err == nil || !strings.Contains(err.Error(), "LEADUP_E2E_MOX_BIN") {
		t.Errorf("mox without its binary and config: error %v, want one naming LEADUP_E2E_MOX_BIN", err)
	}
	s, err = Parse([]byte(base + "LEADUP_E2E_SERVER=mox\nLEADUP_E2E_MOX_BIN=/b/mox\nLEADUP_E2E_MOX_CONFIG=/m/mox.conf\nLEADUP_E2E_LOG=mox/mox.log\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.IsMox() || s.LogFile != "mox/mox.log" || s.MoxBin != "/b/mox" || s.MoxConfig != "/m/mox.conf" {
		t.Errorf("mox env parsed as %+v", s)
	}
	if tc := s.TLSConfig(); tc.ServerName != "localhost" {
		t.Errorf("TLSConfig().ServerName = %q, want the IMAP host (mox's certificate names localhost only)", tc.ServerName)
	}
	if _, err := Parse([]byte(base + "LEADUP_E2E_SERVER=cyrus\n")); err == nil || !strings.Contains(err.Error(), "cyrus") {
		t.Errorf("an unknown server: error %v, want one naming it", err)
	}
}

func TestIsolatedTagNeverTripsMoxLocalserve(t *testing.T) {
	for _, tc := range []struct {
		name   string
		suffix []byte
	}{
		{"TestSmokeSubmissionDeliversViaLMTP/mox", []byte{0x87, 0xf1, 0xc5, 0x65}}, // the CI flake: "...c565"
		{"TestX/case500", []byte{0x00, 0x00, 0x04, 0x50}},
		{"TestRetry/permerror", nil},
	} {
		tag := isolatedTag(tc.name, tc.suffix)
		for _, bad := range []string{"temperror", "permerror", "timeout"} {
			if strings.HasSuffix(tag, bad) {
				t.Errorf("isolatedTag(%q) = %q, ends in %q", tc.name, tag, bad)
			}
		}
		if last := tag[len(tag)-1]; last >= '0' && last <= '9' {
			t.Errorf("isolatedTag(%q) = %q, ends in a digit", tc.name, tag)
		}
		if !strings.HasPrefix(tag, "test") || strings.ContainsAny(tag, "/ ") {
			t.Errorf("isolatedTag(%q) = %q, want the lower-cased name with '-' for other runes", tc.name, tag)
		}
	}
}
