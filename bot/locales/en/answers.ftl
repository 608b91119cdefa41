# Answers to "who handles X?" questions (shared by every surface).
answer-headline = { $role ->
    [none] { $team } is accountable for this.
   *[other] { $role } in { $team } is accountable for this.
}
answer-why = Why: { $matched }
answer-contact = Contact: { $contact }
answer-contact-none = No channel is configured for this team yet.
answer-loop-in = Loop in { $teams } as well: { $team } works with them on this.
answer-unsure = I'm not completely sure. It could also be:
answer-alternatives = Other possibilities:
answer-offer-escalate = Want me to open an escalation to { $team }?
answer-dont-know = Sorry, I don't know who handles that. It doesn't match anything in our roles guide.
answer-dont-know-fallback = You could ask { $fallback }.
answer-learned = (Answer based on a correction from a colleague.)
button-escalate = Escalate to { $team }
button-wrong-team = Wrong team?
button-pick-team = Pick the right team
answer-thanks-correction = Thanks! Next time I'll send questions like this to { $team }.
answer-empty = Please type a question, e.g. "who handles returns?"
answer-too-long = That message is too long ({ $length } characters). Please keep it under { $limit }.
label-team = Team
label-role = Role
label-contact = Contact
label-why = Matched responsibility
label-confidence = Confidence
answer-choices = I'm not sure who handles that. Did you mean one of these?
answer-choices-reply = Reply with the number:
answer-choice-none = none of these
answer-correction-refused = Only the person who asked, a member of { $teams } or an admin can correct this answer, so nothing was changed.
answer-contact-lead-channel = { $lead } (team lead), { $channel }
answer-contact-lead = { $lead } (team lead)
answer-channel-slack = { $channel } on Slack
answer-channel-teams = the { $team } channel in Teams
answer-channel-both = { $slack } or { $teams }
