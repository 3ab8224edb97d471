"""`pressroom build --scheduler`: a real Dask scheduler and workers on 127.0.0.1, whose workers
cannot see the site's folder (a mount namespace with an empty file system over it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from pressroom.build import build
from pressroom.site import load_site
from test_build import files, make_archive, without_runs, written_by

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dask")]

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


@pytest.fixture
def cluster(tmp_path):
    """A scheduler, and two workers that see an empty file system where the tests' sites
    are (so a worker reading the site's disk fails the test)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.fail("the cluster test needs root and unshare(1) to hide the site from workers")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "DASK_DISTRIBUTED__WORKER__DAEMON":
           "False"}
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with open(logs / "scheduler.log", "wb") as log:
        scheduler = subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"], env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_for(port)
    hidden = tmp_path / "sites"
    hidden.mkdir()
    worker = (f"mount -t tmpfs empty {hidden} && exec {BIN / 'dask'} worker "
              f"tcp://127.0.0.1:{port} --host 127.0.0.1 --nworkers 2 --nthreads 1 "
              "--no-dashboard --memory-limit 0")
    with open(logs / "workers.log", "wb") as log:
        workers = subprocess.Popen(["unshare", "-m", "sh", "-c", worker], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    from distributed import Client

    with Client(f"tcp://127.0.0.1:{port}", timeout=60) as client:
        client.wait_for_workers(2, timeout=120)
        # The workers' view: the folder of the sites is empty there.
        seen = client.run(lambda: sorted(os.listdir(str(hidden))))
    assert all(v == [] for v in seen.values()), seen
    try:
        yield f"tcp://127.0.0.1:{port}", hidden
    finally:
        for proc in (workers, scheduler):
            proc.terminate()
        for proc in (workers, scheduler):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_a_build_on_a_cluster_gives_the_bytes_of_a_local_build(cluster, tmp_path):
    address, hidden = cluster
    remote = hidden / "remote"
    ids = make_archive(remote, 7, with_arf={2})
    assert sorted(os.listdir(hidden)) == ["remote"]  # visible here, hidden from the workers
    report = build(load_site(remote), scheduler=address)
    assert report.failures == [] and report.rendered == len(ids)
    here = f"{os.uname().nodename}:{os.getpid()}"
    assert report.workers and here not in report.workers  # rendered by the workers
    assert written_by(remote, report) == {sid: {"html", "pdf", "docx"} for sid in ids}
    local = tmp_path / "local"
    make_archive(local, 7, with_arf={2})
    build(load_site(local), jobs=2)
    assert without_runs(files(remote)) == without_runs(files(local))
    # Incremental on the cluster too: one template of one format.
    typ = remote / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    again = build(load_site(remote), scheduler=address)
    assert written_by(remote, again) == {sid: {"pdf"} for sid in ids}


def test_a_bad_record_on_a_cluster_is_that_statements_failure(cluster):
    address, hidden = cluster
    root = hidden / "bad"
    ids = make_archive(root, 3, with_arf={1})
    orgs = root / "statements" / "organisations.yaml"
    orgs.write_text(orgs.read_text().replace("arf:\n  name: Asian Resource Foundation (ARF)\n",
                                             ""))
    report = build(load_site(root), scheduler=address)
    assert sorted(f.statement_id for f in report.failures) == sorted([ids[0], ids[2]])
    assert report.rendered == 2


def test_an_unreachable_scheduler_is_a_plain_message(tmp_path):
    from click.testing import CliRunner

    from pressroom.cli import cli

    root = tmp_path / "site"
    make_archive(root, 1)
    # The port stays bound (and not listening) for the whole test: a port only
    # picked as free could be taken by another test's scheduler meanwhile.
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        done = CliRunner().invoke(cli, ["-C", str(root), "build", "--scheduler",
                                        f"tcp://127.0.0.1:{port}"])
    assert done.exit_code == 1, done.output
    assert "Cannot reach the Dask scheduler" in done.output and "dask worker" in done.output
