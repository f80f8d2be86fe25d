package message

import (
	"strings"
	"testing"
)

// Reply shapes that lost the sender's text or leaked the quote: localised
// attribution lines (also wrapped over two lines), Outlook header blocks
// with localised field names, a "--" or a rule that opens a list or a
// section rather than a signature, and the sender's last line right above
// the attribution. Every attribution and header form below is one a mail
// client was seen to write; the comment above each says where. Names,
// addresses and dates are replaced by placeholders, the shape is kept.

// attestedHeaders are attribution lines as clients write them, wrapped
// where the client wrapped them.
var attestedHeaders = []struct{ lang, client, header string }{
	// Catalan. Gmail on Android: "El 06/05/2013 19:11, "Junio C Hamano"
	// <gitster@pobox.com> va escriure:" (git mailing list, via gmane). The
	// issue's Gmail form. Thunderbird's ca strings: "El #2 a les #3, #1 ha
	// escrit:" (composeMsgs.properties, mozilla-l10n).
	{"ca", "Gmail Android", `El 06/05/2026 19:11, "Jane Roe" <jane@example.com> va escriure:`},
	{"ca", "Gmail (issue)", "El dc., 4 de nov. 2026 a les 10:00, Jane Roe <jane@example.com> va escriure:"},
	{"ca", "Gmail (issue), wrapped", "El dc., 4 de nov. 2026 a les 10:00, Jane Roe <jane@example.com>\nva escriure:"},
	{"ca", "Thunderbird", "El 04/11/2026 a les 10:00, Jane Roe ha escrit:"},
	// Chinese. Gmail zh-CN: "Vinod Koul <vkoul@kernel.org> 于2019年5月27日周一
	// 下午2:43写道：" (LKML); Apple Mail: "2025年1月14日 06:27，Mario
	// Limonciello <…> 写道：" (amd-gfx list), on iPhone "在 2016年11月8日，
	// 下午2:23，Test user <test@example.com> 写道：" (willdurand/EmailReplyParser
	// tests); NetEase: "在 2025-05-05 00:16:35，"Dmitry Baryshkov" <…> 写道："
	// (dri-devel); Evolution: "在 2026-01-21星期三的 13:56 +0100，Thomas
	// Zimmermann写道：" (dri-devel); Thunderbird: "在 2022/10/11 16:21, Paolo
	// Valente 写道:" (LKML). The issue's form is Apple Mail's.
	{"zh", "Gmail", "Jane Roe <jane@example.com> 于2026年11月4日周三 上午10:00写道："},
	{"zh", "Apple Mail", "2026年11月4日 10:00，Jane Roe <jane@example.com> 写道："},
	{"zh", "Apple Mail iPhone", "在 2026年11月4日，上午10:00，Jane Roe <jane@example.com> 写道："},
	{"zh", "issue", "在 2026年11月4日 10:00，Jane <jane@example.com> 写道："},
	{"zh", "NetEase", `在 2026-11-04 10:00:35，"Jane Roe" <jane@example.com> 写道：`},
	{"zh", "Evolution", "在 2026-11-04星期三的 10:00 +0100，Jane Roe写道："},
	{"zh", "Thunderbird", "在 2026/11/4 10:00, Jane Roe 写道:"},
	// Japanese. Gmail: "2026年11月4日(水) 10:00 Jane <…>:" (the issue, and
	// mail-parser-reply's ja lexicon); Thunderbird: "2026-06-29 14:16 に
	// Akira Yokosawa さんは書きました:" (LKML); older Gmail "2009/07/25 12:15 に
	// KAMEZAWA Hiroyuki<…> さんは書きました:" (linux-mm); Evolution "2006-11-08
	// (水) の 11:31 +0100 に Jes Sorensen さんは書きました:" (LKML); Apple Mail on
	// iPhone "2016/11/08 14:26、Test user <test@example.com> のメッセージ:"
	// (willdurand/EmailReplyParser tests).
	{"ja", "Gmail", "2026年11月4日(水) 10:00 Jane Roe <jane@example.com>:"},
	{"ja", "Thunderbird", "2026-11-04 10:00 に Jane Roe さんは書きました:"},
	{"ja", "Gmail (older)", "2026/11/04 10:00 に Jane Roe<jane@example.com> さんは書きました:"},
	{"ja", "Evolution", "2026-11-04 (水) の 10:00 +0100 に Jane Roe さんは書きました:"},
	{"ja", "Apple Mail iPhone", "2026/11/04 10:00、Jane Roe <jane@example.com> のメッセージ:"},
	// Korean. Gmail: "2024년 5월 22일 (수) 오전 12:10, Tom Talpey
	// <tom@talpey.com>님이 작성:", wrapped "2019년 7월 25일 (목) 오후 11:19,
	// Kamil Konieczny\n<…>님이 작성:" (both LKML); Apple Mail on iPhone
	// "2016. 11. 8. 오후 12:39 Test user <test@example.com> 작성:"
	// (willdurand/EmailReplyParser tests).
	{"ko", "Gmail", "2026년 11월 4일 (수) 오전 10:00, Jane Roe <jane@example.com>님이 작성:"},
	{"ko", "Gmail, wrapped", "2026년 11월 4일 (수) 오전 10:00, Jane Roe Longname-Example\n<jane.roe@example.com>님이 작성:"},
	{"ko", "Apple Mail iPhone", "2026. 11. 4. 오전 10:00 Jane Roe <jane@example.com> 작성:"},
	// Polish. Thunderbird: "W dniu 29.08.2016 o 10:04, Johannes Schindelin
	// pisze:" (git list); Gmail: "W dniu 7 stycznia 2015 15:24 użytkownik
	// Paweł Brzoski <…> napisał:" (willdurand/EmailReplyParser tests), today
	// "napisał(a):" (EmailReplyParser's and mail-parser-reply's pl patterns).
	{"pl", "Thunderbird", "W dniu 4.11.2026 o 10:00, Jane Roe pisze:"},
	{"pl", "issue", "W dniu 4.11.2026 o 10:00 Jane Roe <jane@example.com> pisze:"},
	{"pl", "Gmail (older)", "W dniu 4 listopada 2026 10:00 użytkownik Jane Roe <jane@example.com> napisał:"},
	{"pl", "Gmail", "śr., 4 lis 2026 o 10:00 Jane Roe <jane@example.com> napisał(a):"},
	// Swedish. Gmail, wrapped: "Den mån 15 jan. 2025 17:03 skrev Anna
	// Andersson <\nanna.andersson@example.com>:" (mail-parser-reply tests);
	// Thunderbird's sv strings: "Den #2 kl. #3, skrev #1:".
	{"sv", "issue", "Den 4 nov. 2026 kl. 10:00 skrev Jane Roe <jane@example.com>:"},
	{"sv", "Gmail, wrapped", "Den ons 4 nov. 2026 10:00 skrev Jane Roe <\njane.roe@example.com>:"},
	{"sv", "Thunderbird", "Den 2026-11-04 kl. 10:00, skrev Jane Roe:"},
	// Dutch. Gmail, wrapped: "Op ma 15 jan. 2025 17:03 Anna Andersson
	// <…>\nschreef:" (mail-parser-reply tests); Claws Mail: "Op Mon, 23 Apr
	// 2018 14:15:59 -0300\nMauro Carvalho Chehab <…> schreef:" (linux-media).
	{"nl", "issue", "Op wo 4 nov. 2026 om 10:00 schreef Jane Roe <jane@example.com>:"},
	{"nl", "Gmail, wrapped", "Op wo 4 nov. 2026 10:00 Jane Roe <jane.roe@example.com>\nschreef:"},
	{"nl", "Claws Mail", "Op Wed, 4 Nov 2026 10:00:00 +0100\nJane Roe <jane@example.com> schreef:"},
	// Portuguese. Gmail: "Em seg., 5 de out. de 2026 às 10:00, Bot <…>
	// escreveu:" (the form); Claws Mail: "Em Thu, 02 Oct 2014
	// 10:48:11 +0200\nThierry Reding <…> escreveu:" (linux-media);
	// Thunderbird's pt-BR strings: "Em #2 #3, #1 escreveu:".
	{"pt", "Gmail", "Em qua., 4 de nov. de 2026 às 10:00, Jane Roe <jane@example.com> escreveu:"},
	{"pt", "Claws Mail", "Em Wed, 04 Nov 2026 10:00:00 +0100\nJane Roe <jane@example.com> escreveu:"},
	{"pt", "Thunderbird", "Em 04/11/2026 10:00, Jane Roe escreveu:"},
	// Italian. Apple Mail: "Il giorno 11 ott 2022, alle ore 10:11, Yu Kuai
	// <…> ha scritto:" (LKML); Gmail, wrapped: "Il lun 15 gen 2025 alle
	// 17:03, Anna Andersson <…>\nha scritto:" (mail-parser-reply tests).
	{"it", "Apple Mail", "Il giorno 4 nov 2026, alle ore 10:00, Jane Roe <jane@example.com> ha scritto:"},
	{"it", "Gmail, wrapped", "Il mer 4 nov 2026 alle 10:00, Jane Roe <jane.roe@example.com>\nha scritto:"},
	// Russian. Claws Mail: "В Fri, 4 Feb 2022 10:45:15 +0100\nChristian
	// Brauner <…> пишет:" (linux-fsdevel); K-9 Mail: "15 сентября 2020 г.
	// 14:50:52 GMT+03:00, Rowland penny via samba-technical <…> пишет:"
	// (samba-technical), wrapped before the address (linux-kernel).
	{"ru", "Claws Mail", "В Wed, 4 Nov 2026 10:00:00 +0100\nJane Roe <jane@example.com> пишет:"},
	{"ru", "K-9 Mail", "4 ноября 2026 г. 10:00:00 GMT+03:00, Jane Roe <jane@example.com> пишет:"},
	{"ru", "K-9 Mail, wrapped", "4 ноября 2026 г. 10:00:00 GMT+03:00, Jane Roe \n<jane.roe@example.com> пишет:"},
	// Turkish. Gmail: "Laurent Pinchart <…>, 27 Ara 2025 Cmt, 16:05
	// tarihinde şunu yazdı:" (linux-media).
	{"tr", "Gmail", "Jane Roe <jane@example.com>, 4 Kas 2026 Çar, 10:00 tarihinde şunu yazdı:"},
	// Czech. Gmail: "po 24. 8. 2020 v 10:28 odesílatel Michal Simek <…>
	// napsal:", wrapped "pá 21. 11. 2025 v 1:00 odesílatel Stephen
	// Rothwell\n<…> napsal:" (both LKML).
	{"cs", "Gmail", "st 4. 11. 2026 v 10:00 odesílatel Jane Roe <jane@example.com> napsal:"},
	{"cs", "Gmail, wrapped", "st 4. 11. 2026 v 10:00 odesílatel Jane Roe\n<jane.roe@example.com> napsal:"},
}

