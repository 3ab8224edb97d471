"""`pressroom build`: regenerate the public archive, redoing only what changed.

The build renders the latest published version of every statement whose embargo has passed
(the stored bytes, never the working file) into `output/`, then the archive pages. It is
split the way a cluster needs it:

- the coordinator (this process) decides what to redo from each output's input key
  (`inputs.py`), without parsing a record whose key still holds; it alone writes files and
  ledger rows, under each statement's lock, asking the gate again at that moment;
- workers get every input as bytes (the record version, the site's settings, organisations
  and templates: `SiteBytes`), render, and return bytes and keys. They need no shared disk:
  a worker materialises the site's files once in a folder of its own.

Workers are local processes (`--jobs N`) or a Dask distributed cluster (`--scheduler`).
A bad statement is a failure in the table at the end, never the end of the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import formats as registry
from .errors import PressroomError, UsageError
from .gate import Target, public_target
from .inputs import Inputs
from .keptstatements import KeptStatements
from .ledger import Ledger, RunMode, RunStatus, error_message, new_run_id
from .locks import LockedError, build_lock, release_statement, statement_lock
from .model import ID_PATTERN
from .publish import (
    MANIFEST_NAME,
    OutputFile,
    Plan,
    input_hashes,
    package_version,
    write_outputs,
)
from .site import CONFIG_NAME, Site, load_site
from .unchanged import Snapshot, shared_key
from .versions import Versions

LEDGER_BATCH = 200  # rows per transaction: one fsync per batch, not per statement
LOCK_WAIT = 60.0  # seconds a build waits for a statement a person is publishing
WRITERS = 3  # threads of the coordinator writing statements' folders at once


# --- what a worker is given and gives back ---------------------------------------------


@dataclass(frozen=True)
class SiteBytes:
    """A site's inputs as bytes: pressroom.toml, organisations.yaml and the templates."""

    files: dict[str, bytes]
    digest: str

    @classmethod
    def of(cls, site: Site) -> SiteBytes:
        files = {CONFIG_NAME: (site.root / CONFIG_NAME).read_bytes()}
        orgs = site.organisations_path
        if orgs.is_file():
            files["statements/organisations.yaml"] = orgs.read_bytes()
        root = site.templates_dir
        own = site.root / "notebooks" / "publish_statement.ipynb"
        if own.is_file():  # the site's own publication notebook, for --via notebook
            files["notebooks/publish_statement.ipynb"] = own.read_bytes()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith(".") \
                        and "__pycache__" not in path.parts:
                    files[f"templates/{path.relative_to(root).as_posix()}"] = path.read_bytes()
        digest = hashlib.sha256()
        for name, data in sorted(files.items()):
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
        return cls(files, digest.hexdigest())


@dataclass(frozen=True)
class Job:
    statement_id: str
    record: bytes  # the published version's bytes
    version: int
    current: dict[str, str]  # format -> the input key of the file there now
    force: bool = False
    kept: object = None  # the statement as parsed before (keptstatements), or None
    # Its translation group (model.Alternate), and for a translation its original's
    # published version's bytes (its shared fields): a worker has no store to ask.
    alternates: tuple = ()
    original: bytes | None = None


@dataclass
class Rendered:
    statement_id: str
    version: int
    outputs: dict[str, bytes] = field(default_factory=dict)  # only what changed
    keys: dict[str, str] = field(default_factory=dict)  # every format's key
    document: object = None  # the Document rendered (for the manifest)
    error: str | None = None
    seconds: float = 0.0
    peak_rss: int = 0  # the worker's peak resident memory, bytes
    worker: str = ""
    notebook: bytes | None = None  # in notebook mode: the executed notebook, the evidence
    parsed: object = None  # the statement's kept form, when this worker parsed the bytes


_worker_sites: dict[str, tuple[Site, Inputs]] = {}
_worker_lock = threading.Lock()  # a Dask worker runs tasks in threads


