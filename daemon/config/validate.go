package config

import (
	"fmt"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/leadup/leadup/daemon/calendar"
	"github.com/leadup/leadup/daemon/internal/tlsconf"
	"github.com/leadup/leadup/daemon/internal/tlsmix"
	"github.com/robfig/cron/v3"
)

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// validator collects problems while turning raw values into typed ones.
type validator struct {
	problems []Problem
}

func (v *validator) add(key, format string, args ...any) {
	v.problems = append(v.problems, problemf(key, format, args...))
}

// validate turns r into a Config. fileMode is the config file's permission
// bits, used to warn about literal passwords others can read.
func validate(r *raw, file string, fileMode fs.FileMode) (*Config, []Problem) {
	v := &validator{}
	c := &Config{File: file}

	// me
	c.Me.Name = v.name("me.name", r.Me.Name)
	c.Me.Email = v.email("me.email", r.Me.Email, true)
	for i, a := range r.Me.Aliases {
		if e := v.email(fmt.Sprintf("me.aliases[%d]", i), a, true); e != "" {
			c.Me.Aliases = append(c.Me.Aliases, e)
		}
	}

	// time zone and calendar
	c.Location = time.Local
	if r.Timezone == "" {
		v.add("timezone", "missing: set your IANA time zone, like Europe/Berlin or America/New_York")
	} else if loc, err := time.LoadLocation(r.Timezone); err != nil || strings.EqualFold(r.Timezone, "local") {
		v.add("timezone", "%q is not an IANA time zone: use a name like Europe/Berlin or America/New_York", r.Timezone)
	} else {
		c.Location = loc
	}
	c.Calendar.Loc = c.Location
	if len(r.Workdays) == 0 {
		for d := time.Monday; d <= time.Friday; d++ {
			c.Calendar.Workdays[d] = true
		}
	}
	for i, w := range r.Workdays {
		d, ok := weekdays[strings.ToLower(strings.TrimSpace(w))]
		if !ok {
			v.add(fmt.Sprintf("workdays[%d]", i), "%q is not a weekday: use mon, tue, wed, thu, fri, sat or sun", w)
			continue
		}
		c.Calendar.Workdays[d] = true
	}
	for i, h := range r.Holidays {
		if d, ok := v.date(fmt.Sprintf("holidays[%d]", i), h); ok {
			c.Calendar.Holidays = append(c.Calendar.Holidays, d)
		}
	}
	for i, a := range r.Away {
		key := fmt.Sprintf("away[%d]", i)
		from, ok1 := v.date(key+".from", a.From)
		to, ok2 := v.date(key+".to", a.To)
		if ok1 && ok2 {
			if to.Before(from) {
				v.add(key+".to", "%s is before from %s: swap them", to, from)
				continue
			}
			c.Calendar.Away = append(c.Calendar.Away, calendar.Range{From: from, To: to})
		}
	}

	// servers
	c.IMAP = v.server("imap", r.IMAP, fileMode, 993, 143, c)
	c.SMTP = v.server("smtp", r.SMTP, fileMode, 465, 587, c)
	if r.SMTP.SentFolder != "" {
		v.add("smtp.sent_folder", "belongs under imap: move it to imap.sent_folder")
	}
	if r.SMTP.DraftsFolder != "" {
		v.add("smtp.drafts_folder", "belongs under imap: move it to imap.drafts_folder")
	}
	c.IMAP.SentFolder = strings.TrimSpace(r.IMAP.SentFolder)
	c.IMAP.DraftsFolder = strings.TrimSpace(r.IMAP.DraftsFolder)
	// The SMTP password defaults to the IMAP one: most accounts share it.
	// An OAuth token is no password: sent as one it would fail, or leak.
	if c.SMTP.Secret.noSource() && c.IMAP.Secret.token {
		v.add("smtp.auth", "imap signs in with an OAuth token (imap.token_cmd), which is no SMTP password: set smtp.auth: xoauth2 and smtp.token_cmd (usually the same command), or give smtp a password_cmd")
	} else if c.SMTP.Secret.noSource() {
		c.SMTP.Secret = c.IMAP.Secret
		c.SMTP.Secret.Key = "smtp"
		c.SMTP.Secret.fallback = "imap"
	}

	// projects
	names, labels := map[string]int{}, map[string]int{}
	for i, p := range r.Projects {
		key := fmt.Sprintf("projects[%d]", i)
		name, label := v.name(key+".name", p.Name), strings.TrimSpace(p.Label)
		if name == "" {
			v.add(key+".name", "missing: give the project a name, like {name: Apollo, label: Status/Apollo}")
		}
		if label == "" {
			v.add(key+".label", "missing: name the IMAP folder or Gmail label its status mail lands in, like Status/%s", orDefault(name, "Apollo"))
		}
		if j, dup := names[strings.ToLower(name)]; dup && name != "" {
			v.add(key+".name", "%q is already projects[%d]: give each project its own name", name, j)
		}
		if j, dup := labels[label]; dup && label != "" {
			v.add(key+".label", "%q is already the label of projects[%d]: one label per project", label, j)
		}
		names[strings.ToLower(name)], labels[label] = i, i
		c.Projects = append(c.Projects, Project{Name: name, Label: label})
	}

	// stakeholders
	if len(r.Stakeholders) == 0 {
		v.add("stakeholders", "missing: list at least your boss, with name, email, role: boss and cadence")
	}
	emails, snames := map[string]int{}, map[string]int{}
	for i, s := range r.Stakeholders {
		key := fmt.Sprintf("stakeholders[%d]", i)
		st := Stakeholder{Name: v.name(key+".name", s.Name)}
		if st.Name == "" {
			v.add(key+".name", "missing: give the stakeholder's name, like Jane Smith")
		}
		st.Email = v.email(key+".email", s.Email, true)
		if j, dup := emails[st.Email]; dup && st.Email != "" {
			v.add(key+".email", "%s is already stakeholders[%d]: list each person once", st.Email, j)
		}
		if j, dup := snames[strings.ToLower(st.Name)]; dup && st.Name != "" {
			v.add(key+".name", "%q is already stakeholders[%d]: give each stakeholder a distinct name", st.Name, j)
		}
		emails[st.Email], snames[strings.ToLower(st.Name)] = i, i
		for _, me := range c.Me.Addresses() {
			if st.Email != "" && st.Email == me {
				v.add(key+".email", "%s is your own address (me.email or an alias): a stakeholder is someone else", st.Email)
			}
		}
		st.Role = strings.ToLower(strings.TrimSpace(s.Role))
		switch st.Role {
		case RoleBoss, RoleSkip, RolePeer, RoleOther:
		case "":
			st.Role = RoleOther
		default:
			v.add(key+".role", "%q is not a role: use boss, skip, peer or other", s.Role)
		}
		if s.Cadence == "" {
			v.add(key+".cadence", "missing: say how often to update them, like \"5 workdays\" or \"2 weeks\"")
		} else {
			st.Cadence = v.span(key+".cadence", s.Cadence, false)
		}
		if s.Max != "" {
			st.Max = v.span(key+".max", s.Max, false)
			if !st.Max.IsZero() && !st.Cadence.IsZero() && spanLess(st.Max, st.Cadence) {
				v.add(key+".max", "%s is shorter than the cadence %s: max is the hard limit past the ideal gap", st.Max, st.Cadence)
			}
		}
		st.Style = strings.ToLower(strings.TrimSpace(s.Style))
		switch st.Style {
		case StyleDetailed, StyleSummary:
		case "":
			st.Style = StyleDetailed
		default:
			v.add(key+".style", "%q is not a style: use detailed or summary", s.Style)
		}
		for j, p := range s.Priorities {
			name, found := strings.TrimSpace(p), false
			for _, proj := range c.Projects {
				if strings.EqualFold(proj.Name, name) {
					name, found = proj.Name, true
				}
			}
			if !found {
				var names []string
				for _, proj := range c.Projects {
					names = append(names, proj.Name)
				}
				v.add(fmt.Sprintf("%s.priorities[%d]", key, j), "%q is not a project: use one of %s", p, strings.Join(names, ", "))
				continue
			}
			st.Priorities = append(st.Priorities, name)
		}
		c.Stakeholders = append(c.Stakeholders, st)
	}

	// reminders
	c.Reminders.Hour, c.Reminders.Minute = 9, 30
	if r.Reminders.At != "" {
		c.Reminders.Hour, c.Reminders.Minute = v.timeOfDay("reminders.at", r.Reminders.At)
	}
	c.Reminders.RepeatAfter = calendar.Span{N: 2, Unit: calendar.Workdays}
	if r.Reminders.RepeatAfter != "" {
		c.Reminders.RepeatAfter = v.span("reminders.repeat_after", r.Reminders.RepeatAfter, false)
	}

	// digest
	c.Digest.ScheduleText = orDefault(strings.TrimSpace(r.Digest.Schedule), "Fri 15:00")
	c.Digest.Schedule = v.schedule("digest.schedule", c.Digest.ScheduleText)
	c.Digest.To = c.Me.Email
	if r.Digest.To != "" {
		c.Digest.To = v.email("digest.to", r.Digest.To, false)
	}
	if df := strings.TrimSpace(r.Digest.DraftFor); df != "" {
		c.Digest.DraftFor = v.draftFor(df, c.Stakeholders)
	}
	c.Digest.Lookback = calendar.Span{N: 7, Unit: calendar.Days}
	if r.Digest.Lookback != "" {
		c.Digest.Lookback = v.span("digest.lookback", r.Digest.Lookback, false)
	}

	// poll, state, templates
	c.Poll = 5 * time.Minute
	if r.Poll != "" {
		if s := v.span("poll", r.Poll, true); !s.IsZero() {
			c.Poll = fixedDuration(s)
			if c.Poll < time.Minute {
				v.add("poll", "%s is too often: poll at most once a minute (IDLE wakes leadup for new mail anyway)", r.Poll)
			}
		}
	}
	c.StatePath = expandHome(strings.TrimSpace(r.State))
	v.statePath(c.StatePath)
	c.TemplatesDir = expandHome(strings.TrimSpace(r.TemplatesDir))
	if c.TemplatesDir != "" {
		if st, err := os.Stat(c.TemplatesDir); err != nil || !st.IsDir() {
			v.add("templates_dir", "%s is not a readable directory: create it or remove the key to use the built-in templates", c.TemplatesDir)
		}
	}
	return c, v.problems
}