// Every attested header cuts the quote below it and keeps every line of
// the reply above it: after a blank line, right above it, and with the
// quote marked by '>' or not (a body converted from HTML).
func TestAttestedReplyHeaders(t *testing.T) {
	const note = "Done, the rollout finished on Tuesday."
	const last = "QA starts Monday"
	for _, h := range attestedHeaders {
		shapes := []struct{ name, in, want string }{
			{"blank line, quoted", note + "\n\n" + h.header + "\n> Where are we?\n> Jane", note},
			{"blank line, unquoted", note + "\n\n" + h.header + "\n\nWhere are we?\nJane", note},
			{"no blank line", note + "\n" + last + "\n" + h.header + "\n\n> Where are we?", note + "\n" + last},
			{"no blank line, unquoted", note + "\n" + last + "\n" + h.header + "\nWhere are we?", note + "\n" + last},
		}
		for _, s := range shapes {
			if got := Visible(s.in, ""); got != s.want {
				t.Errorf("%s %s, %s: Visible =\n%s\n--- want:\n%s\n--- input:\n%s", h.lang, h.client, s.name, got, s.want, s.in)
			}
		}
	}
}

type visibleCase struct{ name, in, want string }

func runVisibleCases(t *testing.T, cases []visibleCase) {
	t.Helper()
	for _, c := range cases {
		if got := Visible(c.in, ""); got != c.want {
			t.Errorf("%s: Visible =\n%s\n--- want:\n%s\n--- input:\n%s", c.name, got, c.want, c.in)
		}
	}
}