def _materialised(site_bytes: SiteBytes | str) -> tuple[Site, Inputs]:
    """The site of `site_bytes`, written once per worker process into a folder of its own
    (a digest: the one the pool's initializer wrote)."""
    if isinstance(site_bytes, str):
        return _worker_sites[site_bytes]
    with _worker_lock:
        return _materialise(site_bytes)


def _materialise(site_bytes: SiteBytes) -> tuple[Site, Inputs]:
    found = _worker_sites.get(site_bytes.digest)
    if found is None:
        root = Path(tempfile.mkdtemp(prefix="pressroom-worker-"))
        _remove_at_exit(root)
        for name, data in site_bytes.files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (root / "statements").mkdir(exist_ok=True)
        site = load_site(root)
        found = _worker_sites[site_bytes.digest] = (site, Inputs(site))
    return found


def _remove_at_exit(root: Path) -> None:
    """A worker's copy of the site goes when the worker does (a pool's worker exits through
    multiprocessing's finalizers, a Dask worker through atexit)."""
    import atexit
    from multiprocessing import util

    util.Finalize(None, shutil.rmtree, args=(root, True), exitpriority=10)
    atexit.register(shutil.rmtree, root, True)


def prepare(site: Site, inputs: Inputs, job: Job, parsed: list | None = None):
    """(document, every format's key, the formats to render) of one job, or an error text:
    what the worker and, in notebook mode, the notebook's kernel both compute. The
    statement is the job's kept one if it still loads as it did, else parsed from the
    version's bytes (and its kept form appended to `parsed`)."""
    from .keptstatements import from_kept

    statement = None if job.kept is None else from_kept(site, job.statement_id, job.kept)
    if statement is None:
        from .gate import statement_from_bytes

        path = site.statements_dir / f"{job.statement_id}.md"
        statement, diagnostics = statement_from_bytes(site, path, job.record, job.original)
        errors = [d for d in diagnostics if d.is_error]
        if statement is None or errors:
            first = errors[0] if errors else None
            where = f"line {first.line}: " if first and first.line else ""
            return (f"version {job.version} does not load: {where}"
                    f"{first.message if first else 'unreadable'}")
        if parsed is not None:
            from .model import to_data

            parsed.append(to_data(statement))  # to_data leaves the path out
    statement = replace(statement, path=None)  # a worker has no file: the bytes are hashed
    document = replace(site.document(statement),
                       record_sha256=hashlib.sha256(job.record).hexdigest(),
                       links=registry.links(statement.id), alternates=job.alternates)
    keys = {f: inputs.key(document, f) for f in registry.names()}
    wanted = tuple(f for f in registry.names() if job.force or job.current.get(f) != keys[f])
    return document, keys, wanted


def render_job(site_bytes: SiteBytes | str | None, job: Job, site: Site | None = None,
               inputs: Inputs | None = None, via: str = "direct") -> Rendered:
    """Render what changed of one statement. Pure: bytes in, bytes out; never raises for a
    bad record (that is a failure of this statement, not of the worker). With `via`
    "notebook", the publication notebook renders, through this worker's warm kernel, and
    hands its bytes back."""
    started = time.perf_counter()
    out = Rendered(job.statement_id, job.version, worker=f"{os.uname().nodename}:{os.getpid()}")
    try:
        if site is None:
            site, inputs = _materialised(site_bytes)
        inputs = inputs or Inputs(site)
        parsed: list = []
        prepared = prepare(site, inputs, job, parsed)
        out.parsed = parsed[0] if parsed else None
        if isinstance(prepared, str):
            out.error = prepared
            return out
        document, out.keys, wanted = prepared
        out.document = document
        if via == "notebook":
            out.outputs, out.notebook = _by_notebook(site, job, out.keys)
        else:
            for name in wanted:
                out.outputs[name] = registry.get_format(name).render(document,
                                                                     site.templates_dir)
    except PressroomError as exc:
        out.error = str(exc)
    except Exception as exc:  # a renderer's bug is this statement's failure, not the build's
        out.error = f"internal error: {type(exc).__name__}: {exc}"
    finally:
        out.seconds = time.perf_counter() - started
        out.peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return out