func (v *validator) email(key, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.add(key, "missing: write an email address, like alex@example.com")
		}
		return ""
	}
	if msg := notOneLine(s, "address"); msg != "" {
		v.add(key, "%s", msg)
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
		v.add(key, "%q is not an email address: write just the address, like alex@example.com", s)
		return ""
	}
	return strings.ToLower(a.Address)
}

// maxName bounds a name that goes into a mail header or subject: past it
// the value is a pasted paragraph, not a name.
const maxName = 200

// name trims a person's or project's name and refuses what cannot go on
// one header line.
func (v *validator) name(key, s string) string {
	s = strings.TrimSpace(s)
	if msg := notOneLine(s, "name"); msg != "" {
		v.add(key, "%s", msg)
	} else if len(s) > maxName {
		v.add(key, "is %d bytes long: keep it to %d, just the name", len(s), maxName)
	}
	return s
}

// notOneLine says what in s would break a mail header, or "" when
// nothing does: a line break would start a header of its own.
func notOneLine(s, what string) string {
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			return "contains a line break: put the " + what + " on one line"
		case r == '\t':
			return "contains a tab: use a space"
		case unicode.IsControl(r):
			return fmt.Sprintf("contains the control character %U: remove it", r)
		}
	}
	return ""
}

// statePath checks that the state key names a file leadup can create.
// store.Open creates missing directories, so the nearest existing one of
// the path's ancestors must be a directory.
func (v *validator) statePath(p string) {
	if p == "" {
		return
	}
	st, err := os.Stat(p)
	switch {
	case strings.HasSuffix(p, string(filepath.Separator)) || err == nil && st.IsDir():
		v.add("state", "%s is a directory: name the database file, e.g. %s", p, filepath.Join(p, "state.db"))
		return
	case err == nil && !st.Mode().IsRegular():
		v.add("state", "%s is not a regular file: name the database file, e.g. ~/.local/state/leadup/state.db", p)
		return
	case err == nil:
		return
	}
	for dir := filepath.Dir(p); ; dir = filepath.Dir(dir) {
		st, err := os.Stat(dir)
		if err == nil {
			if !st.IsDir() {
				v.add("state", "%s is not a directory, so %s cannot be created in it: name a file in a directory, e.g. ~/.local/state/leadup/state.db", dir, p)
			}
			return
		}
		if dir == filepath.Dir(dir) {
			return
		}
	}
}

