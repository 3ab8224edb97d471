"""Importing files and folders into a site: one record per statement, never one twice.

`import_paths` reads every file (folders recursively), runs the pure core on each, adds the
new organisations to the directory, and writes each record atomically. One bad file is
refused and named; the batch goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import records
from ..errors import ImportRefused, PressroomError
from ..fileio import atomic_write, make_dirs, one_sync, sweep_temporaries
from ..model import Diagnostic, Organisation, Severity
from .core import Imported, Reading, finish_reading, read_statement
from .directory import append_organisations
from .files import find_sources, mb, read_source, shown
from .known import Known, KnownStatements
from .orgs import Directory
from .provenance import ImportLog, Written, warnings_of

# A progress bar is worth its line only for a batch.
_PROGRESS_MIN_FILES = 5
# Import records go to the store this many at a time: one commit for a batch, and a kill
# loses the records of at most this many files (which `import --update` then names).
_LOG_BATCH = 200
# Below this many files one process reads them all: starting worker processes (each imports
# the importer's parsers and loads the language model) costs more than they would save.
POOL_MIN_FILES = 100
# Files read ahead of the one being finished, for each worker: enough to keep it busy, few
# enough that memory stays flat however large the archive.
_AHEAD_PER_WORKER = 8


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
    # With `explain`: for each source, what was cut from it and why (see `explain`).
    explained: list[tuple[str, tuple]] = field(default_factory=list)

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


def import_paths(site, paths: Sequence[Path], force: bool = False,
                 explain: bool = False, jobs: int | None = None) -> ImportReport:
    """Import the statements in `paths` (files, or folders searched for .txt, .html, .htm and .docx)
    into `site.statements_dir`, as private records.

    A statement the site already holds (the same text, whatever its record's id) is skipped;
    with `force` its record is replaced, keeping its file name and id. New endorsers go into
    the organisation directory once. Symbolic links are never followed. Every file not taken
    (refused: binary, a link out of the folder, a named pipe, unreadable...; skipped: already
    imported) is named in the report with the reason, never raised.

    Files are read and turned into records in memory, then written a batch at a time: the
    directory once for the batch (a record never names a key the directory lacks), then the
    batch's records, then their import records in one store transaction. With `explain`,
    the report keeps what was cut from each source and why.

    `jobs` worker processes (default: the number of cores; 1: none) read the files, the
    half of an import that asks nothing of the directory, when there are at least
    POOL_MIN_FILES of them; this process finishes each in the files' order, so the records,
    the directory and the report are the ones one process would make."""
    report = ImportReport()
    swept = sweep_temporaries(site.statements_dir)
    if swept:  # an import killed while it wrote (or any other write): its leftovers go
        report.diagnostics.append(Diagnostic(
            str(site.statements_dir), None, Severity.WARNING, None,
            f"removed {len(swept)} temporary file(s) a killed write left here: "
            f"{', '.join(swept[:5])}{' ...' if len(swept) > 5 else ''}"))
    found = find_sources(paths)
    files = found.files
    report.refused.extend(found.refused)
    for path, reason in found.skipped:
        report.skipped.append(path)
        _skip(report, shown(path), reason)
    batch = _Batch(site, force, report)
    site_names = (site.settings.name, site.settings.short_name)
    for path, raw, reading in _progress(_readings(files, site_names, jobs), len(files)):
        name = shown(path)  # the name in every message: a file's name can be anything
        try:
            if isinstance(reading, _Unread):
                raise reading.refused()
            imported = finish_reading(reading, batch.directory, site.settings.organisation,
                                      language=site.settings.default_language)
            planned = batch.plan(imported, path, raw)
        except ImportRefused as refused:
            report.refused.append(refused)
            continue
        except (PressroomError, OSError) as exc:
            report.refused.append(ImportRefused(name, str(exc)))
            continue
        except Exception as exc:  # one odd file must not stop a batch
            report.refused.append(_unexpected(name, exc))
            continue
        if planned is None:
            report.skipped.append(path)
            continue
        if explain:
            report.explained.append((name, imported.removed))
        batch.add(path, raw, planned, imported)
        if len(batch) >= _LOG_BATCH:
            batch.commit()
    batch.commit()
    return report


def _unexpected(name: str, exc: Exception) -> ImportRefused:
    return ImportRefused(name, f"unexpected problem ({type(exc).__name__}: {exc}); please "
                         "report this file")


@dataclass(frozen=True)
class _Unread:
    """A file its reading refused, as plain strings: it crosses from a worker process."""

    name: str
    reason: str

    def refused(self) -> ImportRefused:
        return ImportRefused(self.name, self.reason)


def read_one(raw: bytes, name: str, site_names: Sequence[str]) -> Reading | _Unread:
    """A worker's task (and the one process's, below POOL_MIN_FILES): one file read."""
    try:
        return read_statement(raw, name, site_names)
    except ImportRefused as refused:
        return _Unread(refused.path, refused.reason)
    except (PressroomError, OSError) as exc:
        return _Unread(name, str(exc))
    except Exception as exc:  # one odd file must not stop a batch
        return _Unread(name, _unexpected(name, exc).reason)


def _readings(files: list[Path], site_names: Sequence[str], jobs: int | None
              ) -> Iterator[tuple[Path, bytes | None, Reading | _Unread]]:
    """Each file, its bytes and its reading, in the files' order."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(files) < POOL_MIN_FILES:
        for path in files:
            yield _read_here(path, site_names)
        return
    yield from _read_in_processes(files, site_names, jobs)