_kernel_finalizer = None
_kernel_lock = threading.Lock()  # one kernel per worker process: its threads take turns


def _by_notebook(site: Site, job: Job, keys: dict[str, str]
                 ) -> tuple[dict[str, bytes], bytes | None]:
    """Run the publication notebook on one job in this process's warm kernel; the notebook
    writes nothing into the site: it hands the rendered bytes back through a folder of this
    worker's own (see handback.py)."""
    from .engine import WarmEngine, run_notebook
    from .handback import read_back, write_job
    from .runner import notebook_path

    global _kernel_finalizer
    if _kernel_finalizer is None:  # a pool's worker exits without atexit: stop its kernel
        from multiprocessing import util

        _kernel_finalizer = util.Finalize(None, WarmEngine.shutdown, exitpriority=20)

    with tempfile.TemporaryDirectory(prefix="pressroom-handback-") as tmp:
        folder = Path(tmp)
        write_job(folder, site, job)
        executed = folder / "executed.ipynb"
        error = None
        try:
            with _kernel_lock:
                run_notebook(notebook_path(site), executed,
                             {"statement": job.statement_id, "site": str(site.root),
                              "build": str(folder)}, warm=True, cwd=site.root)
        except PressroomError as exc:
            error = exc
        notebook = executed.read_bytes() if executed.is_file() else None
        if error is not None:
            raise error
        outputs, handed_keys = read_back(folder)
    if handed_keys != keys:
        raise PressroomError(f"{job.statement_id}: the notebook's input keys differ from the "
                             "build's: the kernel runs another Pressroom than the worker")
    return outputs, notebook


# --- the coordinator -------------------------------------------------------------------


@dataclass
class Failure:
    statement_id: str
    error: str


@dataclass
class BuildReport:
    build_id: str
    total: int = 0  # statements in the public set
    rendered: int = 0  # statements written
    files: int = 0  # files rendered
    skipped: int = 0  # unchanged
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss: int = 0  # the largest worker's
    pages: int = 0  # archive pages written
    workers: set[str] = field(default_factory=set)  # host:pid of each process that rendered


@dataclass
class BuildContext:
    """What one build shares: the loaded site, its input hashes computed once, the open
    ledger and store. It is also what a local worker holds (`site`, `inputs`)."""

    site: Site
    inputs: Inputs
    hashes: dict
    ledger: Ledger
    versions: Versions
    actor: str
    _kept: KeptStatements | None = None

    @property
    def kept(self) -> KeptStatements:
        """The statements parsed before (keptstatements.py): read when first asked."""
        if self._kept is None:
            self._kept = KeptStatements(self.site)
        return self._kept

    @classmethod
    def open(cls, site: Site, actor: str) -> BuildContext:
        from .runner import ledger_for

        ledger = ledger_for(site)
        return cls(site, Inputs(site), input_hashes(site), ledger,
                   Versions(site.runs_dir, ledger.store), actor)