func (v *validator) date(key, s string) (calendar.Date, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		v.add(key, "%q is not a date: write it as YYYY-MM-DD, like 2026-12-24", s)
		return calendar.Date{}, false
	}
	return calendar.DateOf(t, time.UTC), true
}

// timeout parses a server timeout: a Go duration ("45s", "2m") or a span
// of minutes ("2 minutes"), between one second and ten minutes.
func (v *validator) timeout(key, s string) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil {
		if sec, ok := strings.CutSuffix(strings.ToLower(s), " seconds"); ok {
			d, err = time.ParseDuration(strings.TrimSpace(sec) + "s")
		} else if sp, perr := calendar.ParseSpan(s); perr == nil && (sp.Unit == calendar.Minutes || sp.Unit == calendar.Hours) {
			d, err = fixedDuration(sp), nil
		}
	}
	if err != nil {
		v.add(key, "%q is not a duration: write it like \"60s\" or \"2 minutes\"", s)
		return 0
	}
	if d < time.Second || d > 10*time.Minute {
		v.add(key, "%s is out of range: use between 1s and 10 minutes (the default is 60s)", s)
		return 0
	}
	return d
}

// span parses a span; fixed forbids workdays (for durations such as poll).
func (v *validator) span(key, s string, fixed bool) calendar.Span {
	sp, err := calendar.ParseSpan(s)
	if err != nil {
		v.add(key, "%v", err)
		return calendar.Span{}
	}
	if fixed && sp.Unit == calendar.Workdays {
		v.add(key, "%q counts workdays, which has no fixed length here: use minutes or hours, like \"5 minutes\"", s)
		return calendar.Span{}
	}
	if !fixed && (sp.Unit == calendar.Minutes || sp.Unit == calendar.Hours) {
		v.add(key, "%q is too fine: use days, workdays or weeks, like \"5 workdays\"", s)
		return calendar.Span{}
	}
	return sp
}

