# Kommandospråket för eskaleringar: tolkningsfel, användning och hjälp (se bot/commands/).

cmd-empty = Skriv ett kommando, till exempel: escalate warehouse Paket har fastnat vid lastkajen. Skriv help för att se alla kommandon.
cmd-too-long = Meddelandet är för långt ({ $length } tecken); gränsen är { $limit }. Korta ner det.
cmd-unknown = Okänt kommando '{ $word }'. Skriv help för att se alla kommandon.
cmd-unknown-suggest = Okänt kommando '{ $word }' - menade du { $suggestion }?
cmd-missing-id = Vilken eskalering? Ange dess id, till exempel ESC-42.
cmd-bad-id = '{ $value }' är inget eskalerings-id. Id ser ut som ESC-42 (eller bara 42).
cmd-missing-team = Vilket team? Ange ett team-id, till exempel customer-service.
cmd-unknown-team = okänt team '{ $team }'. Team: { $teams }
cmd-unknown-team-suggest = okänt team '{ $team }' - menade du { $suggestion }?
cmd-ambiguous-team = '{ $team }' kan syfta på flera team: { $teams }. Använd team-id:t.
cmd-missing-summary = Beskriv problemet, till exempel: escalate it Kassan fungerar inte med svenska kort.
cmd-missing-text = Kommentaren är tom. Skriv texten efter id:t.
cmd-bad-priority = '{ $value }' är ingen prioritet. Använd någon av { $priorities } (P1 är mest brådskande).
cmd-missing-value = { $option } behöver ett värde.
cmd-bad-scope = Kan inte lista '{ $value }'. Välj en av: { $scopes }, eller team TEAM.
cmd-extra-args = Oväntad text efter id:t: '{ $extra }'.
cmd-usage-label = Användning: { $usage }

cmd-usage-escalate = escalate [TEAM] SAMMANFATTNING [--priority P1|P2|P3]
cmd-usage-ack = ack ID
cmd-usage-resolve = resolve ID [ANTECKNING]
cmd-usage-reopen = reopen ID
cmd-usage-cancel = cancel ID
cmd-usage-reassign = reassign ID TEAM [ANLEDNING]
cmd-usage-comment = comment ID TEXT
cmd-usage-bump = bump ID
cmd-usage-list = list [mine | team TEAM | open | overdue | all]
cmd-usage-show = show ID
cmd-usage-help = help [KOMMANDO]

cmd-help-escalate = Skapa en eskalering. Ange teamet först, eller utelämna det så hittar jag det ansvariga teamet utifrån sammanfattningen. Prioritet P2 om du inte anger P1 (brådskande) eller P3.
cmd-help-ack = Kvittera en eskalering: ditt team har sett den och tar hand om den.
cmd-help-resolve = Markera en eskalering som löst, med en valfri anteckning om vad som gjordes.
cmd-help-reopen = Öppna en löst eller avbruten eskalering igen.
cmd-help-cancel = Dra tillbaka en eskalering som du själv skapat.
cmd-help-reassign = Lämna över en eskalering till ett annat team, med en valfri anledning.
cmd-help-comment = Lägg till en kommentar; alla får kommentera.
cmd-help-bump = Eskalera direkt till nästa nivå i teamets eskaleringskedja.
cmd-help-list = Lista eskaleringar: open (standard), mine, overdue, all eller ett visst teams.
cmd-help-show = Visa en eskalering med hela dess historik.
cmd-help-help = Visa den här hjälpen, eller hjälpen för ett kommando.
cmd-help-title = Kommandon för eskaleringar:
cmd-help-footer = Id ser ut som ESC-42 (det går också bra med 42). Kvittera, lösa och lämna över får medlemmar i det ansvariga teamet; avbryta får den som skapade eskaleringen.
