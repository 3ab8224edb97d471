"""The `pressroom` command line: thin commands over the library.

Each command parses its arguments, calls one library function and prints the result. A
`PressroomError` is shown as its message with its exit code (a usage error exits 2); any
other exception is a one-line internal error (exit 3), never a traceback unless --debug.

Adding a command: decorate a function with `@cli.command()` and take the site with
`@click.pass_obj` then `env.site()`; document it in docs/cli.md (a test checks).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

import click

from . import catalog
from .errors import PressroomError, UsageError
from .model import Diagnostic, Statement
from .site import Site, load_site, make_site

REPORT_HINT = ("This is a bug in Pressroom: run the same command with `pressroom --debug ...` "
               "and send the output to the people who maintain your Pressroom installation.")


@dataclass
class Env:
    """What every command shares: where it runs, and the site, loaded once when asked for."""

    base: Path  # -C DIR, or the current folder
    debug: bool = False
    _site: Site | None = field(default=None, repr=False)

    def site(self) -> Site:
        if self._site is None:
            self._site = load_site(self.base)
        return self._site

    def acting(self, as_person: str | None = None, what: str | None = None):
        """Who acts: this login's person (or a Manager acting for another); with `what`,
        a login that maps to nobody is refused, saying who the people are."""
        from .people import acting

        site = self.site()
        who = acting(site.settings, as_person)
        if what:
            who.require_person(site.settings, what)
        return who

    def path(self, value: str | Path) -> Path:
        """A path given on the command line, relative to -C DIR as git -C does."""
        p = Path(value)
        return p if p.is_absolute() else self.base / p


class PressroomGroup(click.Group):
    """A click group that turns errors into messages and exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PressroomError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # `pressroom log | head`: the reader has what it wanted; not an error (as git).
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            name = f"pressroom {ctx.invoked_subcommand}" if ctx.invoked_subcommand else "pressroom"
            what = " ".join(f"{type(exc).__name__}: {exc}".split())
            click.echo(f"{name}: internal error: {what}. {REPORT_HINT}", err=True)
            ctx.exit(3)


@click.group(cls=PressroomGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-C", "site_dir", metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Run as if started in DIR (the site is DIR or the nearest folder above it "
                   "holding pressroom.toml).")
@click.option("--debug", is_flag=True, help="Show the full traceback of an internal error.")
@click.version_option(package_name="pressroom", prog_name="pressroom")
@click.pass_context
def cli(ctx: click.Context, site_dir: Path | None, debug: bool) -> None:
    """Publish human-rights statements as Word, web page and archival PDF."""
    ctx.obj = Env(base=(site_dir or Path.cwd()).resolve(), debug=debug)


def _print_diagnostics(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """Print each diagnostic on its own line; the numbers of errors and warnings."""
    for d in diagnostics:
        click.echo(str(d))
    errors = sum(d.is_error for d in diagnostics)
    return errors, len(diagnostics) - errors


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--allow-non-empty", is_flag=True,
              help="Add a site's files to a folder that holds other things, keeping every "
                   "file that is there (nothing is overwritten).")
@click.pass_obj
def init(env: Env, directory: Path, allow_non_empty: bool) -> None:
    """Make a new site in DIR: pressroom.toml, statements/ with an example, templates/."""
    made = make_site(env.path(directory), allow_non_empty=allow_non_empty)
    if made.kept:
        click.echo(f"Already there, left as they were: {', '.join(made.kept)}")
    click.echo(f"Made a site in {made.root}. Next: edit pressroom.toml and "
               f"statements/organisations.yaml, then run `pressroom -C {made.root} check`.")


@cli.command(name="formats")
def list_formats() -> None:
    """List the output formats: ours and any a plugin adds by entry point."""
    from .formats import formats

    for fmt in formats().values():
        click.echo(f"{fmt.name:<8} <id>.{fmt.suffix:<6} {fmt.media_type}  "
                   f"({fmt.library_version})")


def _record_paths(site: Site, env: Env, targets: tuple[str, ...]) -> list[Path] | None:
    """Record paths for `check` arguments: a file path (has a / or ends in .md) or an id."""
    if not targets:
        return None
    paths = []
    for target in targets:
        if target.endswith(".md") or "/" in target:
            path = env.path(target)
            if not path.is_file():
                raise UsageError(f"No such record file: {path}")
            paths.append(path)
        else:
            paths.append(site.existing_record(target))
    return paths