def build(site: Site, *, jobs: int | None = None, force: bool = False, only: Iterable[str] = (),
          scheduler: str | None = None, actor: str = "", progress: Callable | None = None,
          wait: bool = False, via: str = "direct") -> BuildReport:
    """Build the public archive (see the module). `progress(done, total, statement_id)` is
    called as statements finish."""
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise UsageError("--jobs must be at least 1.")
    if via not in ("direct", "notebook"):
        raise UsageError(f'--via must be "direct" or "notebook", not "{via}".')
    started = time.perf_counter()
    ctx = BuildContext.open(site, actor or "unknown")
    build_id = new_run_id(ctx.ledger.store.now())
    report = BuildReport(build_id)
    with build_lock(site.runs_dir, holder={"build": build_id, "actor": ctx.actor}, wait=wait), \
            ctx.versions.store.reads_kept_open():
        report.notes.extend(_recover_strays(site))
        planned = _plan(ctx, force, set(only))
        report.total = len(planned.public)
        report.skipped = len(planned.public) - len(planned.jobs)
        report.failures.extend(planned.failures)
        # Ahead only from kept statements: one the workers must parse, the coordinator
        # would parse too (and a record just changed is the one-statement rebuild's).
        ahead = None
        if planned.jobs and all(job.kept is not None for job in planned.jobs):
            ahead = _PagesAhead(site, planned.public)
        if planned.jobs:
            _run(ctx, build_id, planned, jobs, scheduler, report, progress, via)
        planned.snapshot.save(planned.known)
        report.pages = _archive(ctx, report, planned.public, ahead)
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Planned:
    public: list[str]
    jobs: list[Job]
    failures: list[Failure]
    targets: dict[str, Target]
    snapshot: Snapshot
    known: set[str]  # every statement with a published version
    groups: dict = field(default_factory=dict)  # id -> its translation group's alternates


def _plan(ctx: BuildContext, force: bool, only: set[str]) -> _Planned:
    """The public set, and what of it must be rendered: a statement as the last build left
    it (`unchanged.Snapshot`: its version and its files' stats, no file opened) or whose
    every output's key holds (checked from its manifest, without parsing the record) is
    skipped; an output a person edited since is rendered again."""
    site = ctx.site
    snapshot = Snapshot(site, shared_key(ctx))
    published = ctx.versions.latest_published_all()
    states = ctx.versions.record_states()
    now = ctx.ledger.store.now()
    unknown = sorted(only - set(published) - set(site.record_ids())) if only else []
    if unknown:
        raise UsageError(f"--only: no statement {', '.join(unknown)}.")
    public, jobs, failures, targets = [], [], [], {}
    groups = _groups(ctx, published, states, now)
    for statement_id in sorted(published):
        if only and statement_id not in only:
            continue
        version = published[statement_id]
        state = states.get(statement_id)
        if state is not None and state != "published":
            snapshot.forget(statement_id)
            continue  # retracted or sent back since: its tombstone (if any) stays
        group = groups.get(statement_id, ())
        if not force and snapshot.unchanged(statement_id, version, group):
            public.append(statement_id)
            continue
        snapshot.forget(statement_id)  # until it is known to hold again
        current = _current_keys(site, statement_id, version.number)
        data = None
        if not force and current is not None and _holds(ctx, current, version, group):
            edited = _edited(site, statement_id, current,
                             snapshot.changed_files(statement_id, version, group))
            if not edited:
                public.append(statement_id)
                snapshot.holds(statement_id, version, group)
                continue
            current = {**current, "keys": {f: k for f, k in current["keys"].items()
                                           if f not in edited}}
        try:
            data = ctx.versions.data(version)
            target = public_target(site, statement_id, version, data, now)
        except PressroomError as exc:
            failures.append(Failure(statement_id, str(exc)))
            continue
        if target is None:
            continue  # under embargo: not public yet
        public.append(statement_id)
        targets[statement_id] = target
        keys = {} if current is None else current["keys"]
        original = _original_data(ctx, data, published)
        # A translation is parsed again: its kept form holds its original's fields as they were.
        jobs.append(Job(statement_id, data, version.number, keys, force,
                        None if original else ctx.kept.kept_form(statement_id, version),
                        group, original))
    return _Planned(public, jobs, failures, targets, snapshot, set(published), groups)


