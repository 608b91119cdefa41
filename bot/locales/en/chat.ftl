# Short replies to the bot's offer to escalate (comma-separated words people type).
reply-yes-words = yes, y, yeah, yep, yup, sure, ok, okay, please, yes please, do it, go ahead
reply-no-words = no, n, nope, no thanks, not now, don't, never mind
reply-declined = OK, I won't open an escalation. Ask me anything else.
