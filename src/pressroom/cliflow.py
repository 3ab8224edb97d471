"""The workflow's commands: transitions, history, versions, working copies, release, rules.

Thin, as the rest of the command line: each parses, calls the library, prints the result.
"""

from __future__ import annotations

import json

import click

from . import catalog
from .cli import Env, _plural, cli
from .errors import PressroomError, UsageError
from .model import to_data


def _workflow(env: Env):
    from .workflow import Workflow

    flow = Workflow(env.site())
    for line in flow.recovered:  # a transition whose process died after its commit
        click.echo(f"finished: {line}", err=True)
    return flow


@cli.command()
@click.argument("statement_id", metavar="[ID]", required=False)
@click.argument("action", metavar="[ACTION]", required=False)
@click.option("--comment", help="Why: kept in the history (a retraction's is shown on the "
              "tombstone).")
@click.option("--correction", metavar="TEXT",
              help="On a republish: what changed, shown in all three formats as "
                   "\"Corrected on DATE: TEXT\".")
@click.option("--as", "as_person", metavar="PERSON",
              help="A Manager acting for PERSON (recorded as \"Manager for Person\").")
@click.option("--if-open", is_flag=True,
              help="Only if ACTION is open to you now; else say so and exit 0 (for scripts).")
@click.option("--each", "each", metavar="ACTION",
              help="Perform ACTION on every statement the filters select (those of list).")
@click.option("--state", type=click.Choice(["private", "pending", "published"]))
@click.option("--type", "type_", type=click.Choice(["statement", "joint-statement",
                                                     "press-release", "open-letter"]))
@click.option("--country")
@click.option("--year", type=int)
@click.option("--topic")
@click.pass_obj
def workflow(env: Env, statement_id: str | None, action: str | None, comment: str | None,
             correction: str | None, as_person: str | None, if_open: bool, each: str | None,
             state, type_, country, year, topic) -> None:
    """The workflow of a statement: with ID, its state and the transitions open to you; with
    ID ACTION, perform one (submit, publish, republish, reject, retract, adopt); with --each
    ACTION and the filters of list, perform one on many, with one summary."""
    flow = _workflow(env)
    if each:
        if statement_id or action:
            raise UsageError("Give either ID [ACTION] or --each ACTION with filters, not both.")
        who = env.acting(as_person, each + " statements")
        _each(env, flow, who, each, comment, state=state, type=type_, country=country,
              year=year, topic=topic)
        return
    if not statement_id:
        raise UsageError("Name a statement: `pressroom workflow ID [ACTION]`, or use --each.")
    who = env.acting(as_person)
    if action is None:
        _show(flow, who, statement_id)
        return
    actor = env.acting(as_person, action + " statements")
    if if_open and action not in {t.name for t in flow.open_to(actor, statement_id)} | (
            {"publish"} if "republish" in {t.name for t in flow.open_to(actor, statement_id)}
            else set()):
        click.echo(f"{statement_id}: {action} is not open now "
                   f"({flow.state_of(statement_id).value}); nothing done.")
        return
    outcome = flow.perform(actor, statement_id, action, comment=comment,
                           correction=correction)
    click.echo(f"{statement_id}: {outcome.action}: {outcome.from_state.value} -> "
               f"{outcome.to_state.value} (version {outcome.version.number}, by {who.name})")
    for note in outcome.notes:
        click.echo(f"  {note}")


def _show(flow, who, statement_id: str) -> None:
    state = flow.state_of(statement_id)
    published = flow.published_version(statement_id)
    click.echo(f"{statement_id}: {state.value}")
    if published:
        changed = " (its record has changed since)" if flow.changed_since_published(
            statement_id) else ""
        click.echo(f"  published version {published.number}, {published.created:%Y-%m-%d} by "
                   f"{published.person}{changed}")
    for entry in flow.history.entries(statement_id)[-3:]:
        click.echo(f"  {entry.time:%Y-%m-%d %H:%M}  {entry.action}  by {entry.who}"
                   + (f": {entry.comment}" if entry.comment else ""))
    open_now = flow.open_to(who, statement_id)
    if who.person is None:
        click.echo(f"  You ({who.name}) may read it, and take no transition.")
        return
    if not open_now:
        click.echo(f"  No transition is open to {who.name} now.")
    for t in open_now:
        click.echo(f"  {t.name:<10} {t.help}")


