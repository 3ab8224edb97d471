"""Backups of what cannot be made again: the store under runs/, the records, the
organisation directory and pressroom.toml.

`backup(root, dest)` writes one folder, `DEST/pressroom-backup-<UTC time>/`:

    manifest.json                      written last: the format, the time, the Pressroom
                                       version, the store's schema version, and the sha256
                                       and size of every file below
    site/pressroom.toml
    site/statements/<id>.md, site/statements/organisations.yaml
    site/runs/ledger.sqlite            a consistent copy, by SQLite's online backup API
    site/runs/...                      everything else under runs/: executed notebooks,
                                       records that --force replaced

The databases are copied first, in one step each (a read transaction: the WAL lets other
processes go on publishing meanwhile), then the files: a run in the copied ledger has its
notebook in the backup. Everything is built under `DEST/.pressroom-backup-<time>.partial`,
read back and checked, and only then renamed: an interrupted backup keeps the hidden
`.partial` name and no manifest until its last step, and `check_backup` refuses both.

`check_backup(path)` checks a backup (every hash, `PRAGMA integrity_check`, the folder's
name) and says what is wrong with it; `pressroom.restore` restores one that passes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path, PurePosixPath

from .config import CONFIG_NAME
from .errors import BackupError, UsageError
from .ledger import SCHEMA_VERSION

FORMAT = "pressroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PREFIX = "pressroom-backup-"
PARTIAL = ".partial"
LEDGER = "runs/ledger.sqlite"
_SQLITE_MAGIC = b"SQLite format 3\x00"
# Beside a database, SQLite's own files: never copied (the online backup holds their
# content), and moved aside with the database when a restore replaces it.
SIDE_FILES = ("-wal", "-shm", "-journal")
CHUNK = 1 << 20


@dataclass(frozen=True)
class BackupMade:
    path: Path
    files: int
    bytes: int
    runs: int | None  # rows in the copied ledger; None when the site has none yet
    skipped: tuple[str, ...] = ()  # what was not copied, and why
    interrupted: tuple[Path, ...] = ()  # earlier backups in DEST that never finished


@dataclass(frozen=True)
class Manifest:
    path: Path  # the backup folder
    created: str
    pressroom_version: str
    schema_version: int | None
    site: str
    files: dict[str, dict]  # relative path under site/ -> {"sha256", "bytes"}
    databases: tuple[str, ...]


def utc_now() -> datetime:
    return datetime.now(UTC)


def pressroom_version() -> str:
    try:
        return dist_version("pressroom")
    except PackageNotFoundError:
        return "unknown"


# --- making a backup --------------------------------------------------------------------


def backup(root: Path, dest: Path, *, clock: Callable[[], datetime] = utc_now) -> BackupMade:
    """Back up the site at `root` into a new folder inside `dest` (made if missing)."""
    root = Path(root).resolve()
    dest = Path(os.path.abspath(dest))
    for inside in ("runs", "statements"):
        if dest.resolve().is_relative_to(root / inside):
            raise UsageError(f"{dest} is inside the site's {inside}/, which the backup copies; "
                             "back up to another disk (or at least another folder).")
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} is a file; give the folder the backups go into.")
    now = clock()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        name = free_name(dest, PREFIX + now.strftime("%Y%m%dT%H%M%SZ"))
        partial = dest / f".{name}{PARTIAL}"
        partial.mkdir(mode=0o700)  # records may be private or under embargo: the owner's only
    except OSError as exc:
        raise BackupError(f"{dest}: cannot make the backup there ({exc.strerror or exc}): "
                          "choose a folder you may write, on a disk with room.") from exc
    try:
        made = _fill(root, partial, now)
        check_backup(partial, finished=False)  # read back every byte before calling it done
        fsync_dir(partial)
        final = dest / name
        os.rename(partial, final)
        fsync_dir(dest)
    except BaseException:
        _remove_tree(partial)
        raise
    interrupted = tuple(sorted(p for p in dest.iterdir()
                               if p.name.startswith(f".{PREFIX}") and p.name.endswith(PARTIAL)))
    return BackupMade(final, *made, interrupted=interrupted)


def _fill(root: Path, partial: Path, now: datetime) -> tuple[int, int, int | None, tuple]:
    site = partial / "site"
    files: dict[str, dict] = {}
    skipped: list[str] = []
    databases: list[str] = []
    if not (root / CONFIG_NAME).is_file():
        raise BackupError(f"{root / CONFIG_NAME} is missing: is {root} a site?")
    sources = list(_site_files(root, skipped))
    for rel in sources:  # the databases first: see the module's docstring
        if _is_database(root / rel):
            files[rel] = _copy_database(root / rel, site / rel)
            databases.append(rel)
    for rel in sources:
        if rel not in files:
            found = _copy_file(root / rel, site / rel)
            if found is None:
                skipped.append(f"{rel}: changed into something other than a file meanwhile")
            else:
                files[rel] = found
    runs = schema = None
    if LEDGER in databases:
        runs, schema = _ledger_facts(site / LEDGER)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": now.astimezone(UTC).isoformat(timespec="seconds"),
        "pressroom_version": pressroom_version(),
        "schema_version": schema,
        "site": str(root),
        "databases": databases,
        "files": files,
    }
    write_new_file(partial / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return len(files), sum(f["bytes"] for f in files.values()), runs, tuple(skipped)


def _site_files(root: Path, skipped: list[str]) -> Iterator[str]:
    """What a backup holds, as site-relative POSIX paths. No link is followed."""
    yield CONFIG_NAME
    statements = root / "statements"
    if _is_real_dir(statements):
        for entry in sorted(os.scandir(statements), key=lambda e: e.name):
            if entry.name.endswith(".md") or entry.name == "organisations.yaml":
                if entry.is_file(follow_symlinks=False):
                    yield f"statements/{entry.name}"
                else:
                    skipped.append(f"statements/{entry.name}: not a regular file")
    runs = root / "runs"
    if not _is_real_dir(runs):
        return
    databases = set()
    found = []
    for path in sorted(_walk(runs, skipped, root)):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("runs/locks/"):
            continue  # lock files of live runs: meaningless in a copy, and they come and go
        found.append(rel)
        if _is_database(path):
            databases.add(rel)
    for rel in found:
        if not any(rel == db + side for db in databases for side in SIDE_FILES):
            yield rel


def _walk(folder: Path, skipped: list[str], root: Path) -> Iterator[Path]:
    stack = [folder]
    while stack:
        here = stack.pop()
        with os.scandir(here) as it:
            entries = list(it)
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                yield path
            else:
                skipped.append(f"{path.relative_to(root).as_posix()}: a link or special file, "
                               "not followed")


def _copy_database(source: Path, target: Path) -> dict:
    """A consistent copy of a live SQLite database, by its online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    try:
        src = sqlite3.connect(source, timeout=30)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)  # all pages in one step: one snapshot, whatever writers do
                # One self-contained file: no -wal beside it to lose or to mismatch.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BackupError(f"{source}: the database could not be copied: {exc}. It is not "
                          "regenerable: keep the file as it is, and restore it from an "
                          "earlier backup if it is damaged.") from None
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.rename(tmp, target)
    return _describe(target)


