package message

import (
	"github.com/leadup/leadup/daemon/reading"
	"strings"
	"unicode/utf8"
)

// This file holds every lexicon the package uses as data, in one place, so a
// missing phrase is a one-line change with a one-line test: health words,
// negations, status asks, auto-reply subjects, quote headers and sign-offs.
// The functions that use them live in health.go, ask.go, returndate.go and
// visible.go.

// Polarity says whether a health phrase is good or bad news.
type Polarity int

// Polarities. Neutral marks a bad or good phrase that a negation cancelled
// ("not blocked"): it is reported so users can see why it did not count.
const (
	Neutral Polarity = 0
	Good    Polarity = 1
	Bad     Polarity = -1
)

// String gives the polarity as used in JSON and text output.
func (p Polarity) String() string {
	switch p {
	case Good:
		return "good"
	case Bad:
		return "bad"
	}
	return "neutral"
}

// MarshalText makes polarities readable in `leadup inspect --json`.
func (p Polarity) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Level is a project's health as the digest shows it; it is reading's,
// which judges it.
type Level = reading.Level

// Health levels, in the words of `leadup status --json`.
const (
	Green   = reading.LevelGreen
	Amber   = reading.LevelAmber
	Red     = reading.LevelRed
	Unknown = reading.LevelUnknown
)

// askPhrase is one way of asking the user for status or action.
type askPhrase struct {
	pattern  string   // a regular expression, matched against lowercased text
	needs    []string // words every match contains: a cheap filter before the regexp
	example  string   // a sentence that must match (tested)
	question bool     // only in a sentence that ends with "?"
}

