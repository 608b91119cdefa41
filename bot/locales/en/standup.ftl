# Asynchronous standups: questions sent by DM, replies to answers, and the standup report.

# Words that name a question at the start of a line ("today: ..."); comma-separated.
standup-label-yesterday = yesterday, y
standup-label-today = today, t
standup-label-blockers = blockers, blocker, blocked, b
# Answers to the blocker question that mean "no blocker"; comma-separated, lower case.
standup-no-blocker-words = none, nothing, no, nope, n/a, na, -, no blockers, nothing blocking, all good

standup-q-yesterday = What did you get done yesterday?
standup-q-today = What are you working on today?
standup-q-blockers = Is anything blocking you? (Write "none" if not.)

standup-intro = Standup for { $team }, { $date }. Reply here; write "standup skip" if you are off today.
standup-reminder = Reminder: the { $team } standup report goes out at { $time }.
standup-next = Thanks! Next: { $question }
standup-saved = Saved: { $questions }.
standup-complete = Thanks, that is everything for today. You can change an answer until { $time } by writing e.g. "{ $label }: …", or add to one with "+ …".
standup-all-answered = You have answered every question. To change one, write e.g. "{ $label }: …"; to add to your last answer, start with "+".
standup-skipped = OK, you are marked as away for the { $team } standup on { $date }.
standup-unskipped = Welcome back: you take part in the { $team } standup on { $date } again.
standup-status = { $team } standup, { $date }: { $answered } of { $total } questions answered.
standup-help = Standup commands: "standup <answer>" answers the current question · "standup today: …" sets or changes one answer · "standup + …" adds to your last answer · "standup skip" (or "standup unskip") · "standup status" · "standup report [team]" · "standup escalate <blocker id>".
standup-escalated = Blocker escalated to { $team } as { $ref }.
standup-escalated-before = This blocker was already escalated as { $ref }.

standup-error-unknown-team = There is no team called "{ $team }".
standup-error-off = Standup is off for { $team }.
standup-error-not-working-day = { $date } is not a working day for { $team }: there is no standup.
standup-error-closed = The { $team } standup report for { $date } has been posted: answers can no longer change.
standup-error-forbidden = Only members of { $team } and admins can see its standup.
standup-error-not-participant = You are not in any standup that is taking answers now.
standup-error-ambiguous = You are in several standups ({ $teams }): name the team, e.g. "standup --team { $first } …".
standup-error-empty = Write your answer after "standup", e.g. "standup today: finish the checkout fix".
standup-error-too-long = That answer is too long ({ $length } characters; the limit is { $limit }).
standup-error-blocker-gone = That blocker is no longer in the standup: it was changed or removed.
standup-error-unroutable = No team matched this blocker: escalate it by hand with "escalate <team> …".
standup-error-no-escalations = Escalations are not available here.

standup-report-title = { $team }: standup, { $date }
standup-report-state-open = Answers are still coming in.
standup-report-empty = Nobody has answered yet.
standup-missing = No answer: { $people }
standup-skipped-list = Away today: { $people }
standup-section-blockers = Blockers ({ $count })
standup-section-blocking-others = Blocking others: blockers from other teams for you ({ $count })
standup-blocker-by = { $person } ({ $team })
standup-blocker-routed = → { $team }, { $role }
standup-blocker-routed-team = → { $team }
standup-blocker-why = matched: { $why }
standup-blocker-unrouted = → no team matched: ask { $fallback }
standup-blocker-escalated = escalated as { $ref }
standup-blocker-id = id { $id }
standup-button-escalate = Escalate to { $team }
standup-escalation-details = Blocker from { $person }'s standup ({ $team }, { $date }). Matched responsibility: { $why }
