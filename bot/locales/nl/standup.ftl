# Asynchrone standups: vragen per DM, antwoorden op antwoorden en het standup-rapport.

# Woorden die een vraag noemen aan het begin van een regel ("vandaag: ..."); gescheiden door komma's.
standup-label-yesterday = gisteren
standup-label-today = vandaag
standup-label-blockers = blokkades, blokkade, belemmeringen
# Antwoorden op de blokkadevraag die "geen blokkade" betekenen; gescheiden door komma's, kleine letters.
standup-no-blocker-words = geen, niets, nee, geen blokkades, geen blokkade, alles goed, -

standup-q-yesterday = Wat heb je gisteren gedaan?
standup-q-today = Waar werk je vandaag aan?
standup-q-blockers = Word je ergens door geblokkeerd? (Schrijf "geen" als dat niet zo is.)

standup-intro = Standup van { $team }, { $date }. Antwoord hier; schrijf "standup skip" als je vandaag vrij bent.
standup-reminder = Herinnering: het standup-rapport van { $team } gaat om { $time } uit.
standup-next = Bedankt! Volgende vraag: { $question }
standup-saved = Opgeslagen: { $questions }.
standup-complete = Bedankt, dat was alles voor vandaag. Je kunt een antwoord tot { $time } wijzigen door bijvoorbeeld "{ $label }: …" te schrijven, of iets toevoegen met "+ …".
standup-all-answered = Je hebt alle vragen beantwoord. Schrijf bijvoorbeeld "{ $label }: …" om een antwoord te wijzigen; begin met "+" om iets aan je laatste antwoord toe te voegen.
standup-skipped = Oké, je staat als afwezig voor de standup van { $team } op { $date }.
standup-unskipped = Welkom terug: je doet weer mee aan de standup van { $team } op { $date }.
standup-status = Standup van { $team }, { $date }: { $answered } van de { $total } vragen beantwoord.
standup-help = Standup-opdrachten: "standup <antwoord>" beantwoordt de huidige vraag · "standup vandaag: …" zet of wijzigt één antwoord · "standup + …" voegt iets toe aan je laatste antwoord · "standup skip" (of "standup unskip") · "standup status" · "standup report [team]" · "standup escalate <blokkade-id>".
standup-escalated = Blokkade geëscaleerd naar { $team } als { $ref }.
standup-escalated-before = Deze blokkade was al geëscaleerd als { $ref }.
standup-escalation-details = Blokkade uit de standup van { $person } ({ $team }, { $date }). Gevonden verantwoordelijkheid: { $why }

standup-error-unknown-team = Er is geen team dat "{ $team }" heet.
standup-error-off = Standup staat uit voor { $team }.
standup-error-not-working-day = { $date } is geen werkdag voor { $team }: er is geen standup.
standup-error-closed = Het standup-rapport van { $team } voor { $date } is al verstuurd: antwoorden kunnen niet meer veranderen.
standup-error-forbidden = Alleen leden van { $team } en beheerders kunnen de standup zien.
standup-error-not-participant = Je doet niet mee aan een standup die nu antwoorden aanneemt.
standup-error-ambiguous = Je doet mee aan meerdere standups ({ $teams }): noem het team, bijvoorbeeld "standup --team { $first } …".
standup-error-empty = Schrijf je antwoord na "standup", bijvoorbeeld "standup vandaag: de kassa repareren".
standup-error-too-long = Dat antwoord is te lang ({ $length } tekens; de grens is { $limit }).
standup-error-blocker-gone = Die blokkade staat niet meer in de standup: ze is gewijzigd of verwijderd.
standup-error-unroutable = Geen team past bij deze blokkade: escaleer haar zelf met "escalate <team> …".
standup-error-no-escalations = Escalaties zijn hier niet beschikbaar.

standup-report-title = { $team }: standup, { $date }
standup-report-state-open = Er komen nog antwoorden binnen.
standup-report-empty = Nog niemand heeft geantwoord.
standup-missing = Geen antwoord: { $people }
standup-skipped-list = Vandaag afwezig: { $people }
standup-section-blockers = Blokkades ({ $count })
standup-section-blocking-others = Blokkeert anderen: blokkades van andere teams die bij jullie liggen ({ $count })
standup-blocker-by = { $person } ({ $team })
standup-blocker-routed = → { $team }, { $role }
standup-blocker-routed-team = → { $team }
standup-blocker-why = gevonden: { $why }
standup-blocker-unrouted = → geen team gevonden: vraag het aan { $fallback }
standup-blocker-escalated = geëscaleerd als { $ref }
standup-blocker-id = id { $id }
standup-button-escalate = Escaleren naar { $team }
