"""The public tree's commands: verify it, serve it for preview.

Thin, as the rest of the command line: each parses, calls the library, prints the result.
"""

from __future__ import annotations

import json

import click

from .cli import Env, cli


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_obj
def verify(env: Env, as_json: bool) -> None:
    """Check every file in output/ against its manifest, and the manifests against the
    store: missing, changed and orphaned files, manifests that disagree with what is
    published, archive pages out of date. Exit 1 if anything is found."""
    from .verify import verify as check

    done = check(env.site())
    if as_json:
        click.echo(json.dumps({"ok": done.ok, "files": done.files,
                               "findings": [{"kind": f.kind, "path": f.path,
                                             "detail": f.detail} for f in done.findings]},
                              indent=2, ensure_ascii=False))
    else:
        for finding in done.findings:
            click.echo(str(finding))
        click.echo(done.summary())
    if not done.ok:
        raise SystemExit(1)


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port on 127.0.0.1 (0: any free one).")
@click.option("--watch", is_flag=True,
              help="Rebuild the archive's pages when a record, the store, the settings or "
                   "a template changes.")
@click.pass_obj
def serve(env: Env, port: int, watch: bool) -> None:
    """Serve output/ on 127.0.0.1 for preview, with the headers a static host sends."""
    from .serve import serve as run

    run(env.site(), port, watch=watch, report=lambda line: click.echo(line, err=True))
