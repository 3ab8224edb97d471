"""`import --update`: re-read sources already imported, and change only what nobody edited.

For each source the store knows (see `provenance`), the statement is imported again in
memory; each field, and the body, is compared three ways: what the last import wrote, what
the record holds now, what the importer gives now. A field still as the import wrote it
takes the new value; a field a person changed since stays theirs and is reported. The id
(the file's name) and the workflow state are never changed. The record is rewritten
round-trip (comments, order and quoting kept), and the new values are recorded as written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import organisations as directory
from .. import records
from ..errors import ImportRefused, PressroomError
from ..frontmatter import load_front_matter, plain_value, split_parts
from ..model import Diagnostic, Organisation, Severity
from .core import import_file
from .files import find_sources, read_source, shown
from .provenance import ImportLog, Written, body_sha256, normal, warnings_of

NEVER_UPDATED = ("id", "state")


@dataclass
class UpdateReport:
    updated: list[Path] = field(default_factory=list)  # records changed
    unchanged: list[Path] = field(default_factory=list)
    refused: list[ImportRefused] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # sources never imported, and the like
    changes: list[str] = field(default_factory=list)  # one line per field changed or kept
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def summary(self) -> str:
        return (f"updated {len(self.updated)}, unchanged {len(self.unchanged)}, skipped "
                f"{len(self.skipped)}, refused {len(self.refused)}")


def update_paths(site, paths: Sequence[Path]) -> UpdateReport:
    """Re-import every source in `paths` that was imported before (see the module)."""
    report = UpdateReport()
    found = find_sources(paths)
    report.refused.extend(found.refused)
    log = ImportLog(site)
    organisations: dict[str, Organisation] = dict(site.organisations)
    written: list[Written] = []
    for path in found.files:
        name = shown(path)
        try:
            done = _update_one(site, log, path, organisations, report)
        except ImportRefused as refused:
            report.refused.append(refused)
            continue
        except (PressroomError, OSError) as exc:
            report.refused.append(ImportRefused(name, str(exc)))
            continue
        if done is not None:
            written.append(done)
    log.add(written)
    return report


def _update_one(site, log: ImportLog, path: Path, organisations: dict[str, Organisation],
                report: UpdateReport) -> Written | None:
    name = shown(path)
    last = log.latest(path.absolute())
    if last is None:
        report.skipped.append(path)
        report.diagnostics.append(Diagnostic(name, None, Severity.WARNING, None, (
            "no import of this file is recorded, so nothing to update: import it without "
            "--update")))
        return None
    record = Path(site.root) / last.record
    if not record.is_file():
        report.skipped.append(path)
        report.diagnostics.append(Diagnostic(name, None, Severity.WARNING, None, (
            f"it was imported as {last.record}, which is gone (renamed or deleted): nothing "
            "updated")))
        return None
    raw = read_source(path)
    # As `import_paths` reads it: the same site names, so an update changes only what a
    # better importer reads differently.
    imported = import_file(raw, name, organisations, site.settings.organisation,
                           language=site.settings.default_language,
                           site_names=(site.settings.name, site.settings.short_name))
    text = record.read_text(encoding="utf-8")
    parts = split_parts(text)
    now = {str(k): plain_value(v) for k, v in (load_front_matter(parts.front) or {}).items()}
    changes: dict[str, Any] = {}
    wrote: dict[str, Any] = {}
    shown_record = last.record
    for key in sorted(set(imported.fields) | set(last.fields)):
        if key in NEVER_UPDATED:
            wrote[key] = last.fields.get(key, imported.fields.get(key))
            continue
        new = imported.fields.get(key)
        before = last.fields.get(key)
        current = now.get(key)
        if normal(current) == normal(before):  # as the last import left it
            wrote[key] = new
            if normal(new) != normal(current):
                changes[key] = new
                report.changes.append(f"{shown_record}: {key}: {_short(current)} -> "
                                      f"{_short(new)}")
        else:
            wrote[key] = before  # still the importer's last word: the field stays edited
            if normal(new) != normal(current):
                report.changes.append(f"{shown_record}: {key}: kept your edit "
                                      f"({_short(current)}); the importer now reads "
                                      f"{_short(new)}")
    body = None
    if body_sha256(parts.body) == last.body_sha256:
        if body_sha256(imported.body_markdown) != last.body_sha256:
            body = imported.body_markdown
            report.changes.append(f"{shown_record}: body: re-read from the source")
        body_written = imported.body_markdown
    else:
        body_written = None  # edited by hand: keep the last import's fingerprint
        if body_sha256(imported.body_markdown) != body_sha256(parts.body):
            report.changes.append(f"{shown_record}: body: kept your edits; the importer now "
                                  "reads it differently")
    if not changes and body is None:
        report.unchanged.append(record)
        return None
    new_orgs = [o for o in imported.new_organisations if o.key not in organisations]
    if new_orgs and ("endorsers" in changes or "issued_by" in changes):
        # The directory first: a record never names a key the directory lacks.
        directory.add_organisations(Path(site.statements_dir) / "organisations.yaml", new_orgs)
        organisations.update({o.key: o for o in new_orgs})
    records.update_record(record, changes, body)
    report.updated.append(record)
    report.diagnostics.extend(imported.diagnostics)
    return Written(record, last.statement_id, path.absolute(), hashlib.sha256(raw).hexdigest(),
                   wrote, body_written or "",
                   body_sha256=None if body_written is not None else last.body_sha256,
                   warnings=warnings_of(imported.diagnostics))


def _short(value: Any) -> str:
    text = normal(value)
    return text if len(text) <= 70 else text[:67] + "..."
