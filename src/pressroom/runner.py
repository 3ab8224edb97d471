"""Publication runs: the notebook through papermill, or the direct path, and a ledger row for
each, whatever happens.

A run that fails (a bad record, an exception in a cell, a dead kernel, a timeout) still keeps
its executed notebook and its ledger row, names the failing cell and the reason, and leaves the
previous outputs untouched (publishing writes nothing until every format has rendered).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import NotebookError, cell_name
from .fileio import open_folder, site_relative
from .formats import parse_formats
from .gate import Target, decide
from .ledger import Ledger, RunStatus, error_message, failed_cell_of
from .locks import Lock, holding_statement, release_statement, statement_lock
from .publish import (
    ALL_FORMATS,
    MANIFEST_NAME,
    Published,
    input_hashes,
    package_version,
    publish,
)
from .site import Site

NOTEBOOK_NAME = "publish_statement.ipynb"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # kernel messages come coloured
CELL_TIMEOUT = 300  # seconds; the slowest cell renders a PDF, in well under a second


@dataclass(frozen=True)
class RunResult:
    run_id: str
    status: str
    outputs: tuple[tuple[str, str, int], ...]
    notebook: Path | None
    error: str | None = None
    failed_cell: int | None = None
    public: bool = False  # the files went to output/ (else drafts/)
    version: int | None = None  # the stored version rendered
    why: str = ""  # where they went, and why, for staff
    archive: str = ""  # what became of the archive's pages (a public change updates them)


def ledger_for(site: Site, *, readonly: bool | None = None) -> Ledger:
    """The site's run ledger; a row left running by a dead process is closed with the
    outputs its manifest shows it put in place."""
    return Ledger(site.runs_dir / "ledger.sqlite", readonly=readonly,
                  outputs_of=lambda run: outputs_of_run(site, run.statement_id, run.id))


def notebook_path(site: Site) -> Path:
    """The site's publication notebook, else the one that ships with Pressroom."""
    own = site.root / "notebooks" / NOTEBOOK_NAME
    return own if own.is_file() else Path(__file__).parent / "notebooks" / NOTEBOOK_NAME


def executed_notebook(site: Site, run_id: str, statement_id: str) -> Path:
    """Where a command keeps the notebook it ran: the run's evidence."""
    return site.runs_dir / run_id / f"{statement_id}.ipynb"


def outputs_of_run(site: Site, statement_id: str, run_id: str
                   ) -> tuple[tuple, ...]:
    """The files that run `run_id` put in place, as the folder's manifest says (none if
    the folder holds another run's set)."""
    folder, manifest = _run_folder(site, statement_id, run_id)
    if folder is None:
        return ()
    # Only the files that run rendered: a partial run keeps the others, made by earlier runs.
    return tuple((_rel(site, folder / name), o["sha256"], o["bytes"], o.get("format"),
                  o.get("key")) for name, o in manifest.get("outputs", {}).items()
                 if o.get("run", manifest.get("run")) == run_id)


def _manifest_of_run(site: Site, statement_id: str, run_id: str) -> dict:
    return _run_folder(site, statement_id, run_id)[1]


def _run_folder(site: Site, statement_id: str, run_id: str) -> tuple[Path | None, dict]:
    for folder in (site.output_dir / statement_id, site.drafts_dir / statement_id,
                   site.drafts_dir / statement_id / "embargoed"):
        try:
            manifest = json.loads((folder / MANIFEST_NAME).read_bytes())
        except (OSError, ValueError):
            continue
        if isinstance(manifest, dict) and manifest.get("run") == run_id:
            return folder, manifest
    return None, {}