func (v *validator) timeOfDay(key, s string) (int, int) {
	h, m, ok := parseClock(s)
	if !ok {
		v.add(key, "%q is not a time of day: write HH:MM in 24-hour form, like \"09:30\"", s)
		return 9, 30
	}
	return h, m
}

func parseClock(s string) (int, int, bool) {
	hs, ms, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(ms) != 2 {
		return 0, 0, false
	}
	return h, m, true
}

// ParseSchedule parses a digest schedule: "Fri 15:00" (a weekday, or several
// separated by commas, and a time) or a five-field cron expression such as
// "0 15 * * 5". Times are in the caller's zone: pass a time in the user's
// location to Next.
func ParseSchedule(s string) (cron.Schedule, error) {
	f := strings.Fields(s)
	if len(f) == 2 {
		h, m, ok := parseClock(f[1])
		if !ok {
			return nil, fmt.Errorf("%q is not a schedule: write a day and a time like \"Fri 15:00\", or a cron expression like \"0 15 * * 5\"", s)
		}
		var days []string
		for _, d := range strings.Split(f[0], ",") {
			wd, ok := weekdays[strings.ToLower(d)]
			if !ok {
				return nil, fmt.Errorf("%q is not a schedule: %q is not a weekday; write a day (mon … sun) and a time like \"Fri 15:00\"", s, d)
			}
			days = append(days, strconv.Itoa(int(wd)))
		}
		return cron.ParseStandard(fmt.Sprintf("%d %d * * %s", m, h, strings.Join(days, ",")))
	}
	sch, err := cron.ParseStandard(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a schedule (%v): write a day and a time like \"Fri 15:00\", or a cron expression like \"0 15 * * 5\"", s, err)
	}
	return sch, nil
}

