"""Content rules: what a workflow transition does besides changing the state.

Built in (as datasette's default plugins are plugins): `publish`, `republish`, `adopt` and
`release` run a publication; `retract` of a published statement withdraws it. The site's
`[[rules]]` (pressroom.toml) add actions after those: a command of its own, or
`review-draft`, the Word draft for reviewers (`reviewdraft.py`) of the version the
transition stored. For one transition:

- `prepare`, before the transition commits: what can fail without side effects (the
  publication is rendered in memory from the new version's bytes). A required action that
  fails here stops the transition, which is then reported and recorded as not done.
- `queue`, inside the transition's transaction: the site's commands, to run exactly once.
- `carry_out`, after the commit: the publication is written (a run in the ledger that names
  the transition), the withdrawal made, and the queued commands run, each claimed in the
  store before it starts, so none runs twice by accident; a failure is recorded for
  `pressroom rules retry`.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field, replace

from .errors import PressroomError
from .model import Rule, State
from .store import iso

LOCK_WAIT = 30.0  # seconds to wait for a page of the group someone is publishing
PUBLISHING = frozenset({"publish", "republish", "adopt", "release"})
BUILT_IN = (Rule(on=tuple(PUBLISHING), do="publication"), Rule(on=("retract",), do="withdraw"))


@dataclass
class Prepared:
    """What the rules of one transition prepared before it commits."""

    actions: list[Rule]
    publication: object | None = None  # (plan, rendered) for a publication
    notes: list[str] = field(default_factory=list)


class Rules:
    def __init__(self, site, statement_id: str, from_state: State | None = None):
        self.site = site
        self.statement_id = statement_id
        self.from_state = from_state

    def actions(self, event: str, statement_type: str | None) -> list[Rule]:
        found = []
        for rule in (*BUILT_IN, *self.site.settings.rules):
            if event not in rule.on:
                continue
            if rule.types and statement_type not in rule.types:
                continue
            if rule.do == "withdraw" and event == "retract" and (
                    self.from_state is not State.PUBLISHED):
                continue  # retracting a submission takes nothing out of the public tree
            found.append(rule)
        return found

    # -- before the commit -----------------------------------------------------------------

    def prepare(self, transition, new: bytes) -> Prepared:
        from .gate import statement_from_bytes

        path = self.site.record_path(self.statement_id)
        statement, _ = statement_from_bytes(self.site, path, new)
        kind = statement.type.value if statement else None
        prepared = Prepared(self.actions(transition.name, kind))
        if any(r.do == "publication" for r in prepared.actions):
            prepared.publication = self._render(statement, new)
        return prepared

    def _render(self, statement, new: bytes):
        """The publication, rendered now: a record or template that cannot be rendered
        stops the transition before anything is changed."""
        from .gate import Target
        from .publish import ALL_FORMATS, plan_outputs, render_all

        embargo = statement.embargo
        now = _now()
        if embargo is not None and _aware(embargo) > now:
            return None  # under embargo: nothing enters output/ before `pressroom release`
        target = Target(True, new, None, "published")
        plan = plan_outputs(self.site, statement, ALL_FORMATS, target=target)
        return plan, render_all(plan.document, self.site.templates_dir, plan.formats)

    # -- inside the commit -----------------------------------------------------------------

    def queue(self, db, transition_id: int, prepared: Prepared) -> None:
        for n, rule in enumerate(prepared.actions):
            if rule.do == "command":
                db.execute("INSERT INTO rule_queue (transition_id, rule, action, status,"
                           " updated) VALUES (?, ?, ?, 'queued', ?)",
                           (transition_id, n, " ".join(rule.command), iso(_now())))

    # -- after the commit ------------------------------------------------------------------

    def carry_out(self, transition_id: int, event: str, prepared: Prepared, who,
                  version, comment: str | None) -> list[str]:
        notes = list(prepared.notes)
        for rule in prepared.actions:
            if rule.do == "publication":
                notes.append(self._publish(transition_id, prepared, who, version))
            elif rule.do == "withdraw":
                from .withdraw import withdraw

                notes.append(withdraw(self.site, self.statement_id, version, comment,
                                      who.name))
            elif rule.do == "review-draft":
                from .reviewdraft import draft_for_rule

                notes.append(draft_for_rule(self.site, self.statement_id, who))
        if any(r.do in ("publication", "withdraw") for r in prepared.actions):
            notes.extend(self._refresh_group(transition_id, who, version))
        notes.extend(run_queued(self.site, transition_id, who))
        return [n for n in notes if n]

    def _refresh_group(self, transition_id: int, who, version) -> list[str]:
        """The other public pages of the statement's translation group link it now (or,
        after a retraction, no longer do), not from the next build: each page whose key
        changed is rendered again, its other formats kept."""
        from .publish import plan_outputs, render_all, target_statement, write_outputs
        from .runner import RunContext
        from .translations import original_id_in
        from .versions import Versions

        versions = Versions(self.site.runs_dir)
        oid = original_id_in(versions.data(version)) or self.statement_id
        published, states = versions.family(oid)
        others = sorted(sid for sid in published if sid != self.statement_id
                        and states.get(sid, "published") == "published"
                        and self.site.record_path(sid).is_file())
        notes = []
        for sid in others:
            try:
                plan = self._out_of_date_page(sid)
                if plan is None:
                    continue
                parameters = {"statement": sid, "transition": transition_id,
                              "formats": "html",
                              "why": f"its translation group changed ({self.statement_id})"}
                with RunContext.open(self.site, sid, parameters, who.name, "direct") as run:
                    run.lock_statement(wait=LOCK_WAIT)
                    target = run.decide()  # again, under the lock: the gate's answer now
                    if target.data != plan.target.data or not target.public:
                        plan = plan_outputs(self.site, target_statement(
                            self.site, sid, target), "html", target=target)
                    rendered = render_all(plan.document, self.site.templates_dir,
                                          plan.formats)
                    run.record(write_outputs(self.site, plan, rendered, run_id=run.run_id))
                notes.append(f"{sid}: its page links the translations as they are now "
                             f"(run {run.run_id})")
            except PressroomError as exc:
                notes.append(f"{sid}: its page was not updated ({exc}); `pressroom build` "
                             "updates it")
        return notes

    def _out_of_date_page(self, sid: str):
        """The plan of `sid`'s public page when it was made from another group than the one
        it has now (its key), else None; asked without a run: most members' pages are
        current. A statement with no page yet is a build's to make, in every format."""
        from .gate import decide
        from .publish import current_outputs, plan_outputs, target_statement

        target = decide(self.site, sid)
        if not target.public:
            return None  # under embargo: its page links the group when it is released
        plan = plan_outputs(self.site, target_statement(self.site, sid, target), "html",
                            target=target)
        page = current_outputs(plan.folder).get("html")
        return plan if page is not None and page.key != plan.keys["html"] else None

    def _publish(self, transition_id: int, prepared: Prepared, who, version) -> str:
        from .gate import Target
        from .publish import write_outputs
        from .runner import RunContext

        if prepared.publication is None:
            return ("under embargo: nothing enters output/ until its embargo time; "
                    "`pressroom release` puts it there then")
        plan, rendered = prepared.publication
        target = Target(True, plan.target.data, version, f"version {version.number}")
        plan = replace(plan, target=target)
        parameters = {"statement": self.statement_id, "transition": transition_id,
                      "formats": ",".join(plan.formats)}
        with RunContext.open(self.site, self.statement_id, parameters, who.name,
                             "direct") as run:
            run.lock_statement()
            run.record(write_outputs(self.site, plan, rendered, run_id=run.run_id))
        return f"published into output/{self.statement_id}/ (run {run.run_id})"


