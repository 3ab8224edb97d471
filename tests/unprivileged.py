"""Run a function as another login, in a forked child: the suite runs as root, and root writes
into read-only folders, so permission cases drop to an unprivileged uid first.

The interpreter is already loaded when the child forks, so nothing on disk needs to be
readable by that uid. The child's result (or its exception) comes back through a pipe.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable
from typing import Any

import pytest

# Numbers no login of this machine uses; groups need no entry in /etc/group.
ALICE, BOB = 61001, 61002
SHARED_GROUP, OTHER_GROUP = 62001, 62002

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="changing uid needs root")


class ChildFailed(Exception):
    """The function raised in the child; the message carries its traceback."""


def run_as(uid: int, fn: Callable[..., Any], *args: Any, gid: int | None = None,
           groups: tuple[int, ...] = (), umask: int = 0o022, timeout: float = 120) -> Any:
    """`fn(*args)` in a child running as `uid` (primary group `gid`, else the uid's number),
    with supplementary `groups` and `umask`; its return value, or `ChildFailed`."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            os.setgroups(list(groups))
            os.setgid(uid if gid is None else gid)
            os.setuid(uid)
            os.umask(umask)
            outcome = ("ok", fn(*args))
        except BaseException as exc:
            outcome = ("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:
            data = pickle.dumps(("error", f"unpicklable result: {exc}"))
        with os.fdopen(write, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    if not data:
        raise ChildFailed("the child died without a word")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise ChildFailed(value)
    return value
