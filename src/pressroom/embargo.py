"""Embargo: a statement published early enters output/ only once its embargo time passes.

`release` (safe to run from cron every minute, as a login mapped to a Manager) writes into
output/ every published statement whose embargo has passed and that output/ does not hold yet,
and records the release in its history. Each is checked and written under its statement's
lock, so two releases at once do one release of it.
"""

from __future__ import annotations

import json

from .errors import WorkflowError
from .folders import statement_lock_held
from .gate import decide
from .model import Role, State
from .people import Acting
from .publish import MANIFEST_NAME


def release(flow, who: Acting) -> list[str]:
    person = who.require_person(flow.site.settings, "release statements")
    if not who.has(Role.MANAGER):
        raise WorkflowError(f"Releasing needs the role Manager; {who.name} does not have it.")
    site = flow.site
    said = []
    for statement_id in sorted(flow.versions.published_ids()):
        if not site.record_path(statement_id).is_file():
            continue
        with statement_lock_held(site, statement_id):
            target = decide(site, statement_id)
            if not target.public or _serving(site, statement_id, target.version.number):
                continue
            number = target.version.number
            with flow.history.store.write() as db:
                tid = flow.history.add(
                    db, statement_id=statement_id, action="release", person=person.name,
                    acting_for=who.on_behalf_of.name if who.on_behalf_of else None,
                    from_state=State.PUBLISHED, to_state=State.PUBLISHED,
                    comment="embargo passed", correction=None, version_before=number,
                    version_after=number)
            flow.history.mark_written(tid)
            from .runner import run_publication

            result = run_publication(site, statement_id, direct=True, actor=who.name,
                                     transition=tid)
            said.append(f"{statement_id}: released into output/ (version {number}, run "
                        f"{result.run_id})")
    return said


def _serving(site, statement_id: str, number: int) -> bool:
    """Whether output/ holds this version already."""
    try:
        manifest = json.loads((site.output_dir / statement_id / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return False
    return bool(manifest.get("public")) and manifest.get("version") == number
