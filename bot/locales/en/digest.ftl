# Daily standup digests (team and leadership) as posted in Slack, Teams and printed by the CLI.

digest-title = { $team }: daily digest, { $date }
digest-leadership-title = Leadership digest, { $date }
digest-period = From { $since } to { $until } ({ $zone })
digest-quiet = All quiet: nothing new, open or overdue, and no unanswered questions.
digest-section-new = New since the last digest ({ $count })
digest-section-open = Open, oldest first ({ $count })
digest-section-overdue = Overdue: SLA breached ({ $count })
digest-section-resolved = Resolved since the last digest ({ $count })
digest-section-topics = What people asked about
digest-section-gaps = Questions I could not route ({ $count })
digest-section-load = Load per team
digest-section-breaches = Worst SLA breaches ({ $count })
digest-none = None
digest-more = …and { $count } more
digest-item-age = created { $age } ago
digest-item-late = { $late } past due
digest-item-level = level { $level }
digest-state-open = not acknowledged
digest-state-acknowledged = acknowledged
digest-state-resolved = resolved
digest-asked = { $count ->
    [one] asked once
   *[other] asked { $count } times
}
digest-gaps-hint = Add them to the knowledge base so I can answer them next time.
digest-load-line = { $open } not acknowledged · { $acknowledged } acknowledged · { $overdue } overdue · { $new } new · { $resolved } resolved
digest-load-oldest = oldest { $age }
digest-load-gaps = { $count ->
    [one] 1 unrouted question
   *[other] { $count } unrouted questions
}
digest-totals = All teams: { $open } not acknowledged, { $acknowledged } acknowledged, { $overdue } overdue; { $new } new and { $resolved } resolved since the last digest.
digest-state-cancelled = cancelled
digest-item-resolved-late = resolved { $late } late
digest-item-missed = { $count ->
    [one] deadline missed at level { $levels }
   *[other] deadlines missed at levels { $levels }
}
digest-load-late = { $count ->
    [one] 1 resolved late
   *[other] { $count } resolved late
}
digest-section-undelivered = Messages I could not deliver ({ $count })
digest-undelivered-card = the team's card
digest-undelivered-channel = a channel message
digest-undelivered-person = a direct message
digest-undelivered-failed = gave up
digest-undelivered-retrying = still retrying
digest-undelivered-hint = Check that the bot is still a member of the channel; `rolebot outbox` lists every one.