def _read_here(path: Path, site_names: Sequence[str]
               ) -> tuple[Path, bytes | None, Reading | _Unread]:
    raw, unread = _raw(path)
    return path, raw, unread or read_one(raw, shown(path), site_names)


def _raw(path: Path) -> tuple[bytes | None, _Unread | None]:
    try:
        return read_source(path), None
    except ImportRefused as refused:
        return None, _Unread(refused.path, refused.reason)


def _read_in_processes(files: list[Path], site_names: Sequence[str], jobs: int
                       ) -> Iterator[tuple[Path, bytes | None, Reading | _Unread]]:
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    names = tuple(site_names)
    # Not fork: this process may hold threads (the store's, a progress bar's) whose locks a
    # forked child would inherit held. The fork server loads the parsers once, for all.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pressroom.importer.preload"])
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    started = threading.Event()  # a worker runs (or the pool could not start one)

    def start() -> None:
        try:
            pool.submit(int).result()  # a task that does nothing: it returns once one runs
        except Exception:  # the pool is broken: the submits below say so
            pass
        finally:
            started.set()

    ahead: deque = deque()
    todo = iter(files)
    lost = False  # a worker was lost (killed, out of memory): this process reads the rest

    def submit() -> bool:
        nonlocal lost
        path = next(todo, None)
        if path is None:
            return False
        raw, reading = _raw(path)
        if reading is None and not lost:
            try:
                reading = pool.submit(read_one, raw, shown(path), names)
            except Exception:  # the pool is broken
                lost = True
        ahead.append((path, raw, reading))
        return True

    try:
        # The fork server's loading takes a second or more: a thread waits for it while
        # this one reads the first files itself.
        threading.Thread(target=start, daemon=True, name="import-pool-start").start()
        while not started.is_set():
            path = next(todo, None)
            if path is None:
                return
            yield _read_here(path, names)
        while len(ahead) < jobs * _AHEAD_PER_WORKER and submit():
            pass
        while ahead:
            path, raw, reading = ahead.popleft()
            submit()
            if isinstance(reading, Future):
                if reading.cancel():  # no worker has taken it yet: read here, not wait
                    reading = None
                else:
                    try:
                        reading = reading.result()
                    except Exception:  # the worker reading it was lost: read it here
                        lost = True
                        reading = None
            if reading is None:
                reading = read_one(raw, shown(path), names)
            yield path, raw, reading
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Planned:
    record: Path
    text: str
    imported: Imported
    date: str | None


