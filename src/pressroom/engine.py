"""A warm papermill engine: one live kernel runs successive notebooks.

Starting a kernel costs about 0.6 s, running a short publication notebook in a live one about
0.15 s. `WarmEngine` (papermill engine `pressroom_warm`) keeps one kernel per kernel name and
hands it to papermill's notebook client, which neither starts nor shuts down a kernel it was
given. Before each run the kernel is made to look freshly started: namespace and execution
count reset, working directory, `sys.path`, environment and warning filters restored. Modules
stay imported: that is the saving, and the one difference from a cold run (edit the library,
then call `WarmEngine.shutdown()` to load the new code).

After an exception in a cell the kernel stays in use. After a crash (the kernel died) or a
timeout the kernel is stopped at once and a new one starts for the next run; the run fails
like any other, with papermill's `PapermillExecutionError` naming the cell.

Cold runs (`pressroom publish`, comparisons) use papermill's default engine with
`shutdown_kernel="immediate"`: the default graceful shutdown sometimes stalls for 3 s.

papermill imports this module while its own import is half done (it loads its engines'
entry points then), and this module needs papermill's classes. So nothing papermill is
imported at module level: `WarmEngine` is built on first access (PEP 562 `__getattr__`),
which works whether papermill or this module is imported first.
"""

from __future__ import annotations

import atexit
import inspect
import os
import threading
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from .errors import NotebookError, cell_name

ENGINE_NAME = "pressroom_warm"

# The kernel-side helpers below are sent to the kernel as source and run there, in a module
# of their own, so they never appear in the notebook's namespace.


def _kernel_capture() -> None:  # pragma: no cover - runs inside the kernel
    """Inside a new kernel: remember what a freshly started kernel looks like."""
    import os
    import sys
    import warnings

    global BASELINE
    BASELINE = {
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "environ": dict(os.environ),
        "filters": list(warnings.filters),
    }


def _kernel_prepare(cwd: str) -> None:  # pragma: no cover - runs inside the kernel
    """Inside the kernel, before each run: back to the state `_kernel_capture` saw."""
    import gc
    import os
    import sys
    import warnings

    from IPython import get_ipython

    # reset() ends with a full gc.collect() (about 25 ms, in the display hook's flush); the
    # generational collector frees the last run's cycles soon enough, so skip that one call.
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        get_ipython().reset(new_session=True)  # a new session restarts the execution count
    finally:
        gc.collect = collect
    os.chdir(cwd)
    # A kernel puts its start folder on sys.path; a cold kernel would have had `cwd`.
    sys.path[:] = [cwd if p == BASELINE["cwd"] else p for p in BASELINE["path"]]
    if os.environ != BASELINE["environ"]:
        os.environ.clear()
        os.environ.update(BASELINE["environ"])
    warnings.filters[:] = BASELINE["filters"]
    # Forget which warnings were already shown once per location.
    getattr(warnings, "_filters_mutated", lambda: None)()
    warnings.onceregistry.clear()


def _helper_source() -> str:
    return "\n\n".join(inspect.getsource(f) for f in (_kernel_capture, _kernel_prepare))


_INSTALL = """\
import sys as _s, types as _t
_m = _t.ModuleType("_pressroom_warm")
exec({source!r}, _m.__dict__)
_m._kernel_capture()
_s.modules["_pressroom_warm"] = _m
del _s, _t, _m
"""


class KernelLost(Exception):
    """The warm kernel died or stopped answering; it is replaced before the next run."""


