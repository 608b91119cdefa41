# Escalations as people read them: states, summary lines, lists, details, history and every error.

esc-state-open = open
esc-state-acknowledged = acknowledged
esc-state-resolved = resolved
esc-state-cancelled = cancelled

esc-verb-acknowledge = acknowledge
esc-verb-resolve = resolve
esc-verb-reopen = reopen
esc-verb-cancel = cancel
esc-verb-reassign = reassign
esc-verb-comment = comment on
esc-verb-bump = escalate

esc-field-summary = summary
esc-field-details = details
esc-field-note = note
esc-field-reason = reason
esc-field-comment = comment
esc-field-team = team
esc-field-priority = priority

esc-line = { $ref } · { $priority } · { $state } · { $team } · { $age }: { $summary }
esc-overdue-tag = OVERDUE
esc-just-now = just now

esc-created = Saved as { $ref } ({ $priority }) for { $team }. I'll let you know as soon as the team has it.
esc-acknowledged = { $ref } acknowledged by { $actor }.
esc-resolved = { $ref } resolved by { $actor }.
esc-reopened = { $ref } reopened by { $actor }.
esc-cancelled = { $ref } cancelled by { $actor }.
esc-reassigned = { $ref } moved from { $from } to { $to } by { $actor }.
esc-commented = Comment added to { $ref }.
esc-bumped = { $ref } escalated to level { $level } ({ $level_name }).
esc-exhausted = { $ref } is at the top of its escalation chain and still not acknowledged.
esc-overdue = { $ref } was not resolved in time.
esc-replayed = This request was already handled; nothing changed.

esc-ack-due = Acknowledgement due { $when }.
esc-ack-late = Acknowledgement was due { $when }.
esc-resolve-due = Resolution due { $when }.
esc-resolve-late = Resolution was due { $when }.

esc-scope-open = open
esc-scope-mine = mine
esc-scope-overdue = overdue
esc-scope-all = all
esc-scope-team = team { $team }
esc-list-title = { $count ->
    [one] One escalation ({ $scope }):
   *[other] { $count } escalations ({ $scope }):
}
esc-list-empty = No escalations ({ $scope }).

esc-show-requester = Requested by { $name } { $age }
esc-show-role = Role: { $role }
esc-show-level = Level: { $level } ({ $level_name })
esc-show-details = Details: { $details }
esc-show-source = Source: { $link }
esc-history-title = History:
esc-history-line = { $when } · { $who } · { $action }
esc-history-action = { $action ->
    [created] created
    [acknowledged] acknowledged
    [resolved] resolved
    [reopened] reopened
    [cancelled] cancelled
    [reassigned] reassigned
    [commented] commented
    [bumped] escalated a level
    [refused] was refused
    [exhausted] reached the top of the chain
    [overdue] missed the resolution time
   *[other] { $action }
}

esc-sweep-none = Nothing is overdue.
esc-sweep-title = { $count ->
    [one] The sweep moved one escalation:
   *[other] The sweep moved { $count } escalations:
}

error-not-found = There is no escalation { $ref }. Check the id, or type list to see open escalations.
error-wrong-state = { $ref } is { $state_name }, so you cannot { $action_name } it.
error-forbidden = You cannot { $action_name } { $ref }: { $action ->
    [cancel] only the person who raised it or an admin can.
    [reopen] only the person who raised it, { $team_name } or an admin can.
   *[other] only members of { $team_name } or an admin can.
}
error-unknown-team = unknown team '{ $team }'
error-invalid = { $reason ->
    [empty] The { $field_name } must not be empty.
    [same-team] { $ref } is already with { $team_name }.
    [unknown-priority] '{ $value }' is not a priority: use P1, P2 or P3.
    [reused-request-id] That request id was already used for a different action.
    [unknown-role] That role is not part of { $team_name }.
   *[other] That request is not valid ({ $field_name }).
}
error-too-long = { $field ->
    [details] The details are too long
   *[other] The { $field_name } is too long
} ({ $length } characters); the limit is { $limit }.
error-unroutable = I could not tell which team should handle this. Name the team first, e.g. escalate warehouse { $question }. Teams: { $teams }
error-bump-top = { $ref } is already at the top of its escalation chain.
outbox-summary = Notices: { $pending } pending, { $failed } failed.
