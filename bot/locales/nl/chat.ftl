# Short replies to the bot's offer to escalate (comma-separated words people type).
reply-yes-words = ja, jazeker, graag, ja graag, prima, doe maar, is goed, oké, okee, zeker
reply-no-words = nee, nee dank je, nee bedankt, niet nu, laat maar, hoeft niet
reply-declined = Oké, dan open ik geen escalatie. Vraag gerust iets anders.