class RunContext:
    """One publication run, whatever drives it: the command (direct, or the notebook through
    papermill), the notebook's kernel, Run All by hand, and later rules and builds. It owns
    the run's ledger row (opened by the process that starts the run, closed once however
    the run ends), the run's own lock, and the statement's publication lock while it writes.
    """

    def __init__(self, site: Site, statement_id: str, run_id: str, ledger: Ledger, *,
                 owner: bool, actor: str = "", joined: Lock | None = None):
        self.site, self.statement_id, self.run_id = site, statement_id, run_id
        self.ledger, self.owner, self.actor = ledger, owner, actor
        self.outputs: tuple[tuple, ...] = ()  # (path, sha256, bytes, format, input key)
        self.notebook_path: str | None = None
        self.closed = False
        self.target: Target | None = None
        self._joined = joined
        self._holds_statement = False

    @classmethod
    def open(cls, site: Site, statement_id: str, parameters: dict, actor: str,
             mode: str) -> RunContext:
        """Start a run: its ledger row, with the hashes of what decides its output (the
        record is None if it cannot even be read: still a run to log)."""
        path = site.record_path(statement_id)
        try:
            record = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        except OSError:
            record = None
        hashes = input_hashes(site)
        ledger = ledger_for(site)
        run_id = ledger.start_run(
            statement_id=statement_id, record_sha256=record,
            templates_sha256=hashes["templates"]["sha256"],
            settings_sha256=hashes["settings"]["sha256"], version=package_version(),
            parameters=parameters, actor=actor, mode=mode)
        return cls(site, statement_id, run_id, ledger, owner=True, actor=actor)

    @classmethod
    def join(cls, site: Site, statement_id: str, run_id: str) -> RunContext:
        """Take part in a run the command opened (the notebook's kernel): the row stays the
        command's to close; this process holds the run's lock while it works."""
        ledger = ledger_for(site)
        return cls(site, statement_id, run_id, ledger, owner=False,
                   joined=ledger.join_run(run_id))

    # -- the gate --------------------------------------------------------------------------

    def decide(self, *, draft: bool = False, embargoed: bool = False) -> Target:
        """Where this run writes and what it renders: the one place every run asks."""
        self.target = decide(self.site, self.statement_id, draft=draft, embargoed=embargoed)
        return self.target

    # -- the statement's lock --------------------------------------------------------------

    def lock_statement(self, wait: bool | float = False) -> None:
        """Hold the statement's publication lock until the run ends (unless this process
        holds it already: a transition runs its publication under its own lock)."""
        if holding_statement(self.site.runs_dir, self.statement_id):
            return
        if not self._holds_statement:
            statement_lock(self.site.runs_dir, self.statement_id,
                           holder={"run": self.run_id, "actor": self.actor}, wait=wait)
            self._holds_statement = True

    def check_statement_free(self, wait: bool | float = False) -> None:
        """Refuse (or wait) now if another publication of the statement is running, before
        a kernel is started for nothing; the kernel takes the lock itself."""
        statement_lock(self.site.runs_dir, self.statement_id, holder={"run": self.run_id},
                       wait=wait)
        release_statement(self.site.runs_dir, self.statement_id)

    # -- ending ----------------------------------------------------------------------------

    def record(self, published: Published) -> None:
        self.outputs = tuple((_rel(self.site, f.path), f.sha256, f.bytes, f.format, f.key)
                             for f in published.files)

    def succeed(self) -> None:
        self._close(RunStatus.SUCCEEDED)

    def fail(self, error: BaseException | str, cell: int | None = None,
             notebook: str | None = None) -> None:
        if isinstance(error, BaseException):
            cell = failed_cell_of(error) if cell is None else cell
            notebook = notebook or getattr(error, "notebook", None)
            error = error_message(error)
        self._close(RunStatus.FAILED, error, cell, notebook)

    def _close(self, status: RunStatus, error: str | None = None, cell: int | None = None,
               notebook: str | None = None) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            if self.owner:
                self.ledger.finish_run(self.run_id, status=status, error=error,
                                       failed_cell=cell,
                                       notebook_path=notebook or self.notebook_path,
                                       outputs=self.outputs)
        finally:
            if self._holds_statement:
                release_statement(self.site.runs_dir, self.statement_id)
                self._holds_statement = False
            if self._joined is not None:
                self._joined.release()

    def __enter__(self) -> RunContext:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        # Whatever stops the run, even Ctrl-C, its row says so.
        if exc is not None:
            self.fail(exc)
        else:
            self.succeed()
        return False


def run_publication(
    site: Site,
    statement_id: str,
    formats: str | tuple[str, ...] = ALL_FORMATS,
    *,
    draft: bool = False,
    embargoed: bool = False,
    actor: str = "",
    direct: bool = False,
    engine_name: str | None = None,
    cell_timeout: int = CELL_TIMEOUT,
    wait: bool | float = False,
    transition: int | None = None,
) -> RunResult:
    """Publish one statement and record the run:

    1. open the run (its ledger row, with the hashes of the record, templates, settings);
    2. publish under the statement's lock: run the publication notebook through papermill
       with a real kernel (or, with `direct`, call the library without a kernel);
    3. keep the executed notebook under runs/<run id>/, whatever happened;
    4. close the row with the files written, or with the failing cell and the reason.
    """
    chosen = parse_formats(formats)
    # An unknown id is a usage error (with "did you mean"), found before any kernel starts;
    # and an id that is not a plain name never becomes part of a path.
    site.existing_record(statement_id)
    parameters = {"statement": statement_id, "formats": ",".join(chosen), "draft": draft,
                  "embargoed": embargoed}
    if transition is not None:
        parameters["transition"] = transition  # the workflow transition this run carries out
    with RunContext.open(site, statement_id, parameters, actor or "unknown",
                         "direct" if direct else "notebook") as run:
        if direct:
            run.lock_statement(wait)
            target = run.decide(draft=draft, embargoed=embargoed)
            run.record(publish(site, statement_id, chosen, target=target, run_id=run.run_id))
            # Under the statement's lock still: the public set changed, so do its pages.
            archive = refresh_archive(site) if target.public else ""
            return RunResult(run.run_id, "succeeded", run.outputs, None, public=target.public,
                             version=target.version.number if target.version else None,
                             why=target.reason, archive=archive)
        run.check_statement_free(wait)
        return _notebook(site, run, chosen, draft, embargoed, actor, engine_name,
                         cell_timeout, wait)


