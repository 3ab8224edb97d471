"""Importing files and folders into a site: one record per statement, never one twice.

`import_paths` reads every file (folders recursively), runs the pure core on each, adds the
new organisations to the directory, and writes each record atomically. One bad file is
refused and named; the batch goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import records
from ..errors import ImportRefused, PressroomError
from ..fileio import atomic_write
from ..model import Diagnostic, Organisation, Severity
from .core import Imported, import_text
from .files import find_sources, mb, read_source, shown
from .known import Known, KnownStatements
from .provenance import ImportLog, Written
from .sources import decode

# A progress bar is worth its line only for a batch.
_PROGRESS_MIN_FILES = 5
# Import records go to the store this many at a time: one commit for a batch, and a kill
# loses the records of at most this many files (which `import --update` then names).
_LOG_BATCH = 200


@dataclass
class ImportReport:
    imported: list[Path] = field(default_factory=list)  # records written
    # Of those, the ones with an error a person must fix before `check` passes (a placeholder
    # title, a missing date), and the ones with warnings only; a record is in one at most.
    with_errors: list[Path] = field(default_factory=list)
    warned: list[Path] = field(default_factory=list)
    refused: list[ImportRefused] = field(default_factory=list)
    # Source files already imported, and links to files of the folder (each with a warning).
    skipped: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # each names its source

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        """One line, e.g. "imported 2 (1 with errors, 1 with warnings), skipped 1, refused 3"."""
        notes = [f"{len(found)} with {what}" for found, what in
                 ((self.with_errors, "errors"), (self.warned, "warnings")) if found]
        said = f" ({', '.join(notes)})" if notes else ""
        return (f"imported {len(self.imported)}{said}, skipped {len(self.skipped)}, "
                f"refused {len(self.refused)}")


def import_paths(site, paths: Sequence[Path], force: bool = False) -> ImportReport:
    """Import the statements in `paths` (files, or folders searched for .txt, .html and .htm)
    into `site.statements_dir`, as private records.

    A statement the site already holds (the same text, whatever its record's id) is skipped;
    with `force` its record is replaced, keeping its file name and id. New endorsers go into
    the organisation directory once. Symbolic links are never followed. Every file not taken
    (refused: binary, a link out of the folder, a named pipe, unreadable...; skipped: already
    imported) is named in the report with the reason, never raised."""
    report = ImportReport()
    found = find_sources(paths)
    files = found.files
    report.refused.extend(found.refused)
    for path, reason in found.skipped:
        report.skipped.append(path)
        _skip(report, shown(path), reason)
    organisations: dict[str, Organisation] = dict(site.organisations)
    issuer = site.settings.organisation
    language = site.settings.default_language
    known = KnownStatements(Path(site.statements_dir)) if files else None
    log = ImportLog(site) if files else None
    written: list[Written] = []
    for path in _progress(files):
        name = shown(path)  # the name in every message: a file's name can be anything
        try:
            raw = read_source(path)
            imported = import_text(decode(raw, name), name,
                                   organisations, issuer, language=language)
            record = _write(site, imported, force, known, organisations, report)
            if record is not None:
                written.append(Written(record, str(imported.fields["id"]), path.absolute(),
                                       hashlib.sha256(raw).hexdigest(), imported.fields,
                                       imported.body_markdown))
                if len(written) >= _LOG_BATCH:
                    log.add(written)
                    written.clear()
        except ImportRefused as refused:
            report.refused.append(refused)
            continue
        except (PressroomError, OSError) as exc:
            report.refused.append(ImportRefused(name, str(exc)))
            continue
        except Exception as exc:  # one odd file must not stop a batch
            report.refused.append(ImportRefused(
                name, f"unexpected problem ({type(exc).__name__}: {exc}); please report "
                "this file"))
            continue
        if record is None:
            report.skipped.append(path)
            continue
        report.imported.append(record)
        if any(d.is_error for d in imported.diagnostics):
            report.with_errors.append(record)
        elif imported.diagnostics:
            report.warned.append(record)
        report.diagnostics.extend(imported.diagnostics)
    if log is not None:
        log.add(written)
    return report


def _progress(files: list[Path]):
    if len(files) > _PROGRESS_MIN_FILES and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(files, desc="import", unit="file", file=sys.stderr)
    return files


def _write(site, imported: Imported, force: bool, known: KnownStatements,
           organisations: dict[str, Organisation], report: ImportReport) -> Path | None:
    """Write one record (and its new organisations); None when it was skipped."""
    from .. import organisations as directory

    source = imported.source
    date = imported.fields["date"].isoformat() if imported.fields.get("date") else None
    same = known.find(imported.body_markdown, date)
    if same is not None and same.source is not None:
        _skip(report, source, f"the same statement as {same.source}, imported just before as "
              f"{same.path}; not written again")
        return None
    if same is not None:
        if not force:
            _skip(report, source, f"already imported as {same.path} (id {same.id!r}); not "
                  "overwritten: run again with --force to replace it")
            return None
        # The record keeps the name staff gave it: its file and its id.
        record = same.path
        imported = dataclasses.replace(imported, fields={**imported.fields, "id": same.id})
    else:
        record = Path(site.statements_dir) / f"{imported.id}.md"
        if record in known.written:
            _skip(report, source, f"same id {imported.id!r} as {known.written[record]}, "
                  "imported just before; not written: give one of them another title or file "
                  "name")
            return None
        if record.exists() and not force:
            _skip(report, source, f"{record} already exists with another text; not "
                  "overwritten: run again with --force to replace it, or give this statement "
                  "another title or file name")
            return None
    text = records.record_text(imported.fields, imported.body_markdown, imported.comments)
    size = len(text.encode("utf-8"))
    if size > records.MAX_RECORD_BYTES:
        raise ImportRefused(source, f"the record would be {size:,} bytes; records over "
                            f"{records.MAX_RECORD_BYTES:,} bytes "
                            f"({mb(records.MAX_RECORD_BYTES)}) are refused by check: split "
                            "the file or import the right one")
    if record.exists() and record.read_text(encoding="utf-8", errors="replace") != text:
        kept = _keep_replaced(site, record)
        report.diagnostics.append(Diagnostic(
            source, None, Severity.WARNING, None,
            f"replaced {record} (--force); the previous version is kept at {kept}"))
    new = [org for org in imported.new_organisations if org.key not in organisations]
    if new:
        # The directory first: a record never names a key the directory lacks.
        directory.add_organisations(Path(site.statements_dir) / "organisations.yaml", new)
        organisations.update({org.key: org for org in new})
    atomic_write(record, text)
    known.add(imported.body_markdown, Known(record, imported.id, date, source))
    return record


def _skip(report: ImportReport, source: str, message: str) -> None:
    report.diagnostics.append(Diagnostic(source, None, Severity.WARNING, None, message))


def _keep_replaced(site, record: Path) -> Path:
    """Copy a record that --force is about to replace into runs/replaced/: what staff wrote
    by hand in it (a title, a fix) is never lost, and no clean command touches runs/."""
    data = record.read_bytes()
    kept = (Path(site.runs_dir) / "replaced"
            / f"{record.stem}.{hashlib.sha256(data).hexdigest()[:12]}.md")
    if not kept.exists():
        atomic_write(kept, data)
    return kept