def _each(env: Env, flow, who, action: str, comment: str | None, **filters) -> None:
    """One transition on many statements: each refused one is said, the rest go on."""
    found = catalog.list_statements(env.site(), **filters)
    done, refused = 0, []
    for entry in found:
        try:
            flow.perform(who, entry.id, action, comment=comment)
            done += 1
        except PressroomError as exc:
            refused.append((entry.id, str(exc).splitlines()[0]))
    for sid, why in refused:
        click.echo(f"{sid}: {why}")
    click.echo(f"{action}: {done} done, {len(refused)} refused, of "
               f"{_plural(len(found), 'statement')} selected")
    if refused:
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the history as JSON.")
@click.pass_obj
def history(env: Env, statement_id: str, as_json: bool) -> None:
    """The statement's history, oldest first: transitions and publication runs together."""
    from .runner import ledger_for

    site = env.site()
    site.existing_record(statement_id)
    flow = _workflow(env)
    events = [("transition", e.time, e) for e in flow.history.entries(statement_id)]
    path = site.runs_dir / "ledger.sqlite"
    runs = ledger_for(site).runs(statement_id=statement_id) if path.is_file() else []
    events += [("run", r.started, r) for r in runs]
    events.sort(key=lambda e: e[1])
    if as_json:
        click.echo(json.dumps([{"kind": kind, **to_data(item)} for kind, _, item in events],
                              ensure_ascii=False, indent=2))
        return
    for kind, when, item in events:
        if kind == "transition":
            said = f"  ({item.comment})" if item.comment else ""
            fixed = f"  correction: {item.correction}" if item.correction else ""
            click.echo(f"{when:%Y-%m-%d %H:%M:%S}  {item.action:<10} {item.from_state.value} -> "
                       f"{item.to_state.value}  by {item.who}  version {item.version_after}"
                       f"{said}{fixed}")
        else:
            where = ", ".join(o.path for o in item.outputs[:1])
            click.echo(f"{when:%Y-%m-%d %H:%M:%S}  run        {item.status.value:<9} "
                       f"{item.mode.value} by {item.actor}  {item.id}"
                       + (f"  {where}..." if where else ""))
    if not events:
        click.echo(f"No history recorded for {statement_id}.")


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.pass_obj
def versions(env: Env, statement_id: str) -> None:
    """Every stored version of the statement: number, when, who, why, published or not."""
    env.site().existing_record(statement_id)
    flow = _workflow(env)
    found = flow.versions.list(statement_id)
    for v in found:
        flag = "  published" if v.published else ""
        click.echo(f"{v.number:>4}  {v.created:%Y-%m-%d %H:%M}  {v.reason:<14} {v.person}"
                   f"  {v.sha256[:12]}{flag}")
    if not found:
        click.echo(f"No versions stored for {statement_id}.")


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.argument("old", metavar="[A]", required=False, type=int)
@click.argument("new", metavar="[B]", required=False, type=int)
@click.pass_obj
def diff(env: Env, statement_id: str, old: int | None, new: int | None) -> None:
    """What changed: fields line by line, the body paragraph by paragraph. Default: the last
    published version against the working record; A alone: version A against it."""
    from .versions import text_diff

    site = env.site()
    path = site.existing_record(statement_id)
    flow = _workflow(env)
    if old is None:
        base = flow.published_version(statement_id) or flow.versions.latest(statement_id)
        if base is None:
            raise UsageError(f"{statement_id} has no stored version to compare with.")
    else:
        base = flow.versions.get(statement_id, old)
    a, a_name = flow.versions.data(base), f"{statement_id} version {base.number}"
    if new is None:
        b, b_name = path.read_bytes(), f"{statement_id} (the working record)"
    else:
        other = flow.versions.get(statement_id, new)
        b, b_name = flow.versions.data(other), f"{statement_id} version {other.number}"
    lines = list(text_diff(a, b, a_name, b_name))
    for line in lines:
        click.echo(line.rstrip("\n"))
    if not lines:
        click.echo(f"No difference between {a_name} and {b_name}.")


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.argument("number", metavar="VERSION", type=int)
@click.option("--comment", help="Why: kept in the history.")
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def restore(env: Env, statement_id: str, number: int, comment: str | None,
            as_person: str | None) -> None:
    """Make version VERSION the working record again, as a new version with a history entry
    (history is never rewritten). A Manager's."""
    from .working import restore_version

    flow = _workflow(env)
    outcome = restore_version(flow, env.acting(as_person, "restore versions"), statement_id,
                              number, comment)
    click.echo(f"{statement_id}: version {number} restored as version {outcome.number}; "
               "publish or republish it to serve it.")


@cli.command()
@click.argument("statement_id", metavar="ID")
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def checkout(env: Env, statement_id: str, as_person: str | None) -> None:
    """A working copy of a published statement (working/ID.md), to correct while the
    published version stays online; it goes through submit and publish on its own."""
    from .working import checkout as check_out

    path = check_out(_workflow(env), env.acting(as_person, "check out statements"),
                     statement_id)
    click.echo(f"working copy: {path}; edit it, then `pressroom workflow {statement_id} "
               "submit` (the published version stays online until it is published).")


@cli.command(name="cancel-checkout")
@click.argument("statement_id", metavar="ID")
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def cancel_checkout(env: Env, statement_id: str, as_person: str | None) -> None:
    """Drop the working copy (its text stays in the store as a version)."""
    from .working import cancel_checkout as cancel

    kept = cancel(_workflow(env), env.acting(as_person, "cancel a checkout"), statement_id)
    click.echo(f"working copy of {statement_id} dropped; its text is kept as version "
               f"{kept.number}.")


@cli.command()
@click.option("--as", "as_person", metavar="PERSON", help="A Manager acting for PERSON.")
@click.pass_obj
def release(env: Env, as_person: str | None) -> None:
    """Put into output/ every published statement whose embargo has passed and that is not
    there yet, and record it in its history. Safe to run from cron every minute."""
    from .embargo import release as release_all

    said = release_all(_workflow(env), env.acting(as_person, "release statements"))
    for line in said:
        click.echo(line)
    if not said:
        click.echo("Nothing to release.")


@cli.group()
def rules() -> None:
    """Content rules: the queue of the site's commands."""


@rules.command(name="retry")
@click.pass_obj
def rules_retry(env: Env) -> None:
    """Run again every command of a content rule that failed (each claimed first, so it
    never runs twice at once)."""
    from .rules import run_queued

    who = env.acting(None, "retry content rules")
    said = run_queued(env.site(), None, who, retry=True)
    for line in said:
        click.echo(line)
    if not said:
        click.echo("No failed command to retry.")
    if any("failed" in line for line in said):
        raise click.exceptions.Exit(1)

