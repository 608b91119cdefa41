# Short replies to the bot's offer to escalate (comma-separated words people type).
reply-yes-words = ja, japp, jajamen, gärna, ja tack, ja gärna, absolut, kör, visst, okej
reply-no-words = nej, nej tack, nä, nää, inte nu, behövs inte
reply-declined = Okej, då öppnar jag ingen eskalering. Fråga gärna om något annat.
