"""What every class of the reliability suite shares: a sandbox with a site and things outside
it that must never change, the way an attempt is judged, and the tally of one class.

An attempt is judged by what a person would see: it worked, it stopped with a clear message
(a `PressroomError`, or a command that exits 1 or 2 with a message and no traceback), or it
stopped with a traceback (anything else, or a command's exit 3). After each attempt the
sandbox is checked: every statement folder its manifest describes (no partial or mixed set),
every ledger row ended, nothing outside the site changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from conftest import SAMPLE_ID, copy_site  # noqa: E402

OK, CLEAR, TRACEBACK = "ok", "clear", "traceback"


@dataclass
class Tally:
    """The figures of one class of inputs."""

    name: str
    tried: int = 0
    ok: int = 0
    clear: int = 0
    tracebacks: int = 0
    mixed: int = 0  # statement folders their manifest does not describe, strays left
    unended: int = 0  # ledger rows lost, or left running with nobody running them
    outside: int = 0  # files outside the site created, changed or removed
    wrong: int = 0  # anything else that must not happen (an injection that took effect...)
    worst_s: float = 0.0
    peak_mb: float = 0.0
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: str, seconds: float, what: str = "", detail: str = "") -> None:
        self.tried += 1
        self.worst_s = max(self.worst_s, seconds)
        if outcome == OK:
            self.ok += 1
        elif outcome == CLEAR:
            self.clear += 1
        else:
            self.tracebacks += 1
            self.note(f"traceback: {what}: {detail}")

    def note(self, text: str) -> None:
        if len(self.notes) < 8:
            self.notes.append(text[:400])

    @property
    def failures(self) -> int:
        return self.tracebacks + self.mixed + self.unended + self.outside + self.wrong

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def attempt(fn: Callable[[], Any]) -> tuple[str, str, float]:
    """Call `fn`; (outcome, message, seconds). A PressroomError is a clear stop."""
    from pressroom.errors import PressroomError

    started = time.perf_counter()
    try:
        fn()
        return OK, "", time.perf_counter() - started
    except PressroomError as exc:
        return CLEAR, str(exc).splitlines()[0] if str(exc) else "", time.perf_counter() - started
    except Exception as exc:
        return TRACEBACK, f"{type(exc).__name__}: {exc}", time.perf_counter() - started


def command(args: list[str]) -> tuple[str, str, float]:
    """A `pressroom` command through click's runner: exit 0 ok, 1 or 2 with no traceback
    clear, anything else (exit 3, an escaped exception) a traceback."""
    from click.testing import CliRunner

    from pressroom.cli import cli

    started = time.perf_counter()
    done = CliRunner().invoke(cli, args)
    took = time.perf_counter() - started
    out = done.output or ""
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        return TRACEBACK, f"{type(done.exception).__name__}: {done.exception}", took
    if done.exit_code == 0:
        return OK, out, took
    if done.exit_code in (1, 2) and "Traceback" not in out and "internal error" not in out:
        return CLEAR, out.strip().splitlines()[-1] if out.strip() else "", took
    return TRACEBACK, out.strip()[-400:], took


class Sandbox:
    """A folder holding a site and, beside it, files that must never change."""

    def __init__(self, top: Path):
        self.top = top
        self.site = copy_site(top / "site")
        self.outside = top / "outside"
        self.outside.mkdir()
        (self.outside / "precious.txt").write_text("never written by Pressroom\n")
        (self.outside / "web").mkdir()
        (self.outside / "web" / "index.html").write_text("<p>someone else's page</p>\n")
        # Where a trick may legitimately point output/, drafts/ or runs/: part of the site.
        self.allowed: set[Path] = set()
        self._before = self.snapshot()

    def snapshot(self) -> dict[str, str]:
        """Every file outside the site and its allowed targets, with a hash of its bytes."""
        found = {}
        for folder, dirs, files in os.walk(self.top, followlinks=False):
            here = Path(folder)
            if here == self.site or any(here == a or a in here.parents for a in self.allowed):
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if (here / d) != self.site]
            for name in files:
                path = here / name
                try:
                    info = path.lstat()
                    if path.is_symlink():
                        data = os.readlink(path).encode()
                    elif stat.S_ISREG(info.st_mode):
                        data = path.read_bytes()
                    else:  # a FIFO or a device: never opened (it could block)
                        data = f"<special {stat.S_IFMT(info.st_mode)}>".encode()
                except OSError:
                    data = b"<unreadable>"
                found[str(path.relative_to(self.top))] = hashlib.sha256(data).hexdigest()
        return found

    def rebase(self) -> None:
        """Take what is outside the site now as the state that must not change (after a
        class has written its own inputs there)."""
        self._before = self.snapshot()

    def allow(self, target: Path) -> None:
        self.allowed.add(target)
        self._before = self.snapshot()

    def outside_changes(self) -> list[str]:
        now = self.snapshot()
        changed = [k for k in set(now) | set(self._before) if now.get(k) != self._before.get(k)]
        self._before = now
        return sorted(changed)

    def reset_site(self, adopt: bool = True) -> None:
        shutil.rmtree(self.site)
        self.site = copy_site(self.top / "site", adopt=adopt)


@contextmanager
def sandbox() -> Iterator[Sandbox]:
    top = Path(tempfile.mkdtemp(prefix="pressroom-reliability-"))
    try:
        yield Sandbox(top)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def folder_problems(site_root: Path, strays_allowed: bool = False) -> list[str]:
    """Statement folders their manifest does not describe exactly, and strays of killed runs
    (allowed until the next run of the statement)."""
    problems = []
    for top in ("output", "drafts"):
        base = site_root / top
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            if entry.name.startswith("."):
                if not strays_allowed:
                    problems.append(f"{top}/{entry.name}: a stray of a killed run")
                continue
            if not entry.is_dir() or entry.is_symlink():
                continue
            if top == "output" and not (entry / "manifest.json").exists():
                archive = _archive_files(base)
                inside = [f.relative_to(base).as_posix() for f in entry.rglob("*")
                          if f.is_file()]
                if inside and all(f in archive for f in inside):
                    # The archive's own pages (countries/, topics/, redirects...): whole,
                    # as the archive's manifest lists them.
                    problems.extend(f"output/{f}: not the page the archive wrote"
                                    for f in inside if _sha(base / f) != archive[f])
                    continue
            problems.extend(_set_problems(entry, f"{top}/{entry.name}", strays_allowed))
    return problems


def _archive_files(output: Path) -> dict[str, str]:
    try:
        files = json.loads((output / "archive-manifest.json").read_text()).get("files", {})
    except (OSError, ValueError):
        return {}
    return {k: v.get("sha256") for k, v in files.items() if isinstance(v, dict)}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_problems(folder: Path, shown: str, strays_allowed: bool) -> list[str]:
    names = {p.name for p in folder.iterdir() if p.is_file()}
    temps = {n for n in names if n.startswith(".") and n.endswith(".tmp")}
    problems = [f"{shown}/{n}: a temporary file left" for n in temps if not strays_allowed]
    names -= temps
    if "manifest.json" not in names:
        return [*problems, f"{shown}: files without a manifest"] if names else problems
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except ValueError:
        return [*problems, f"{shown}: an unreadable manifest"]
    ours = {n for n in names if n.startswith(f"{folder.name}.")}
    listed = set(manifest.get("outputs", {}))
    if ours != listed:
        problems.append(f"{shown}: files {sorted(ours)} but the manifest lists {sorted(listed)}")
    for name in ours & listed:
        digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if digest != manifest["outputs"][name]["sha256"]:
            problems.append(f"{shown}/{name}: not the file its manifest describes")
    return problems


def unended_rows(site_root: Path) -> list[str]:
    """Rows still running once nothing runs: opening the ledger closes those of dead runs,
    so any left are rows that never end."""
    from pressroom.ledger import Ledger

    path = site_root / "runs" / "ledger.sqlite"
    if not path.exists():
        return []
    runs = Ledger(path).runs()
    return [f"run {r.id} still {r.status.value}" for r in runs if r.status.value == "running"]


def check_after(box: Sandbox, tally: Tally, what: str, *, strays_allowed: bool = False) -> None:
    """The checks every attempt is followed by, counted in the tally."""
    mixed = folder_problems(box.site, strays_allowed)
    if mixed:
        tally.mixed += 1
        tally.note(f"mixed: {what}: {mixed[0]}")
    outside = box.outside_changes()
    if outside:
        tally.outside += 1
        tally.note(f"outside: {what}: {outside[:3]}")
    try:
        unended = unended_rows(box.site)
    except Exception as exc:
        unended = [f"the ledger cannot be read: {exc}"]
    if unended:
        tally.unended += 1
        tally.note(f"unended: {what}: {unended[0]}")


def sample_record(site_root: Path) -> str:
    return (site_root / "statements" / f"{SAMPLE_ID}.md").read_text(encoding="utf-8")