class _WarmKernel:
    """One live kernel and its client, kept between runs."""

    def __init__(self, kernel_name: str, start_timeout: float):
        self.kernel_name = kernel_name
        self.timeout = start_timeout
        self.km = AsyncKernelManager(kernel_name=kernel_name)
        self.kc: Any = None
        self.language_info: dict[str, Any] = {}
        try:
            run_sync(self._start)()
        except BaseException:
            self.stop()
            raise

    async def _start(self) -> None:
        # In-memory history, as nbclient gives a cold kernel: no sqlite file to share.
        await self.km.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=self.timeout)
        self.kc.allow_stdin = False
        reply = await self._request(self.kc.kernel_info())
        self.language_info = reply["content"]["language_info"]
        await self._run_quietly(_INSTALL.format(source=_helper_source()))

    def prepare(self, cwd: str) -> None:
        """Make the kernel look freshly started in `cwd`, or raise KernelLost."""
        run_sync(self._run_quietly)(f"__import__('_pressroom_warm')._kernel_prepare({cwd!r})")

    async def _run_quietly(self, code: str) -> None:
        # silent, no history: the execution count does not move and nothing is displayed.
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        reply = await self._request(msg_id)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise KernelLost(f"{content.get('ename')}: {content.get('evalue')}")

    async def _request(self, msg_id: str) -> dict[str, Any]:
        """The shell reply to `msg_id`, after its output has gone quiet on iopub."""
        try:
            while True:
                reply = await self.kc.get_shell_msg(timeout=self.timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            # Drain this request's iopub messages so the notebook client starts clean.
            while True:
                msg = await self.kc.get_iopub_msg(timeout=self.timeout)
                if (msg["parent_header"].get("msg_id") == msg_id
                        and msg["msg_type"] == "status"
                        and msg["content"]["execution_state"] == "idle"):
                    return reply
        except Exception as exc:  # queue.Empty on timeout, or a closed channel
            raise KernelLost(f"the kernel did not answer in {self.timeout} s") from exc

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def stop(self) -> None:
        """Stop the kernel now (no graceful shutdown: it is idle or already lost)."""
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            run_sync(self._stop)()
        except Exception:
            # Last resort: never leave a kernel process behind.
            process = getattr(self.km.provisioner, "process", None)
            if process is not None and process.poll() is None:
                process.kill()

    async def _stop(self) -> None:
        if await self.km.is_alive():
            await self.km.shutdown_kernel(now=True)
        await self.km.cleanup_resources()


class _WarmClientMixin:
    """papermill's notebook client on a kernel it was given; a lost kernel fails the cell."""

    def __init__(self, nb_man, kernel: _WarmKernel, **kw):
        super().__init__(nb_man, km=kernel.km, **kw)
        self.kc = kernel.kc  # nbclient makes a client only when none is set
        self.warm = kernel
        self.lost: str | None = None

    def papermill_execute_cells(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            try:
                self.nb_man.cell_start(cell, index)
                self.execute_cell(cell, index)
            except CellExecutionError as ex:
                self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                break
            except (DeadKernelError, CellTimeoutError) as ex:
                self.lost = self._fail_cell(cell, index, ex)
                break
            finally:
                self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)

    def _fail_cell(self, cell, index: int, ex: Exception) -> str:
        """Write the loss into the cell as an error output, as a cell exception would be,
        so papermill raises its execution error naming this cell and saves the notebook."""
        if isinstance(ex, DeadKernelError):
            evalue = "The kernel died while running this cell; the next run starts a new one."
        else:
            evalue = (f"The cell ran past the time limit of {self.timeout} s and was stopped; "
                      "the next run starts a new kernel.")
        if cell.get("execution_count") is None:
            # The kernel can die before it reports the cell's number: it is the next one.
            cell.execution_count = 1 + sum(
                1 for c in self.nb.cells[:index]
                if c.cell_type == "code" and c.get("execution_count") is not None)
        cell.outputs.append(nbformat.v4.new_output(
            "error", ename=type(ex).__name__, evalue=evalue, traceback=[evalue]))
        self.nb_man.cell_exception(cell, cell_index=index, exception=ex)
        return evalue

    def execute(self, **kwargs):
        self.reset_execution_trackers()
        with self.setup_kernel(**kwargs):  # given a kernel: starts and stops nothing
            self.papermill_execute_cells()
            self.nb.metadata["language_info"] = self.warm.language_info
            self.set_widgets_metadata()
        return self.nb


class _WarmEngineMixin:
    """papermill engine `pressroom_warm`: successive notebooks in one live kernel."""

    _kernels: dict[str, _WarmKernel] = {}  # noqa: RUF012 - one pool per process, by design
    _lock = threading.Lock()
    _atexit_registered = False

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        from papermill.log import logger
        from papermill.utils import merge_kwargs, remove_args

        # The same arguments, named the same way, as papermill's NBClientEngine.
        kwargs = remove_args(["input_path"], **kwargs)
        safe_kwargs = remove_args(["timeout", "startup_timeout", "shutdown_kernel"], **kwargs)
        final_kwargs = merge_kwargs(
            safe_kwargs,
            timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        with cls._lock:  # one kernel runs one notebook at a time
            kernel = cls._ready_kernel(kernel_name, start_timeout, os.getcwd())
            client = _WarmClient(nb_man, kernel, **final_kwargs)  # noqa: F821 - built lazily
            try:
                nb = client.execute()
            except BaseException:
                cls._discard(kernel_name)  # state unknown: never reuse it
                raise
            if client.lost is not None:
                cls._discard(kernel_name)
            return nb

    @classmethod
    def _ready_kernel(cls, kernel_name: str, start_timeout: float, cwd: str) -> _WarmKernel:
        kernel = cls._kernels.get(kernel_name)
        if kernel is not None:
            try:
                if not kernel.alive():
                    raise KernelLost("the kernel is no longer running")
                kernel.prepare(cwd)
                return kernel
            except KernelLost:
                cls._discard(kernel_name)
        kernel = _WarmKernel(kernel_name, start_timeout)
        cls._kernels[kernel_name] = kernel
        if not cls._atexit_registered:
            atexit.register(cls.shutdown)
            cls._atexit_registered = True
        kernel.prepare(cwd)  # a new kernel started in our cwd; this sets sys.path alike
        return kernel

    @classmethod
    def _discard(cls, kernel_name: str) -> None:
        kernel = cls._kernels.pop(kernel_name, None)
        if kernel is not None:
            kernel.stop()

    @classmethod
    def shutdown(cls) -> None:
        """Stop every warm kernel of this process. Safe to call twice."""
        for name in list(cls._kernels):
            cls._discard(name)

    @classmethod
    def kernel_pid(cls, kernel_name: str = "python3") -> int | None:
        """The process id of the live kernel, if any (to check that it is reused)."""
        kernel = cls._kernels.get(kernel_name)
        process = getattr(kernel.km.provisioner, "process", None) if kernel else None
        return None if process is None else process.pid


def _build_engine() -> None:
    """Define `WarmEngine` and its notebook client on papermill's classes (see the module
    docstring). Re-entered once when this call is what imports papermill: the inner call
    defines them and the outer one keeps those, so there is only one WarmEngine."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    if "WarmEngine" in globals():
        return

    class _WarmClient(_WarmClientMixin, PapermillNotebookClient):
        __doc__ = _WarmClientMixin.__doc__

    class WarmEngine(_WarmEngineMixin, NBClientEngine):
        __doc__ = _WarmEngineMixin.__doc__

    for cls in (_WarmClient, WarmEngine):
        cls.__qualname__ = cls.__name__
    globals().update(_WarmClient=_WarmClient, WarmEngine=WarmEngine)


def __getattr__(name: str) -> Any:
    if name in ("WarmEngine", "_WarmClient"):
        _build_engine()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_notebook(
    input_path: Path,
    output_path: Path | None,
    parameters: dict[str, Any] | None = None,
    *,
    warm: bool = False,
    cwd: Path | None = None,
    timeout: float | None = None,
    kernel_name: str | None = None,
) -> nbformat.NotebookNode:
    """Run a parameterised notebook with papermill; a failure becomes a NotebookError.

    Cold (the default) starts a kernel for this run and stops it at once after; warm uses
    `WarmEngine`. The executed notebook is written to `output_path` either way, failed or
    not, and the error names the failing cell (0-based, as papermill counts)."""
    from papermill import execute_notebook
    from papermill.exceptions import PapermillExecutionError

    engine = {"engine_name": ENGINE_NAME} if warm else {"shutdown_kernel": "immediate"}
    try:
        return execute_notebook(
            str(input_path), None if output_path is None else str(output_path),
            parameters=parameters or {}, cwd=None if cwd is None else str(cwd),
            progress_bar=False, execution_timeout=timeout, kernel_name=kernel_name, **engine)
    except PapermillExecutionError as exc:
        kept = f" The executed notebook is kept at {output_path}." if output_path else ""
        raise NotebookError(
            f"{input_path}: {cell_name(exc.cell_index, exc.source or '')} failed: "
            f"{exc.ename}: {exc.evalue}.{kept}",
            cell=exc.cell_index, notebook=None if output_path is None else str(output_path),
        ) from exc
    except (DeadKernelError, CellTimeoutError) as exc:  # cold runs raise these as they come
        kept = f" The executed notebook is kept at {output_path}." if output_path else ""
        raise NotebookError(f"{input_path}: {type(exc).__name__}: {exc}.{kept}",
                            notebook=None if output_path is None else str(output_path)) from exc
