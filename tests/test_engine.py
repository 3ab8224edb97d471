"""The warm papermill engine, against real kernels: same results as a cold run, failures and
crashes isolated, nothing carried from one run to the next, no kernel left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from pressroom.engine import ENGINE_NAME, WarmEngine, run_notebook
from pressroom.errors import NotebookError

pytestmark = pytest.mark.slow

NOTEBOOKS = Path(__file__).resolve().parent / "fixtures" / "notebooks"
SAMPLE = "2022-02-10-kazakhstan-crackdown"


@pytest.fixture(scope="module", autouse=True)
def _stop_warm_kernels():
    yield
    WarmEngine.shutdown()


def run(name: str, cwd: Path, *, warm: bool, output: Path | None = None, **parameters):
    engine = {"engine_name": ENGINE_NAME} if warm else {"shutdown_kernel": "immediate"}
    timeout = parameters.pop("timeout", None)
    return papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"), None if output is None else str(output),
        parameters=parameters, cwd=str(cwd), progress_bar=False, execution_timeout=timeout,
        **engine)


def cells(nb) -> list[tuple]:
    """What a reader sees of each cell: type, source, execution count and outputs."""
    return [(c.cell_type, c.source, c.get("execution_count"), c.get("outputs"))
            for c in nb.cells]


def gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return True
        if "\nState:\tZ" in status:  # exited, waiting to be reaped by its parent
            return True
        time.sleep(0.05)
    return False


def stdout_of(nb, index: int) -> str:
    return "".join(o.get("text", "") for o in nb.cells[index].outputs
                   if o.output_type == "stream")


def test_warm_run_matches_cold_run(tmp_path: Path):
    cold_dir, warm_dir = tmp_path / "cold", tmp_path / "warm"
    cold_dir.mkdir()
    warm_dir.mkdir()
    params = {"statement_id": SAMPLE, "title": "Kazakhstan: end the crackdown ‘now’"}

    cold = run("publish", cold_dir, warm=False, **params)
    # Dirty the warm kernel first: a run that defines names and another that fails.
    run("leaks", tmp_path, warm=True, value="dirt")
    with pytest.raises(PapermillExecutionError):
        run("raises", tmp_path, warm=True, reason="first")
    warm = run("publish", warm_dir, warm=True, **params)

    written = (cold_dir / f"{SAMPLE}.json").read_bytes()
    assert json.loads(written)["title"] == params["title"]
    assert (warm_dir / f"{SAMPLE}.json").read_bytes() == written
    assert cells(warm) == cells(cold)
    counts = [c.execution_count for c in warm.cells if c.cell_type == "code"]
    assert counts == [1, 2, 3, 4, 5, 6, 7, 8]  # parameters, injected parameters, six cells
    assert warm.metadata.language_info == cold.metadata.language_info


def test_twenty_runs_with_a_failure_and_a_crash(tmp_path: Path):
    results: dict[int, object] = {}
    pids: dict[int, int | None] = {}
    for i in range(20):
        folder = tmp_path / f"run{i:02}"
        folder.mkdir()
        output = folder / "executed.ipynb"
        try:
            if i == 6:
                run("raises", folder, warm=True, output=output, reason=f"bad record {i}")
            elif i == 13:
                run("crashes", folder, warm=True, output=output, code=3)
            else:
                run("publish", folder, warm=True, output=output, statement_id=f"s{i}",
                    title=f"Statement number {i}")
            results[i] = "ok"
        except PapermillExecutionError as exc:
            results[i] = exc
        pids[i] = WarmEngine.kernel_pid()

    failing = {6: ("ValueError", "bad record 6"),
               13: ("DeadKernelError", "The kernel died while running this cell")}
    for i in range(20):
        folder = tmp_path / f"run{i:02}"
        if i in failing:
            exc = results[i]
            assert isinstance(exc, PapermillExecutionError), (i, exc)
            # cells: parameters, injected parameters, a good cell, then the failing one
            assert exc.cell_index == 3
            assert exc.ename == failing[i][0] and failing[i][1] in exc.evalue
            assert exc.exec_count == 4 and 'Exception encountered at "In [4]"' in str(exc)
            kept = nbformat.read(folder / "executed.ipynb", as_version=4)
            assert any(o.output_type == "error" and o.ename == failing[i][0]
                       for c in kept.cells if c.cell_type == "code" for o in c.outputs)
        else:
            assert results[i] == "ok", (i, results[i])
            written = json.loads((folder / f"s{i}.json").read_text(encoding="utf-8"))
            assert written["title"] == f"Statement number {i}"

    before_crash = {pids[i] for i in range(13)}
    assert len(before_crash) == 1 and None not in before_crash  # the failure kept its kernel
    assert pids[13] is None  # the crashed kernel was let go at once
    after_crash = {pids[i] for i in range(14, 20)}
    assert len(after_crash) == 1 and after_crash.isdisjoint(before_crash)


def test_nothing_carries_over_between_runs(tmp_path: Path):
    first = run("leaks", tmp_path, warm=True, value="first")
    assert "leftover: none" in stdout_of(first, 2)
    second = run("leaks", tmp_path, warm=True, value="second")
    assert "leftover: none" in stdout_of(second, 2)
    assert cells(second)[3] == cells(first)[3]  # same history length, same execution count

    # A run that changes folder, defines names, then fails...
    with pytest.raises(PapermillExecutionError):
        run("raises", tmp_path, warm=True, reason="moved away")
    # ... leaves neither its names nor its folder to the next run.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    after = run("leaks", elsewhere, warm=True, value="third")
    assert stdout_of(after, 2) == f"leftover: none\ncwd: {elsewhere}\n"


def test_timeout_is_reported_and_next_run_works(tmp_path: Path):
    run("leaks", tmp_path, warm=True, value="warm up")
    stuck_pid = WarmEngine.kernel_pid()
    started = time.monotonic()
    with pytest.raises(PapermillExecutionError) as caught:
        run("sleeps", tmp_path, warm=True, seconds=60, timeout=2)
    assert time.monotonic() - started < 30
    assert caught.value.ename == "CellTimeoutError" and caught.value.cell_index == 2
    assert "time limit of 2 s" in caught.value.evalue
    assert gone(stuck_pid)  # the busy kernel was stopped, not left sleeping

    after = run("leaks", tmp_path, warm=True, value="after")
    assert "leftover: none" in stdout_of(after, 2)
    assert WarmEngine.kernel_pid() not in (None, stuck_pid)


def test_shutdown_stops_the_kernel(tmp_path: Path):
    run("leaks", tmp_path, warm=True, value="x")
    pid = WarmEngine.kernel_pid()
    assert pid is not None and not gone(pid, within=0)
    WarmEngine.shutdown()
    assert WarmEngine.kernel_pid() is None and gone(pid)
    WarmEngine.shutdown()  # twice is harmless


EXITS_WITHOUT_SHUTDOWN = textwrap.dedent("""
    import sys
    from pressroom.engine import WarmEngine, run_notebook
    run_notebook(sys.argv[1], None, {"value": "x"}, warm=True, cwd=sys.argv[2])
    print(WarmEngine.kernel_pid())
