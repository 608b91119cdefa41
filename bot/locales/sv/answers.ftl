answer-headline = { $role ->
    [none] { $team } ansvarar för det här.
   *[other] { $team } ansvarar för det här, närmare bestämt rollen { $role }.
}
answer-why = Varför: { $matched }
answer-contact = Kontakt: { $contact }
answer-contact-none = Ingen kanal är inställd för det här teamet ännu.
answer-loop-in = Ta med { $teams } också: { $team } samarbetar med dem om det här.
answer-unsure = Jag är inte helt säker. Det kan också vara:
answer-alternatives = Andra möjligheter:
answer-offer-escalate = Vill du att jag öppnar en eskalering till { $team }?
answer-dont-know = Tyvärr vet jag inte vem som tar hand om det. Jag hittar inget om det i vår rollguide.
answer-dont-know-fallback = Du kan fråga { $fallback }.
answer-learned = (Svaret bygger på en rättelse från en kollega.)
button-escalate = Eskalera till { $team }
button-wrong-team = Fel team?
button-pick-team = Välj rätt team
answer-thanks-correction = Tack! Nästa gång skickar jag liknande frågor till { $team }.
answer-empty = Skriv en fråga, t.ex. "vem hanterar returer?"
answer-too-long = Meddelandet är för långt ({ $length } tecken). Håll det under { $limit }.
label-team = Team
label-role = Roll
label-contact = Kontakt
label-why = Matchat ansvar
label-confidence = Säkerhet
answer-choices = Jag är osäker på vem som sköter det. Menar du något av de här?
answer-choices-reply = Svara med numret:
answer-choice-none = inget av dem
answer-correction-refused = Bara den som frågade, någon i { $teams } eller en administratör kan rätta det här svaret, så inget har ändrats.
answer-contact-lead-channel = { $lead } (teamledare), { $channel }
answer-contact-lead = { $lead } (teamledare)
answer-channel-slack = { $channel } i Slack
answer-channel-teams = kanalen { $team } i Teams
answer-channel-both = { $slack } eller { $teams }