def _notebook(site, run: RunContext, formats, draft, embargoed, actor, engine_name,
              cell_timeout, wait) -> RunResult:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    statement_id = run.statement_id
    with open_folder(site.root, site_relative(site.root, site.runs_dir) / run.run_id):
        pass  # made without following links, with the folder's group
    executed = executed_notebook(site, run.run_id, statement_id)
    run.notebook_path = _rel(site, executed)
    parameters = {"statement": statement_id, "formats": ",".join(formats), "draft": draft,
                  "embargoed": embargoed, "person": actor, "run_id": run.run_id,
                  "site": str(site.root), "wait": bool(wait)}
    error, cell = None, None
    try:
        papermill.execute_notebook(
            str(notebook_path(site)), str(executed), parameters=parameters,
            kernel_name="pressroom" if _has_kernel("pressroom") else None,
            engine_name=engine_name, cwd=str(site.root), execution_timeout=cell_timeout,
            progress_bar=False, log_output=False,
            # A cold kernel that dies takes papermill down before it writes the notebook; saving
            # at every cell keeps the evidence (about 25 ms a run). The warm engine saves its own.
            request_save_on_cell_execute=engine_name is None,
            shutdown_kernel="immediate",
            # The kernel's own start-up warnings (plain TCP on localhost) are not for staff;
            # its errors still show.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
    except PapermillExecutionError as exc:
        # A Pressroom error's message is written for staff: keep all of it (diagnostics).
        error = f"{exc.ename}: {_ANSI.sub('', exc.evalue or '').strip()}"
    except Exception as exc:  # a dead kernel, a timeout, a kernel that never started
        error = f"{type(exc).__name__}: {_first_line(str(exc))}"
    if error is not None:
        # Counted in the executed notebook as kept (papermill puts an error banner on top).
        cell = _failed_cell(executed)
    if not executed.is_file():  # papermill could not even write it: keep the input instead
        shutil.copyfile(notebook_path(site), executed)
    run.outputs = outputs_of_run(site, statement_id, run.run_id)
    if error is None and not run.outputs:
        error = "the notebook finished without writing a manifest"
    if error is not None:
        run.fail(error, cell=cell)
        where = f" in {cell_name(cell, _cell_source(executed, cell))}" if cell is not None else ""
        raise NotebookError(
            f"Publishing {statement_id} failed{where}: {error}\n"
            f"The executed notebook is kept at {executed}; `pressroom log {statement_id} "
            f"--failed` shows the run.", cell=cell, notebook=str(executed))
    run.succeed()
    manifest = _manifest_of_run(site, statement_id, run.run_id)
    public = bool(manifest.get("public"))
    return RunResult(run.run_id, "succeeded", run.outputs, executed,
                     public=public, version=manifest.get("version"),
                     why=manifest.get("why") or "",
                     archive=refresh_archive(site) if public else "")


def refresh_archive(site: Site) -> str:
    from .archive import refresh

    return refresh(site)


def _rel(site: Site, path: Path) -> str:
    """Ledger paths are relative to the site root (output/, drafts/ and runs/ named as such
    even when they are links), so a moved site keeps its history."""
    return site_relative(site.root, Path(path)).as_posix()


def _failed_cell(executed: Path) -> int | None:
    """The index of the cell that failed, or was running when the kernel died or timed out:
    papermill marks a failed cell, and otherwise the last cell it started is the one."""
    if not executed.is_file():
        return None
    cells = json.loads(executed.read_text(encoding="utf-8")).get("cells", [])
    meta = [c.get("metadata", {}).get("papermill", {}) for c in cells]
    for index, m in enumerate(meta):
        if m.get("status") == "failed" or m.get("exception"):
            return index
    started = [i for i, m in enumerate(meta) if m.get("start_time")]
    return started[-1] if started else None


def _cell_source(executed: Path, index: int) -> str:
    return "".join(json.loads(executed.read_text(encoding="utf-8"))["cells"][index]
                   .get("source", ""))


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def _has_kernel(name: str) -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
        return True
    except NoSuchKernel:
        return False