def _groups(ctx: BuildContext, published: dict, states: dict, now) -> dict:
    """id -> the alternates of its translation group (translations.groups), among the
    statements whose history says published; a translation's with its original's version."""
    from .keptstatements import from_kept
    from .translations import groups, with_version

    def statement_of(sid: str):
        # What a group needs (language, original, embargo) is the record's own: its kept
        # form serves even for a translation, whose shared fields may be stale there.
        form = ctx.kept.kept_form(sid, published[sid])
        found = from_kept(ctx.site, sid, form) if form is not None else None
        if found is not None:
            return found
        try:
            return ctx.kept.statement(sid, published[sid], ctx.versions)
        except PressroomError:
            return None  # it fails on its own in the build

    public = [sid for sid in published if states.get(sid) in (None, "published")]
    found = groups(public, statement_of, now)
    return {sid: group if any(a.original and a.statement_id == sid for a in group)
            else with_version(group, published) for sid, group in found.items()}


def _original_data(ctx: BuildContext, data: bytes, published: dict) -> bytes | None:
    """A translation's original's published version (else its file), for the worker."""
    if b"translation_of" not in data:
        return None
    from .translations import original_id_in

    oid = original_id_in(data)
    if oid in published:
        return ctx.versions.data(published[oid])
    path = ctx.site.record_path(oid) if oid else None
    return path.read_bytes() if path is not None and path.is_file() else None


def _edited(site: Site, statement_id: str, current: dict, changed: set[str] | None
            ) -> set[str]:
    """The formats whose file changed since the last build left it (its stat differs and
    its bytes are not those the manifest names): rendered again."""
    if not changed:
        return set()
    folder = site.output_dir / statement_id
    edited = set()
    for fmt, digest in current["sha256"].items():
        name = registry.get_format(fmt).filename(statement_id)
        if name not in changed:
            continue
        try:
            data = (folder / name).read_bytes()
        except OSError:
            edited.add(fmt)
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            edited.add(fmt)
    return edited


def _recover_strays(site: Site) -> list[str]:
    """What a killed run or build left in output/ (a half-written new set, an old set not
    yet removed) is finished or undone first, under each statement's lock: a statement the
    build then skips as unchanged must not keep its stray."""
    from .fileio import open_folder, site_relative
    from .folders import recover, temp_folder_of

    try:
        strays = {of[0] for of in map(temp_folder_of, os.listdir(site.output_dir))
                  if of and ID_PATTERN.fullmatch(of[0])}
    except OSError:
        return []
    said = []
    for name in sorted(strays):
        with statement_lock(site.runs_dir, name, holder={"build": "recovery"}, wait=LOCK_WAIT):
            try:
                with open_folder(site.root, site_relative(site.root, site.output_dir)) as fd:
                    done = recover(fd, name)
            finally:
                release_statement(site.runs_dir, name)
        if done:
            said.append(f"{name}: what a killed run left was cleaned up ({len(done)} item(s))")
    return said


