# Asynkrona standups: frågor per DM, svar på svaren och standup-rapporten.

# Ord som namnger en fråga i början av en rad ("idag: ..."); kommaseparerade.
standup-label-yesterday = igår, i går
standup-label-today = idag, i dag
standup-label-blockers = hinder, blockerare
# Svar på hinderfrågan som betyder "inget hinder"; kommaseparerade, gemener.
standup-no-blocker-words = inga, inget, nej, inga hinder, inget hinder, allt bra, -

standup-q-yesterday = Vad fick du gjort igår?
standup-q-today = Vad jobbar du med idag?
standup-q-blockers = Är det något som hindrar dig? (Skriv "inga" om inte.)

standup-intro = Standup för { $team }, { $date }. Svara här; skriv "standup skip" om du är ledig idag.
standup-reminder = Påminnelse: standup-rapporten för { $team } skickas klockan { $time }.
standup-next = Tack! Nästa fråga: { $question }
standup-saved = Sparat: { $questions }.
standup-complete = Tack, det var allt för idag. Du kan ändra ett svar fram till { $time } genom att skriva t.ex. "{ $label }: …", eller lägga till med "+ …".
standup-all-answered = Du har svarat på alla frågor. Skriv t.ex. "{ $label }: …" för att ändra ett svar; börja med "+" för att lägga till i ditt senaste svar.
standup-skipped = Okej, du är markerad som ledig i standupen för { $team } den { $date }.
standup-unskipped = Välkommen tillbaka: du är med i standupen för { $team } den { $date } igen.
standup-status = Standup för { $team }, { $date }: { $answered } av { $total } frågor besvarade.
standup-help = Standup-kommandon: "standup <svar>" besvarar den aktuella frågan · "standup idag: …" sätter eller ändrar ett svar · "standup + …" lägger till i ditt senaste svar · "standup skip" (eller "standup unskip") · "standup status" · "standup report [team]" · "standup escalate <hinder-id>".
standup-escalated = Hindret har eskalerats till { $team } som { $ref }.
standup-escalated-before = Hindret var redan eskalerat som { $ref }.
standup-escalation-details = Hinder från standupen för { $person } ({ $team }, { $date }). Matchat ansvar: { $why }

standup-error-unknown-team = Det finns inget team som heter "{ $team }".
standup-error-off = Standup är avstängt för { $team }.
standup-error-not-working-day = { $date } är ingen arbetsdag för { $team }: ingen standup.
standup-error-closed = Standup-rapporten för { $team } den { $date } är redan skickad: svaren kan inte längre ändras.
standup-error-forbidden = Bara medlemmar i { $team } och administratörer kan se dess standup.
standup-error-not-participant = Du är inte med i någon standup som tar emot svar just nu.
standup-error-ambiguous = Du är med i flera standups ({ $teams }): ange teamet, t.ex. "standup --team { $first } …".
standup-error-empty = Skriv ditt svar efter "standup", t.ex. "standup idag: laga kassan".
standup-error-too-long = Svaret är för långt ({ $length } tecken; gränsen är { $limit }).
standup-error-blocker-gone = Det hindret finns inte längre i standupen: det har ändrats eller tagits bort.
standup-error-unroutable = Inget team matchade hindret: eskalera det för hand med "escalate <team> …".
standup-error-no-escalations = Eskaleringar är inte tillgängliga här.

standup-report-title = { $team }: standup, { $date }
standup-report-state-open = Svaren kommer fortfarande in.
standup-report-empty = Ingen har svarat än.
standup-missing = Inget svar: { $people }
standup-skipped-list = Lediga idag: { $people }
standup-section-blockers = Hinder ({ $count })
standup-section-blocking-others = Hindrar andra: hinder från andra team som ni kan lösa ({ $count })
standup-blocker-by = { $person } ({ $team })
standup-blocker-routed = → { $team }, { $role }
standup-blocker-routed-team = → { $team }
standup-blocker-why = matchat: { $why }
standup-blocker-unrouted = → inget team matchade: fråga { $fallback }
standup-blocker-escalated = eskalerat som { $ref }
standup-blocker-id = id { $id }
standup-button-escalate = Eskalera till { $team }
