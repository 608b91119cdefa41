# Eskaleringar som människor läser dem: status, sammanfattningsrader, listor, detaljer, historik och alla fel.

esc-state-open = öppen
esc-state-acknowledged = kvitterad
esc-state-resolved = löst
esc-state-cancelled = avbruten

esc-verb-acknowledge = kvittera
esc-verb-resolve = lösa
esc-verb-reopen = öppna igen
esc-verb-cancel = avbryta
esc-verb-reassign = lämna över
esc-verb-comment = kommentera
esc-verb-bump = eskalera

esc-field-summary = sammanfattning
esc-field-details = detaljer
esc-field-note = anteckning
esc-field-reason = anledning
esc-field-comment = kommentar
esc-field-team = team
esc-field-priority = prioritet

esc-line = { $ref } · { $priority } · { $state } · { $team } · { $age }: { $summary }
esc-overdue-tag = FÖRSENAD
esc-just-now = just nu

esc-created = Sparat som { $ref } ({ $priority }) för { $team }. Jag säger till så snart teamet har fått den.
esc-acknowledged = { $ref } kvitterad av { $actor }.
esc-resolved = { $ref } löst av { $actor }.
esc-reopened = { $ref } öppnad igen av { $actor }.
esc-cancelled = { $ref } avbruten av { $actor }.
esc-reassigned = { $ref } flyttad från { $from } till { $to } av { $actor }.
esc-commented = Kommentar tillagd på { $ref }.
esc-bumped = { $ref } eskalerad till nivå { $level } ({ $level_name }).
esc-exhausted = { $ref } har nått toppen av eskaleringskedjan och är fortfarande inte kvitterad.
esc-overdue = { $ref } löstes inte i tid.
esc-replayed = Den här begäran var redan hanterad; inget har ändrats.

esc-ack-due = Ska kvitteras { $when }.
esc-ack-late = Skulle ha kvitterats { $when }.
esc-resolve-due = Ska vara löst { $when }.
esc-resolve-late = Skulle ha varit löst { $when }.

esc-scope-open = öppna
esc-scope-mine = mina
esc-scope-overdue = försenade
esc-scope-all = alla
esc-scope-team = teamet { $team }
esc-list-title = { $count ->
    [one] En eskalering ({ $scope }):
   *[other] { $count } eskaleringar ({ $scope }):
}
esc-list-empty = Inga eskaleringar ({ $scope }).

esc-show-requester = Skapad av { $name }, { $age }
esc-show-role = Roll: { $role }
esc-show-level = Nivå: { $level } ({ $level_name })
esc-show-details = Detaljer: { $details }
esc-show-source = Källa: { $link }
esc-history-title = Historik:
esc-history-line = { $when } · { $who } · { $action }
esc-history-action = { $action ->
    [created] skapade
    [acknowledged] kvitterade
    [resolved] löste
    [reopened] öppnade igen
    [cancelled] avbröt
    [reassigned] lämnade över
    [commented] kommenterade
    [bumped] eskalerade en nivå
    [refused] nekades
    [exhausted] nådde toppen av kedjan
    [overdue] missade tiden för lösning
   *[other] { $action }
}

esc-sweep-none = Inget är försenat.
esc-sweep-title = { $count ->
    [one] Genomgången flyttade en eskalering:
   *[other] Genomgången flyttade { $count } eskaleringar:
}

error-not-found = Det finns ingen eskalering { $ref }. Kontrollera id:t, eller skriv list för att se öppna eskaleringar.
error-wrong-state = { $ref } är redan { $state_name }, så den går inte att { $action_name }.
error-forbidden = Du kan inte { $action_name } { $ref }: { $action ->
    [cancel] bara den som skapade den eller en administratör kan göra det.
    [reopen] bara den som skapade den, { $team_name } eller en administratör kan göra det.
   *[other] bara medlemmar i { $team_name } eller en administratör kan göra det.
}
error-unknown-team = okänt team '{ $team }'
error-invalid = { $reason ->
    [empty] Fältet { $field_name } får inte vara tomt.
    [same-team] { $ref } ligger redan hos { $team_name }.
    [unknown-priority] '{ $value }' är ingen prioritet: använd P1, P2 eller P3.
    [reused-request-id] Det id:t för begäran har redan använts för en annan åtgärd.
    [unknown-role] Den rollen finns inte i { $team_name }.
   *[other] Begäran är inte giltig ({ $field_name }).
}
error-too-long = Fältet { $field_name } är för långt ({ $length } tecken); gränsen är { $limit }.
error-unroutable = Jag kunde inte avgöra vilket team som ska hantera det här. Ange teamet först, t.ex. escalate warehouse { $question }. Team: { $teams }
error-bump-top = { $ref } är redan högst upp i sin eskaleringskedja.
outbox-summary = Aviseringar: { $pending } väntar, { $failed } misslyckades.
