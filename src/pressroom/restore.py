"""Restoring a backup made by `pressroom.backup` into a site, losing nothing there.

`restore_backup(src, root)` checks the backup first (every hash, `PRAGMA integrity_check`)
and refuses a damaged one, saying what is wrong. It then writes each file under a temporary
name and renames it into place; every current file it replaces is first kept in
`ROOT/before-restore-<UTC time>/`, at the same relative path, so nothing there now is lost.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from .backup import (
    CHUNK,
    SIDE_FILES,
    Manifest,
    check_backup,
    free_name,
    fsync_dir,
    sha256_of,
    umask,
    utc_now,
    write_new_file,
)
from .config import CONFIG_NAME
from .errors import BackupError, ConfigError, UsageError
from .site import find_site_root

KEPT_PREFIX = "before-restore-"  # + the UTC time: where replaced files are kept


@dataclass(frozen=True)
class Restored:
    root: Path
    written: tuple[str, ...]  # files restored (new or replaced)
    unchanged: int  # files already as in the backup
    kept: Path | None  # where the files it replaced now are; None when it replaced none
    manifest: Manifest | None = field(repr=False, compare=False, default=None)


# --- restoring --------------------------------------------------------------------------


def restore_root(base: Path) -> Path:
    """Where `restore-backup` run in `base` restores to: the site there (as every command
    finds it), or `base` itself when it is an empty folder holding no site."""
    try:
        return find_site_root(base)
    except ConfigError:
        base = Path(base).resolve()
        if any(base.iterdir()):
            raise UsageError(f"No site at {base} or above it, and the folder is not empty: "
                             "restore into the site's folder (`pressroom -C SITE "
                             "restore-backup ...`) or into an empty folder.") from None
        return base


def restore_backup(src: Path, root: Path, *,
                   clock: Callable[[], datetime] = utc_now) -> Restored:
    """Restore the backup `src` into the site folder `root`, after checking all of it.

    Run it while nobody publishes: a run writing the ledger during a restore would write
    to the ledger being replaced."""
    manifest = check_backup(src)
    root = Path(root).resolve()
    site = manifest.path / "site"
    for rel in manifest.databases:
        _checkpoint(root / rel)  # the current ledger whole in its file, for keeping aside
    plan = []  # (relative path, whether nothing is there now)
    for rel, want in manifest.files.items():
        _refuse_what_is_in_the_way(root, rel)
        target = root / rel
        if not os.path.lexists(target):
            plan.append((rel, True))
        elif (target.is_symlink() or sha256_of(target) != want["sha256"]
              or _sides(target)):
            plan.append((rel, False))  # a link is replaced itself, never written through
    kept = root / f"{KEPT_PREFIX}{clock().astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
    replacing = [rel for rel, new in plan if not new]
    if replacing:
        kept = _free_path(kept)
        kept.mkdir(mode=0o700)
    # pressroom.toml last: a folder restored into becomes a site only once all is there.
    plan.sort(key=lambda item: item[0] == CONFIG_NAME)
    for rel, new in plan:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _copy_to_temp(site / rel, target)
        try:
            if not new:
                _keep(target, kept / rel)
                for side in _sides(target):
                    _keep(side, kept / (rel + side.name[len(target.name):]), move=True)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    fsync_dir(root)
    return Restored(root, tuple(rel for rel, _ in plan),
                    len(manifest.files) - len(plan), kept if replacing else None, manifest)


def _refuse_what_is_in_the_way(root: Path, rel: str) -> None:
    """Refuse, before anything is written, a link where a folder is, a file where a folder
    must be, and a folder where a file must be."""
    here = root
    for part in PurePosixPath(rel).parts[:-1]:
        here = here / part
        if here.is_symlink():
            raise BackupError(f"{here} is a symbolic link; a restore writes nothing through "
                              "one. Replace it with a folder (or restore elsewhere) and run "
                              "again. Nothing was restored.")
        if here.exists() and not here.is_dir():
            raise BackupError(f"{here} is a file where the backup has a folder; move it away "
                              "and run again. Nothing was restored.")
    target = root / rel
    if target.is_dir() and not target.is_symlink():
        raise BackupError(f"{target} is a folder where the backup has a file; move it away "
                          "and run again. Nothing was restored.")


def _checkpoint(path: Path) -> None:
    if not path.is_file() or path.is_symlink():
        return
    try:
        db = sqlite3.connect(path, timeout=30)
        try:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
    except sqlite3.DatabaseError:
        pass  # a damaged ledger is kept aside as it is, -wal and all


def _sides(target: Path) -> list[Path]:
    return [p for p in (target.with_name(target.name + s) for s in SIDE_FILES)
            if os.path.lexists(p) and (p.is_symlink() or p.stat().st_size > 0)]


def _keep(current: Path, kept: Path, move: bool = False) -> None:
    """Keep `current` at `kept`: a hard link (the file stays in place until it is replaced,
    atomically), else a copy; `move` takes it away as well."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    try:
        if move:
            os.rename(current, kept)
            return
        os.link(current, kept, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if current.is_symlink():
            os.symlink(os.readlink(current), kept)
        else:
            write_new_file(kept, current.read_bytes())
        if move:
            current.unlink()



def _copy_to_temp(source: Path, target: Path) -> str:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as f:
            while chunk := f.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o666 & ~umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp



def _free_path(path: Path) -> Path:
    return path.parent / free_name(path.parent, path.name)


