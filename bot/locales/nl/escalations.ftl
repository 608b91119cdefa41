# Escalaties zoals mensen ze lezen: status, samenvattingsregels, lijsten, details, geschiedenis en alle fouten.

esc-state-open = open
esc-state-acknowledged = bevestigd
esc-state-resolved = opgelost
esc-state-cancelled = geannuleerd

esc-verb-acknowledge = bevestigen
esc-verb-resolve = oplossen
esc-verb-reopen = heropenen
esc-verb-cancel = annuleren
esc-verb-reassign = overdragen
esc-verb-comment = becommentariëren
esc-verb-bump = escaleren

esc-field-summary = samenvatting
esc-field-details = details
esc-field-note = notitie
esc-field-reason = reden
esc-field-comment = opmerking
esc-field-team = team
esc-field-priority = prioriteit

esc-line = { $ref } · { $priority } · { $state } · { $team } · { $age }: { $summary }
esc-overdue-tag = TE LAAT
esc-just-now = zojuist

esc-created = Opgeslagen als { $ref } ({ $priority }) voor { $team }. Ik laat het je weten zodra het team hem heeft.
esc-acknowledged = { $ref } bevestigd door { $actor }.
esc-resolved = { $ref } opgelost door { $actor }.
esc-reopened = { $ref } heropend door { $actor }.
esc-cancelled = { $ref } geannuleerd door { $actor }.
esc-reassigned = { $ref } overgedragen van { $from } naar { $to } door { $actor }.
esc-commented = Opmerking toegevoegd aan { $ref }.
esc-bumped = { $ref } geëscaleerd naar niveau { $level } ({ $level_name }).
esc-exhausted = { $ref } staat bovenaan de escalatieketen en is nog steeds niet bevestigd.
esc-overdue = { $ref } is niet op tijd opgelost.
esc-replayed = Dit verzoek was al verwerkt; er is niets veranderd.

esc-ack-due = Moet { $when } bevestigd zijn.
esc-ack-late = Had { $when } bevestigd moeten zijn.
esc-resolve-due = Moet { $when } opgelost zijn.
esc-resolve-late = Had { $when } opgelost moeten zijn.

esc-scope-open = open
esc-scope-mine = van mij
esc-scope-overdue = te laat
esc-scope-all = alle
esc-scope-team = team { $team }
esc-list-title = { $count ->
    [one] Eén escalatie ({ $scope }):
   *[other] { $count } escalaties ({ $scope }):
}
esc-list-empty = Geen escalaties ({ $scope }).

esc-show-requester = Aangemaakt door { $name }, { $age }
esc-show-role = Rol: { $role }
esc-show-level = Niveau: { $level } ({ $level_name })
esc-show-details = Details: { $details }
esc-show-source = Bron: { $link }
esc-history-title = Geschiedenis:
esc-history-line = { $when } · { $who } · { $action }
esc-history-action = { $action ->
    [created] aangemaakt
    [acknowledged] bevestigd
    [resolved] opgelost
    [reopened] heropend
    [cancelled] geannuleerd
    [reassigned] overgedragen
    [commented] reageerde
    [bumped] een niveau geëscaleerd
    [refused] geweigerd
    [exhausted] top van de keten bereikt
    [overdue] oplostermijn verstreken
   *[other] { $action }
}

esc-sweep-none = Er is niets te laat.
esc-sweep-title = { $count ->
    [one] De controle heeft één escalatie verplaatst:
   *[other] De controle heeft { $count } escalaties verplaatst:
}

error-not-found = Er is geen escalatie { $ref }. Controleer het id, of typ list om de open escalaties te zien.
error-wrong-state = { $ref } is { $state_name }, dus { $action_name } kan niet.
error-forbidden = Je kunt { $ref } niet { $action_name }: { $action ->
    [cancel] dat kan alleen degene die de escalatie heeft aangemaakt, of een beheerder.
    [reopen] dat kan alleen degene die de escalatie heeft aangemaakt, { $team_name } of een beheerder.
   *[other] dat kunnen alleen leden van { $team_name } of een beheerder.
}
error-unknown-team = onbekend team '{ $team }'
error-invalid = { $reason ->
    [empty] De { $field_name } mag niet leeg zijn.
    [same-team] { $ref } ligt al bij { $team_name }.
    [unknown-priority] '{ $value }' is geen prioriteit: gebruik P1, P2 of P3.
    [reused-request-id] Dat verzoek-id is al gebruikt voor een andere actie.
    [unknown-role] Die rol hoort niet bij { $team_name }.
   *[other] Dat verzoek is niet geldig ({ $field_name }).
}
error-too-long = { $field ->
    [details] De details zijn te lang
   *[other] De { $field_name } is te lang
} ({ $length } tekens); de limiet is { $limit }.
error-unroutable = Ik kon niet bepalen welk team dit moet oppakken. Noem eerst het team, bijv. escalate warehouse { $question }. Teams: { $teams }
error-bump-top = { $ref } staat al bovenaan de escalatieketen.
outbox-summary = Meldingen: { $pending } in de wachtrij, { $failed } mislukt.
