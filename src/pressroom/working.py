"""Working copies (Plone's iterate) and restoring versions.

`checkout` makes working/<id>.md from the published version; it goes through submit and
publish on its own while the published version stays online, and publishing it makes it the
record and the next published version. `cancel_checkout` drops it (its text stays in the
store). `restore_version` makes an old version the working record again, as a new version:
history is never rewritten.
"""

from __future__ import annotations

from .errors import UsageError, WorkflowError
from .fileio import atomic_write
from .folders import statement_lock_held
from .frontmatter import split_parts, update_front_matter
from .model import Role, State
from .people import Acting
from .versions import Version


def checkout(flow, who: Acting, statement_id: str):
    person = who.require_person(flow.site.settings, "check out statements")
    working = flow.site.working_path(statement_id)
    with statement_lock_held(flow.site, statement_id):
        if working.exists():
            raise WorkflowError(f"{statement_id} is already checked out: {working}. Edit it, "
                                "or drop it with `pressroom cancel-checkout`.")
        published = flow.published_version(statement_id)
        if published is None or flow.state_of(statement_id) is not State.PUBLISHED:
            raise WorkflowError(f"{statement_id} is not published: edit its record directly "
                                "(a working copy is for correcting a published statement "
                                "while it stays online).")
        if not any(who.has(r) for r in Role):
            raise WorkflowError(f"{who.name} has no role on this site.")
        data = with_state(flow.versions.data(published), State.PRIVATE)
        with flow.history.store.write() as db:
            version = flow.versions.add(db, statement_id, data, who.name, "checkout")
            tid = flow.history.add(
                db, statement_id=statement_id, action="checkout", person=person.name,
                acting_for=who.on_behalf_of.name if who.on_behalf_of else None,
                from_state=State.PUBLISHED, to_state=State.PRIVATE, comment=None,
                correction=None, version_before=published.number,
                version_after=version.number, copy="working")
        atomic_write(working, data)
        flow.history.mark_written(tid)
    return working


def cancel_checkout(flow, who: Acting, statement_id: str) -> Version:
    person = who.require_person(flow.site.settings, "cancel a checkout")
    working = flow.site.working_path(statement_id)
    with statement_lock_held(flow.site, statement_id):
        if not working.is_file():
            raise UsageError(f"{statement_id} has no working copy ({working}).")
        data = working.read_bytes()
        state = _state(data)
        with flow.history.store.write() as db:
            before = flow.versions.latest(statement_id)
            version = flow.versions.add(db, statement_id, data, who.name, "cancel-checkout")
            tid = flow.history.add(
                db, statement_id=statement_id, action="cancel-checkout", person=person.name,
                acting_for=who.on_behalf_of.name if who.on_behalf_of else None,
                from_state=state, to_state=State.PUBLISHED, comment=None, correction=None,
                version_before=before.number if before else None,
                version_after=version.number, copy="working")
        working.unlink()
        flow.history.mark_written(tid)
    return version


def restore_version(flow, who: Acting, statement_id: str, number: int,
                    comment: str | None) -> Version:
    person = who.require_person(flow.site.settings, "restore versions")
    if not who.has(Role.MANAGER):
        raise WorkflowError(f"Restoring a version needs the role Manager; {who.name} does not "
                            "have it.")
    path, copy = flow.copy_of(statement_id)
    with statement_lock_held(flow.site, statement_id):
        old = flow.versions.get(statement_id, number)
        state = _state(path.read_bytes())
        # The old text, in the record's current state: restoring text is no transition.
        data = with_state(flow.versions.data(old), state)
        with flow.history.store.write() as db:
            before = flow.versions.latest(statement_id)
            version = flow.versions.add(db, statement_id, data, who.name, "restore")
            tid = flow.history.add(
                db, statement_id=statement_id, action="restore", person=person.name,
                acting_for=who.on_behalf_of.name if who.on_behalf_of else None,
                from_state=state, to_state=state,
                comment=comment or f"restored version {number}", correction=None,
                version_before=before.number if before else None,
                version_after=version.number, copy=copy)
        atomic_write(path, data)
        flow.history.mark_written(tid)
    return version


def _state(data: bytes) -> State:
    from .workflow import _state_in

    return _state_in(data)


def with_state(data: bytes, state: State) -> bytes:
    """The record's bytes with its `state` rewritten round-trip."""
    text = data.decode("utf-8")
    parts = split_parts(text.removeprefix("\ufeff"))
    front = update_front_matter(parts.front, {"state": state.value})
    return (parts.head_open + front + parts.head_close + parts.body).encode("utf-8")