def _current_keys(site: Site, statement_id: str, number: int) -> dict | None:
    """The keys of what `output/<id>/` holds, if its manifest is of this version."""
    try:
        manifest = json.loads((site.output_dir / statement_id / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("withdrawn") \
            or manifest.get("version") != number or not manifest.get("public"):
        return None
    outputs = manifest.get("outputs") or {}
    keys = {e.get("format"): e.get("key") for e in outputs.values() if isinstance(e, dict)}
    digests = {e.get("format"): e.get("sha256") for e in outputs.values()
               if isinstance(e, dict)}
    return {"keys": keys, "sha256": digests,
            "record": (manifest.get("record") or {}).get("sha256"),
            "organisations": manifest.get("organisations") or [],
            "language": manifest.get("language")}


def _holds(ctx: BuildContext, current: dict, version, group: tuple = ()) -> bool:
    """Whether every format's key in the manifest is what it would be now."""
    if current["record"] != version.sha256 or set(current["keys"]) != set(registry.names()):
        return False
    orgs = ctx.site.organisations
    try:
        language = current.get("language")
        digests = [ctx.inputs.organisation(orgs[k].in_language(language)) for k in
                   current["organisations"]]
    except (KeyError, AttributeError):  # AttributeError: a manifest without its language
        return False  # an organisation it shows was removed: rebuild, and fail plainly
    if not digests:
        return False
    if not isinstance(current["language"], str):
        return False  # a manifest from before its language was kept
    links = sorted(registry.links(version.statement_id).items())
    wording = ctx.inputs.wording(current["language"])
    return all(current["keys"][f] == ctx.inputs.key_of(f, version.sha256, digests, links,
                                                       wording=wording, alternates=group)
               for f in registry.names())


def _run(ctx: BuildContext, build_id: str, planned: _Planned, jobs: int,
         scheduler: str | None, report: BuildReport, progress: Callable | None,
         via: str) -> None:
    parameters = {"build": build_id, "formats": ",".join(registry.names()), "via": via}
    run_ids = ctx.ledger.start_runs(
        [dict(statement_id=j.statement_id, record_sha256=hashlib.sha256(j.record).hexdigest(),
              templates_sha256=ctx.hashes["templates"]["sha256"],
              settings_sha256=ctx.hashes["settings"]["sha256"], version=package_version(),
              parameters={**parameters, "version": j.version}, actor=ctx.actor,
              mode=RunMode.BUILD) for j in planned.jobs], lock=build_id)
    runs = {j.statement_id: r for j, r in zip(planned.jobs, run_ids, strict=True)}
    finished: list[dict] = []
    done = 0

    def settle(written: Future) -> None:
        """A statement written (or not): its row, the report, the progress; in this thread
        alone, so only the coordinator's main thread touches them."""
        nonlocal done, finished
        result, outcome = written.result()
        done += 1
        report.peak_rss = max(report.peak_rss, result.peak_rss)
        report.workers.add(result.worker)
        if outcome.failure is not None:
            report.failures.append(outcome.failure)
        if outcome.note is not None:
            report.notes.append(outcome.note)
        if outcome.row["status"] == RunStatus.SUCCEEDED:
            report.rendered += 1
            report.files += outcome.files
            version = planned.targets[result.statement_id].version
            planned.snapshot.holds(result.statement_id, version,
                                   planned.groups.get(result.statement_id, ()))
            ctx.kept.learn(result.statement_id, version.sha256, result.parsed,
                           result.document.statement)
        finished.append(outcome.row)
        if len(finished) >= LEDGER_BATCH:
            ctx.ledger.finish_runs(finished)
            finished = []
        if progress:
            progress(done, len(planned.jobs), result.statement_id)

    # Writing a statement is mostly waiting on the file system (its folder flushed, the old
    # set removed, its lock file): a few threads write while the next results come in.
    writing: set[Future] = set()
    order: dict[Future, int] = {}  # settled in the order the results came

    def in_order(futures: set[Future]) -> list[Future]:
        return sorted(futures, key=order.__getitem__)

    try:
        with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="writer") as writers:
            try:
                for result in _results(ctx, planned.jobs, jobs, scheduler, build_id, via):
                    target = planned.targets[result.statement_id]
                    future = writers.submit(_write_one, ctx, result, target,
                                            runs[result.statement_id])
                    order[future] = len(order)
                    writing.add(future)
                    if len(writing) >= WRITERS * 2:  # the writers keep up, or results wait
                        settled, writing = wait(writing, return_when=FIRST_COMPLETED)
                        for future in in_order(settled):
                            settle(future)
            except BaseException:
                for future in writing:  # what has not begun is not begun; the rest ends
                    future.cancel()
                raise
            finally:
                for future in in_order(writing):
                    if not future.cancelled():
                        settle(future)
    finally:
        if finished:
            ctx.ledger.finish_runs(finished)
        ctx.ledger.release_lock(build_id)


@dataclass
class _Outcome:
    row: dict  # the ledger row
    failure: Failure | None = None
    note: str | None = None
    files: int = 0  # files written


def _write_one(ctx: BuildContext, result: Rendered, target: Target, run_id: str
               ) -> tuple[Rendered, _Outcome]:
    return result, _write(ctx, result, target, run_id)


def _write(ctx: BuildContext, result: Rendered, target: Target, run_id: str) -> _Outcome:
    """Write one statement's files, under its lock, if the gate still says so."""
    site, sid = ctx.site, result.statement_id

    def failed(error: str, note: bool = False) -> _Outcome:
        row = {"run_id": run_id, "status": RunStatus.FAILED, "error": error}
        if note:
            return _Outcome(row, note=error)
        return _Outcome(row, failure=Failure(sid, error))

    if result.error:
        return failed(result.error)
    try:
        statement_lock(site.runs_dir, sid, holder={"run": run_id, "actor": ctx.actor},
                       wait=LOCK_WAIT)
    except LockedError as exc:
        return failed(str(exc))
    try:
        # One statement's row, not the whole table: asked once per statement written.
        latest, state = ctx.versions.now_public(sid)
        if latest != result.version or (state is not None and state != "published"):
            return failed(f"{sid}: changed while the build ran (now {state or 'unpublished'})"
                          "; left", note=True)
        folder = site.output_dir / sid
        document = replace(result.document, statement=replace(
            result.document.statement, path=str(site.record_path(sid))))
        kept = {f: OutputFile(f, folder / registry.get_format(f).filename(sid), "", 0,
                              result.keys[f])
                for f in registry.names() if f not in result.outputs}
        kept = _confirm_kept(folder, kept)
        if kept is None:  # a kept file vanished or changed: render it after all, next time
            return failed("a file it kept changed while the build ran; build again")
        plan = Plan(document, folder, tuple(result.outputs), kept, target, result.keys)
        published = write_outputs(site, plan, result.outputs, run_id, hashes=ctx.hashes,
                                  recovered=True)  # _recover_strays, under the build lock
        notebook = _keep_notebook(site, run_id, sid, result.notebook)
    except PressroomError as exc:
        return failed(str(exc))
    finally:
        release_statement(site.runs_dir, sid)
    outputs = [(f"output/{sid}/{f.path.name}", f.sha256, f.bytes, f.format, f.key)
               for f in published.files]
    return _Outcome({"run_id": run_id, "status": RunStatus.SUCCEEDED, "outputs": outputs,
                     "notebook_path": notebook}, files=len(published.files))


def _keep_notebook(site: Site, run_id: str, sid: str, data: bytes | None) -> str | None:
    """The executed notebook of a statement built through it: the run's evidence, under
    runs/<run id>/ as a publication keeps it."""
    if data is None:
        return None
    from .fileio import open_folder, site_relative, write_in

    rel = site_relative(site.root, site.runs_dir) / run_id
    with open_folder(site.root, rel) as fd:
        write_in(fd, f"{sid}.ipynb", data)
    return f"{rel.as_posix()}/{sid}.ipynb"


def _confirm_kept(folder: Path, kept: dict[str, OutputFile]) -> dict[str, OutputFile] | None:
    """The kept files with the hashes the manifest gives them (write_outputs checks the
    bytes again as it copies them)."""
    if not kept:
        return {}
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_bytes())
    except (OSError, ValueError):
        return None
    entries = manifest.get("outputs") or {}
    out = {}
    for fmt, file in kept.items():
        entry = entries.get(file.path.name)
        if not isinstance(entry, dict) or entry.get("key") != file.key:
            return None
        out[fmt] = replace(file, sha256=entry["sha256"], bytes=entry["bytes"],
                           run=entry.get("run", manifest.get("run")))
    return out


