# Dagelijkse overzichten (team en directie) in Slack, Teams en op de opdrachtregel.

digest-title = { $team }: dagelijks overzicht, { $date }
digest-leadership-title = Overzicht voor de directie, { $date }
digest-period = Van { $since } tot { $until } ({ $zone })
digest-quiet = Rustig: niets nieuws, open of te laat, en geen onbeantwoorde vragen.
digest-section-new = Nieuw sinds het vorige overzicht ({ $count })
digest-section-open = Open, oudste eerst ({ $count })
digest-section-overdue = Te laat: SLA overschreden ({ $count })
digest-section-resolved = Opgelost sinds het vorige overzicht ({ $count })
digest-section-topics = Waar mensen naar vroegen
digest-section-gaps = Vragen die ik niet kon doorverwijzen ({ $count })
digest-section-load = Werklast per team
digest-section-breaches = Ergste SLA-overschrijdingen ({ $count })
digest-none = Geen
digest-more = …en nog { $count }
digest-item-age = { $age } geleden aangemaakt
digest-item-late = { $late } te laat
digest-item-level = niveau { $level }
digest-state-open = niet bevestigd
digest-state-acknowledged = bevestigd
digest-state-resolved = opgelost
digest-asked = { $count ->
    [one] één keer gevraagd
   *[other] { $count } keer gevraagd
}
digest-gaps-hint = Voeg ze toe aan de kennisbank, dan kan ik ze de volgende keer beantwoorden.
digest-load-line = { $open } niet bevestigd · { $acknowledged } bevestigd · { $overdue } te laat · { $new } nieuw · { $resolved } opgelost
digest-load-oldest = oudste { $age }
digest-load-gaps = { $count ->
    [one] 1 niet doorverwezen vraag
   *[other] { $count } niet doorverwezen vragen
}
digest-totals = Alle teams: { $open } niet bevestigd, { $acknowledged } bevestigd, { $overdue } te laat; { $new } nieuw en { $resolved } opgelost sinds het vorige overzicht.
digest-state-cancelled = geannuleerd
digest-item-resolved-late = { $late } te laat opgelost
digest-item-missed = { $count ->
    [one] deadline gemist op niveau { $levels }
   *[other] deadlines gemist op niveau { $levels }
}
digest-load-late = { $count ->
    [one] 1 te laat opgelost
   *[other] { $count } te laat opgelost
}
digest-section-undelivered = Berichten die ik niet kon bezorgen ({ $count })
digest-undelivered-card = de kaart van het team
digest-undelivered-channel = een kanaalbericht
digest-undelivered-person = een direct bericht
digest-undelivered-failed = opgegeven
digest-undelivered-retrying = wordt nog geprobeerd
digest-undelivered-hint = Controleer of de bot nog lid is van het kanaal; `rolebot outbox` toont ze allemaal.
