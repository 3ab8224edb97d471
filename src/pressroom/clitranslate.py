"""`pressroom translate`: start a linked translation (a thin layer over `translations`)."""

from __future__ import annotations

import click

from .cli import Env, cli


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.option("--to", "language", required=True, metavar="LANG",
              help="The translation's language (BCP 47: th, my, ar, zh-Hant, ...).")
@click.pass_obj
def translate(env: Env, statement_id: str, language: str) -> None:
    """Start the translation of ID into LANG: statements/ID-LANG.md, private, with the
    original's paragraphs, headings, lists, footnotes and contacts, each text marked
    [TO TRANSLATE]; `check` warns until none is left."""
    from .translations import start_translation

    site = env.site()
    who = env.acting(None, "start translations")
    path, version = start_translation(site, statement_id, language, who.name)
    made = f" from version {version}" if version else ""
    click.echo(f"{path.relative_to(site.root)}: the {language} translation of "
               f"{statement_id}{made}. Replace every [TO TRANSLATE] text, then submit it: "
               f"pressroom workflow {path.stem} submit")