// The forms, one case each, with their whole input and output.
func TestReplyHeadersByLanguage(t *testing.T) {
	runVisibleCases(t, []visibleCase{
		{"catalan gmail",
			"Ja està desplegat.\n\nEl dc., 4 de nov. 2026 a les 10:00, Jane <j@example.com> va escriure:\n> Com va?",
			"Ja està desplegat."},
		{"catalan thunderbird",
			"Ja està desplegat.\nEl 04/11/2026 a les 10:00, Jane ha escrit:\n> Com va?",
			"Ja està desplegat."},
		{"chinese apple mail",
			"已经上线了。\n\n在 2026年11月4日 10:00，Jane <j@example.com> 写道：\n> 进展如何？",
			"已经上线了。"},
		{"chinese gmail",
			"已经上线了。\nJane <j@example.com> 于2026年11月4日周三 10:00写道：\n\n进展如何？",
			"已经上线了。"},
		{"japanese gmail",
			"リリースしました。\n\n2026年11月4日(水) 10:00 Jane <j@example.com>:\n> 進捗は？",
			"リリースしました。"},
		{"japanese thunderbird",
			"リリースしました。\n2026-11-04 10:00 に Jane さんは書きました:\n> 進捗は？",
			"リリースしました。"},
		{"korean gmail",
			"배포했습니다.\n\n2026년 11월 4일 (수) 오전 10:00, Jane <j@example.com>님이 작성:\n> 진행 상황은?",
			"배포했습니다."},
		{"polish thunderbird",
			"Wdrożone.\n\nW dniu 4.11.2026 o 10:00 Jane <j@example.com> pisze:\n> Jak idzie?",
			"Wdrożone."},
		{"polish gmail",
			"Wdrożone.\n\nśr., 4 lis 2026 o 10:00 Jane <j@example.com> napisał(a):\n> Jak idzie?",
			"Wdrożone."},
		{"swedish",
			"Klart.\n\nDen 4 nov. 2026 kl. 10:00 skrev Jane <j@example.com>:\n> Hur går det?",
			"Klart."},
		{"dutch",
			"Klaar.\n\nOp wo 4 nov. 2026 om 10:00 schreef Jane <j@example.com>:\n> Hoe staat het?",
			"Klaar."},
		{"portuguese",
			"Feito.\n\nEm qua., 4 de nov. de 2026 às 10:00, Jane <j@example.com> escreveu:\n> Como vai?",
			"Feito."},
		{"italian",
			"Fatto.\n\nIl giorno 4 nov 2026, alle ore 10:00, Jane <j@example.com> ha scritto:\n> Come va?",
			"Fatto."},
		{"russian",
			"Готово.\n\n4 ноября 2026 г. 10:00:00 GMT+03:00, Jane <j@example.com> пишет:\n> Как дела?",
			"Готово."},
		{"turkish",
			"Tamam.\n\nJane <j@example.com>, 4 Kas 2026 Çar, 10:00 tarihinde şunu yazdı:\n> Ne durumda?",
			"Tamam."},
		{"czech",
			"Hotovo.\n\nst 4. 11. 2026 v 10:00 odesílatel Jane <j@example.com> napsal:\n> Jak to jde?",
			"Hotovo."},
		// "he wrote in his 2026 report:" has no time and no address: the
		// sender's own words
		{"chinese sentence with 写道",
			"他在2026年的报告中写道：\n“我们会按时交付。”",
			"他在2026年的报告中写道：\n“我们会按时交付。”"},
		{"korean schedule line",
			"일정:\n10:00 보고서 작성:\n초안 공유",
			"일정:\n10:00 보고서 작성:\n초안 공유"},
	})
}