def _ledger_facts(path: Path) -> tuple[int | None, int]:
    with _open_read_only(path) as db:
        schema = db.execute("PRAGMA user_version").fetchone()[0]
        try:
            runs = db.execute("SELECT count(*) FROM runs").fetchone()[0]
        except sqlite3.DatabaseError:
            runs = None
    return runs, schema


# --- checking a backup ------------------------------------------------------------------


def check_backup(path: Path, *, finished: bool = True) -> Manifest:
    """The backup's manifest, once every file is there with its hash and every database
    passes `PRAGMA integrity_check`; else `BackupError` naming each problem."""
    path = Path(os.path.abspath(path))
    if not path.is_dir():
        raise BackupError(f"{path} is not a backup: no such folder.")
    if finished and (path.name.endswith(PARTIAL) or path.name.startswith(".")):
        raise BackupError(f"{path} is an interrupted backup: it was never finished, so it "
                          "is not restored. Delete it and use a complete one "
                          f"({PREFIX}<time>).")
    try:
        raw = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise BackupError(f"{path} has no {MANIFEST}: it is not a complete backup (an "
                          "interrupted one, or not a Pressroom backup).") from None
    manifest = _read_manifest(path, raw)
    problems = []
    site = path / "site"
    for rel, want in manifest.files.items():
        problems += _check_file(site, rel, want)
    for rel in _unlisted(site, manifest.files):
        problems.append(f"site/{rel}: not in the manifest")
    for rel in manifest.databases:
        if not any(p.startswith(f"site/{rel}:") for p in problems):
            problems += _check_database(site / rel, rel)
    if manifest.schema_version is not None and manifest.schema_version > SCHEMA_VERSION:
        problems.append(f"the store has schema {manifest.schema_version}, newer than this "
                        f"Pressroom knows ({SCHEMA_VERSION}): upgrade Pressroom first")
    if problems:
        raise BackupError(f"{path} is damaged and cannot be restored "
                          f"({len(problems)} problem{'s' if len(problems) > 1 else ''}):\n"
                          + "\n".join(f"  {p}" for p in problems))
    return manifest


