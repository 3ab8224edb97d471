"""`pressroom styles`: the Word reference document from the house design (a thin layer over
`wordstyles`)."""

from __future__ import annotations

import click

from .cli import Env, cli
from .errors import UsageError


@cli.command()
@click.option("--force", is_flag=True,
              help="Replace a reference document restyled by hand since it was written.")
@click.pass_obj
def styles(env: Env, force: bool) -> None:
    """Write templates/word/reference.docx's styles from templates/design.toml, so that the
    Word file looks like the PDF and the web page. Refuses to overwrite a reference
    document changed since it was last written (naming the styles that differ) unless
    --force."""
    from .wordstyles import write_styles

    site = env.site()
    templates = site.root / "templates"
    if site.templates_dir.resolve() != templates.resolve():
        raise UsageError(f"{site.root} has no templates/ folder of its own: its statements use "
                         "the package's design. Copy the package's templates/ into the site "
                         "(pressroom init makes one) to give it a design of its own.")
    written = write_styles(site.templates_dir, force=force)
    where = written.path.relative_to(site.root) if written.path.is_relative_to(site.root) \
        else written.path
    if not written.changed:
        click.echo(f"{where}: already holds the styles of templates/design.toml")
        return
    replaced = (f"; replaced the styles changed by hand: {', '.join(written.overwritten)}"
                if written.overwritten else "")
    click.echo(f"{where}: written from templates/design.toml{replaced}")
