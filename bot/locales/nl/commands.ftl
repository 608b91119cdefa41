# Commandotaal voor escalaties: parseerfouten, gebruik en hulp (zie bot/commands/).

cmd-empty = Typ een commando, bijvoorbeeld: escalate warehouse Pakketten blijven hangen bij het laadperron. Typ help voor alle commando's.
cmd-too-long = Dit bericht is te lang ({ $length } tekens); de limiet is { $limit }. Maak het korter.
cmd-unknown = Onbekend commando '{ $word }'. Typ help voor alle commando's.
cmd-unknown-suggest = Onbekend commando '{ $word }' - bedoelde je { $suggestion }?
cmd-missing-id = Welke escalatie? Geef het id, bijvoorbeeld ESC-42.
cmd-bad-id = '{ $value }' is geen escalatie-id. Een id ziet eruit als ESC-42 (of gewoon 42).
cmd-missing-team = Welk team? Geef een team-id, bijvoorbeeld customer-service.
cmd-unknown-team = onbekend team '{ $team }'. Teams: { $teams }
cmd-unknown-team-suggest = onbekend team '{ $team }' - bedoelde je { $suggestion }?
cmd-ambiguous-team = '{ $team }' kan meer dan één team zijn: { $teams }. Gebruik het team-id.
cmd-missing-summary = Beschrijf het probleem, bijvoorbeeld: escalate it Afrekenen mislukt met Zweedse kaarten.
cmd-missing-text = De opmerking is leeg. Schrijf de tekst na het id.
cmd-bad-priority = '{ $value }' is geen prioriteit. Gebruik een van { $priorities } (P1 is het dringendst).
cmd-missing-value = { $option } heeft een waarde nodig.
cmd-bad-scope = Kan '{ $value }' niet tonen. Kies uit: { $scopes }, of team TEAM.
cmd-extra-args = Onverwachte tekst na het id: '{ $extra }'.
cmd-usage-label = Gebruik: { $usage }

cmd-usage-escalate = escalate [TEAM] SAMENVATTING [--priority P1|P2|P3]
cmd-usage-ack = ack ID
cmd-usage-resolve = resolve ID [NOTITIE]
cmd-usage-reopen = reopen ID
cmd-usage-cancel = cancel ID
cmd-usage-reassign = reassign ID TEAM [REDEN]
cmd-usage-comment = comment ID TEKST
cmd-usage-bump = bump ID
cmd-usage-list = list [mine | team TEAM | open | overdue | all]
cmd-usage-show = show ID
cmd-usage-help = help [COMMANDO]

cmd-help-escalate = Open een escalatie. Noem eerst het team, of laat het weg en ik zoek het verantwoordelijke team op basis van de samenvatting. Prioriteit P2, tenzij je P1 (dringend) of P3 opgeeft.
cmd-help-ack = Bevestig een escalatie: je team heeft haar gezien en pakt haar op.
cmd-help-resolve = Markeer een escalatie als opgelost, met een optionele notitie over wat er is gedaan.
cmd-help-reopen = Heropen een opgeloste of geannuleerde escalatie.
cmd-help-cancel = Trek een escalatie in die je zelf hebt aangemaakt.
cmd-help-reassign = Draag een escalatie over aan een ander team, met een optionele reden.
cmd-help-comment = Voeg een opmerking toe; iedereen mag reageren.
cmd-help-bump = Escaleer nu naar het volgende niveau van de escalatieketen van het team.
cmd-help-list = Toon escalaties: open (standaard), mine, overdue, all of die van één team.
cmd-help-show = Toon een escalatie met haar volledige geschiedenis.
cmd-help-help = Toon deze hulp, of de hulp bij één commando.
cmd-help-title = Commando's voor escalaties:
cmd-help-footer = Een id ziet eruit als ESC-42 (42 mag ook). Bevestigen, oplossen en overdragen kan alleen een lid van het verantwoordelijke team; annuleren alleen de aanvrager.