@cli.command()
@click.argument("targets", metavar="[ID|PATH]...", nargs=-1)
@click.pass_obj
def check(env: Env, targets: tuple[str, ...]) -> None:
    """Check records (all of them when none is named) and print every problem.

    Exits 0 when there is no error (warnings allowed), 1 when there is one."""
    site = env.site()
    results = site.check(_record_paths(site, env, targets))
    from .design import DESIGN_NAME, read_design

    _, design_problems = read_design(site.templates_dir / DESIGN_NAME)
    diagnostics = [*site.diagnostics, *design_problems,
                   *(d for _, ds in results.values() for d in ds)]
    errors, warnings = _print_diagnostics(diagnostics)
    click.echo(f"{_plural(len(results), 'record')}, {_plural(errors, 'error')}, "
               f"{_plural(warnings, 'warning')}")
    if errors:
        raise click.exceptions.Exit(1)


@cli.command(name="list")
@click.option("--state", type=click.Choice(["private", "pending", "published"]),
              help="Only statements in this workflow state.")
@click.option("--type", "type_",
              type=click.Choice(["statement", "joint-statement", "press-release",
                                 "open-letter"]),
              help="Only statements of this type.")
@click.option("--country", help="Only statements about this country (any case).")
@click.option("--year", type=int, help="Only statements dated in this year.")
@click.option("--topic", help="Only statements with this topic (any case).")
@click.option("--problems", is_flag=True,
              help="Only records with errors or warnings, worst first: the worklist.")
