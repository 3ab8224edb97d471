"""The workflow, after Plone's simple publication workflow: states, transitions, roles.

    private --submit--> pending --publish--> published
    pending --reject--> private            published --retract--> private
    pending --retract--> private           private --publish--> published
    published --publish (changed)--> published ("republish", optionally with a correction)
    published (file only) --adopt--> published (a fresh clone, a hand-made or imported file)

Who may do what is the one table below (`TRANSITIONS`). A transition is refused with the
current state and the moves this person may take, or with the role it needs and who holds
it. Performing one, under the statement's lock:

1. check the record (a record with errors is not submitted or published);
2. prepare what its content rules need that can fail (a publication renders in memory);
3. store the new version and the history entry in one transaction;
4. rewrite the record's `state` round-trip (and its corrections), and mark that done;
5. carry out the content rules: a publication run, a withdrawal, the site's commands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RecordError, WorkflowError
from .fileio import atomic_write
from .folders import statement_lock_held
from .frontmatter import FrontMatterError, load_front_matter, split_parts, update_front_matter
from .history import History, finish_file_writes, record_state
from .model import Role, State
from .people import Acting, holders
from .rules import Rules
from .versions import Version, Versions, sha256

C, R, M = Role.CONTRIBUTOR, Role.REVIEWER, Role.MANAGER


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[State, ...]
    target: State
    roles: tuple[Role, ...]
    help: str


# The one table of who may do what. A Manager may do everything (people.Acting.has).
TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", (State.PRIVATE,), State.PENDING, (C,),
               "send it to the reviewers"),
    Transition("publish", (State.PENDING, State.PRIVATE), State.PUBLISHED, (R,),
               "publish it: its record becomes the version the archive serves"),
    Transition("republish", (State.PUBLISHED,), State.PUBLISHED, (R,),
               "publish the changed record as the next published version (--correction "
               "TEXT says what changed, in all three formats)"),
    Transition("reject", (State.PENDING,), State.PRIVATE, (R,),
               "send it back to its authors"),
    Transition("retract", (State.PENDING, State.PUBLISHED), State.PRIVATE, (R,),
               "take it back: out of review, or out of the public archive (a tombstone "
               "stays at its address)"),
    Transition("adopt", (State.PUBLISHED,), State.PUBLISHED, (M,),
               "take in a record whose file says published but which has no published "
               "version yet (a fresh clone, an old archive)"),
)
BY_NAME = {t.name: t for t in TRANSITIONS}
# Contributors may take back their own submission (the history says who submitted).
OWN_RETRACT = Transition("retract", (State.PENDING,), State.PRIVATE, (C,),
                         "take back your submission")


@dataclass
class Outcome:
    """What a transition did."""

    statement_id: str
    action: str
    from_state: State
    to_state: State
    version: Version
    transition_id: int
    notes: list[str] = field(default_factory=list)


class Workflow:
    """The workflow of one site."""

    def __init__(self, site):
        self.site = site
        self.history = History(site.runs_dir)
        self.versions: Versions = self.history.versions
        self.recovered = finish_file_writes(site, self.history)

    # -- what may be done ------------------------------------------------------------------

    def copy_of(self, statement_id: str) -> tuple[Path, str]:
        """The file the workflow acts on: the working copy while one exists (checkout),
        else the record."""
        working = self.site.working_path(statement_id)
        if working.is_file():
            return working, "working"
        return self.site.existing_record(statement_id), "record"

    def state_of(self, statement_id: str) -> State:
        return _state_in(self.copy_of(statement_id)[0].read_bytes())

    def published_version(self, statement_id: str) -> Version | None:
        return self.versions.latest_published(statement_id)

    def changed_since_published(self, statement_id: str) -> bool:
        published = self.published_version(statement_id)
        path = self.site.record_path(statement_id)
        return published is not None and path.is_file() and (
            sha256(path.read_bytes()) != published.sha256)

    def open_to(self, who: Acting, statement_id: str) -> list[Transition]:
        """The transitions `who` may take on the statement now."""
        return [t for t in self._possible(statement_id) if self._allowed(who, t, statement_id)]

    def _possible(self, statement_id: str) -> list[Transition]:
        state = self.state_of(statement_id)
        published = self.published_version(statement_id)
        if self.copy_of(statement_id)[1] == "working":  # goes through the workflow alone
            return [t for t in TRANSITIONS if state in t.sources
                    and t.name in ("submit", "publish", "reject", "retract")
                    and not (t.name == "retract" and state is State.PUBLISHED)]
        out = []
        for t in TRANSITIONS:
            if state not in t.sources:
                continue
            if t.name == "adopt" and published is not None:
                continue
            if state is State.PUBLISHED and published is None and t.name != "adopt":
                continue  # a file that says published, but nobody published it: adopt first
            if t.name == "republish" and not self.changed_since_published(statement_id):
                continue
            out.append(t)
        return out

    def _allowed(self, who: Acting, t: Transition, statement_id: str) -> bool:
        if any(who.has(role) for role in t.roles):
            return True
        if t.name == "retract" and who.has(C) and self.state_of(statement_id) is State.PENDING:
            submitted = self.history.last(statement_id, "submit")
            me = (who.on_behalf_of or who.person).name
            return submitted is not None and (submitted.acting_for or submitted.person) == me
        return False

    # -- doing it --------------------------------------------------------------------------

    def perform(self, who: Acting, statement_id: str, action: str, *,
                comment: str | None = None, correction: str | None = None,
                rules: bool = True) -> Outcome:
        """Perform `action` on the statement as `who` (see the module's steps)."""
        person = who.require_person(self.site.settings, f"{action} statements")
        self.site.existing_record(statement_id)
        with statement_lock_held(self.site, statement_id):
            path, copy = self.copy_of(statement_id)
            state = self.state_of(statement_id)
            if action == "publish" and state is State.PUBLISHED:
                action = "republish"  # publishing a changed published record
            transition = self._check_allowed(who, statement_id, action, state)
            if correction and transition.name != "republish":
                raise WorkflowError("--correction is for republishing a published statement "
                                    "whose record changed.")
            old = path.read_bytes()
            if transition.target is not State.PRIVATE:
                self._require_no_errors(path, action)
            new = self._rewritten(path, old, transition, correction)
            run_rules = Rules(self.site, statement_id, state) if rules else None
            prepared = run_rules.prepare(transition, new) if run_rules else None
            with self.history.store.write() as db:
                before = self.versions.latest(statement_id)
                version = self.versions.add(
                    db, statement_id, new, who.name, transition.name,
                    published=transition.target is State.PUBLISHED)
                tid = self.history.add(
                    db, statement_id=statement_id, action=transition.name, person=person.name,
                    acting_for=who.on_behalf_of.name if who.on_behalf_of else None,
                    from_state=state, to_state=transition.target, comment=comment,
                    correction=correction,
                    version_before=before.number if before else None,
                    version_after=version.number, copy=copy)
                if run_rules:
                    run_rules.queue(db, tid, prepared)
            if copy == "working" and transition.target is State.PUBLISHED:
                # The working copy becomes the record, and the next published version.
                atomic_write(self.site.record_path(statement_id), new)
                path.unlink()
            elif new != old:
                atomic_write(path, new)
            self.history.mark_written(tid)
            outcome = Outcome(statement_id, transition.name, state, transition.target,
                              version, tid)
            if run_rules:
                outcome.notes.extend(run_rules.carry_out(tid, transition.name, prepared, who,
                                                         version, comment))
        return outcome

    def _check_allowed(self, who: Acting, statement_id: str, action: str,
                       state: State) -> Transition:
        possible = self._possible(statement_id)
        open_now = [t for t in possible if self._allowed(who, t, statement_id)]
        named = {t.name: t for t in open_now}
        if action in named:
            return named[action]
        may = ", ".join(t.name for t in open_now) or "none"
        if action not in BY_NAME:
            raise WorkflowError(f"Unknown transition {action!r}: the workflow has "
                                f"{', '.join(BY_NAME)}. On {statement_id} ({state.value}) you "
                                f"may: {may}.")
        if any(t.name == action for t in possible):
            wanted = BY_NAME[action]
            roles = " or ".join(r.value for r in wanted.roles) + " (or Manager)"
            people = ", ".join(f"{p.name} ({p.id})" for r in wanted.roles
                               for p in holders(self.site.settings, r)) or "nobody"
            why = ""
            if action == "retract" and who.has(C):
                why = " A Contributor may retract only a submission they made."
            raise WorkflowError(f"{action} needs the role {roles}; {who.name} does not have it."
                                f"{why} It is held by: {people}.")
        published = self.published_version(statement_id)
        hint = ""
        if state is State.PUBLISHED and published is None:
            hint = (" Its file says published, but no published version is stored: a Manager "
                    f"takes it in with `pressroom workflow {statement_id} adopt`.")
        elif action == "republish" or (action == "publish" and state is State.PUBLISHED):
            hint = " It has not changed since it was published: there is nothing to republish."
        raise WorkflowError(f"{statement_id} is {state.value}: {action} is not possible from "
                            f"there.{hint} You may: {may}.")

    def _require_no_errors(self, path: Path, action: str) -> None:
        statement, diagnostics = self.site.read(path)
        if statement is None or any(d.is_error for d in diagnostics):
            raise RecordError(str(path), diagnostics)

    def _rewritten(self, path: Path, old: bytes, t: Transition,
                   correction: str | None) -> bytes:
        text = old.decode("utf-8")
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        parts = split_parts(text.removeprefix("\ufeff"))
        changes: dict = {"state": t.target.value}
        if correction:
            current = load_front_matter(parts.front) or {}
            earlier = list(current.get("corrections") or [])
            changes["corrections"] = [*[dict(c) for c in earlier],
                                      {"date": self._today(), "text": correction}]
        try:
            front = update_front_matter(parts.front, changes)
        except FrontMatterError as exc:
            raise WorkflowError(f"{path}: cannot change its state: {exc.message}") from None
        return (bom + parts.head_open + front + parts.head_close + parts.body).encode("utf-8")

    def _today(self) -> dt.date:
        return self.history.store.now().date()


def _state_in(data: bytes) -> State:
    """The `state` a record's file says (private when it says none, as records default)."""
    try:
        front = load_front_matter(split_parts(data.decode("utf-8").removeprefix("\ufeff")).front)
    except (FrontMatterError, UnicodeDecodeError):
        return State.PRIVATE
    value = front.get("state") if isinstance(front, dict) else None
    try:
        return State(value) if value else State.PRIVATE
    except ValueError:
        return State.PRIVATE


def audit(site, statement_ids: list[str]) -> dict[str, list]:
    """What the history says that the files do not (the history is tamper-evident): a state
    that differs from the history's, a published record changed since its published version,
    a file that says published with no published version, an edit to a published record
    while a working copy exists. Warnings, by statement id."""
    from .model import Diagnostic, Severity

    history = History(site.runs_dir)
    entries: dict[str, list] = {}
    for entry in history.entries():  # none when the store does not exist yet
        entries.setdefault(entry.statement_id, []).append(entry)
    versions = history.versions
    published_ids = versions.published_ids()
    out: dict[str, list] = {}
    for sid in statement_ids:
        path = site.record_path(sid)
        if not path.is_file():
            continue
        data = path.read_bytes()
        state = _state_in(data)
        problems = []

        def warn(field: str | None, message: str, path=path, problems=problems) -> None:
            problems.append(Diagnostic(str(path), None, Severity.WARNING, field, message))

        embargo = _embargo_in(data)
        if embargo is not None and state is not State.PUBLISHED and embargo <= (
                history.store.now()):
            warn("embargo", f"its embargo ({embargo.isoformat()}) has passed, but it is not "
                 "published: publish it, or move the embargo")
        said = record_state(entries.get(sid, []))
        if said is not None and said[0] is not state:
            last = said[1]
            warn("state", f"says {state.value}, but its history says {said[0].value} (the "
                 f"{last.action} of {last.time:%Y-%m-%d} by {last.who}): a transition is made "
                 "with `pressroom workflow`, not by editing the file")
        published = versions.latest_published(sid) if sid in published_ids else None
        if state is State.PUBLISHED and published is None:
            warn("state", "says published, but no published version is stored, so it is "
                 f"not served: a Manager takes it in with `pressroom workflow {sid} adopt`")
        elif published is not None and state is State.PUBLISHED and sha256(data) != (
                published.sha256):
            if site.working_path(sid).is_file():
                warn(None, f"edited while a working copy exists: the edit belongs in "
                     f"{site.working_path(sid)}; this file is the published version's")
            else:
                warn(None, f"changed since it was published on {published.created:%Y-%m-%d} "
                     f"by {published.person}: republish it to serve the change, or check out "
                     "a working copy")
        if problems:
            out[sid] = problems
    return out


def _embargo_in(data: bytes) -> dt.datetime | None:
    try:
        front = load_front_matter(split_parts(data.decode("utf-8").removeprefix("\ufeff")).front)
    except (FrontMatterError, UnicodeDecodeError):
        return None
    value = front.get("embargo") if isinstance(front, dict) else None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