def _results(ctx: BuildContext, jobs_list: list[Job], jobs: int, scheduler: str | None,
             build_id: str, via: str) -> Iterator[Rendered]:
    if scheduler:
        from .cluster import results_on_cluster

        yield from results_on_cluster(scheduler, SiteBytes.of(ctx.site), jobs_list, build_id,
                                      via=via)
    elif jobs == 1 or len(jobs_list) <= 2:  # a pool's start costs more than a job or two
        try:
            for job in jobs_list:  # in this process: no pickling, the build's own Inputs
                yield render_job(None, job, ctx.site, ctx.inputs, via)
        finally:
            _stop_kernels(via)
    else:
        yield from _in_processes(SiteBytes.of(ctx.site), jobs_list, jobs, via)


def _stop_kernels(via: str) -> None:
    if via == "notebook":
        from .engine import WarmEngine

        WarmEngine.shutdown()


def _in_processes(site_bytes: SiteBytes, jobs_list: list[Job], jobs: int, via: str
                  ) -> Iterator[Rendered]:
    """Local worker processes; at most a few jobs in flight per worker, so memory stays
    flat however large the archive."""
    import multiprocessing

    # Not fork: the coordinator has threads (SQLite, typst's) whose locks a forked child
    # would inherit held. A fork server starts clean and forks each worker from there.
    context = multiprocessing.get_context("forkserver")
    # The renderers' modules (python-docx, lxml, Jinja, typst: about 0.2 s) are imported
    # once, in the fork server, instead of in each worker. Importing them starts no thread.
    parses = any(job.kept is None for job in jobs_list)
    context.set_forkserver_preload(["pressroom.build", *registry.modules(),
                                    "pressroom.render.preload",
                                    *(["pressroom.render.preloadcheck"] if parses else [])])
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             initializer=_materialised, initargs=(site_bytes,)) as pool:
        pending = iter(jobs_list)
        running = set()
        for job in pending:
            running.add(pool.submit(render_job, site_bytes.digest, job, None, None, via))
            if len(running) >= jobs * 4:
                break
        while running:
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                yield future.result()
                nxt = next(pending, None)
                if nxt is not None:
                    running.add(pool.submit(render_job, site_bytes.digest, nxt, None, None,
                                            via))