// Outlook's From/Sent/To/Subject block, in the languages Outlook writes
// it, with and without the rule above it. Field names: mail-parser-reply's
// from_header lexicons (de Von/Gesendet/An/Betreff, fr De/Envoyé/À/Objet,
// es De/Enviado/Para/Asunto, it Da/Inviato/A/Oggetto, nl
// Van/Verzonden/Aan/Onderwerp, pl Od/Wysłano/Do/Temat, sv
// Från/Skickat/Till/Ämne, zh 发件人/发送时间/收件人/主题); "Enviado el:" from a
// Spanish Outlook reply on the openrisc list, "De: … em nome de …" wrapped
// over two lines with "Enviado:" from a Brazilian one on usrp-users; the
// lone "From: NAME <EMAIL>" line from willdurand/EmailReplyParser.
func TestOutlookHeaderBlocks(t *testing.T) {
	const rule = "________________________________\n"
	blocks := []struct{ lang, block string }{
		{"en", "From: Jane Roe <jane@example.com>\nSent: Wednesday, November 4, 2026 10:00 AM\nTo: Alex Doe <alex@example.com>\nSubject: RE: Apollo"},
		{"en mailto", "From: Jane Roe [mailto:jane@example.com]\nSent: Wednesday, November 4, 2026 10:00 AM\nTo: Alex Doe\nCc: Bob Smith\nSubject: RE: Apollo"},
		{"en bold", "*From:* Jane Roe <jane@example.com>\n*Sent:* Wednesday, November 4, 2026 10:00 AM\n*To:* Alex Doe\n*Subject:* RE: Apollo"},
		{"de", "Von: Jane Roe <jane@example.com>\nGesendet: Mittwoch, 4. November 2026 10:00\nAn: Alex Doe <alex@example.com>\nBetreff: AW: Apollo"},
		{"fr", "De : Jane Roe <jane@example.com>\nEnvoyé : mercredi 4 novembre 2026 10:00\nÀ : Alex Doe <alex@example.com>\nObjet : RE: Apollo"},
		{"es", "De: Jane Roe <jane@example.com>\nEnviado: miércoles, 4 de noviembre de 2026 10:00\nPara: Alex Doe <alex@example.com>\nAsunto: RE: Apollo"},
		{"es enviado el", "De: Jane Roe <jane@example.com>\nEnviado el: miércoles, 4 de noviembre de 2026 10:00\nPara: alex@example.com\nCC: Bob Smith <bob@example.com>\nAsunto: Re: Apollo"},
		{"it", "Da: Jane Roe <jane@example.com>\nInviato: mercoledì 4 novembre 2026 10:00\nA: Alex Doe <alex@example.com>\nOggetto: R: Apollo"},
		{"nl", "Van: Jane Roe <jane@example.com>\nVerzonden: woensdag 4 november 2026 10:00\nAan: Alex Doe <alex@example.com>\nOnderwerp: RE: Apollo"},
		{"pl", "Od: Jane Roe <jane@example.com>\nWysłano: środa, 4 listopada 2026 10:00\nDo: Alex Doe <alex@example.com>\nTemat: RE: Apollo"},
		{"sv", "Från: Jane Roe <jane@example.com>\nSkickat: den 4 november 2026 10:00\nTill: Alex Doe <alex@example.com>\nÄmne: SV: Apollo"},
		{"pt", "De: Jane Roe <jane@example.com>\nEnviada em: quarta-feira, 4 de novembro de 2026 10:00\nPara: Alex Doe <alex@example.com>\nAssunto: RE: Apollo"},
		{"pt wrapped from", "De: Apollo-users <apollo-users-bounces@example.com> em nome de Jane\nRoe via Apollo-users <apollo-users@example.com>\nEnviado: quarta-feira, 4 de novembro de 2026 10:00:07\nPara: apollo-users@example.com\nAssunto: Re: [Apollo-users] rollout"},
		{"zh", "发件人: Jane Roe <jane@example.com>\n发送时间: 2026年11月4日 10:00\n收件人: Alex Doe <alex@example.com>\n主题: 回复: Apollo"},
		{"en lone from", "From: Jane Roe <jane@example.com>"},
		{"fr lone from", "De : Jane Roe <jane@example.com>"},
		{"nl lone from", "Van: Jane Roe <jane@example.com>"},
	}
	const note = "Done, the rollout finished on Tuesday.\n\nQA starts Monday."
	for _, b := range blocks {
		for _, shape := range []struct{ name, sep string }{{"blank line", "\n\n"}, {"rule", "\n\n" + rule}, {"rule, no blank line", "\n" + rule}} {
			in := note + shape.sep + b.block + "\n\nWhere are we on Apollo?\n\nJane"
			if got := Visible(in, ""); got != note {
				t.Errorf("%s, %s: Visible =\n%s\n--- input:\n%s", b.lang, shape.name, got, in)
			}
		}
		if strings.Count(b.block, "\n") > 0 {
			// a block right below the reply, no blank line
			in := note + "\n" + b.block + "\n\nWhere are we on Apollo?"
			if got := Visible(in, ""); got != note {
				t.Errorf("%s, no blank line: Visible =\n%s\n--- input:\n%s", b.lang, got, in)
			}
		}
	}
	runVisibleCases(t, []visibleCase{
		// a From line inside a paragraph, or without an address, is text
		{"from in a paragraph",
			"New vendor contact:\nFrom: Jane Roe <jane@vendor.example>\nShe sends the contract on Friday.",
			"New vendor contact:\nFrom: Jane Roe <jane@vendor.example>\nShe sends the contract on Friday."},
		{"from without address",
			"Done.\n\nFrom: the vendor, nothing yet.\n\nWe chase them Monday.",
			"Done.\n\nFrom: the vendor, nothing yet.\n\nWe chase them Monday."},
	})
}

