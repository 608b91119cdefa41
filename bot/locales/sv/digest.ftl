# Dagliga sammanfattningar (team och ledning) i Slack, Teams och kommandoraden.

digest-title = { $team }: daglig sammanfattning, { $date }
digest-leadership-title = Sammanfattning för ledningen, { $date }
digest-period = Från { $since } till { $until } ({ $zone })
digest-quiet = Lugnt läge: inget nytt, öppet eller försenat, och inga obesvarade frågor.
digest-section-new = Nya sedan förra sammanfattningen ({ $count })
digest-section-open = Öppna, äldst först ({ $count })
digest-section-overdue = Försenade: SLA överskriden ({ $count })
digest-section-resolved = Lösta sedan förra sammanfattningen ({ $count })
digest-section-topics = Det här frågade folk om
digest-section-gaps = Frågor jag inte kunde hänvisa ({ $count })
digest-section-load = Belastning per team
digest-section-breaches = Värsta SLA-överträdelserna ({ $count })
digest-none = Inga
digest-more = …och { $count } till
digest-item-age = skapad för { $age } sedan
digest-item-late = { $late } försenad
digest-item-level = nivå { $level }
digest-state-open = ej kvitterad
digest-state-acknowledged = kvitterad
digest-state-resolved = löst
digest-asked = { $count ->
    [one] frågades en gång
   *[other] frågades { $count } gånger
}
digest-gaps-hint = Lägg till dem i kunskapsbasen så kan jag svara på dem nästa gång.
digest-load-line = { $open } ej kvitterade · { $acknowledged } kvitterade · { $overdue } försenade · { $new } nya · { $resolved } lösta
digest-load-oldest = äldsta { $age }
digest-load-gaps = { $count ->
    [one] 1 ohänvisad fråga
   *[other] { $count } ohänvisade frågor
}
digest-totals = Alla team: { $open } ej kvitterade, { $acknowledged } kvitterade, { $overdue } försenade; { $new } nya och { $resolved } lösta sedan förra sammanfattningen.
digest-state-cancelled = avbruten
digest-item-resolved-late = löst { $late } för sent
digest-item-missed = { $count ->
    [one] missad tidsgräns på nivå { $levels }
   *[other] missade tidsgränser på nivå { $levels }
}
digest-load-late = { $count ->
    [one] 1 löst för sent
   *[other] { $count } lösta för sent
}
digest-section-undelivered = Meddelanden jag inte kunde leverera ({ $count })
digest-undelivered-card = teamets kort
digest-undelivered-channel = ett kanalmeddelande
digest-undelivered-person = ett direktmeddelande
digest-undelivered-failed = gav upp
digest-undelivered-retrying = försöker fortfarande
digest-undelivered-hint = Kontrollera att boten fortfarande är med i kanalen; `rolebot outbox` listar alla.