class _Batch:
    """Records decided but not yet written, and what they need written first."""

    def __init__(self, site, force: bool, report: ImportReport):
        self.site = site
        self.force = force
        self.report = report
        self.organisations: dict[str, Organisation] = dict(site.organisations)
        self.directory = Directory(self.organisations)
        self.known = KnownStatements(Path(site.statements_dir))
        self.log = ImportLog(site)
        self.pending: list[tuple[Path, bytes, _Planned]] = []
        self.new: dict[str, Organisation] = {}
        self.claimed: dict[Path, str] = {}  # record -> the source planned for it
        self.unrecorded: list[Written] = []  # records on disk whose import row was lost

    def __len__(self) -> int:
        return len(self.pending)

    def plan(self, imported: Imported, path: Path, raw: bytes) -> _Planned | None:
        """Where this statement goes and its text; None (with the reason said) to skip."""
        report, source = self.report, imported.source
        date = imported.fields["date"].isoformat() if imported.fields.get("date") else None
        same = self.known.find(imported.body_markdown, date)
        if same is not None and same.source is not None:
            _skip(report, source, f"the same statement as {same.source}, imported just "
                  f"before as {same.path}; not written again")
            return None
        if same is not None:
            if not self.force:
                if self._lost_row(same, imported, path, raw):
                    _skip(report, source, f"already imported as {same.path} (id {same.id!r}) "
                          "by an import that was stopped before it could record the import; "
                          "recorded now (for --update)")
                else:
                    _skip(report, source, f"already imported as {same.path} (id "
                          f"{same.id!r}); not overwritten: run again with --force to "
                          "replace it")
                return None
            # The record keeps the name staff gave it: its file and its id.
            record = same.path
            imported = dataclasses.replace(imported, fields={**imported.fields, "id": same.id})
        else:
            record = Path(self.site.statements_dir) / f"{imported.id}.md"
            if record in self.known.written:
                _skip(report, source, f"same id {imported.id!r} as "
                      f"{self.known.written[record]}, imported just before; not written: give "
                      "one of them another title or file name")
                return None
            if record.exists() and not self.force:
                _skip(report, source, f"{record} already exists with another text; not "
                      "overwritten: run again with --force to replace it, or give this "
                      "statement another title or file name")
                return None
        text = records.record_text(imported.fields, imported.body_markdown, imported.comments)
        size = len(text.encode("utf-8"))
        if size > records.MAX_RECORD_BYTES:
            raise ImportRefused(source, f"the record would be {size:,} bytes; records over "
                                f"{records.MAX_RECORD_BYTES:,} bytes "
                                f"({mb(records.MAX_RECORD_BYTES)}) are refused by check: "
                                "split the file or import the right one")
        # Known at once, so that a second copy in the same batch is recognised.
        self.known.add(imported.body_markdown, Known(record, imported.id, date, source))
        for org in imported.new_organisations:
            if org.key not in self.organisations:
                self.organisations[org.key] = org
                self.new[org.key] = org
                self.directory.learn(org)
        return _Planned(record, text, imported, date)

    def _lost_row(self, same: Known, imported: Imported, path: Path, raw: bytes) -> bool:
        """Whether `same` is the record this import would write, byte for byte, left without
        its import row by an import killed between writing its records and recording them;
        if so, the row is queued. (A record someone has edited since is not this case.)"""
        fields = {**imported.fields, "id": same.id}
        text = records.record_text(fields, imported.body_markdown, imported.comments)
        try:
            if same.path.read_text(encoding="utf-8") != text:
                return False
        except (OSError, UnicodeDecodeError):
            return False
        if self.log.latest(path.absolute()) or self.log.latest_of(same.id):
            return False
        self.unrecorded.append(Written(
            same.path, same.id, path.absolute(), hashlib.sha256(raw).hexdigest(), fields,
            imported.body_markdown, warnings=warnings_of(imported.diagnostics)))
        return True

    def add(self, path: Path, raw: bytes, planned: _Planned, imported: Imported) -> None:
        self.pending.append((path, raw, planned))
        report = self.report
        report.imported.append(planned.record)
        if any(d.is_error for d in imported.diagnostics):
            report.with_errors.append(planned.record)
        elif imported.diagnostics:
            report.warned.append(planned.record)
        report.diagnostics.extend(imported.diagnostics)

    def commit(self) -> None:
        """Write the batch: the directory once, then each record, then the store."""
        if self.unrecorded:
            self.log.add(self.unrecorded)
            self.unrecorded.clear()
        if not self.pending:
            return
        if self.new:
            append_organisations(Path(self.site.statements_dir) / "organisations.yaml",
                                 list(self.new.values()))
            self.new.clear()
        written: list[Written] = []
        with _one_flush(Path(self.site.statements_dir)):
            self._write_records(written)
        self.pending.clear()
        self.log.add(written)

    def _write_records(self, written: list[Written]) -> None:
        for path, raw, planned in self.pending:
            record, text = planned.record, planned.text
            if record.exists() and record.read_text(encoding="utf-8",
                                                    errors="replace") != text:
                kept = _keep_replaced(self.site, record)
                self.report.diagnostics.append(Diagnostic(
                    planned.imported.source, None, Severity.WARNING, None,
                    f"replaced {record} (--force); the previous version is kept at {kept}"))
            atomic_write(record, text)
            fields = planned.imported.fields
            written.append(Written(record, str(fields["id"]), path.absolute(),
                                   hashlib.sha256(raw).hexdigest(), fields,
                                   planned.imported.body_markdown,
                                   warnings=warnings_of(planned.imported.diagnostics)))


@contextmanager
def _one_flush(folder: Path):
    """The batch's records flushed to disk by one syncfs when they are all written (before the
    store says they were), instead of one fsync each (`fileio.one_sync`)."""
    make_dirs(folder)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        with one_sync(fd):
            yield
    finally:
        os.close(fd)


def _progress(items: Iterable, total: int):
    if total > _PROGRESS_MIN_FILES and sys.stderr.isatty():
        return _bar(items, total)
    return items


def _bar(items: Iterable, total: int):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(file=sys.stderr)) as bar:
        yield from bar.track(items, total=total)


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
