package message

import "testing"

// TestAskTable: an ask is a request directed at the user, for status or
// for action (a question to them, "can you send me", "could you", an
// imperative with a deadline); a thank-you, a statement, a proposal or
// small talk is none.
func TestAskTable(t *testing.T) {
	tests := []struct {
		text string
		ask  bool
	}{
		// Asks, English.
		{"Could you send me the latest on Zephyr before the review?", true},
		{"Can you send me the Zephyr cost numbers before Friday?", true},
		{"Any update on Apollo? The exec review is Thursday.", true},
		{"Could your team take the auth migration in Q3? We would need an answer by Friday.", true},
		{"Hi Alex, where are we on the vendor contract?", true},
		{"Can you join the steering call on Monday?", true},
		{"Would you be able to present the roadmap at the all-hands?", true},
		{"Please send me the slides before the board meeting.", true},
		{"Please confirm the budget numbers by end of day.", true},
		{"Send me the headcount plan by Friday.", true},
		{"Confirm the venue before Monday, please.", true},
		{"Let me know by Thursday whether we go ahead with the vendor.", true},
		{"Do you have the latest numbers for Atlas?", true},
		{"Have you heard back from legal on the DPA?", true},
		{"When can you share the migration plan?", true},
		{"What's your take on the revised offer?", true},
		{"Any thoughts on the hiring plan before I reply to HR?", true},
		{"I was wondering if you could take a look at the Q3 budget.", true},
		{"We need your sign-off on the security review by Wednesday.", true},
		{"Could you please loop in Priya on the payments thread.", true},
		{"How is the migration going?", true},
		{"Is Apollo still on track?", true},
		{"What is the status of the rollout in EMEA?", true},
		{"Can you update me on hiring before my 1:1 with the VP?", true},
		{"Quick one: are you able to cover the ops review tomorrow?", true},
		{"Hi Alex,\n\nI'm putting together the platform review for the 26th: could you send me\nthe before/after latency numbers for Zephyr 2.0?\n\nCheers,\nRaj", true},
		{"Will you have the draft ready for the offsite?", true},
		{"Can u check the invoice from Paylane?", true},
		{"Who do you want to send to the vendor workshop?", true},
		{"I'd like an update before Friday.", true},
		{"Get me the final figures by tomorrow morning.", true},
		{"Share the risk register with finance before EOD.", true},
		// Asks, German, French, Spanish.
		{"Kannst du mir bis Freitag die Zahlen schicken?", true},
		{"Wie ist der Stand bei der Migration?", true},
		{"Könnten Sie bitte das Angebot prüfen?", true},
		{"Gib mir bitte bis Montag Bescheid.", true},
		{"Peux-tu m'envoyer les chiffres avant vendredi ?", true},
		{"Où en est le projet Apollo ?", true},
		{"Merci de m'envoyer le planning avant la revue.", true},
		{"¿Podrías enviarme el presupuesto antes del viernes?", true},
		{"¿Cómo va la migración?", true},
		{"Por favor envíame las cifras de Zephyr.", true},
		// No asks: thank-yous, statements, proposals, small talk, FYIs.
		{"Thanks Alex, helpful. Let's go through the PSP contract in our 1:1 on Thursday.", false},
		{"Thanks, that's exactly what I needed.", false},
		{"Great work on the launch, team!", false},
		{"FYI: the vendor moved the SDK drop by two weeks.", false},
		{"We shipped Zephyr 2.0 to 100% of users this morning.", false},
		{"Let's discuss the budget in Monday's staff meeting.", false},
		{"I'll send the agenda tomorrow.", false},
		{"The dashboards look good and the rollout went fine.", false},
		{"How are you? Hope you had a good weekend.", false},
		{"Did you have a nice holiday?", false},
		{"Please find attached the minutes of Tuesday's meeting.", false},
		{"Let me know if you have any questions.", false},
		{"As you can see in the report, churn went down.", false},
		{"I will review the numbers on Friday.", false},
		{"We will ship the next batch on Monday after review.", false},
		{"Thank you for the quick turnaround, much appreciated.", false},
		{"Noted, thanks. I'll pick this up with finance.", false},
		{"Good news: legal approved the contract.", false},
		{"Sent from my iPhone", false},
		{"Sounds good to me.", false},
		{"Happy to help if you need anything.", false},
		{"Danke, sehr hilfreich. Lass uns das am Donnerstag besprechen.", false},
		{"Merci pour le point, très utile.", false},
		{"Gracias, muy útil. Lo vemos el jueves.", false},
		{"Como puedes ver, el lanzamiento fue bien.", false},
		{"Der Rollout ist abgeschlossen.", false},
	}
	if len(tests) < 60 {
		t.Fatalf("the table has %d sentences, want at least 60", len(tests))
	}
	for _, tt := range tests {
		if got := IsStatusAsk(tt.text); got != tt.ask {
			t.Errorf("IsStatusAsk(%q) = %v, want %v", tt.text, got, tt.ask)
		}
	}
}