@click.option("--for-me", "for_me", is_flag=True,
              help="Only what you can act on now: pending ones for a reviewer, your own "
                   "private ones for a contributor, published ones changed since.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.pass_obj
def list_command(env: Env, state: str | None, type_: str | None, country: str | None,
                 year: int | None, topic: str | None, problems: bool, for_me: bool,
                 as_json: bool) -> None:
    """List the site's records, newest first, each with the count of its errors and
    warnings; records with errors are listed with what can be read of them."""
    found = catalog.list_statements(env.site(), state=state, type=type_, country=country,
                                    year=year, topic=topic, problems=problems)
    if for_me:
        from .workflow import Workflow

        found = catalog.for_person(Workflow(env.site()), env.acting(), found)
    if as_json:
        click.echo(json.dumps([catalog.summary_data(e) for e in found], ensure_ascii=False,
                              indent=2))
        return
    for e in found:
        date = e.date.isoformat() if e.date else "????-??-??"
        flag = f"  [{e.problems}]" if e.problems else ""
        click.echo(f"{date}  {e.state or '?':<9}  {e.type or '?':<15}  {e.id}  "
                   f"{e.title}{flag}")
    broken = [e for e in found if e.errors]
    if broken and not problems:
        click.echo(f"{_plural(len(broken), 'record')} with errors; `pressroom list --problems` "
                   "lists what needs work, `pressroom check` says what.", err=True)


def _describe(site: Site, s: Statement) -> str:
    def name(key: str) -> str:
        org = site.organisations.get(key)
        return org.name if org else key

    contacts = "; ".join(f"{c.label} <{c.email}>" if c.email else c.label for c in s.contacts)
    rows = [
        ("id", s.id), ("type", s.type.label), ("date", s.date.isoformat()),
        ("place", s.place or ""), ("language", s.language), ("state", s.state.value),
        ("countries", ", ".join(s.countries)), ("topics", ", ".join(s.topics)),
        ("issued by", name(s.issued_by)),
        ("endorsers", f"{len(s.endorsers)}: " + ", ".join(name(k) for k in s.endorsers)),
        ("contacts", contacts), ("footnotes", str(len(s.footnotes))), ("record", s.path or ""),
    ]
    head = "\n".join(f"{label + ':':<11} {value}" for label, value in rows)
    return f"{s.title}\n\n{head}\n\n{s.body_markdown.strip()}"


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the statement as JSON.")
@click.pass_obj
def show(env: Env, statement_id: str, as_json: bool) -> None:
    """Show one statement: its fields, then its body. A record with errors is shown as far
    as it can be read, with its diagnostics, and the command exits 1."""
    site = env.site()
    path = site.existing_record(statement_id)
    statement, diagnostics = site.check([path])[path]
    errors = [d for d in diagnostics if d.is_error]
    if as_json:
        data = (catalog.statement_data(statement) if statement is not None and not errors
                else catalog.summary_data(catalog.entry(path, statement, diagnostics)))
        data["diagnostics"] = [str(d) for d in diagnostics]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif statement is not None:
        click.echo(_describe(site, statement))
    else:
        entry = catalog.entry(path, statement, diagnostics)
        click.echo(f"{entry.title}\n\n{'id:':<11} {entry.id}\n{'record:':<11} {path}")
    if diagnostics and not as_json:
        click.echo("")
        _print_diagnostics(diagnostics)
    if errors:
        raise click.exceptions.Exit(1)


@cli.command(name="import")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite records that were imported before.")
@click.option("--update", is_flag=True,
              help="Re-read sources imported before and change only the fields nobody has "
                   "edited since.")
@click.option("--explain", is_flag=True,
              help="Also print every line cut from each source (the site's menus, share "
                   "buttons, labels...) and why.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes reading the files (default: the number of cores; used from "
                   "100 files on).")
@click.pass_obj
def import_command(env: Env, paths: tuple[Path, ...], force: bool, update: bool,
                   explain: bool, jobs: int | None) -> None:
    """Import statements from the old archive (.txt, .html) and Word drafts (.docx) into
    statements/; folders recursively. Exits 1 if any file was refused."""
    from .importer import import_paths  # the importer's parsers load only when needed

    if force and update:
        raise UsageError("--force replaces records, --update keeps what people edited: "
                         "choose one.")
    sources = [env.path(p) for p in paths]
    # lexists: a link given is named and refused by the import, not taken for a typo.
    missing = [str(p) for p in sources if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"Nothing to import at {', '.join(missing)}: no such file or folder.")
    if update:
        from .importer.update import update_paths

        updated = update_paths(env.site(), sources)
        _print_diagnostics(list(updated.diagnostics))
        for line in updated.changes:
            click.echo(line)
        for refused in updated.refused:
            click.echo(str(refused))
        click.echo(updated.summary())
        if updated.refused:
            raise click.exceptions.Exit(1)
        return
    report = import_paths(env.site(), sources, force=force, explain=explain, jobs=jobs)
    for source, removed in report.explained:
        for cut in removed:
            click.echo(f"{source}:{cut.line}: cut: {cut.reason}: {cut.text}")
    _print_diagnostics(list(report.diagnostics))
    for refused in report.refused:
        click.echo(str(refused))
    click.echo(report.summary())
    if report.refused:
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.option("--formats", default="all", show_default=True,
              help="Comma-separated formats to write (html, pdf, docx and any a plugin adds);"
                   " all by default.")
@click.option("--direct", is_flag=True,
              help="Render without a kernel (faster; keeps no executed notebook).")
@click.option("--draft", is_flag=True,
              help="A copy for reviewers, marked DRAFT, in drafts/ID/ (never served).")
@click.option("--embargoed", is_flag=True,
              help="Copies for journalists before the embargo, marked EMBARGOED UNTIL, in "
                   "drafts/ID/embargoed/.")
@click.option("--as", "as_person", metavar="PERSON",
              help="A Manager acting for PERSON (recorded as \"Manager for Person\").")
@click.option("--timeout", "cell_timeout", type=click.IntRange(min=1), default=300,
              show_default=True, help="Seconds one notebook cell may run.")
@click.option("--wait", is_flag=True,
              help="If another publication of this statement is running, wait for it to "
                   "finish instead of stopping.")
@click.pass_obj
def publish(env: Env, statement_id: str, formats: str, direct: bool, draft: bool,
            embargoed: bool, as_person: str | None, cell_timeout: int, wait: bool) -> None:
    """Render one statement: its latest published version into output/ID/ once its embargo
    has passed; anything else (private, pending, changed since published, a --draft) into
    drafts/ID/. Through the publication notebook; every run is in the run ledger."""
    from .runner import run_publication

    site = env.site()
    who = env.acting(as_person, "publish")
    result = run_publication(site, statement_id, formats, draft=draft, embargoed=embargoed,
                             actor=who.name, direct=direct, cell_timeout=cell_timeout,
                             wait=wait)
    for path, _sha, size, *_ in result.outputs:
        click.echo(f"{site.root / path}  ({size:,} bytes)")
    if result.notebook:
        click.echo(f"executed notebook: {result.notebook}")
    where = "output/ (public)" if result.public else "drafts/ (not served)"
    version = f", version {result.version}" if result.version else ""
    click.echo(f"written to {where}{version}: {result.why}")
    if result.archive:
        click.echo(result.archive)
    click.echo(f"run {result.run_id}: {result.status}")


@cli.command()
@click.argument("statement_id", metavar="[ID]", required=False)
@click.option("--failed", is_flag=True, help="Only runs that failed.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only runs started on or after this date (YYYY-MM-DD, UTC).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many runs.")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
@click.pass_obj
def log(env: Env, statement_id: str | None, failed: bool, since, limit: int | None,
        as_json: bool) -> None:
    """The run ledger, newest first: who published what, when, how it ended."""
    from .model import to_data
    from .runner import ledger_for

    site = env.site()
    path = site.runs_dir / "ledger.sqlite"
    # Reading the log must not create one. Opened where it can be written, rows of runs
    # that died are closed as interrupted first; a login that may only read still reads.
    runs = ledger_for(site).runs(
        statement_id=statement_id, failed_only=failed,
        since=since.replace(tzinfo=UTC) if since else None, limit=limit,
    ) if path.is_file() else []
    if as_json:
        click.echo(json.dumps([to_data(r) for r in runs], ensure_ascii=False, indent=2))
        return
    for r in runs:
        took = f"{r.duration:.1f}s" if r.duration is not None else "-"
        click.echo(f"{r.started:%Y-%m-%d %H:%M:%S}  {r.id}  {r.status.value:9}  "
                   f"{r.mode.value:8}  {took:>7}  {r.actor}  {r.statement_id}")
        if r.error:
            cell = f" (cell {r.failed_cell})" if r.failed_cell is not None else ""
            click.echo(f"    failed{cell}: {r.error.splitlines()[0]}")
    if not runs:
        click.echo("No runs recorded" + (f" for {statement_id}" if statement_id else "") + ".")


@cli.command()
@click.argument("dest", metavar="DEST", type=click.Path(path_type=Path))
@click.pass_obj
def backup(env: Env, dest: Path) -> None:
    """Back up what cannot be made again (runs/, the records, the organisation directory,
    pressroom.toml) into a new folder inside DEST. Safe while others publish."""
    from .backup import backup as make_backup
    from .site import find_site_root

    made = make_backup(find_site_root(env.base), env.path(dest))
    for note in made.skipped:
        click.echo(f"not backed up: {note}", err=True)
    for path in made.interrupted:
        click.echo(f"{path}: an interrupted backup, never finished; delete it.", err=True)
    runs = "" if made.runs is None else f", {_plural(made.runs, 'run')} in the ledger"
    click.echo(f"Backed up {_plural(made.files, 'file')} ({_size(made.bytes)}{runs}) to "
               f"{made.path}")


@cli.command(name="restore-backup")
@click.argument("src", metavar="SRC", type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Only check the backup (every hash, the database's integrity); change "
                   "nothing.")
@click.pass_obj
def restore_backup(env: Env, src: Path, check_only: bool) -> None:
    """Check the backup SRC and restore it into the site, keeping aside every current file
    it replaces. A damaged or unfinished backup is refused, saying what is wrong."""
    from .backup import check_backup
    from .restore import restore_backup as restore
    from .restore import restore_root

    source = env.path(src)
    if check_only:
        manifest = check_backup(source)
        click.echo(f"{manifest.path}: a complete backup of {_plural(len(manifest.files), 'file')}"
                   f", made {manifest.created} by Pressroom {manifest.pressroom_version} (store "
                   f"schema {manifest.schema_version}); every file checks. Nothing was changed.")
        return
    done = restore(source, restore_root(env.base))
    click.echo(f"Restored {_plural(len(done.written), 'file')} from {done.manifest.path} into "
               f"{done.root}"
               f" ({done.unchanged} already as in the backup).")
    if done.kept is not None:
        click.echo(f"The files it replaced are kept in {done.kept}, at the same paths.")
    else:
        click.echo("No file was replaced.")


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


from . import cliarchive, cliflow  # noqa: E402, F401 - their commands join the group


def main(argv: list[str] | None = None) -> None:
    """The console script `pressroom`."""
    cli.main(args=argv, prog_name="pressroom")
# build, draft, review, translate
from . import clibuild, clidraft, clireview, clistyles, clitranslate  # noqa: E402, F401
