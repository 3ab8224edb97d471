"""Writing files inside a site: no reader ever sees half of one, and nothing outside the site
is ever written, whatever links are inside it.

The places Pressroom may write are the site's folder and the resolved targets of its
top-level `output/`, `drafts/` and `runs/` (deployments often make those links to a web root
or a backed-up disk). Below them every folder is opened without following links, one
component at a time (`openat` with `O_NOFOLLOW`), and every file goes to a new temporary name
in its folder and is renamed over the old one: a link where a file would go is replaced by a
regular file, never written through, and a link where a folder would be is refused.

Files and folders take the user's umask and the group of the folder they are made in, so a
site shared by several logins stays writable by all of them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path, PurePosixPath

from .errors import PressroomError

# Top-level folders of a site that may be links to a folder elsewhere.
LINKABLE = ("output", "drafts", "runs")
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafePathError(PressroomError):
    """A link (or something else that is not a plain folder) sits where Pressroom writes."""


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over
    `path`. A crash leaves either the old file or the new one, never a mixture. The folder
    is created if missing; `path` itself, if a link, is replaced, not written through."""
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        make_dirs(parent)
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        write_in(fd, path.name, data)
    finally:
        os.close(fd)


def make_dirs(path: Path) -> None:
    """mkdir -p, each new folder with the user's umask and its parent's group."""
    path = Path(path)
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        _adopt_group_of_parent(folder)


def site_relative(root: Path, path: Path) -> PurePosixPath:
    """`path` as the site names it: relative to the site root, with `output/`, `drafts/` and
    `runs/` kept as names even when they are links elsewhere (the ledger keeps these)."""
    root = Path(root)
    path = Path(path)
    for candidate in (root, root.resolve()):
        try:
            return PurePosixPath(path.relative_to(candidate).as_posix())
        except ValueError:
            pass
    resolved = path.resolve() if path.exists() else path.parent.resolve() / path.name
    for top in LINKABLE:
        base = (root / top).resolve()
        try:
            return PurePosixPath(top) / resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    try:
        return PurePosixPath(resolved.relative_to(root.resolve()).as_posix())
    except ValueError:
        raise UnsafePathError(f"{path} is outside the site at {root}; Pressroom writes only "
                              "inside its site.") from None


def _base(root: Path, rel: PurePosixPath) -> tuple[Path, tuple[str, ...]]:
    """Where a write under the site starts (a folder we may trust), and the names below it."""
    parts = rel.parts
    if not parts or rel.is_absolute() or any(p in ("", ".", "..") for p in parts):
        raise UnsafePathError(f"{rel}: not a path inside the site")
    if parts[0] in LINKABLE:
        top = Path(root) / parts[0]
        if not os.path.lexists(top):
            make_dirs(top)
        if not top.is_dir():
            raise UnsafePathError(f"{top} is not a folder: move it away so Pressroom can "
                                  f"make its {parts[0]}/ folder there.")
        return top.resolve(), parts[1:]
    return Path(root).resolve(), parts


@contextmanager
def open_folder(root: Path, rel: PurePosixPath | str, *, create: bool = True
                ) -> Iterator[int]:
    """A file descriptor of the folder `rel` under the site `root`, reached without
    following any link below the trusted base; missing folders are made if `create`."""
    base, names = _base(Path(root), PurePosixPath(rel))
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        walked = base
        for name in names:
            walked = walked / name
            child = _step_into(fd, name, walked, create)
            os.close(fd)
            fd = child
        yield fd
    finally:
        os.close(fd)


def _step_into(fd: int, name: str, shown: Path, create: bool) -> int:
    try:
        return os.open(name, DIR_FLAGS, dir_fd=fd)
    except FileNotFoundError:
        if not create:
            raise
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            what = "a link" if os.path.islink(shown) else "not a folder"
            raise UnsafePathError(
                f"{shown} is {what}; Pressroom writes only into plain folders below the "
                "site's output/, drafts/ and runs/, never through a link. Remove it and "
                "run again.") from None
        raise
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, 0o777, dir_fd=fd)
    child = os.open(name, DIR_FLAGS, dir_fd=fd)
    adopt_group(child, os.fstat(fd))
    return child


def write_in(dir_fd: int, name: str, data: bytes | str) -> None:
    """Write `name` in the open folder `dir_fd` through a temporary name, fsynced, then
    renamed into place: a link or a hard link at `name` is replaced, never written through."""
    tmp = temp_name(name)
    write_new(dir_fd, tmp, data)
    try:
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        _unlink_quietly(dir_fd, tmp)
        raise


def write_new(dir_fd: int, name: str, data: bytes | str,
              folder: os.stat_result | None = None) -> None:
    """Write `name`, which must not exist yet, fsynced (unless deferred): in a folder that no
    one else sees yet (a new set of files being made, swapped in whole), the folder is what
    is made atomic, so the file needs no temporary name of its own; `write_in` writes its
    temporary file with it. `folder`: the folder's stat, if known."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                 0o666, dir_fd=dir_fd)
    try:
        try:
            adopt_group(fd, folder or os.fstat(dir_fd))
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view):]
            if not _deferred.get():
                os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(dir_fd, name)
        raise


def temp_name(name: str) -> str:
    """The temporary name a file is written under before it is renamed to `name`."""
    return f".{name}.{secrets.token_hex(4)}.tmp"


def is_temp_name(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


# A write takes milliseconds: a temporary file this old was left by a process killed while
# it wrote, whichever process that was, and no one will rename it into place.
STALE_TEMPORARY = 600.0


def sweep_temporaries(folder: Path, older_than: float = STALE_TEMPORARY) -> list[str]:
    """Remove the temporary files killed writes left in `folder` (not below it), older than
    `older_than` seconds; their names. Only plain files named as `temp_name` names them."""
    import time

    removed = []
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_temp_name(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and \
                    entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue  # gone already, or not ours to remove: left
    return sorted(removed)


def read_in(dir_fd: int, name: str, limit: int | None = None) -> bytes | None:
    """The bytes of the regular file `name` in `dir_fd`, or None if missing or not a plain
    file (a link is never followed)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK,
                     dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read() if limit is None else f.read(limit)
    finally:
        os.close(fd)