// A "--" or a rule of dashes that opens a list or a section is the
// sender's text; a short signature after "-- " still goes.
func TestDashesInsideBody(t *testing.T) {
	runVisibleCases(t, []visibleCase{
		{"list after --",
			"Update:\n--\n- item one\n- item two\n\nThanks,\nAlex",
			"Update:\n--\n- item one\n- item two"},
		{"list after -- with a space",
			"Update:\n-- \n- item one\n- item two\n\nThanks,\nAlex",
			"Update:\n--\n- item one\n- item two"},
		{"list after a blank line and --",
			"Done with the audit.\n\n--\n- Apollo: shipped\n- Hermes at risk\n- Zeus blocked on legal",
			"Done with the audit.\n\n--\n- Apollo: shipped\n- Hermes at risk\n- Zeus blocked on legal"},
		{"numbered list after --",
			"Done with the audit.\n\n--\n1. Apollo shipped\n2. Hermes at risk",
			"Done with the audit.\n\n--\n1. Apollo shipped\n2. Hermes at risk"},
		{"heading underlined with a rule, then a list",
			"Status\n-----\n- Apollo done\n- Hermes at risk",
			"Status\n-----\n- Apollo done\n- Hermes at risk"},
		{"heading with a colon and a rule, short lines",
			"Hi all,\n\nThis week:\n-----\nApollo done\nHermes late",
			"Hi all,\n\nThis week:\n-----\nApollo done\nHermes late"},
		{"rule then paragraphs",
			"Hi all,\n\nQuick notes below.\n\n-----\n\nThe migration finished on Tuesday and all services are green.\n\nThe vendor call moved to Friday; we need a decision on the contract.\n\nQA starts Monday.\n\nThanks,\nAlex",
			"Hi all,\n\nQuick notes below.\n\n-----\n\nThe migration finished on Tuesday and all services are green.\n\nThe vendor call moved to Friday; we need a decision on the contract.\n\nQA starts Monday."},
		{"-- then paragraphs",
			"Hi all,\n\nQuick notes below.\n\n-- \nThe migration finished on Tuesday and all services are green again.\n\nThe vendor call moved to Friday.\n\nCheers,\nAlex",
			"Hi all,\n\nQuick notes below.\n\n--\nThe migration finished on Tuesday and all services are green again.\n\nThe vendor call moved to Friday."},
		// real signatures still go
		{"short signature after --",
			"Done.\n\n-- \nAlex Doe\nProduct Lead, Example Inc\n+49 30 1234567",
			"Done."},
		{"name after --",
			"The migration is done, QA starts Monday.\n--\nAlex",
			"The migration is done, QA starts Monday."},
		{"signature with a motto after --",
			"Done.\n\n-- \nAlex Doe | Product Lead\n\"Simplicity is prerequisite for reliability, always and everywhere.\"",
			"Done."},
		{"dash name still a sign-off",
			"The migration is done.\n\n- Alex",
			"The migration is done."},
	})
}

