// Package tlsconf holds the TLS policy shared by leadup's IMAP and SMTP
// clients: certificates always verified, a private CA added from a file,
// and plaintext only to this machine.
package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strings"
)

// Client returns the TLS config for a connection to host: TLS 1.2 or
// newer, the system roots plus the PEM certificates in caFile (if set).
// Verification is never turned off.
func Client(host, caFile string) (*tls.Config, error) {
	cfg := &tls.Config{ServerName: strings.Trim(host, "[]"), MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read ca_file: %w", err)
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if !roots.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %s holds no PEM certificate", caFile)
	}
	cfg.RootCAs = roots
	return cfg, nil
}

// IsLoopback reports whether host names this machine (127.0.0.0/8, ::1 or
// localhost), without a DNS lookup: the only place a plaintext login is
// allowed.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