def remove_entry(dir_fd: int, name: str) -> None:
    """Remove `name` from `dir_fd`: a folder with everything in it (links inside are removed,
    never followed), a file, or a link."""
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(name, dir_fd=dir_fd)
    else:
        _unlink_quietly(dir_fd, name)


def fsync_dir(dir_fd: int) -> None:
    # Some file systems refuse fsync on a folder; the rename still stands.
    with contextlib.suppress(OSError):
        os.fsync(dir_fd)


# --- one flush for a whole folder ----------------------------------------------------------

# Set while `one_sync` defers each file's fsync to its one flush at the end.
_deferred: ContextVar[bool] = ContextVar("pressroom_deferred_sync", default=False)


_libc = None


def _libc_function(name: str):
    """A function of the C library (through ctypes), or None where it has none."""
    global _libc
    if _libc is None:
        try:
            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _libc = False
    return getattr(_libc, name, None) if _libc else None


def _syncfs():
    """syncfs(2) (Linux), or None where there is none."""
    return _libc_function("syncfs")


def has_syncfs() -> bool:
    """Whether `one_sync` flushes with one syncfs here (else it fsyncs as it goes)."""
    return _syncfs() is not None


@contextmanager
def one_sync(dir_fd: int) -> Iterator[None]:
    """Files written inside the block (`write_in`) are flushed to disk together, by one
    `syncfs` of the file system `dir_fd` is on, when the block ends without an error; the
    folder's own entries with them. Where there is no syncfs, each file is fsynced as it is
    written and the folder at the end, as outside the block. A statement's folder costs one
    flush instead of six (see README, "Where Pressroom writes, and how")."""
    syncfs = _syncfs()
    if syncfs is None or _deferred.get():
        yield
        if syncfs is None:
            fsync_dir(dir_fd)
        return
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    _shared_flush(dir_fd).flush(syncfs, dir_fd)


class SharedFlush:
    """The syncfs of several threads of one process shared, one file system at a time (a
    group commit): a thread whose files are written needs a flush that *starts* after them.
    One running already may have started before, so the thread waits for it to end and
    then for the next, which flushes for every thread that waited with it. A build's
    writer threads, each finishing a statement's folder, so take one flush for several
    (syncfs flushes the whole file system: each is a journal commit, system time and a
    wait) instead of one each. Flushes never overlap."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._started = 0  # flushes begun
        self._done = 0  # the number of the latest flush that ended without an error
        self._running = False

    def flush(self, syncfs, dir_fd: int) -> None:
        with self._cond:
            needed = self._started + 1  # the next flush to begin covers what is written
            while self._done < needed:
                if not self._running:
                    break
                self._cond.wait()
            else:
                return  # another thread's flush, begun after this one's files, covered them
            self._running = True
            self._started += 1
            mine = self._started
        ok = False
        try:
            if syncfs(dir_fd) != 0:
                err = ctypes.get_errno()
                raise OSError(err, os.strerror(err))
            ok = True
        finally:
            with self._cond:
                self._running = False
                if ok:
                    self._done = mine
                self._cond.notify_all()  # a failed flush: a waiting thread flushes itself


_flushes: dict[int, SharedFlush] = {}
_flushes_lock = threading.Lock()


def _shared_flush(dir_fd: int) -> SharedFlush:
    device = os.fstat(dir_fd).st_dev
    with _flushes_lock:
        return _flushes.setdefault(device, SharedFlush())


# --- swapping a folder in one step ------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(dir_fd: int, a: str, b: str) -> bool:
    """Swap the entries `a` and `b` of `dir_fd` in one step (Linux renameat2 with
    RENAME_EXCHANGE). False where the system or file system cannot do it."""
    renameat2 = _libc_function("renameat2")  # glibc 2.28 and later
    if renameat2 is None:
        return False
    done = renameat2(dir_fd, os.fsencode(a), dir_fd, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), b)


# --- groups -----------------------------------------------------------------------------


def adopt_group(fd: int, parent: os.stat_result) -> None:
    """Give a new file or folder the group of the folder it was made in (as a setgid folder
    would), so that every member of a shared site's group can replace it."""
    # Not a member of that group: the file keeps the user's own.
    with contextlib.suppress(OSError):
        if os.fstat(fd).st_gid != parent.st_gid:
            os.fchown(fd, -1, parent.st_gid)


def _adopt_group_of_parent(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        adopt_group(fd, os.stat(path.parent))
    finally:
        os.close(fd)


def adopt_group_of(path: Path, like: Path) -> None:
    """Give `path` (a file Pressroom made through another library) the group of `like`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return
    try:
        adopt_group(fd, os.stat(like))
    finally:
        os.close(fd)


def _unlink_quietly(dir_fd: int, name: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(name, dir_fd=dir_fd)