def run_queued(site, transition_id: int | None, who, retry: bool = False) -> list[str]:
    """Run the queued commands (of one transition, or all), each claimed first."""
    from .store import STORE_NAME, Store

    store = Store(site.runs_dir / STORE_NAME)
    wanted = ("failed",) if retry else ("queued",)
    marks = ",".join("?" * len(wanted))
    sql = ("SELECT q.*, t.statement_id, t.action AS event, t.person FROM rule_queue q JOIN"
           f" transitions t ON t.id = q.transition_id WHERE q.status IN ({marks})")
    args: list = list(wanted)
    if transition_id is not None:
        sql += " AND q.transition_id = ?"
        args.append(transition_id)
    with store.read() as db:
        rows = db.execute(sql + " ORDER BY q.id", args).fetchall()
    said = []
    for row in rows:
        with store.write() as db:  # claimed: a second process will not run it too
            claimed = db.execute(
                "UPDATE rule_queue SET status = 'running', attempts = attempts + 1,"
                " updated = ? WHERE id = ? AND status = ?",
                (iso(_now()), row["id"], row["status"])).rowcount
        if not claimed:
            continue
        rule = _rule_of(site, row)
        error = None if rule is None else _run_command(site, rule, row)
        if rule is None:
            error = "the rule is no longer in pressroom.toml"
        with store.write() as db:
            db.execute("UPDATE rule_queue SET status = ?, last_error = ?, updated = ?"
                       " WHERE id = ?", ("failed" if error else "done", error,
                                         iso(_now()), row["id"]))
        what = f"rule command {row['action']!r} for {row['statement_id']}"
        said.append(f"{what}: failed ({error}); `pressroom rules retry` runs it again"
                    if error else f"{what}: done")
    return said


def _rule_of(site, row) -> Rule | None:
    rules = [r for r in (*BUILT_IN, *site.settings.rules) if row["event"] in r.on]
    for rule in rules:
        if rule.do == "command" and " ".join(rule.command) == row["action"]:
            return rule
    return None


def _run_command(site, rule: Rule, row) -> str | None:
    env = {**os.environ, "PRESSROOM_STATEMENT": row["statement_id"],
           "PRESSROOM_TRANSITION": row["event"], "PRESSROOM_PERSON": row["person"],
           "PRESSROOM_SITE": str(site.root)}
    try:
        done = subprocess.run(list(rule.command), cwd=site.root, env=env, timeout=rule.timeout,
                              capture_output=True, text=True, errors="replace")
    except FileNotFoundError:
        return f"no program {rule.command[0]!r}"
    except subprocess.TimeoutExpired:
        return f"stopped after {rule.timeout} s"
    except OSError as exc:
        return f"could not be started: {exc.strerror or exc}"
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        return f"exit {done.returncode}: {tail[0][:200]}"
    return None


def _now():
    from . import store

    return store.utc_now()


def _aware(when):
    import datetime as dt

    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
