"""`pressroom build`: the command over `build.build` (a thin layer: options, progress, the
table of failures)."""

from __future__ import annotations

import sys
import time

import click

from .cli import Env, cli
from .errors import UsageError
from .model import Role


@cli.command(name="build")
@click.option("--jobs", "-j", type=int, default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--force", is_flag=True, help="Render every statement, changed or not.")
@click.option("--via", type=click.Choice(["direct", "notebook"]), default="direct",
              show_default=True, help="Render with the library, or through the notebook.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Render on a Dask cluster (tcp://HOST:PORT) instead of local processes.")
@click.option("--only", metavar="IDS", help="Comma-separated statement ids: build only these.")
@click.option("--wait", is_flag=True, help="If another build is running, wait for it.")
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def build_command(env: Env, jobs: int | None, force: bool, via: str, scheduler: str | None,
                  only: str | None, wait: bool, as_person: str | None) -> None:
    """Render the latest published version of every public statement into output/ (only
    what changed, per format), then the archive pages."""
    from .build import build

    site = env.site()
    who = env.acting(as_person, "build the archive")
    if not who.has(Role.MANAGER):
        raise UsageError(f"Building the archive needs the role Manager; {who.name} does not "
                         "have it.")
    ids = [i.strip() for i in (only or "").split(",") if i.strip()]
    with _Progress() as progress:
        report = build(site, jobs=jobs, force=force, only=ids, scheduler=scheduler,
                       actor=who.name, progress=progress, wait=wait, via=via)
    rate = report.rendered / report.seconds if report.seconds else 0.0
    click.echo(f"Build {report.build_id}: {report.rendered} statement(s) rendered "
               f"({report.files} files), {report.skipped} unchanged, "
               f"{len(report.failures)} failed, of {report.total} public; "
               f"{report.seconds:.1f} s ({rate:.1f} statements/s).")
    for note in report.notes:
        click.echo(note)
    if report.failures:
        _failures(report.failures)
        raise click.exceptions.Exit(1)


class _Progress:
    """A rich progress bar on a terminal; plain lines (one per tenth) otherwise."""

    def __enter__(self):
        self.bar = None
        self.started = time.monotonic()
        self.last_tenth = -1
        if sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                transient=True)
            self.bar.__enter__()
            self.task = None
        return self

    def __call__(self, done: int, total: int, statement_id: str) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = f"{done / elapsed:.1f}/s"
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task("build", total=total, rate=rate)
            self.bar.update(self.task, completed=done, rate=rate)
            return
        tenth = done * 10 // total
        if tenth != self.last_tenth or done == total:
            self.last_tenth = tenth
            left = (total - done) / (done / elapsed)
            click.echo(f"{done}/{total} rendered, {rate}, about {left:.0f} s left", err=True)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _failures(failures) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table("statement", "why it failed", title="Failures")
        for f in failures:
            table.add_row(f.statement_id, f.error)
        Console().print(table)
        return
    click.echo("Failures:")
    width = max(len(f.statement_id) for f in failures)
    for f in failures:
        click.echo(f"  {f.statement_id:<{width}}  {f.error}")
