"""Importing files and folders into a site: one record per statement, never one twice.

`import_paths` reads every file (folders recursively), runs the pure core on each, adds the
new organisations to the directory, and writes each record atomically. One bad file is
refused and named; the batch goes on.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ImportRefused, PressroomError
from ..fileio import atomic_write
from ..model import Diagnostic, Organisation, Severity
from .core import Imported, import_text
from .sources import SUFFIXES, decode

# A progress bar is worth its line only for a batch.
_PROGRESS_MIN_FILES = 5


@dataclass
class ImportReport:
    imported: list[Path] = field(default_factory=list)  # records written
    warned: list[Path] = field(default_factory=list)  # ... of which with diagnostics
    refused: list[ImportRefused] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # source files already imported
    diagnostics: list[Diagnostic] = field(default_factory=list)  # each names its source

    @property
    def ok(self) -> bool:
        return not self.refused

    def summary(self) -> str:
        return (f"{len(self.imported)} imported ({len(self.warned)} with warnings), "
                f"{len(self.skipped)} skipped, {len(self.refused)} refused")


def import_paths(site, paths: Sequence[Path], force: bool = False) -> ImportReport:
    """Import the statements in `paths` (files, or folders searched for .txt, .html and .htm)
    into `site.statements_dir`, as private records.

    A record that exists is skipped unless `force`; new endorsers go into the organisation
    directory once. Refused files are named in the report, never raised."""
    report = ImportReport()
    files = list(_files(paths, report))
    organisations: dict[str, Organisation] = dict(site.organisations)
    issuer = getattr(site.settings, "organisation", None)
    language = getattr(site.settings, "default_language", "en")
    written: dict[Path, str] = {}  # record -> the source it came from, in this run
    for path in _progress(files):
        try:
            imported = import_text(decode(path.read_bytes(), str(path)), str(path),
                                   organisations, issuer, language=language)
            record = _write(site, imported, force, written, organisations, report)
        except ImportRefused as refused:
            report.refused.append(refused)
            continue
        except (PressroomError, OSError) as exc:
            report.refused.append(ImportRefused(str(path), str(exc)))
            continue
        except Exception as exc:  # one odd file must not stop a batch
            report.refused.append(ImportRefused(
                str(path), f"unexpected problem ({type(exc).__name__}: {exc}); please report "
                "this file"))
            continue
        if record is None:
            report.skipped.append(path)
            continue
        report.imported.append(record)
        if imported.diagnostics:
            report.warned.append(record)
        report.diagnostics.extend(imported.diagnostics)
    return report


def _files(paths: Sequence[Path], report: ImportReport) -> Iterator[Path]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden and found.suffix.lower() in SUFFIXES:
                    yield found
        elif path.is_file():
            yield path
        else:
            report.refused.append(ImportRefused(str(path), "no such file or folder"))


def _progress(files: list[Path]):
    if len(files) > _PROGRESS_MIN_FILES and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(files, desc="import", unit="file", file=sys.stderr)
    return files


def _write(site, imported: Imported, force: bool, written: dict[Path, str],
           organisations: dict[str, Organisation], report: ImportReport) -> Path | None:
    """Write one record (and its new organisations); None when it was skipped."""
    from .. import organisations as directory
    from ..records import record_text

    record = Path(site.statements_dir) / f"{imported.id}.md"
    source = imported.source
    if record in written:
        report.diagnostics.append(Diagnostic(
            source, None, Severity.WARNING, "id",
            f"same id {imported.id!r} as {written[record]}, imported just before; not "
            "written: give one of them another title or file name"))
        return None
    if record.exists() and not force:
        report.diagnostics.append(Diagnostic(
            source, None, Severity.WARNING, None,
            f"already imported as {record}; not overwritten: run again with --force to "
            "replace it"))
        return None
    text = record_text(imported.fields, imported.body_markdown, imported.comments)
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
    written[record] = source
    return record


def _keep_replaced(site, record: Path) -> Path:
    """Copy a record that --force is about to replace into runs/replaced/: what staff wrote
    by hand in it (a title, a fix) is never lost, and no clean command touches runs/."""
    data = record.read_bytes()
    kept = (Path(site.runs_dir) / "replaced"
            / f"{record.stem}.{hashlib.sha256(data).hexdigest()[:12]}.md")
    if not kept.exists():
        atomic_write(kept, data)
    return kept
