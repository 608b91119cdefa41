"""`rolebot outbox`: notices not yet delivered (pending) and given up on (failed), per platform."""

from __future__ import annotations

import click

from bot.i18n import t
from bot.languages import LANGUAGES, normalise_language
from handlers.cli.context import open_core, print_json


@click.command("outbox")
@click.option("--all", "show_all", is_flag=True, help="Also list sent and skipped notices.")
@click.option("--limit", default=100, show_default=True, help="At most this many notices.")
@click.option("--lang", type=click.Choice(LANGUAGES, case_sensitive=False), help="Reply language (en).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def outbox(show_all: bool, limit: int, lang: str | None, as_json: bool) -> None:
    """List escalation notices still pending or failed (a platform whose server is not running keeps
    its notices pending until one starts)."""
    states = ("pending", "failed", "sent", "skipped") if show_all else ("pending", "failed")
    with open_core(as_json) as core:
        store = core.stores.outbox
        rows = store.listing(states, limit=max(1, limit))
        counts = store.counts()
    if as_json:
        print_json(
            {
                "counts": [{"platform": p, "state": s, "count": n} for (p, s), n in sorted(counts.items())],
                "notices": [
                    {
                        "id": r.id,
                        "escalation": f"ESC-{r.escalation_id}",
                        "platform": r.platform,
                        "kind": r.kind,
                        "state": r.state,
                        "attempts": r.attempts,
                        "created_at": r.created_at.isoformat(),
                        "error": r.error,
                    }
                    for r in rows
                ],
            }
        )
        return
    language = normalise_language(lang)
    pending = sum(n for (_, s), n in counts.items() if s == "pending")
    failed = sum(n for (_, s), n in counts.items() if s == "failed")
    click.echo(t(language, "outbox-summary", pending=pending, failed=failed))
    for r in rows:
        error = f"  {r.error}" if r.error else ""
        click.echo(
            f"#{r.id}  ESC-{r.escalation_id}  {r.platform}  {r.kind}  {r.state}  x{r.attempts}"
            f"  {r.created_at:%Y-%m-%d %H:%M:%S}{error}"
        )


def register(cli: click.Group) -> None:
    cli.add_command(outbox)
