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


@review.command(name="ingest")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def ingest_command(env: Env, file: str, as_person: str | None) -> None:
    """Take a reviewed draft (FILE.docx, from `pressroom draft`) into the store: every
    comment and tracked change placed on its field, with an entry in the statement's
    history. A file edited without tracking is refused, naming where. The same file twice is
    stored once."""
    from .review.ingest import ingest

    site = env.site()
    who = env.acting(as_person, "ingest reviews")
    done = ingest(site, env.path(file), actor=who.name,
                  person=(who.person.name if who.person else who.name),
                  acting_for=who.on_behalf_of.name if who.on_behalf_of else None)
    click.echo(done.summary())


@review.command(name="show")
@click.argument("review_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the review as a JSON object.")
@click.pass_obj
def show_command(env: Env, review_id: int, as_json: bool) -> None:
    """The open comments and changes of review ID, by field."""
    from .review.stored import load
    from .store import STORE_NAME, Store

    found = load(Store(env.site().runs_dir / STORE_NAME), review_id)
    if as_json:
        click.echo(json.dumps(found.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(f"Review {found.id} of {found.statement_id} version {found.version} "
               f"({found.file_name}; by {', '.join(found.reviewers) or 'no reviewer named'})")
    fields = found.by_field()
    if not fields:
        click.echo("  nothing open")
    for name, items in fields.items():
        rows = [(str(i.number), i.kind, i.author, i.date or "",
                 f"reply to {i.parent}" if i.parent else "",
                 (f"on {_short(i.anchor, 30)!r}: " if i.anchor else "") + _short(i.text))
                for i in items]
        _table(name, ("id", "kind", "author", "date", "thread", "text"), rows)


@review.command(name="resolve")
@click.argument("review_id", metavar="ID", type=int)
@click.argument("comments", metavar="COMMENT_IDS", required=False)
@click.option("--all", "every", is_flag=True, help="Resolve every open comment.")
@click.pass_obj
def resolve_command(env: Env, review_id: int, comments: str | None, every: bool) -> None:
    """Mark comments of review ID resolved (COMMENT_IDS as 3,5-7, or --all)."""
    from .errors import UsageError
    from .review.stored import parse_ids, resolve
    from .store import STORE_NAME, Store

    if every == bool(comments):
        raise UsageError("give the comments to resolve (3,5-7) or --all, not both.")
    who = env.acting(None, "resolve comments")
    done = resolve(Store(env.site().runs_dir / STORE_NAME), review_id,
                   None if every else parse_ids(comments or "", "COMMENT_IDS"), who.name)
    click.echo(f"review {review_id}: {len(done)} comment(s) resolved"
               + (f" ({', '.join(map(str, done))})" if done else ""))


@review.command(name="apply")
@click.argument("review_id", metavar="ID", type=int)
@click.option("--accept", metavar="all|IDS", help="The changes to apply: all, or 3,5-7.")
@click.option("--reject", metavar="IDS", help="The changes to reject: 4,8.")
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def apply_command(env: Env, review_id: int, accept: str | None, reject: str | None,
                  as_person: str | None) -> None:
    """Apply accepted changes of review ID to the record (to its working copy when it is
    published), as a new version with a history entry; conflicts with edits made since the
    draft are reported and left open."""
    from .review.apply import apply_review
    from .review.stored import parse_ids

    who = env.acting(as_person, "apply reviews")
    wanted = "all" if accept == "all" else parse_ids(accept or "", "--accept")
    done = apply_review(env.site(), review_id, who=who, accept=wanted,
                        reject=parse_ids(reject or "", "--reject"))
    click.echo(done.summary())


@review.command(name="list")
@click.argument("statement_id", metavar="[STATEMENT]", required=False)
@click.pass_obj
def list_command(env: Env, statement_id: str | None) -> None:
    """The reviews stored (of one statement, or all), with their open items."""
    from .review.stored import reviews_of
    from .store import STORE_NAME, Store

    found = reviews_of(Store(env.site().runs_dir / STORE_NAME), statement_id)
    rows = [(str(r.id), r.statement_id, str(r.version), r.file_name,
             ", ".join(r.reviewers), str(len(r.open_items())), r.ingested[:16])
            for r in found]
    _table(f"Reviews ({len(rows)})", ("id", "statement", "version", "file", "reviewers",
                                      "open", "ingested"), rows)
