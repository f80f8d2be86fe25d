package mailer

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testPKI is a throw-away CA and a server certificate for 127.0.0.1 and
// localhost signed by it.
type testPKI struct {
	caFile string
	server tls.Certificate
}

func newPKI(t *testing.T) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "leadup test CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
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
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return testPKI{caFile: caFile, server: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}}
}

// envelope is one message the test server saw through DATA.
type envelope struct {
	from     string
	to       []string
	data     []byte
	tls      bool
	user     string
	accepted bool
}

// testServer is a real go-smtp server on loopback whose behaviour per
// attempt the tests script through onRcpt and onData.
type testServer struct {
	host string
	port int
	pki  testPKI

	user, pass string
	// echoPassword makes a failed AUTH answer include the password, as a
	// careless server might, to prove the client redacts it.
	echoPassword bool
	xoauth2      bool

	mu       sync.Mutex
	mails    int        // MAIL commands seen
	envs     []envelope // every DATA transfer, accepted or not
	onMail   func(n int) error
	onData   func(n int, c *smtp.Conn, data []byte) error
	sessions int
	logins   int // successful AUTH exchanges
}

type serverOpts struct {
	implicit     bool
	insecureAuth bool // allow AUTH without TLS (tls: none tests)
	noTLS        bool // do not offer STARTTLS
	user, pass   string
	echoPassword bool
	xoauth2      bool
	onMail       func(n int) error
	onData       func(n int, c *smtp.Conn, data []byte) error
}

func startServer(t *testing.T, o serverOpts) *testServer {
	t.Helper()
	ts := &testServer{pki: newPKI(t), user: o.user, pass: o.pass, echoPassword: o.echoPassword,
		xoauth2: o.xoauth2, onMail: o.onMail, onData: o.onData}
	srv := smtp.NewServer(ts)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = o.insecureAuth
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{ts.pki.server}, MinVersion: tls.VersionTLS12}
	if !o.noTLS {
		srv.TLSConfig = tlsCfg
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.implicit {
		l = tls.NewListener(l, tlsCfg)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	addr := l.Addr().(*net.TCPAddr)
	ts.host, ts.port = "127.0.0.1", addr.Port
	return ts
}

// options returns Sender options for this server with the right password.
func (ts *testServer) options(tlsMode string) Options {
	return Options{
		Host: ts.host, Port: ts.port, TLS: tlsMode, CAFile: ts.pki.caFile,
		Username: ts.user, Password: staticPassword(ts.pass), Auth: "plain",
		Timeout: 10 * time.Second,
	}
}

func staticPassword(p string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return p, nil }
}

func (ts *testServer) envelopes() []envelope {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]envelope(nil), ts.envs...)
}

func (ts *testServer) accepted() []envelope {
	var out []envelope
	for _, e := range ts.envelopes() {
		if e.accepted {
			out = append(out, e)
		}
	}
	return out
}

func (ts *testServer) mailCount() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.mails
}

var (
	_ smtp.Backend     = (*testServer)(nil)
	_ smtp.Session     = (*session)(nil)
	_ smtp.AuthSession = (*session)(nil)
)

func (ts *testServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	ts.mu.Lock()
	ts.sessions++
	ts.mu.Unlock()
	return &session{ts: ts, conn: c}, nil
}

type session struct {
	ts     *testServer
	conn   *smtp.Conn
	authed string
	env    envelope
}

func (s *session) AuthMechanisms() []string {
	if s.ts.xoauth2 {
		return []string{sasl.Plain, "XOAUTH2"}
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.ts.user || pass != s.ts.pass {
			msg := "Authentication credentials invalid"
			if s.ts.echoPassword {
				msg += " for password " + pass
			}
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: msg}
		}
		s.authed = user
		s.ts.mu.Lock()
		s.ts.logins++
		s.ts.mu.Unlock()
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error { return check(user, pass) }), nil
	case "XOAUTH2":
		return xoauth2Server(check), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// xoauth2Server is the server side of XOAUTH2 (absent from go-sasl):
// "user=U\x01auth=Bearer T\x01\x01".
type xoauth2Server func(user, token string) error

func (f xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if resp == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, kv := range bytes.Split(resp, []byte{1}) {
		if v, ok := bytes.CutPrefix(kv, []byte("user=")); ok {
			user = string(v)
		}
		if v, ok := bytes.CutPrefix(kv, []byte("auth=Bearer ")); ok {
			token = string(v)
		}
	}
	return nil, true, f(user, token)
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.user != "" && s.authed == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	s.ts.mu.Lock()
	s.ts.mails++
	n, hook := s.ts.mails, s.ts.onMail
	s.ts.mu.Unlock()
	if hook != nil {
		if err := hook(n); err != nil {
			return err
		}
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.env = envelope{from: from, tls: isTLS, user: s.authed}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.env.to = append(s.env.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	env := s.env
	env.data = data
	s.ts.mu.Lock()
	idx := len(s.ts.envs)
	s.ts.envs = append(s.ts.envs, env)
	hook := s.ts.onData
	s.ts.mu.Unlock()
	if hook != nil {
		if err := hook(idx+1, s.conn, data); err != nil {
			return err
		}
	}
	s.ts.mu.Lock()
	s.ts.envs[idx].accepted = true
	s.ts.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.env = envelope{} }
func (s *session) Logout() error { return nil }

// smtpErr builds a server reply for the scripted hooks.
func smtpErr(code int, enhanced string, msg string) error {
	ec := smtp.NoEnhancedCode
	if enhanced != "" {
		var parts [3]int
		for i, p := range bytes.Split([]byte(enhanced), []byte(".")) {
			parts[i], _ = strconv.Atoi(string(p))
		}
		ec = smtp.EnhancedCode(parts)
	}
	return &smtp.SMTPError{Code: code, EnhancedCode: ec, Message: msg}
}

// errDropped is returned by a hook that has closed the connection.
var errDropped = errors.New("connection dropped by test")

// syncBuffer is a bytes.Buffer safe for a logger and a reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