""")


def test_no_kernel_left_behind_at_exit(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", EXITS_WITHOUT_SHUTDOWN, str(NOTEBOOKS / "leaks.ipynb"),
         str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[-1])
    assert gone(pid)


def test_run_notebook_names_the_failing_cell(tmp_path: Path):
    output = tmp_path / "executed.ipynb"
    with pytest.raises(NotebookError) as caught:
        run_notebook(NOTEBOOKS / "raises.ipynb", output, {"reason": "no title"}, cwd=tmp_path)
    err = caught.value
    assert err.cell == 3 and err.notebook == str(output)
    # One cell, named once: its index and its code, not also its execution count (In [4]).
    assert "raises.ipynb: cell 3 (`raise ValueError(reason)`) failed: ValueError: no title" \
        in str(err)
    assert "In [" not in str(err)
    assert output.is_file()  # the evidence is kept

    nb = run_notebook(NOTEBOOKS / "publish.ipynb", None, {"statement_id": "w"}, warm=True,
                      cwd=tmp_path)
    assert (tmp_path / "w.json").is_file()
    size = (tmp_path / "w.json").stat().st_size
    assert nb.cells[-1].outputs[0].data["text/plain"] == f"{{'path': 'w.json', 'bytes': {size}}}"
    assert os.getcwd() != str(tmp_path)  # papermill put our own folder back
