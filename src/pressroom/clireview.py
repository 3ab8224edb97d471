"""`pressroom review`: reviewers' Word files. Thin, as the rest of the command line."""

from __future__ import annotations

import json
import sys

import click

from .cli import Env, cli


@cli.group()
def review() -> None:
    """Reviewed Word drafts: their comments and tracked changes."""


@review.command(name="inspect")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print an object with keys `comments` and `changes`.")
@click.pass_obj
def inspect_command(env: Env, file: str, as_json: bool) -> None:
    """Every comment and tracked change in FILE (any .docx: Word, LibreOffice, Google Docs),
    without needing a statement. Reads the file and writes nothing."""
    from .review import read_review

    found = read_review(env.path(file))
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    comments = [(c.id, _where(c.place), c.author, c.date or "", "resolved" if c.resolved
                 else "", f"reply to {c.parent}" if c.parent else "",
                 _short(c.anchor) if c.anchor is not None else "(no range)", _short(c.text))
                for c in found.comments]
    changes = [(c.id, _where(c.place), c.kind.value, c.author, c.date or "",
                _short(c.text) + (f" [{', '.join(c.properties)}]" if c.properties else "")
                + (f" ({c.detail})" if c.detail else "")
                + (f" (move {c.move_name})" if c.move_name else ""))
               for c in found.changes]
    _table(f"Comments ({len(comments)})",
           ("id", "where", "author", "date", "state", "thread", "anchored to", "text"),
           comments)
    _table(f"Tracked changes ({len(changes)})",
           ("id", "where", "kind", "author", "date", "text"), changes)


def _where(place) -> str:
    if place is None:
        return "-"
    note = f" {place.note}" if place.note is not None else ""
    return f"{place.story.value}{note} ¶{place.paragraph + 1}"


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*header, title=title)
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    click.echo(f"{title}:")
    if not rows:
        click.echo("  none")
        return
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo("  " + "  ".join(str(v).ljust(wd) for v, wd in zip(row, widths, strict=True))
                   .rstrip())