// The sender's last line right above the attribution stays: with no blank
// line between, when the attribution is wrapped, and when that line
// itself starts like an attribution or carries a time.
func TestLastLineAboveAttribution(t *testing.T) {
	const gmail = "On Wed, Nov 4, 2026 at 10:00 AM Jane Roe <jane@example.com> wrote:"
	const wrapped = "On Wed, Nov 4, 2026 at 10:00 AM Jane Roe <jane@example.com>\nwrote:"
	runVisibleCases(t, []visibleCase{
		{"no blank line", "Done, shipping Friday.\n" + gmail + "\n> where?", "Done, shipping Friday."},
		{"no blank line, no full stop", "Done, shipping Friday\n" + gmail + "\n> where?", "Done, shipping Friday"},
		{"no blank line, wrapped", "Done, shipping Friday.\n" + wrapped + "\n> where?", "Done, shipping Friday."},
		{"wrapped at the address", "Done, shipping Friday\nOn Wed, Nov 4, 2026 at 10:00 AM Jane Roe <\njane@example.com> wrote:\n\n> where?", "Done, shipping Friday"},
		{"same line", "Done, shipping Friday. " + gmail + "\n> where?", "Done, shipping Friday."},
		{"last line starts with On", "Hi Jane,\n\nOn Friday we ship the beta to all customers\n" + gmail + "\n> where?", "Hi Jane,\n\nOn Friday we ship the beta to all customers"},
		{"last line starts with On, wrapped", "On Friday we ship the beta to all customers\n" + wrapped + "\n> where?", "On Friday we ship the beta to all customers"},
		{"last line starts with On and has a number", "On Friday we ship v2 to 300 customers\n" + gmail + "\n> where?", "On Friday we ship v2 to 300 customers"},
		{"german last line starts with Am", "Am Freitag geht es live\nAm Mi., 4. Nov. 2026 um 10:00 Uhr schrieb Jane Roe <jane@example.com>:\n> Stand?", "Am Freitag geht es live"},
		{"french last line starts with Le", "Le déploiement est prévu\nLe mer. 4 nov. 2026 à 10:00, Jane Roe <jane@example.com> a écrit :\n> Où ?", "Le déploiement est prévu"},
		{"dutch last line starts with Op", "Op vrijdag gaan we live\nOp wo 4 nov. 2026 om 10:00 schreef Jane Roe <jane@example.com>:\n> Hoe staat het?", "Op vrijdag gaan we live"},
		{"last line has a time", "We go live at 10:00 tomorrow\nJane Roe <jane@example.com> wrote:\n> where?", "We go live at 10:00 tomorrow"},
		{"last line has a year", "Budget for 2026 approved\nJane Roe <jane@example.com> wrote:\n> where?", "Budget for 2026 approved"},
		{"last line has a date", "04.11.2026 deploy done\nJane Roe <jane@example.com> wrote:\n> where?", "04.11.2026 deploy done"},
		{"thanks and more words", "Hi Jane,\n\nThanks, will do.\n\n" + gmail + "\n> can you?", "Hi Jane,\n\nThanks, will do."},
		{"thanks and more words, no blank line", "Hi Jane,\n\nThanks, will do\n" + gmail + "\n> can you?", "Hi Jane,\n\nThanks, will do"},
		{"cheers and more words", "Hi Jane,\n\nYes. Cheers, see you then\n" + gmail + "\n> can you?", "Hi Jane,\n\nYes. Cheers, see you then"},
		{"am after a time is not German", "We ship on\nWed, Nov 4, 2026 at 10:00 AM Jane Roe <jane@example.com> wrote:\n> where?", "We ship on"},
		// a sign-off with a name above the attribution still goes
		{"sign-off and name", "Hi Jane,\n\nThe migration is done.\nBest, Alex\n" + gmail + "\n> can you?", "Hi Jane,\n\nThe migration is done."},
		{"sign-off and lowercase name", "Hi Jane,\n\nThe migration is done.\n\nthanks, alex\n\n" + gmail + "\n> can you?", "Hi Jane,\n\nThe migration is done."},
	})
}

// Hostile bodies made of the shapes above cost about what ordinary ones
// do (see BenchmarkVisiblePathological): each line is turned away by a
// literal check before any large regexp.
func BenchmarkVisibleReplyShapes(b *testing.B) {
	units := []string{"On Friday we ship the beta\n", "On 1 Friday we ship\n", "We go live at 10:00\n",
		"Jane <j@x.y> wrote:\n", "在 2026/11/4 10:00, 写道:\n", "他在2026年写道：\n", "- item\n", "--\n- a\n- b\n",
		"\nFrom: a <b@c.d>\n", "Thanks, will do\n", "- Alex\n"}
	for _, unit := range units {
		s := strings.Repeat(unit, DefaultMaxText/len(unit))
		b.Run(strings.TrimSpace(unit), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				ParseBody(s, Options{})
			}
		})
	}
}
