package config

// The raw shape of the YAML file, decoded strictly by viper. Everything a
// person types as words (spans, times, zones) stays a string here and is
// turned into a typed value by validate.

type rawMe struct {
	Name    string   `mapstructure:"name"`
	Email   string   `mapstructure:"email"`
	Aliases []string `mapstructure:"aliases"`
}

type rawRange struct {
	From string `mapstructure:"from"`
	To   string `mapstructure:"to"`
}

type rawServer struct {
	Host         string `mapstructure:"host"`
	Port         *int   `mapstructure:"port"` // nil when absent: the default for the TLS mode
	TLS          string `mapstructure:"tls"`
	Username     string `mapstructure:"username"`
	Password     string `mapstructure:"password"`
	PasswordCmd  string `mapstructure:"password_cmd"`
	PasswordFile string `mapstructure:"password_file"`
	Auth         string `mapstructure:"auth"`
	TokenCmd     string `mapstructure:"token_cmd"`
	CAFile       string `mapstructure:"ca_file"`
	SentFolder   string `mapstructure:"sent_folder"`   // IMAP only
	DraftsFolder string `mapstructure:"drafts_folder"` // IMAP only
	Timeout      string `mapstructure:"timeout"`
}

type rawProject struct {
	Name  string `mapstructure:"name"`
	Label string `mapstructure:"label"`
}

type rawStakeholder struct {
	Name    string `mapstructure:"name"`
	Email   string `mapstructure:"email"`
	Role    string `mapstructure:"role"`
	Cadence string `mapstructure:"cadence"`
	Max     string `mapstructure:"max"`
	Style   string `mapstructure:"style"`
	// Priorities are project names, in the order this person cares about.
	Priorities []string `mapstructure:"priorities"`
}

type rawReminders struct {
	At          string `mapstructure:"at"`
	RepeatAfter string `mapstructure:"repeat_after"`
}

type rawDigest struct {
	Schedule string `mapstructure:"schedule"`
	To       string `mapstructure:"to"`
	DraftFor string `mapstructure:"draft_for"`
	Lookback string `mapstructure:"lookback"`
}

type raw struct {
	Me           rawMe            `mapstructure:"me"`
	Timezone     string           `mapstructure:"timezone"`
	Workdays     []string         `mapstructure:"workdays"`
	Holidays     []string         `mapstructure:"holidays"`
	Away         []rawRange       `mapstructure:"away"`
	IMAP         rawServer        `mapstructure:"imap"`
	SMTP         rawServer        `mapstructure:"smtp"`
	Projects     []rawProject     `mapstructure:"projects"`
	Stakeholders []rawStakeholder `mapstructure:"stakeholders"`
	Reminders    rawReminders     `mapstructure:"reminders"`
	Digest       rawDigest        `mapstructure:"digest"`
	Poll         string           `mapstructure:"poll"`
	State        string           `mapstructure:"state"`
	TemplatesDir string           `mapstructure:"templates_dir"`
}