func (v *validator) schedule(key, s string) cron.Schedule {
	if strings.HasPrefix(s, "@every") || strings.Contains(s, "TZ=") {
		v.add(key, "%q is not supported: use a day and time like \"Fri 15:00\" or a five-field cron expression; the zone is the timezone key", s)
		return nil
	}
	sch, err := ParseSchedule(s)
	if err != nil {
		v.add(key, "%v", err)
	}
	return sch
}

func (v *validator) draftFor(df string, sts []Stakeholder) *Stakeholder {
	var matches []int
	for i, s := range sts {
		if strings.EqualFold(s.Name, df) || strings.EqualFold(s.Email, df) {
			return &sts[i]
		}
		if strings.EqualFold(s.Role, df) {
			matches = append(matches, i)
		}
	}
	switch len(matches) {
	case 1:
		return &sts[matches[0]]
	case 0:
		v.add("digest.draft_for", "%q matches no stakeholder: use a stakeholder's name or role (like boss), or \"\" for no draft", df)
	default:
		v.add("digest.draft_for", "%q matches %d stakeholders: use one stakeholder's name", df, len(matches))
	}
	return nil
}

func (v *validator) server(key string, r rawServer, fileMode fs.FileMode, implicitPort, startTLSPort int, c *Config) Server {
	s := Server{
		Host:     strings.TrimSpace(r.Host),
		Username: strings.TrimSpace(r.Username),
		CAFile:   expandHome(strings.TrimSpace(r.CAFile)),
	}
	if s.Host == "" {
		v.add(key+".host", "missing: the %s server's host name, like %s.example.com", strings.ToUpper(key), key)
	}
	if s.Username == "" {
		s.Username = c.Me.Email
	}
	s.TLS = strings.ToLower(strings.TrimSpace(r.TLS))
	switch s.TLS {
	case "":
		s.TLS = TLSImplicit
		if key == "smtp" && r.Port != nil && *r.Port == startTLSPort {
			s.TLS = TLSStartTLS
		}
	case TLSImplicit, TLSStartTLS:
	case TLSNone:
		if s.Host != "" && !tlsconf.IsLoopback(s.Host) {
			v.add(key+".tls", "none would send your password in the clear to %s: use implicit or starttls (none is for loopback only)", s.Host)
		}
	default:
		v.add(key+".tls", "%q is not a TLS mode: use implicit, starttls or none (loopback only)", r.TLS)
	}
	s.Port = implicitPort
	if s.TLS == TLSStartTLS {
		s.Port = startTLSPort
	}
	// Absent means the default for the TLS mode; a port written as 0 is a
	// mistake (or a template never filled in), not a request for it.
	switch {
	case r.Port == nil:
	case *r.Port == 0:
		v.add(key+".port", "0 is not a port: remove the key to use the default (%d here), or use 1-65535", s.Port)
	case *r.Port < 1 || *r.Port > 65535:
		v.add(key+".port", "%d is not a port: use 1-65535 (usually %d for implicit TLS, %d for STARTTLS)", *r.Port, implicitPort, startTLSPort)
	default:
		s.Port = *r.Port
	}
	if m := tlsmix.Known(key, s.Port, s.TLS); m != nil {
		mode := s.TLS
		if strings.TrimSpace(r.TLS) == "" {
			mode += " (the default)"
		}
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s.tls is %s but %s", key, mode, m.Fix()))
	}
	if t := strings.TrimSpace(r.Timeout); t != "" {
		s.Timeout = v.timeout(key+".timeout", t)
	}
	if s.CAFile != "" {
		if _, err := os.ReadFile(s.CAFile); err != nil {
			v.add(key+".ca_file", "cannot read %s: give the path of a PEM file with the CA certificate, or remove the key", s.CAFile)
		}
	}
	s.Auth = strings.ToLower(strings.TrimSpace(r.Auth))
	switch s.Auth {
	case "", "password", "plain", "login":
		s.Auth = "password"
	case "xoauth2", "oauthbearer":
		if s.Auth == "oauthbearer" && key == "smtp" {
			// The sender speaks XOAUTH2 only; it would send the token as
			// a password. Both take the same access token.
			v.add(key+".auth", "oauthbearer is not supported for SMTP: use xoauth2 with the same token_cmd")
		}
		if r.TokenCmd == "" {
			v.add(key+".token_cmd", "missing: auth %s needs a command that prints an OAuth access token", s.Auth)
		}
	default:
		methods := "password, xoauth2 or oauthbearer"
		if key == "smtp" {
			methods = "password or xoauth2"
		}
		v.add(key+".auth", "%q is not an auth method: use %s", r.Auth, methods)
	}
	s.Secret = v.secret(key, r, fileMode, c)
	return s
}

