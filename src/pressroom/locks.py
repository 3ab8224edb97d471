"""Locks under runs/locks/: one publication of a statement at a time, and a run's own lock.

Both are `flock` locks on small files. The kernel drops a lock when its holder dies however
it dies (a kill, a crash, a closed notebook), so "is it still running" never depends on
process ids, which repeat and which kernels under JupyterHub do not share.

- A statement lock (`statement-<id>.lock`) is held, exclusively, by whichever process
  writes that statement's folders, for the whole publication. A second one is told who holds
  it, or waits with `wait`.
- A run lock (`run-<run id>.lock`) is held, shared, by every process taking part in a run
  (the command, and the kernel that runs its notebook) for the run's whole life. A running
  ledger row whose run lock is free belongs to a run that died: the ledger closes it as
  interrupted.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import PressroomError
from .fileio import adopt_group, open_folder, site_relative

LOCKS = "locks"


class LockedError(PressroomError):
    """Another process holds the lock; the message says who, and what to do."""


@dataclass
class Lock:
    path: Path
    fd: int | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def release(self, remove: bool = False) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            if remove:
                # Unlinked while still locked, so nobody can take the old file's lock after us
                # believing it is the live one.
                with contextlib.suppress(OSError):
                    self.path.unlink()
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def locks_dir(runs_dir: Path) -> Path:
    return Path(runs_dir) / LOCKS


def _open_lock_file(runs_dir: Path, name: str) -> tuple[int, Path]:
    """The lock file's descriptor, made (mode from the umask, group from the folder) if
    missing, opened without following a link."""
    runs_dir = Path(runs_dir)
    root = runs_dir.parent
    with open_folder(root, site_relative(root, runs_dir) / LOCKS) as dir_fd:
        fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666,
                     dir_fd=dir_fd)
        adopt_group(fd, os.fstat(dir_fd))
    return fd, runs_dir / LOCKS / name


def _try_flock(fd: int, mode: int) -> bool:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return False
        raise


def _same_file(fd: int, path: Path) -> bool:
    """Whether the open lock file is still the one at `path` (not unlinked by its last
    holder while we waited)."""
    try:
        return os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
    except OSError:
        return False


# --- statement locks --------------------------------------------------------------------

_held: dict[tuple[str, str], Lock] = {}  # (runs dir, statement id) -> lock held here


def _take(runs_dir: Path, name: str, holder: dict | None, wait: bool | float
          ) -> Lock | str:
    """Take the exclusive lock file `name` (waiting with `wait`, up to `wait` seconds when a
    number) and write who holds it into it; else the description of its holder."""
    deadline = None if wait is True else time.monotonic() + float(wait or 0)
    while True:
        fd, path = _open_lock_file(runs_dir, name)
        if _try_flock(fd, fcntl.LOCK_EX) or (wait and _wait_flock(fd, deadline)):
            if not _same_file(fd, path):  # removed by its last holder meanwhile: again
                os.close(fd)
                continue
            info = json.dumps({"pid": os.getpid(), "started": time.time(),
                               **(holder or {})}).encode("utf-8")
            # Written over, then cut to its length: emptied first, the file's block would be
            # freed and taken again each time (a build takes a lock a statement).
            os.pwrite(fd, info, 0)
            os.ftruncate(fd, len(info))
            return Lock(path, fd)
        who = _describe_holder(fd)
        os.close(fd)
        return who


def statement_lock(runs_dir: Path, statement_id: str, *, holder: dict | None = None,
                   wait: bool | float = False) -> Lock:
    """Take the publication lock of `statement_id` (held until `release`). If another
    process holds it: `LockedError` naming the holder, or, with `wait`, wait for it (up to
    `wait` seconds when it is a number)."""
    taken = _take(runs_dir, f"statement-{statement_id}.lock", holder, wait)
    if isinstance(taken, str):
        raise LockedError(
            f"Another publication of {statement_id} is running{taken}. Only one at a time may "
            f"write a statement's files: wait for it to finish, or run again with --wait.")
    _held[(str(Path(runs_dir).resolve()), statement_id)] = taken
    return taken


def build_lock(runs_dir: Path, *, holder: dict | None = None, wait: bool | float = False
               ) -> Lock:
    """One build of a site at a time: a second waits (with `wait`) or is refused, naming
    the build that holds it. A context manager: released when the build ends."""
    taken = _take(runs_dir, "build.lock", holder, wait)
    if isinstance(taken, str):
        raise LockedError(f"Another build of this site is running{taken}. One build at a "
                          "time writes the archive: wait for it to finish, or run again "
                          "with --wait.")
    return taken


def _wait_flock(fd: int, deadline: float | None) -> bool:
    while deadline is None or time.monotonic() < deadline:
        if _try_flock(fd, fcntl.LOCK_EX):
            return True
        time.sleep(0.05)
    return False


def holding_statement(runs_dir: Path, statement_id: str) -> bool:
    """Whether this process holds the statement's publication lock."""
    lock = _held.get((str(Path(runs_dir).resolve()), statement_id))
    return lock is not None and lock.held