// askPhrases is the status-ask lexicon. Patterns are anchored on word
// boundaries by the matcher.
var askPhrases = []askPhrase{
	{`any (?:updates?|news|progress)\b`, []string{"update", "news", "progress"}, "Any update on Apollo?", false},
	{`where are we (?:on|with|at)\b`, []string{"where"}, "Where are we on the migration?", false},
	{`where do (?:we|things) stand\b`, []string{"where"}, "Where do things stand with billing?", false},
	{`where does \S+(?: \S+){0,3} stand\b`, []string{"where"}, "Where does the audit stand?", false},
	{`status\s*\?`, []string{"status"}, "Apollo status?", false},
	{`what(?:'s| is) the (?:status|latest|eta|state)\b`, []string{"what"}, "What's the status of the rollout?", false},
	{`(?:can|could|would) you (?:please )?(?:update|brief) me\b`, []string{"update", "brief"}, "Can you update me on Apollo?", false},
	{`(?:can|could|would) you (?:please )?(?:send|give|share|provide) (?:me |us )?(?:an? |a quick |a short |the )?(?:status|update|progress)`, []string{"status", "update", "progress"}, "Could you give me an update this week?", false},
	{`(?:can|could|would) you (?:please )?(?:fill|catch) me (?:in|up)\b`, []string{"fill", "catch"}, "Can you fill me in on the vendor call?", false},
	{`(?:bring|get) me up to speed\b`, []string{"speed"}, "Please bring me up to speed on hiring.", false},
	{`how(?:'s| is| are) (?:\S+ ){0,4}(?:going|coming along|looking|progressing)\b`, []string{"how"}, "How is the migration going?", false},
	{`how are (?:we|things) (?:doing|tracking)\b`, []string{"how"}, "How are we tracking for Friday?", false},
	{`(?:are|is) (?:we|it|\S+) (?:still )?on track\s*\?`, []string{"on track"}, "Are we still on track?", false},
	{`(?:send|give) me an? (?:quick |short )?(?:status|update)\b`, []string{"status", "update"}, "Send me a quick status before the board meeting.", false},
	{`(?:need|want|like) an? (?:quick |short )?(?:status|update)\b`, []string{"status", "update"}, "I'd like an update before Friday.", false},
	{`(?:status|progress) (?:update|report) (?:please|pls)\b`, []string{"status", "progress"}, "Status update please.", false},
	{`update (?:please|pls)\b`, []string{"update"}, "Update please!", false},
	{`when (?:will|can) (?:we|it|this|that|\S+) (?:be )?(?:ready|done|ship|land|finished|live)\b`, []string{"when"}, "When will it be ready?", false},
	{`heard anything\b`, []string{"heard"}, "Heard anything from the vendor?", false},
	{`gibt es (?:etwas )?neu(?:igkeiten|es)\b`, []string{"neu"}, "Gibt es Neuigkeiten zu Apollo?", false},
	{`wie ist der (?:aktuelle )?stand\b`, []string{"stand"}, "Wie ist der Stand bei der Migration?", false},
	{`o[ùu] en (?:est|sont|sommes)\b`, []string{"en est", "en sont", "en sommes"}, "Où en est le projet ?", false},
	{`des nouvelles\s*\?`, []string{"nouvelles"}, "Des nouvelles ?", false},
	{`alguna novedad\b`, []string{"novedad"}, "¿Alguna novedad del proyecto?", false},
	{`c[óo]mo va\b`, []string{"cómo va", "como va"}, "¿Cómo va la migración?", false},
	{`hoe staat het\b`, []string{"staat"}, "Hoe staat het met Apollo?", false},
	// Requests for action directed at the user: a question to "you" ("can
	// you send me", "could your team take"), a polite imperative, a
	// deadline for an answer. A thank-you, a proposal ("let's go through
	// it on Thursday") or a statement is none.
	{`(?:can|could|would|will) (?:you|u|your team|your side|your folks)\b`, []string{"you", "can u", "could u", "would u", "will u"}, "Can you send me the Zephyr cost numbers before Friday?", true},
	{`(?:can|could|would) you (?:please |kindly |also |quickly |maybe )?(?:send|share|forward|give|get|pull|put|prepare|draft|write|review|check|confirm|look|take|join|set|schedule|loop|ping|chase|tell|walk|run|present|cover|own|handle|sign|approve|add|fix|book|call|reply|respond|answer|follow|provide)\b`, []string{"you"}, "Could you send me the deck by Friday.", false},
	{`please (?:send|share|forward|give|get|pull|prepare|draft|write|review|check|confirm|update|look|take|join|set up|schedule|loop|ping|chase|tell|advise|reply|respond|answer|follow up|sign|approve|provide|submit|fill|add|fix|book|call)\b`, []string{"please"}, "Please send me the slides before the review.", false},
	{`(?:let me know|lmk) (?:by|before|when|whether|what|how|where|which|asap|your|if (?:we|it|this|that|you can|you could|you agree))\b`, []string{"let me know", "lmk"}, "Let me know by Thursday whether we go ahead.", false},
	{`(?:need|needs|needed) (?:an|your|a|the) (?:quick |short |final |clear )?(?:answer|reply|response|decision|input|feedback|approval|sign-?off|go-ahead|confirmation|review|view|numbers|figures|estimate)\b`, []string{"need"}, "We would need an answer by Friday.", false},
	{`(?:do|did|have|are|were|will) you\b`, []string{"you"}, "Do you have the latest numbers for Atlas?", true},
	{`(?:what|when|where|how|which|who|why) (?:do|did|are|will|can|could|would|have|should|shall) (?:you|your)\b`, []string{"you"}, "When can you share the plan?", true},
	{`what(?:'s| is) your (?:view|take|plan|eta|estimate|answer|decision|thinking|status|read)\b`, []string{"your"}, "What's your take on the vendor offer?", false},
	{`any (?:thoughts|chance|idea|eta|feedback|input|views)\b`, []string{"any"}, "Any thoughts on the hiring plan?", true},
	{`(?:wonder(?:ing)?|appreciate it|grateful) if you (?:could|can|would|have)\b`, []string{"you"}, "I was wondering if you could take a look at the budget.", false},
}

// askNotPhrases are questions to the user that ask for nothing: small
// talk. A sentence that holds one is no ask.
var askNotPhrases = []string{
	"how are you", "how're you", "how was your", "hope you", "did you have a good", "did you have a nice", "did you have a great",
	"did you have a lovely", "are you doing", "you doing ok", "you doing well", "can you believe",
}

// askImperatives start a sentence that asks for action when it also names
// a deadline ("Send me the numbers by Friday."); see askDeadline.
var askImperatives = map[string]bool{
	"send": true, "share": true, "forward": true, "prepare": true, "draft": true, "confirm": true, "submit": true,
	"book": true, "sign": true, "approve": true, "get": true, "give": true, "ping": true, "call": true, "reply": true,
}