func (v *validator) secret(key string, r rawServer, fileMode fs.FileMode, c *Config) Secret {
	sec := Secret{Key: key, Cmd: strings.TrimSpace(r.PasswordCmd), File: expandHome(strings.TrimSpace(r.PasswordFile)), literal: r.Password}
	if r.TokenCmd != "" {
		sec = Secret{Key: key, Cmd: strings.TrimSpace(r.TokenCmd), token: true}
		if r.PasswordCmd != "" || r.PasswordFile != "" || r.Password != "" {
			v.add(key+".token_cmd", "set together with a password: OAuth uses the token only; remove password, password_cmd and password_file")
		}
		return sec
	}
	n := 0
	for _, set := range []bool{sec.Cmd != "", sec.File != "", r.Password != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		v.add(key+".password_cmd", "more than one of password, password_cmd and password_file is set: keep one")
	}
	if r.Password != "" && fileMode&0o077 != 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s.password is a literal password in a file others can read: run chmod 600 %s, or better use password_cmd or password_file", key, c.File))
	}
	if sec.File != "" {
		if _, err := os.ReadFile(sec.File); err != nil {
			v.add(key+".password_file", "cannot read %s: create it with the password on one line (chmod 600), or fix the path", sec.File)
		} else if st, err := os.Stat(sec.File); err == nil && st.Mode().Perm()&0o077 != 0 {
			c.Warnings = append(c.Warnings, fmt.Sprintf("%s.password_file %s is readable by others: run chmod 600 %s", key, sec.File, sec.File))
		}
	}
	return sec
}

// fixedDuration converts a span without workdays to a duration.
func fixedDuration(s calendar.Span) time.Duration {
	unit := map[calendar.Unit]time.Duration{calendar.Minutes: time.Minute, calendar.Hours: time.Hour, calendar.Days: 24 * time.Hour, calendar.Weeks: 7 * 24 * time.Hour}[s.Unit]
	return time.Duration(s.N) * unit
}

// spanLess compares spans roughly (a workday as 7/5 of a day), enough to
// catch a max shorter than its cadence.
func spanLess(a, b calendar.Span) bool {
	approx := func(s calendar.Span) float64 {
		if s.Unit == calendar.Workdays {
			return float64(s.N) * 7 / 5 * 24
		}
		return fixedDuration(s).Hours()
	}
	return approx(a) < approx(b)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
