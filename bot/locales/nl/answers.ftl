answer-headline = { $role ->
    [none] Dit ligt bij { $team }.
   *[other] Dit ligt bij { $team } (rol: { $role }).
}
answer-why = Waarom: { $matched }
answer-contact = Contact: { $contact }
answer-contact-none = Voor dit team is nog geen kanaal ingesteld.
answer-loop-in = Betrek ook { $teams } erbij: { $team } werkt hiervoor met hen samen.
answer-unsure = Ik weet het niet helemaal zeker. Het kan ook gaan om:
answer-alternatives = Andere mogelijkheden:
answer-offer-escalate = Zal ik een escalatie openen bij { $team }?
answer-dont-know = Sorry, ik weet niet wie dat oppakt. Ik kan er niets over vinden in onze rollengids.
answer-dont-know-fallback = Je kunt het vragen aan { $fallback }.
answer-learned = (Antwoord gebaseerd op een correctie van een collega.)
button-escalate = Escaleren naar { $team }
button-wrong-team = Verkeerd team?
button-pick-team = Kies het juiste team
answer-thanks-correction = Bedankt! Voortaan stuur ik zulke vragen naar { $team }.
answer-empty = Typ een vraag, bijvoorbeeld "wie behandelt retouren?"
answer-too-long = Dat bericht is te lang ({ $length } tekens). Houd het onder de { $limit }.
label-team = Team
label-role = Rol
label-contact = Contact
label-why = Gevonden verantwoordelijkheid
label-confidence = Zekerheid
answer-choices = Ik weet niet zeker wie dat doet. Bedoel je een van deze?
answer-choices-reply = Antwoord met het nummer:
answer-choice-none = geen van deze
answer-correction-refused = Alleen wie de vraag stelde, een lid van { $teams } of een beheerder kan dit antwoord corrigeren, dus er is niets veranderd.
answer-contact-lead-channel = { $lead } (teamleider), { $channel }
answer-contact-lead = { $lead } (teamleider)
answer-channel-slack = { $channel } in Slack
answer-channel-teams = het kanaal { $team } in Teams
answer-channel-both = { $slack } of { $teams }
