"""Run a function as another login: the suite runs as root, and root writes into read-only
folders, so permission cases drop to an unprivileged uid first.

The child is a new interpreter started as root that loads everything a publication and the
command line use (the interpreter's own library lies under root's home, which the test
logins cannot read), then gives up root for good, and only then calls the function. It is
a new process, not a fork: a fork of a process whose typst compiler has started its threads
would hang at the first compile.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Numbers no login of this machine uses; groups need no entry in /etc/group.
ALICE, BOB = 61001, 61002
SHARED_GROUP, OTHER_GROUP = 62001, 62002
TESTS = Path(__file__).resolve().parent

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="changing uid needs root")

CHILD = r"""
import os, pickle, sys, tempfile, traceback
from pathlib import Path
sys.path.insert(0, sys.argv[1])
job = pickle.loads(bytes.fromhex(sys.stdin.read()))
# Load (as root) what the work will need: a render of the sample and the command line.
from click.testing import CliRunner
from conftest import SAMPLE_ID, copy_site
from pressroom.cli import cli
from pressroom.publish import render_all
from pressroom.site import load_site
with tempfile.TemporaryDirectory() as tmp:
    site = load_site(copy_site(Path(tmp) / "site"))
    render_all(site.document(site.load(SAMPLE_ID)), site.templates_dir, ("html", "pdf", "docx"))
    CliRunner().invoke(cli, ["-C", str(site.root), "publish", SAMPLE_ID, "--direct"])
    CliRunner().invoke(cli, ["-C", str(site.root), "log"])
# The codec Jinja's compiler reads string literals with: the render above may have loaded
# every template compiled (the user's cache), importing nothing, and this test's Python lives
# where the other login cannot read it.
import encodings.unicode_escape  # noqa: E402,F401
sys.path.insert(0, job["path"])
module = __import__(job["module"])
fn = getattr(module, job["name"])
os.setgroups(job["groups"])
os.setgid(job["gid"])
os.setuid(job["uid"])
os.umask(job["umask"])
try:
    outcome = ("ok", fn(*job["args"]))
except BaseException as exc:
    outcome = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
sys.stdout.flush()
os.write(int(sys.argv[2]), pickle.dumps(outcome))
"""


class ChildFailed(Exception):
    """The function raised in the child; the message carries its traceback."""


def run_as(uid: int, fn: Callable[..., Any], *args: Any, gid: int | None = None,
           groups: tuple[int, ...] = (), umask: int = 0o022, timeout: float = 180) -> Any:
    """`fn(*args)` (a function at the top of a test module) in a child running as `uid`
    (primary group `gid`, else the uid's number), with supplementary `groups` and `umask`;
    its return value, or `ChildFailed`."""
    job = {"module": fn.__module__.rpartition(".")[2], "name": fn.__name__, "args": args,
           "path": str(Path(sys.modules[fn.__module__].__file__).parent), "uid": uid,
           "gid": uid if gid is None else gid, "groups": list(groups), "umask": umask}
    read, write = os.pipe()
    try:
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(TESTS), str(write)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, pass_fds=(write,))
        os.close(write)
        write = -1
        _out, err = proc.communicate(pickle.dumps(job).hex().encode(), timeout=timeout)
        with os.fdopen(read, "rb") as f:
            read = -1
            data = f.read()
    finally:
        for fd in (read, write):
            if fd >= 0:
                os.close(fd)
    if not data:
        raise ChildFailed(f"the child died without a word: {err.decode(errors='replace')}")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise ChildFailed(value)
    return value
