// Package tlsmixtest has the loopback servers of the TLS mix-up tests: a
// TLS-only listener that never sends a greeting of its own (as a port 465
// or 993 server waits for the ClientHello), and a plain-text greeter (as a
// port 587 or 143 server greets at once), both on 127.0.0.1.
package tlsmixtest

import (
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
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// PKI is a throw-away CA (in CAFile) and a certificate for 127.0.0.1 and
// localhost it signed.
type PKI struct {
	CAFile string
	Cert   tls.Certificate
}

// NewPKI makes a CA and a server certificate valid for a day.
func NewPKI(t testing.TB) PKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "leadup tlsmix test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return PKI{CAFile: caFile, Cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}}
}

// Server is one test listener and what it saw.
type Server struct {
	Port int
	// Conns counts accepted connections; Handshakes the completed TLS
	// handshakes (TLS listener); AppBytes the bytes a client sent after the
	// handshake (TLS listener: a command, which a check must never send).
	// Read them after Wait.
	Conns, Handshakes, AppBytes atomic.Int64
	ln                          net.Listener
	wg                          sync.WaitGroup
}

// Wait closes the listener and waits until every client has hung up and
// the server has read all it was sent, so the counts are final. The
// clients must close their connections first, or Wait blocks.
func (s *Server) Wait() {
	s.ln.Close()
	s.wg.Wait()
}

func listen(t testing.TB, serve func(s *Server, c net.Conn)) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Port: ln.Addr().(*net.TCPAddr).Port, ln: ln}
	var mu sync.Mutex
	var conns []net.Conn
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.Conns.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				serve(s, c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		s.wg.Wait()
	})
	return s
}

// TLSOnly listens with TLS from the first byte and never writes anything
// but the handshake: like an SMTPS or IMAPS port, it waits for the client.
// What a client sends after the handshake is counted, not answered.
func TLSOnly(t testing.TB, pki PKI) *Server {
	cfg := &tls.Config{Certificates: []tls.Certificate{pki.Cert}, MinVersion: tls.VersionTLS12}
	return listen(t, func(s *Server, c net.Conn) {
		tc := tls.Server(c, cfg)
		if err := tc.Handshake(); err != nil {
			return
		}
		s.Handshakes.Add(1)
		n, _ := io.Copy(io.Discard, tc)
		s.AppBytes.Add(n)
	})
}

// Greeter listens in plain text and sends greeting (a line, CRLF added)
// the moment a client connects, then reads and discards what it is sent.
func Greeter(t testing.TB, greeting string) *Server {
	return listen(t, func(s *Server, c net.Conn) {
		if _, err := io.WriteString(c, greeting+"\r\n"); err != nil {
			return
		}
		io.Copy(io.Discard, c)
	})
}

// SMTPGreeting and IMAPGreeting are what the Greeter of each protocol says.
const (
	SMTPGreeting = "220 localhost ESMTP tlsmixtest"
	IMAPGreeting = "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] tlsmixtest ready"
)
