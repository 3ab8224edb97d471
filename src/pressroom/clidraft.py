"""`pressroom draft`: the Word draft for reviewers (a thin layer over `reviewdraft`)."""

from __future__ import annotations

import click

from .cli import Env, cli


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.option("--for", "person", metavar="PERSON",
              help="The reviewer it is for: a people id of pressroom.toml (default: "
                   "\"reviewers\", anyone).")
@click.option("--since", type=click.IntRange(min=1), metavar="VERSION",
              help="Show every change since this version as a tracked change.")
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def draft(env: Env, statement_id: str, person: str | None, since: int | None,
          as_person: str | None) -> None:
    """Store the record as a version and write its Word draft for reviewers into
    drafts/ID/: marked DRAFT, track changes on, every field in a bookmark, the record's
    warnings as comments, and with --since the changes since that version tracked."""
    from .reviewdraft import make_draft

    site = env.site()
    who = env.acting(as_person, "make drafts")
    site.existing_record(statement_id)
    click.echo(make_draft(site, statement_id, actor=who.name, person=person,
                          since=since).summary())
