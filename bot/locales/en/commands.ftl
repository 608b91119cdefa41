# Escalation command language: parser errors, usage lines and help (see bot/commands/).

cmd-empty = Type a command, for example: escalate warehouse Parcels stuck at the dock. Type help to see all commands.
cmd-too-long = That message is too long ({ $length } characters); the limit is { $limit }. Please shorten it.
cmd-unknown = Unknown command '{ $word }'. Type help to see all commands.
cmd-unknown-suggest = Unknown command '{ $word }' - did you mean { $suggestion }?
cmd-missing-id = Which escalation? Give its id, for example ESC-42.
cmd-bad-id = '{ $value }' is not an escalation id. Ids look like ESC-42 (or just 42).
cmd-missing-team = Which team? Give a team id, for example customer-service.
cmd-unknown-team = unknown team '{ $team }'. Teams: { $teams }
cmd-unknown-team-suggest = unknown team '{ $team }' - did you mean { $suggestion }?
cmd-ambiguous-team = '{ $team }' could be more than one team: { $teams }. Use the team id.
cmd-missing-summary = Say what the problem is, for example: escalate it Checkout fails for Swedish cards.
cmd-missing-text = The comment is empty. Write the text after the id.
cmd-bad-priority = '{ $value }' is not a priority. Use one of { $priorities } (P1 is the most urgent).
cmd-missing-value = { $option } needs a value.
cmd-bad-scope = Cannot list '{ $value }'. Choose one of: { $scopes }, or team TEAM.
cmd-extra-args = Unexpected text after the id: '{ $extra }'.
cmd-usage-label = Usage: { $usage }

cmd-usage-escalate = escalate [TEAM] SUMMARY [--priority P1|P2|P3]
cmd-usage-ack = ack ID
cmd-usage-resolve = resolve ID [NOTE]
cmd-usage-reopen = reopen ID
cmd-usage-cancel = cancel ID
cmd-usage-reassign = reassign ID TEAM [REASON]
cmd-usage-comment = comment ID TEXT
cmd-usage-bump = bump ID
cmd-usage-list = list [mine | team TEAM | open | overdue | all]
cmd-usage-show = show ID
cmd-usage-help = help [COMMAND]

cmd-help-escalate = Open an escalation. Name the team first, or leave it out and I will find the accountable team from the summary. Priority P2 unless you say P1 (urgent) or P3.
cmd-help-ack = Acknowledge an escalation: your team has seen it and is on it.
cmd-help-resolve = Mark an escalation resolved, with an optional note on what was done.
cmd-help-reopen = Reopen a resolved or cancelled escalation.
cmd-help-cancel = Withdraw an escalation you raised.
cmd-help-reassign = Hand an escalation to another team, with an optional reason.
cmd-help-comment = Add a comment; anyone may comment.
cmd-help-bump = Escalate to the next level of the team's escalation chain now.
cmd-help-list = List escalations: open (the default), mine, overdue, all, or those of one team.
cmd-help-show = Show an escalation with its full history.
cmd-help-help = Show this help, or the help of one command.
cmd-help-title = Escalation commands:
cmd-help-footer = Ids look like ESC-42 (42 works too). Acknowledge, resolve and reassign are for members of the accountable team; cancel is for the requester.