class _PagesAhead:
    """The archive's pages made in a thread of the coordinator while the statements render,
    for the public set as the plan found it and every public statement's folder written
    (`archive.build.prepare_pages`). A core waits while the worker processes start, and
    the pages, made after the last statement, would add their time to the build's. Used
    at the end only if made of what the end finds; else the pages are made again there."""

    def __init__(self, site: Site, public: list[str]) -> None:
        self.prepared = None
        self._thread = threading.Thread(target=self._make, args=(site, set(public)),
                                        name="pressroom-pages-ahead", daemon=True)
        self._thread.start()

    def _make(self, site: Site, public: set[str]) -> None:
        from .archive.build import prepare_pages, statement_folders

        try:
            self.prepared = prepare_pages(site, statement_folders(site) | public)
        except Exception:  # made again at the end, which reports the error
            self.prepared = None

    def result(self):
        self._thread.join()
        return self.prepared


def _archive(ctx: BuildContext, report: BuildReport, public: list[str],
             ahead: _PagesAhead | None = None) -> int:
    """The archive's own pages, from the public set as it is now (under the archive lock);
    skipped when nothing they are made of changed since the last build made them (reading
    every public statement for them is most of a no-op build's cost)."""
    from .fileio import atomic_write

    published = ctx.versions.latest_published_all()
    key = hashlib.sha256(json.dumps({
        "public": sorted((sid, published[sid].number) for sid in public if sid in published),
        "states": sorted(ctx.versions.record_states().items()),
        "templates": ctx.hashes["templates"]["sha256"],
        "settings": ctx.hashes["settings"]["sha256"],
        "pressroom": package_version(),
    }).encode()).hexdigest()
    stamp = ctx.site.runs_dir / "archive-pages.key"
    try:
        same = stamp.read_text().strip() == key and (
            ctx.site.output_dir / "archive-manifest.json").is_file()
    except OSError:
        same = False
    if same and report.rendered == 0:
        return 0
    from .archive import update_archive  # its templates and feed library: only if needed

    done = update_archive(ctx.site, statements=ctx._kept,
                          prepared=ahead.result() if ahead is not None else None)
    report.notes.extend(f"archive: {p}" for p in done.problems)
    atomic_write(stamp, key + "\n")
    return len(done.written)


def error_text(exc: BaseException) -> str:
    return error_message(exc)
