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

from .errors import NotebookError, PressroomError
from .ledger import Ledger
from .publish import (
    ALL_FORMATS,
    MANIFEST_NAME,
    input_hashes,
    output_folder,
    package_version,
    publish,
)
from .render.exporters import parse_formats
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


def ledger_for(site: Site) -> Ledger:
    return Ledger(site.runs_dir / "ledger.sqlite")


def notebook_path(site: Site) -> Path:
    """The site's publication notebook, else the one that ships with Pressroom."""
    own = site.root / "notebooks" / NOTEBOOK_NAME
    return own if own.is_file() else Path(__file__).parent / "notebooks" / NOTEBOOK_NAME


def run_publication(
    site: Site,
    statement_id: str,
    formats: str | tuple[str, ...] = ALL_FORMATS,
    *,
    draft: bool = False,
    actor: str = "",
    direct: bool = False,
    engine_name: str | None = None,
    cell_timeout: int = CELL_TIMEOUT,
) -> RunResult:
    """Publish one statement and record the run:

    1. open a ledger row, with the hashes of the record, the templates and the settings;
    2. publish: run the publication notebook through papermill with a real kernel (or, with
       `direct`, call the library without a kernel);
    3. keep the executed notebook under runs/<run id>/, whatever happened;
    4. close the row with the files written, or with the failing cell and the reason.
    """
    chosen = parse_formats(formats)
    # An unknown id is a usage error (with "did you mean"), found before any kernel starts;
    # and an id that is not a plain name never becomes part of a path.
    site.existing_record(statement_id)
    ledger, run_id = open_run(
        site, statement_id, {"statement": statement_id, "formats": ",".join(chosen),
                             "draft": draft},
        actor or "unknown", "direct" if direct else "notebook")
    if direct:
        return _direct(site, ledger, run_id, statement_id, chosen, draft)
    return _notebook(site, ledger, run_id, statement_id, chosen, draft, actor, engine_name,
                     cell_timeout)


def _direct(site, ledger, run_id, statement_id, formats, draft) -> RunResult:
    try:
        published = publish(site, statement_id, formats, preview=draft)
    except BaseException as exc:  # whatever stops it, even Ctrl-C, the row says so
        ledger.finish_run(run_id, status="failed", error=f"{type(exc).__name__}: {exc}"
                          if not isinstance(exc, PressroomError) else str(exc))
        raise
    outputs = tuple((_rel(site, f.path), f.sha256, f.bytes) for f in published.files)
    ledger.finish_run(run_id, status="succeeded", outputs=outputs)
    return RunResult(run_id, "succeeded", outputs, None)


def _notebook(site, ledger, run_id, statement_id, formats, draft, actor, engine_name,
              cell_timeout) -> RunResult:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    run_dir = site.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    executed = run_dir / f"{statement_id}.ipynb"
    manifest = output_folder(site, statement_id, draft) / MANIFEST_NAME
    parameters = {"statement": statement_id, "formats": ",".join(formats), "draft": draft,
                  "actor": actor, "run_id": run_id, "site": str(site.root)}
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
    if error is None and not manifest.is_file():
        error = "the notebook finished without writing a manifest"
    if error is not None:
        ledger.finish_run(run_id, status="failed", error=error, failed_cell=cell,
                          notebook_path=_rel(site, executed))
        where = f" in cell {cell} ({_cell_summary(executed, cell)})" if cell is not None else ""
        raise NotebookError(
            f"Publishing {statement_id} failed{where}: {error}\n"
            f"The executed notebook is kept at {executed}; `pressroom log {statement_id} "
            f"--failed` shows the run.", cell=cell, notebook=str(executed))
    outputs = _outputs_from_manifest(site, manifest)
    ledger.finish_run(run_id, status="succeeded", notebook_path=_rel(site, executed),
                      outputs=outputs)
    return RunResult(run_id, "succeeded", outputs, executed)


def _outputs_from_manifest(site: Site, manifest: Path) -> tuple[tuple[str, str, int], ...]:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    return tuple((_rel(site, manifest.parent / name), o["sha256"], o["bytes"])
                 for name, o in data["outputs"].items())


def _rel(site: Site, path: Path) -> str:
    """Ledger paths are relative to the site root, so a moved site keeps its history."""
    return Path(path).resolve().relative_to(site.root.resolve()).as_posix()


def open_run(site: Site, statement_id: str, parameters: dict, actor: str,
             mode: str) -> tuple[Ledger, str]:
    """Open a run's ledger row with the hashes of what decides its output: the record (None
    if it cannot even be read: still a run to log), the templates, the settings."""
    path = site.record_path(statement_id)
    record = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    hashes = input_hashes(site)
    ledger = ledger_for(site)
    run_id = ledger.start_run(
        statement_id=statement_id, record_sha256=record,
        templates_sha256=hashes["templates"]["sha256"],
        settings_sha256=hashes["settings"]["sha256"], version=package_version(),
        parameters=parameters, actor=actor, mode=mode)
    return ledger, run_id


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


def _cell_summary(executed: Path, index: int) -> str:
    cell = json.loads(executed.read_text(encoding="utf-8"))["cells"][index]
    count = cell.get("execution_count")
    lines = [line for line in "".join(cell.get("source", "")).splitlines()
             if line.strip() and not line.startswith(("from ", "import ", "#"))]
    return f"In [{count if count is not None else ' '}]: {lines[0] if lines else ''}"


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def _has_kernel(name: str) -> bool:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
        return True
    except NoSuchKernel:
        return False