// autoReplySubjects are phrases that mark an auto-reply's subject in the
// languages mail clients localise them into. Matched case-insensitively
// anywhere in a subject that is not itself a reply or forward.
var autoReplySubjects = []string{
	"out of office", "out-of-office", "out of the office", "ooo:", "automatic reply",
	"auto reply", "auto-reply", "autoreply", "auto response", "auto-response",
	"autoresponse", "automated response", "automatic response", "away from the office",
	"away from my desk", "vacation reply", "on vacation", "on holiday", "on leave",
	"abwesenheitsnotiz", "automatische antwort", "abwesend", "nicht im büro",
	"réponse automatique", "absence du bureau", "absent du bureau", "message d'absence",
	"respuesta automática", "respuesta automatica", "fuera de la oficina", "fuera de oficina",
	"automatisch antwoord", "afwezig", "niet op kantoor", "risposta automatica", "fuori ufficio",
	"automatiskt svar", "autosvar", "frånvaro", "fraværende", "ikke på kontoret",
	"automatyczna odpowiedź", "poza biurem", "nieobecność",
	"автоматический ответ", "нет на месте", "вне офиса", "resposta automática",
	"ausente do escritório", "fora do escritório", "自動応答", "自动回复",
}

// replyPrefix matches a subject's reply or forward prefix in the common
// languages ("Re:", "AW:", "Fwd:", "SV:", "Antw:", "Odp:", ...). It is the
// definition isReplySubject matches by hand; built from replyWords, and
// compiled only by the tests.
var replyPrefix = lazyCompile(`(?i)^\s*(?:` + strings.Join(replyWords, "|") + `)\s*(?:\[\d+\])?\s*:`)

// replyWords are the reply and forward prefixes, without their colon.
var replyWords = []string{"re", "aw", "sv", "vs", "antw", "odp", "ref", "rif", "res", "tr", "wg", "fw", "fwd", "enc", "rv", "ynt", "atb", "vá", "отв", "ответ"}

// replyWordMaxBytes bounds the bytes of a word that matches one of
// replyWords under (?i): five runes at most, each at most utf8.UTFMax
// bytes.
const replyWordMaxBytes = 5 * utf8.UTFMax