def release_statement(runs_dir: Path, statement_id: str) -> None:
    lock = _held.pop((str(Path(runs_dir).resolve()), statement_id), None)
    if lock is not None:
        lock.release()


def _describe_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
    except (OSError, ValueError):
        return ""
    parts = []
    if info.get("run"):
        parts.append(f"run {info['run']}")
    if info.get("build"):
        parts.append(f"build {info['build']}")
    if info.get("actor"):
        parts.append(f"by {info['actor']}")
    if isinstance(info.get("started"), int | float):
        parts.append("started " + time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                                time.gmtime(info["started"])))
    return f" ({', '.join(parts)})" if parts else ""


# --- run locks --------------------------------------------------------------------------


def run_lock(runs_dir: Path, run_id: str) -> Lock:
    """Join run `run_id`: a shared lock held for as long as this process takes part."""
    fd, path = _open_lock_file(runs_dir, f"run-{run_id}.lock")
    fcntl.flock(fd, fcntl.LOCK_SH)  # shared: never waits on a live run's other processes
    return Lock(path, fd)


def run_is_dead(runs_dir: Path, run_id: str) -> Lock | None:
    """If no process holds run `run_id`'s lock, that lock, now held exclusively by us (so
    the run cannot be joined while we close it); else None."""
    path = locks_dir(runs_dir) / f"run-{run_id}.lock"
    try:
        # Read-only is enough for flock, and all a login that may only read can open.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return Lock(path, None)  # never made, or removed by a run that finished: not alive
    if _try_flock(fd, fcntl.LOCK_EX):
        return Lock(path, fd)
    os.close(fd)
    return None


# --- the archive's lock -----------------------------------------------------------------

ARCHIVE_LOCK = "archive.lock"
_archive_held: dict[str, int] = {}  # runs dir -> how deep this process holds it


@contextlib.contextmanager
def archive_lock(runs_dir: Path, wait: bool | float = 120):
    """The lock of the archive's own pages (index, feed, sitemap, search, redirects), held
    exclusively by whoever brings them up to date; this process may take it again inside
    (a publish holding it calls `update_archive`, which takes it too). Another holder:
    wait for it (up to `wait` seconds; False: `LockedError` at once)."""
    key = str(Path(runs_dir).resolve())
    if _archive_held.get(key):
        _archive_held[key] += 1
        try:
            yield
        finally:
            _archive_held[key] -= 1
        return
    deadline = None if wait is True else time.monotonic() + float(wait or 0)
    fd, _path = _open_lock_file(runs_dir, ARCHIVE_LOCK)
    try:
        if not (_try_flock(fd, fcntl.LOCK_EX) or (wait and _wait_flock(fd, deadline))):
            raise LockedError("Another process is updating the archive's pages; wait for it "
                              "to finish and run again.")
        _archive_held[key] = 1
        try:
            yield
        finally:
            _archive_held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