def _read_manifest(path: Path, raw: bytes) -> Manifest:
    def damaged(why: str) -> BackupError:
        return BackupError(f"{path / MANIFEST} is damaged ({why}); the backup cannot be "
                           "checked, so it is not restored.")

    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise damaged(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise damaged("not a Pressroom backup's manifest")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} is a backup of format {data.get('format_version')!r}; this "
                          f"Pressroom reads format {FORMAT_VERSION}: use the Pressroom that "
                          "made it.")
    files, databases = data.get("files"), data.get("databases", [])
    if not isinstance(files, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("sha256"), str)
            and isinstance(v.get("bytes"), int) for v in files.values()):
        raise damaged("its list of files is not as written")
    bad = [rel for rel in files if not _allowed(rel)]
    if bad:
        raise damaged(f"it lists paths a backup never holds: {', '.join(map(repr, bad[:3]))}")
    if not isinstance(databases, list) or not set(databases) <= set(files):
        raise damaged("its list of databases is not as written")
    schema = data.get("schema_version")
    return Manifest(path, str(data.get("created")), str(data.get("pressroom_version")),
                    schema if isinstance(schema, int) else None, str(data.get("site")),
                    files, tuple(databases))


def _allowed(rel: str) -> bool:
    """Only what `backup` writes: nothing absolute, no `..`, nothing outside its folders."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel or "\x00" in rel or not rel:
        return False
    if rel == CONFIG_NAME:
        return True
    if pure.parts[0] == "statements" and len(pure.parts) == 2:
        return pure.suffix == ".md" or pure.name == "organisations.yaml"
    return pure.parts[0] == "runs" and len(pure.parts) > 1


def _check_file(site: Path, rel: str, want: dict) -> list[str]:
    path = site / rel
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return [f"site/{rel}: missing"]
    if not stat.S_ISREG(st.st_mode):
        return [f"site/{rel}: not a regular file"]
    if st.st_size != want["bytes"]:
        return [f"site/{rel}: {st.st_size:,} bytes, the manifest says {want['bytes']:,} "
                "(cut short or changed)"]
    if sha256_of(path) != want["sha256"]:
        return [f"site/{rel}: its content changed since the backup was made (sha256 differs)"]
    return []


def _unlisted(site: Path, files: dict) -> list[str]:
    if not site.is_dir():
        return []
    found = [p.relative_to(site).as_posix() for p in site.rglob("*")
             if p.is_file() or p.is_symlink()]
    return sorted(rel for rel in found if rel not in files)


def _check_database(path: Path, rel: str) -> list[str]:
    try:
        with _open_read_only(path) as db:
            rows = [r[0] for r in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [f"site/{rel}: not a readable database ({exc})"]
    if rows != ["ok"]:
        return [f"site/{rel}: PRAGMA integrity_check failed: {'; '.join(rows[:5])}"]
    return []


class _open_read_only:
    """A database opened without any write, lock or -wal file: it is a backup's copy."""

    def __init__(self, path: Path):
        uri = Path(path).resolve().as_uri() + "?mode=ro&immutable=1"
        self.db = sqlite3.connect(uri, uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc) -> None:
        self.db.close()


# --- files ------------------------------------------------------------------------------


def _copy_file(source: Path, target: Path) -> dict | None:
    """Copy one file, hashing the bytes as they are copied (not as they are later): the
    manifest says what the backup holds even if the site's file changes meanwhile."""
    try:
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None
        raise BackupError(f"{source}: cannot be read ({exc.strerror}); nothing was backed "
                          "up. Give the backup the right to read the site.") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with open(target, "xb") as out:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
    return {"sha256": digest.hexdigest(), "bytes": size}


def write_new_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _describe(path: Path) -> dict:
    return {"sha256": sha256_of(path), "bytes": path.stat().st_size}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_database(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False  # never open a pipe or follow a link to find out
        with open(path, "rb") as f:
            return f.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def _is_real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def free_name(dest: Path, name: str) -> str:
    candidate, n = name, 1
    while os.path.lexists(dest / candidate) or os.path.lexists(dest / f".{candidate}{PARTIAL}"):
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