// isReplySubject says whether a subject is a reply or forward:
// replyPrefix.MatchString(s), matched by hand, as it runs three times on
// every message. Exact because:
//   - the regexp is anchored: \s* (ASCII [\t\n\f\r ], isRESpace) is all a
//     word may follow, and the greedy skip loses nothing, a word starting
//     with a letter;
//   - every word is letters and must be followed by \s, "[" or ":", so
//     the word is exactly the bytes up to the first of those (all ASCII,
//     so never part of a multi-byte rune), and (?i) compares it rune by
//     rune within case-fold orbits, as strings.EqualFold does (an invalid
//     byte is U+FFFD to both, which no word holds);
//   - then \s*, and a "[" must open [\d+] (\d is ASCII), since the
//     optional group left out would leave ":" to match the "["; then \s*
//     and ":".
func isReplySubject(s string) bool {
	i := 0
	for i < len(s) && isRESpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && j-i <= replyWordMaxBytes && !isRESpace(s[j]) && s[j] != '[' && s[j] != ':' {
		j++
	}
	if j == len(s) || j-i > replyWordMaxBytes || !isReplyWord(s[i:j]) {
		return false
	}
	for j < len(s) && isRESpace(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '[' {
		k := j + 1
		for k < len(s) && '0' <= s[k] && s[k] <= '9' {
			k++
		}
		if k == j+1 || k == len(s) || s[k] != ']' {
			return false
		}
		for j = k + 1; j < len(s) && isRESpace(s[j]); j++ {
		}
	}
	return j < len(s) && s[j] == ':'
}

// isReplyWord says whether w is one of replyWords, case folded.
func isReplyWord(w string) bool {
	for _, r := range replyWords {
		if strings.EqualFold(w, r) {
			return true
		}
	}
	return false
}

// lowerFold lowercases and folds typographic apostrophes so lexicon entries
// can be written with a plain ASCII apostrophe.
func lowerFold(s string) string {
	s = strings.ToLower(s)
	// the Replacer copies even when it replaces nothing; what it replaces
	// starts with 0xe2 (’ ‘) or 0xc2 (no-break space)
	if strings.IndexByte(s, 0xe2) < 0 && strings.IndexByte(s, 0xc2) < 0 {
		return s
	}
	return foldReplacer.Replace(s)
}

// foldReplacer is built once: NewReplacer is costly, and lowerFold runs on
// every message's text.
var foldReplacer = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u00a0", " ")

// returnTriggers introduce the date an away person is back ("back on",
// "returning", "until"). The date must follow within a few words.
var returnTriggers = []string{
	"back on", "back in the office on", "back in the office", "back in office on", "back at work on",
	"back at my desk on", "back", "returning on", "returning", "return on", "return", "returns on",
	"returns", "until", "till", "til", "through", "thru", "up to and including", "including",
	"bis zum", "bis", "wieder am", "ab dem", "zurück am", "jusqu'au", "de retour le", "retour le",
	"hasta el", "hasta", "de vuelta el", "tot en met", "terug op", "tot", "fino al", "do", "till och med", "tom",
}

// monthNames maps month names and abbreviations (English, German, French,
// Spanish, Dutch, Italian) to their number.
var monthNames = map[string]int{
	"january": 1, "jan": 1, "januar": 1, "janvier": 1, "enero": 1, "januari": 1, "gennaio": 1, "jänner": 1,
	"february": 2, "feb": 2, "februar": 2, "février": 2, "fevrier": 2, "febrero": 2, "februari": 2, "febbraio": 2,
	"march": 3, "mar": 3, "märz": 3, "maerz": 3, "mars": 3, "marzo": 3, "maart": 3,
	"april": 4, "apr": 4, "avril": 4, "abril": 4, "aprile": 4,
	"may": 5, "mai": 5, "mayo": 5, "mei": 5, "maggio": 5,
	"june": 6, "jun": 6, "juni": 6, "juin": 6, "junio": 6, "giugno": 6,
	"july": 7, "jul": 7, "juli": 7, "juillet": 7, "julio": 7, "luglio": 7,
	"august": 8, "aug": 8, "août": 8, "aout": 8, "agosto": 8, "augustus": 8,
	"september": 9, "sep": 9, "sept": 9, "septembre": 9, "septiembre": 9, "settembre": 9,
	"october": 10, "oct": 10, "oktober": 10, "octobre": 10, "octubre": 10, "ottobre": 10, "okt": 10,
	"november": 11, "nov": 11, "novembre": 11, "noviembre": 11,
	"december": 12, "dec": 12, "dezember": 12, "décembre": 12, "decembre": 12, "diciembre": 12, "dicembre": 12, "dez": 12,
}

// weekdayNames maps weekday names to time.Weekday numbers (Sunday is 0).
var weekdayNames = map[string]int{
	"sunday": 0, "sun": 0, "sonntag": 0, "dimanche": 0, "domingo": 0, "zondag": 0,
	"monday": 1, "mon": 1, "montag": 1, "lundi": 1, "lunes": 1, "maandag": 1,
	"tuesday": 2, "tue": 2, "tues": 2, "dienstag": 2, "mardi": 2, "martes": 2, "dinsdag": 2,
	"wednesday": 3, "wed": 3, "mittwoch": 3, "mercredi": 3, "miércoles": 3, "miercoles": 3, "woensdag": 3,
	"thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "donnerstag": 4, "jeudi": 4, "jueves": 4, "donderdag": 4,
	"friday": 5, "fri": 5, "freitag": 5, "vendredi": 5, "viernes": 5, "vrijdag": 5,
	"saturday": 6, "sat": 6, "samstag": 6, "samedi": 6, "sábado": 6, "sabado": 6, "zaterdag": 6,
}

// quoteVerbs end an attribution line ("On Monday, Bob wrote:") in the
// languages mail clients localise it into. A verb may be followed by the
// author before the colon ("Am 3. Mai schrieb Bob <bob@x>:").
var quoteVerbs = []string{
	"wrote", "writes", "sent", "said", "a écrit", "schrieb", "escribió", "escribio", "schreef",
	"het volgende geschreven", "geschreven", "napisał(a)", "napisał", "napisała", "napisal", "pisze", "skrev", "skrevet",
	"đã viết", "ha scritto", "scrisse", "escreveu", "kirjoitti", "написал", "написала", "пишет",
	"napsal", "napsala", "írta", "skriver", "schreibt", "écrit", "yazdı", "έγραψε", "כתב", "كتب", "写道", "寫道", "が書きました",
	"님이 작성", "a scris", "je napisal", "rašė",
	// Catalan: Gmail on Android "El 06/05/2013 19:11, "Junio C Hamano"
	// <gitster@pobox.com> va escriure:" (git list, via gmane), Thunderbird
	// ca "El #2 a les #3, #1 ha escrit:" (its composeMsgs.properties)
	"va escriure", "ha escrit",
}

// cjkQuoteEnds end an attribution in scripts written without spaces, so
// they are matched as the plain end of the line before its colon (ASCII
// or full-width), with no word boundary: Evolution writes "在 2026-01-21
// 星期三的 13:56 +0100，Thomas Zimmermann写道：". The line must also hold an
// address, or a year and a time (see cjkAttribution). Attested forms:
//   - Gmail zh-CN "Vinod Koul <vkoul@kernel.org> 于2019年5月27日周一 下午2:43写道："
//   - Apple Mail zh "2025年1月14日 06:27，Mario Limonciello <mario.limonciello@amd.com> 写道："
//     and on iPhone "在 2016年11月8日，下午2:23，Test user <test@example.com> 写道："
//   - Thunderbird zh-CN "在 2022/10/11 16:21, Paolo Valente 写道:"
//   - Thunderbird ja "2026-06-29 14:16 に Akira Yokosawa さんは書きました:", Evolution ja
//     "2006-11-08 (水) の 11:31 +0100 に Jes Sorensen さんは書きました:"
//   - Apple Mail ja on iPhone "2016/11/08 14:26、Test user <test@example.com> のメッセージ:"
//   - Gmail ko "2024년 5월 22일 (수) 오전 12:10, Tom Talpey <tom@talpey.com>님이 작성:",
//     Apple Mail ko on iPhone "2016. 11. 8. 오후 12:39 Test user <test@example.com> 작성:"
var cjkQuoteEnds = []string{"写道", "寫道", "書きました", "のメッセージ", "작성"}

// quoteOnWords start an attribution line ("On", "Le", "Am", "El", ...).
var quoteOnWords = []string{
	"on", "le", "am", "el", "op", "w dniu", "dnia", "den", "på", "vào", "il", "em", "dne",
	"в", "στις", "pada", "às", "quoting", "citando", "zitat von",
}

// headerFields are the field names of the From/Sent/To/Subject block Outlook
// and others put above a quoted or forwarded message, by language. The value
// is the field's role; a block needs two roles, one of them from or date.
var headerFields = map[string]string{
	"from": "from", "sent": "date", "date": "date", "to": "to", "cc": "cc", "bcc": "cc", "subject": "subject",
	"reply-to": "to", "sent by": "from", "on behalf of": "from",
	"von": "from", "gesendet": "date", "datum": "date", "an": "to", "betreff": "subject", "kopie": "cc",
	"de": "from", "envoyé": "date", "envoye": "date", "à": "to", "a": "to", "objet": "subject", "date d'envoi": "date",
	"enviado": "date", "para": "to", "asunto": "subject", "fecha": "date",
	"fra": "from", "sendt": "date", "til": "to", "emne": "subject", "dato": "date",
	"från": "from", "skickat": "date", "till": "to", "ämne": "subject", "kopia": "cc",
	"od": "from", "wysłano": "date", "wysłane": "date", "do": "to", "temat": "subject", "data": "date", "dw": "cc",
	"от": "from", "отправлено": "date", "дата": "date", "кому": "to", "тема": "subject", "копия": "cc",
	"van": "from", "verzonden": "date", "aan": "to", "onderwerp": "subject", "datum verzonden": "date",
	"da": "from", "inviato": "date", "oggetto": "subject",
	"lähettäjä": "from", "lähetetty": "date", "vastaanottaja": "to", "aihe": "subject",
	"odesláno": "date", "komu": "to", "předmět": "subject",
	"kimden": "from", "gönderildi": "date", "kime": "to", "konu": "subject",
	"feladó": "from", "elküldve": "date", "címzett": "to", "tárgy": "subject",
	"assunto": "subject", "enviada em": "date", "enviado em": "date",
	// Outlook es: "De: … / Enviado el: viernes, 18 de octubre de 2019 16:41 /
	// Para: … / CC: … / Asunto: …" (openrisc list)
	"enviado el": "date",
	// Outlook zh-CN and ko (mail-parser-reply's from_header lexicons;
	// "发件人: NAME <EMAIL>" also in willdurand/EmailReplyParser)
	"发件人": "from", "发送时间": "date", "收件人": "to", "主题": "subject", "抄送": "cc",
	"보낸 사람": "from", "보낸 날짜": "date", "받는 사람": "to", "제목": "subject", "참조": "cc",
}

// separatorPhrases stand between dashes ("-----Original Message-----") above
// a quoted message. forwardPhrases do the same for a forwarded one.
var separatorPhrases = []string{
	"original message", "reply message", "original", "ursprüngliche nachricht", "antwort nachricht",
	"oprindelig meddelelse", "oprindelig besked", "originalnachricht", "original meddelande", "opprinnelig e-post", "message d'origine", "mensaje original", "oorspronkelijk bericht",
	"origineel bericht", "messaggio originale", "ursprungligt meddelande", "opprinnelig melding",
	"alkuperäinen viesti", "původní zpráva", "oryginalna wiadomość", "wiadomość oryginalna",
	"исходное сообщение", "mensagem original", "orijinal mesaj", "eredeti üzenet", "původní e-mail",
}

var forwardPhrases = []string{
	"forwarded message", "forwarded e-mail", "forwarded email", "begin forwarded message",
	"weitergeleitete nachricht", "anfang der weitergeleiteten nachricht", "message transféré",
	"début du message réexpédié", "début du message transféré", "mensaje reenviado", "inicio del mensaje reenviado",
	"doorgestuurd bericht", "messaggio inoltrato", "vidarebefordrat meddelande", "videresendt melding",
	"videresendt meddelelse", "przekazana wiadomość", "пересылаемое сообщение", "mensagem encaminhada",
	"välitetty viesti", "přeposlaná zpráva",
}

// signOffs close a message before the sender's name ("Thanks,", "Best
// regards"). A line that is a sign-off, optionally followed by a short name,
// starts the signature when only signature-like lines follow.
var signOffs = []string{
	"thanks", "thank you", "thanks a lot", "thanks again", "many thanks", "thanks so much", "thank you so much",
	"thx", "ty", "tia", "regards", "best regards", "kind regards", "warm regards", "warmest regards",
	"best wishes", "all the best", "best", "cheers", "sincerely", "yours sincerely", "yours truly",
	"yours", "respectfully", "talk soon", "speak soon", "take care", "br", "kr", "rgds", "brgds",
	"with thanks", "with best regards", "have a nice day", "have a great day", "have a good weekend",
	"mit freundlichen grüßen", "mit freundlichen grüssen", "freundliche grüße", "viele grüße", "beste grüße",
	"liebe grüße", "lg", "vg", "mfg", "gruß", "grüße", "danke", "vielen dank",
	"cordialement", "bien cordialement", "bien à vous", "merci", "amicalement", "salutations",
	"saludos", "saludos cordiales", "un saludo", "atentamente", "gracias", "muchas gracias",
	"met vriendelijke groet", "vriendelijke groet", "groeten", "groet", "bedankt",
	"pozdrawiam", "z poważaniem", "dziękuję", "med vänlig hälsning", "vänliga hälsningar", "hälsningar", "mvh",
	"med venlig hilsen", "venlig hilsen", "hilsen", "med vennlig hilsen", "vennlig hilsen",
	"с уважением", "спасибо", "всего доброго", "cumprimentos", "atenciosamente", "obrigado", "obrigada",
	"distinti saluti", "cordiali saluti", "saluti", "grazie", "ystävällisin terveisin", "terveisin",
	"parhain terveisin", "kiitos", "hyvää päivänjatkoa",
}

// mobileSignOffs are the lines phones and mail apps append ("Sent from my
// iPhone"). Matched at the start of a line, case-insensitively. Each is
// specific enough to be a sign-off on its own; the sign-off still ends the
// sender's text only when nothing but a short signature follows it.
var mobileSignOffs = []string{
	"sent from my", "sent from samsung", "sent from mail for windows", "sent from outlook", "sent from yahoo",
	"sent from protonmail", "sent from proton mail", "sent from the all new aol", "sent from aol",
	"sent from gmail", "sent from iphone", "sent from ipad", "sent from android",
	"sent on the go", "sent from a mobile", "via mobile", "get outlook for",
	"von meinem iphone gesendet", "von meinem ipad gesendet",
	"envoyé de mon", "enviado desde mi", "enviado do meu",
	"verzonden vanaf mijn", "verstuurd vanaf mijn",
	"skickat från min", "sendt fra min",
	"lähetetty iphonesta", "iphone'umdan gönderildi", "from my iphone", "from my android",
	"sent by galaxy", "sent from mailbox", "télécharger outlook pour", "obtenir outlook pour", "download outlook for",
	"outlook für ios", "outlook für android", "hanki outlook", "skaffa outlook", "hent outlook", "scarica outlook", "descargar outlook para", "scarica outlook per", "diese nachricht wurde von meinem",
	"von meinem mobilgerät gesendet", "從我的", "从我的", "iphoneから送信",
}

// mobileGenericSignOffs start a phone's or app's sign-off too ("Sent via
// Android", "Von meinem Samsung gesendet"), but also ordinary sentences
// ("Sent via DHL to the Berlin lab."), so they count only on a line that
// names a device or app (mobileDeviceWords).
var mobileGenericSignOffs = []string{
	"sent via", "sent with", "sent using", "von meinem", "gesendet von", "gesendet mit", "envoyé depuis",
	"enviado desde", "enviado de", "verzonden met", "verstuurd met", "inviato da", "wysłane z", "sendt fra",
	"skickat från", "отправлено с", "отправлено из", "odesláno z",
}

// mobileDeviceWords are the devices and mail apps a generic sign-off must
// name. Matched case-insensitively where no ASCII letter or digit touches
// them ("app" is not in "WhatsApp").
var mobileDeviceWords = []string{
	"iphone", "ipad", "ipod", "ios", "android", "mobile", "mobil", "mobilgerät", "móvil", "movil", "celular",
	"cellulare", "phone", "smartphone", "smartfona", "handy", "telefon", "telefono", "teléfono", "telefoon",
	"телефона", "мобильного", "tablet", "samsung", "galaxy", "pixel", "huawei", "xiaomi", "oneplus", "nokia",
	"motorola", "blackberry", "outlook", "gmail", "yahoo", "aol", "protonmail", "proton mail", "tutanota",
	"fastmail", "thunderbird", "spark", "airmail", "bluemail", "superhuman", "webmail", "mail for windows",
	"mail für windows", "app", "apple watch",
}

// listFooterStarts open the footer a mailing list appends to each post.
var listFooterStarts = []string{
	"you received this message because you are subscribed to the google groups",
	"you received this message because you are subscribed to a topic in the google groups",
	"to unsubscribe send an email to", "to unsubscribe from this group and stop receiving emails from it",
	"groups.io links:", "you receive all messages sent to this group",
}

// listFooterClues, after a rule of underscores or -=-=-, say the rule
// opens a list footer rather than the sender's own text.
var listFooterClues = []string{
	"mailing list", "listinfo", "mailman", "-leave@", "unsubscribe", "groups.io", "list archive", "sympa",
}

// disclaimerPhrases mark a legal disclaimer paragraph at the end of a mail.
var disclaimerPhrases = []string{
	"intended recipient", "intended solely for", "intended only for", "intended exclusively for",
	"this e-mail and any", "this email and any", "this message and any", "this communication and any",
	"if you have received this", "if you are not the intended", "confidential and may", "privileged and confidential",
	"strictly prohibited", "disclaimer", "please consider the environment before printing",
	"diese e-mail enthält vertrauliche", "wenn sie nicht der richtige adressat", "ce message et toutes les pièces",
	"ce message est confidentiel", "este mensaje y sus anexos", "este correo electrónico y", "dit e-mailbericht is",
	"denna e-post", "questo messaggio e", "ta wiadomość", "это сообщение", "no virus found",
	"this email has been scanned", "confidentiality notice", "legal notice", "datenschutzhinweis",
}

// automatedLocalParts are sender mailbox names of machines, not people.
var automatedLocalParts = []string{
	"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply", "notifications",
	"notification", "notify", "mailer-daemon", "postmaster", "bounce", "bounces", "jira", "confluence",
	"github", "gitlab", "builds", "build", "ci", "alerts", "alert", "monitoring", "automated", "system",
	"daemon", "calendar-notification", "calendar", "digest", "newsletter", "news", "updates", "support-noreply",
	"bot", "jenkins", "bitbucket",
}

// automatedNameTags end a display name that a tracker builds from a
// person's name ("Priya Shah (Jira)").
var automatedNameTags = []string{"(jira)", "(confluence)", "(github)", "(gitlab)", "(asana)", "(trello)", "(linear)"}

// automatedDomains send only notifications (a tracker's own domain).
var automatedDomains = []string{"atlassian.net"}
