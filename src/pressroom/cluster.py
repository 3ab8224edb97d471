"""A build's rendering on a Dask distributed cluster (`pressroom build --scheduler ADDR`).

Dask's own scheduler and workers (`dask scheduler`, `dask worker ADDR`), never one of our
own. Workers render and return bytes; the coordinator writes, so workers need no shared disk
and no access to the site: the site's settings, organisations and templates go to every
worker once (`scatter(..., broadcast=True)`), each record version inside its task.

Every task has an explicit key: Dask treats calls with the same arguments as one task
otherwise. A bad record is not an exception (the task returns its error), so a task that
raises is a worker's fault: resubmitted once under a new key when Dask reports the worker
lost; anything else is that statement's failure.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import PressroomError

MAX_IN_FLIGHT_PER_THREAD = 4  # enough to keep workers busy, little enough to bound memory
TRANSIENT = ("KilledWorker", "CommClosedError", "StreamClosedError", "FutureCancelledError")


def results_on_cluster(address: str, site_bytes, jobs: list, build_id: str,
                       connect_timeout: float = 20, via: str = "direct") -> Iterator:
    from distributed import Client, as_completed

    from .build import Rendered, render_job

    try:
        client = Client(address, timeout=connect_timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise PressroomError(f"Cannot reach the Dask scheduler at {address}: {exc}. Start one "
                             "with `dask scheduler` and workers with `dask worker "
                             f"{address}`.") from exc
    try:
        threads = sum(client.nthreads().values())
        if not threads:
            client.wait_for_workers(1, timeout=connect_timeout)
            threads = sum(client.nthreads().values()) or 1
        shared = client.scatter(site_bytes, broadcast=True, hash=False)
        pending = iter(enumerate(jobs))
        attempts: dict[str, int] = {}
        by_future: dict = {}

        def submit(index: int, job, attempt: int = 0):
            key = f"pressroom-render-{build_id}-{index}-{attempt}"
            future = client.submit(render_job, shared, job, None, None, via, key=key,
                                   pure=False, retries=0)
            by_future[future.key] = (index, job)
            attempts[future.key] = attempt
            return future

        flow = as_completed(loop=client.loop)
        for index, job in pending:
            flow.add(submit(index, job))
            if flow.count() >= threads * MAX_IN_FLIGHT_PER_THREAD:
                break
        for future in flow:
            index, job = by_future.pop(future.key)
            attempt = attempts.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # the task raised: a worker's failure, not the record's
                if type(exc).__name__ in TRANSIENT and attempt == 0:
                    flow.add(submit(index, job, 1))
                    continue
                result = Rendered(job.statement_id, job.version,
                                  error=f"the cluster failed to render it: "
                                        f"{type(exc).__name__}: {exc}")
            future.release()
            yield result
            nxt = next(pending, None)
            if nxt is not None:
                flow.add(submit(*nxt))
    finally:
        client.close()
