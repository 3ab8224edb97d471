"""A site: pressroom.toml, the organisation directory, and the folders around them.

A site is found like git finds a repository: the nearest folder at or above the current one
holding pressroom.toml. Loading it validates the settings and the directory together and
fails once, with every problem.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import formats, records
from .config import CONFIG_NAME, read_settings
from .errors import ConfigError, RecordError, UsageError
from .model import ID_PATTERN, Diagnostic, Document, Organisation, Settings, Statement
from .organisations import load_organisations
from .wording import check_language, wording_for

__all__ = ["CONFIG_NAME", "Site", "find_site_root", "init_site", "load_site"]

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_TEMPLATES = PACKAGE_DIR / "templates"
SKELETON = PACKAGE_DIR / "skeleton"
ORGANISATIONS_NAME = "organisations.yaml"


def find_site_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` holding pressroom.toml, as git finds .git."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(f"No {CONFIG_NAME} in {here} or any folder above it. "
                      "Run `pressroom init DIR` to make a site, or pass -C DIR.")


@dataclass(frozen=True)
class Site:
    root: Path
    settings: Settings
    organisations: dict[str, Organisation]
    # Warnings from pressroom.toml and organisations.yaml (errors stop loading).
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)
    # Records read from bytes, by (name, sha256): a publication asks the gate, plans and
    # renders from one version, and parsing a record is the dearest step after rendering.
    parsed: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def statements_dir(self) -> Path:
        return self.root / "statements"

    @property
    def organisations_path(self) -> Path:
        return self.statements_dir / ORGANISATIONS_NAME

    @property
    def templates_dir(self) -> Path:
        """The site's own templates/ if it has one, else the package's."""
        own = self.root / "templates"
        return own if own.is_dir() else PACKAGE_TEMPLATES

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def working_dir(self) -> Path:
        """Working copies of published statements (Plone's iterate): working/<id>.md."""
        return self.root / "working"

    def working_path(self, statement_id: str) -> Path:
        return self.working_dir / f"{statement_id}.md"

    @property
    def drafts_dir(self) -> Path:
        """Everything not public (draft renderings, reviewers' copies): never served."""
        return self.root / "drafts"

    @property
    def runs_dir(self) -> Path:
        """The run ledger and executed notebooks: not regenerable, never touched by clean."""
        return self.root / "runs"

    def record_path(self, statement_id: str) -> Path:
        return self.statements_dir / f"{statement_id}.md"

    def record_paths(self) -> list[Path]:
        """Every statements/*.md, sorted by name."""
        return sorted(self.statements_dir.glob("*.md"))

    def record_ids(self) -> list[str]:
        return [p.stem for p in self.record_paths()]

    def existing_record(self, statement_id: str) -> Path:
        """The path of record `statement_id`; `UsageError` (with did-you-mean) if none."""
        # An id is also a file name: refuse anything that could leave statements/.
        if ID_PATTERN.match(statement_id) and self.record_path(statement_id).is_file():
            return self.record_path(statement_id)
        ids = self.record_ids()
        close = [i for i in ids if statement_id and statement_id in i][:3]
        close += [i for i in difflib.get_close_matches(statement_id, ids, n=3, cutoff=0.5)
                  if i not in close]
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"No statement {statement_id!r} in {self.statements_dir}.{hint} "
                         "`pressroom list` shows them all.")

    def load(self, statement_id: str) -> Statement:
        """The statement `statement_id`, checked against the organisation directory.
        Unknown id: `UsageError`; a record with errors: `RecordError`."""
        path = self.existing_record(statement_id)
        statement, diagnostics = self.read(path)
        if statement is None or any(d.is_error for d in diagnostics):
            raise RecordError(str(path), diagnostics)
        return statement

    def read(self, path: Path) -> tuple[Statement | None, list[Diagnostic]]:
        """`records.read_record` of the record at `path` against the directory; a
        translation is read against its original's record file (its shared fields)."""
        from .translations import original_bytes, original_id_in, original_statement

        try:
            data = Path(path).read_bytes()
        except OSError:
            data = b""  # read_record says why
        original = None
        if b"translation_of" in data:
            original = original_statement(self, original_bytes(self, data),
                                          original_id_in(data) or "")
        return records.read_record(path, self.organisations, original=original)

    def check(self, paths: Iterable[Path] | None = None
              ) -> dict[Path, tuple[Statement | None, list[Diagnostic]]]:
        """Every record in `paths` (all of them when None) checked, with cross-record checks
        and what their history says that the files do not (`workflow.audit`)."""
        from .workflow import audit

        chosen = self.record_paths() if paths is None else [Path(p) for p in paths]
        results = records.check_records(chosen, self.organisations,
                                        originals=self._original_record)
        from .translations import organisation_texts, outdated

        for found in (outdated(self, results), organisation_texts(self, results)):
            for path, problems in found.items():
                statement, diagnostics = results[path]
                results[path] = (statement, sorted([*diagnostics, *problems],
                                                   key=lambda d: d.line or 0))
        ids = {Path(p).stem: Path(p) for p in results if Path(p).parent == self.statements_dir}
        for sid, problems in audit(self, list(ids)).items():
            statement, diagnostics = results[ids[sid]]
            results[ids[sid]] = (statement, [*diagnostics, *problems])
        reported: set[Path] = set()  # a malformed catalog is said once
        for path, (statement, diagnostics) in results.items():
            if statement is not None:
                words = check_language(self.templates_dir, statement.language, path, reported)
                if words:
                    results[path] = (statement, [*diagnostics, *words])
        return results

    def _original_record(self, statement_id: str) -> Statement | None:
        """The statement in statements/ID.md, if it loads: a translation's original."""
        if not ID_PATTERN.match(statement_id) or not self.record_path(statement_id).is_file():
            return None
        return records.read_record(self.record_path(statement_id), self.organisations)[0]

    def working_copies(self) -> list[Path]:
        return sorted(self.working_dir.glob("*.md")) if self.working_dir.is_dir() else []

    def document(self, statement: Statement) -> Document:
        """Resolve a statement against the site into the model every renderer takes."""
        raw = Path(statement.path).read_bytes() if statement.path else b""
        org = self.organisations
        return Document(
            statement=statement,
            settings=self.settings,
            # Each organisation as the statement's language shows it (its texts there).
            issuer=org[statement.issued_by].in_language(statement.language),
            endorsers=tuple(org[k].in_language(statement.language)
                            for k in statement.endorsers),
            record_sha256=hashlib.sha256(raw).hexdigest(),
            links=formats.links(statement.id),
            wording=wording_for(self.templates_dir, statement.language, self.settings),
        )


def load_site(root: Path | None = None) -> Site:
    """The site at `root` or the nearest folder above it; `ConfigError` with every problem
    in pressroom.toml and organisations.yaml if either has an error."""
    root = find_site_root(root)
    # A Site is immutable: while neither file changes, the one already read is the answer.
    # Parsing organisations.yaml round-trip costs 8-30 ms, paid again by every publication run
    # in a warm kernel and by every statement of a batch.
    key = (root, *(_stamp(root / name) for name in (CONFIG_NAME, f"statements/"
                                                    f"{ORGANISATIONS_NAME}")))
    if key in _loaded:
        return _loaded[key]
    site = _read_site(root)
    _loaded.clear()  # one site at a time is the common case; keep memory flat in long batches
    _loaded[key] = site
    return site


_loaded: dict[tuple, Site] = {}


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _read_site(root: Path) -> Site:
    organisations, org_problems = load_organisations(root / "statements" / ORGANISATIONS_NAME)
    # A directory with errors leaves out its broken entries: checking site.organisation
    # against it would report a second, misleading problem.
    broken = any(d.is_error for d in org_problems)
    settings, problems = read_settings(root / CONFIG_NAME, None if broken else organisations)
    problems = [*problems, *org_problems]
    errors = [d for d in problems if d.is_error]
    if settings is None or errors:
        # Warnings too: "unknown key 'shortname', did you mean 'short_name'?" often explains
        # the error beside it ("site.short_name: required key missing").
        raise ConfigError(f"The site at {root} has {len(errors)} configuration error(s); "
                          "fix them and run again.", problems)
    return Site(root, settings, organisations, tuple(problems))


@dataclass(frozen=True)
class NewSite:
    """What `make_site` did: the site's root, the files it added, those it found there."""

    root: Path
    added: tuple[str, ...]  # relative paths, folders ending in "/"
    kept: tuple[str, ...]  # already there and left as they were (links included)


def init_site(dest: Path, *, allow_non_empty: bool = False) -> Path:
    """Make a new site in `dest`; its root. See `make_site`."""
    return make_site(dest, allow_non_empty=allow_non_empty).root


def make_site(dest: Path, *, allow_non_empty: bool = False) -> NewSite:
    """Make a new site in `dest` (created if missing): a commented pressroom.toml, the
    organisation directory, one example record, a copy of the package's templates and
    notebook, and an empty output/.

    A folder that holds anything is refused unless `allow_non_empty`; then only what is not
    there is added: no file is overwritten, nothing is written through a symbolic link, and a
    folder holding pressroom.toml is refused all the same. What is made takes the user's
    umask and the group of the folder it is made in; each file is written under a temporary
    name and linked into place, and pressroom.toml comes last, so the folder is a site only
    once everything is there."""
    root = Path(os.path.abspath(dest))  # not resolve(): a link given as dest must be seen
    if root.is_symlink():
        raise UsageError(f"{root} is a symbolic link (to {os.readlink(root)}); nothing is "
                         "written through one: give the folder it points to, if the site is "
                         "to be there.")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} is a file, not a folder.")
    if os.path.lexists(root / CONFIG_NAME):
        raise UsageError(f"{root} already holds a site ({CONFIG_NAME} exists); choose an "
                         "empty or new folder.")
    plan = _site_files()
    if not root.exists():
        group = _existing_ancestor(root).stat().st_gid
        root.parent.mkdir(parents=True, exist_ok=True)
        # Built in a folder beside dest, then renamed: a failure leaves no half site.
        build = Path(tempfile.mkdtemp(prefix=f".{root.name}.", dir=root.parent))
        try:
            # mkdtemp makes a private folder; a site is shared like any folder the user makes.
            setgid = build.stat().st_mode & stat.S_ISGID
            os.chmod(build, (0o777 & ~_umask()) | setgid)
            _own(build, group)
            added = _add(build, plan, group)
            build.rename(root)
        finally:
            shutil.rmtree(build, ignore_errors=True)
        return NewSite(root, tuple(added), ())
    there = sorted(os.listdir(root))
    if there and not allow_non_empty:
        shown = ", ".join(there[:3]) + (", ..." if len(there) > 3 else "")
        entries = "1 entry" if len(there) == 1 else f"{len(there)} entries"
        raise UsageError(f"{root} is not empty ({entries}: {shown}); a site is made in an "
                         "empty or new folder. To add a site's files to this folder, "
                         "leaving everything in it as it is, run `pressroom init "
                         f"--allow-non-empty {root}`.")
    kept = _in_the_way(root, plan)
    added = _add(root, [item for item in plan if not _under(item[0], kept)],
                 root.stat().st_gid)
    return NewSite(root, tuple(added), tuple(sorted(kept)))


# What a new site holds: (relative path, the package file to copy, or None for a folder).
_SITE_TREES = (("statements", SKELETON / "statements"), ("templates", PACKAGE_TEMPLATES),
               ("notebooks", PACKAGE_DIR / "notebooks"))
_LEFT_OUT = frozenset((".keep", "__pycache__", ".ipynb_checkpoints"))


def _site_files() -> list[tuple[str, Path | None]]:
    plan: list[tuple[str, Path | None]] = []
    for name, source in _SITE_TREES:
        plan.append((f"{name}/", None))
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if _LEFT_OUT.intersection(rel.parts):
                continue
            plan.append((f"{name}/{rel.as_posix()}/", None) if path.is_dir()
                        else (f"{name}/{rel.as_posix()}", path))
    plan += [("output/", None), (".gitignore", SKELETON / "gitignore"),
             (CONFIG_NAME, SKELETON / CONFIG_NAME)]  # pressroom.toml last
    return plan


def _in_the_way(root: Path, plan: list[tuple[str, Path | None]]) -> set[str]:
    """What of `plan` is already in `root`, to be kept: files, and links (to files or
    folders: nothing is written through them). A file where a folder must be is refused."""
    kept: set[str] = set()
    for rel, source in plan:
        if _under(rel, kept):
            continue  # inside a link kept as it is
        path = root / rel.rstrip("/")
        if path.is_symlink():
            kept.add(rel)
        elif path.exists():
            if source is None and not path.is_dir():
                raise UsageError(f"{path} is a file where the site needs a folder; move it "
                                 "away and run again.")
            if source is not None:
                kept.add(rel)
    return kept


def _under(rel: str, kept: set[str]) -> bool:
    """Is `rel` kept, or inside a folder (a link to one) that is?"""
    return rel in kept or any(rel.startswith(k) for k in kept if k.endswith("/"))


def _add(root: Path, plan: list[tuple[str, Path | None]], group: int) -> list[str]:
    added = []
    for rel, source in plan:
        path = root / rel.rstrip("/")
        if source is None:
            if path.is_dir() and not path.is_symlink():
                continue
            path.mkdir()  # mode 0o777 less the umask, as the kernel applies it
            _own(path, group)
        else:
            data = source.read_bytes()
            if rel == CONFIG_NAME:
                data = _with_maker(data)
            _write_new(path, data)
            _own(path, group)
        added.append(rel)
    return added


def _with_maker(data: bytes) -> bytes:
    """The new site's settings, with the login that makes it as its Manager."""
    import json

    from .people import current_login

    marker = b"logins = []  # pressroom init puts here the login that made the site"
    login = json.dumps(current_login()).encode()  # a TOML basic string, quoted as JSON does
    return data.replace(marker, b"logins = [" + login + b"]  # the login that made the site")


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet: never over a file, never through a link."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a site is shared
        try:
            os.link(tmp, path)  # fails if anything, a link included, is at `path` by now
        except FileExistsError:
            raise UsageError(f"{path} appeared while the site was being made; it was left "
                             "as it is. Run again to add what is missing.") from None
        except OSError:  # a file system without hard links: create it exclusively instead
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _own(path: Path, group: int) -> None:
    """Give `path` the group of the folder the site is made in, as a set-group-id folder
    would: colleagues sharing the folder share the site. Not possible for a group the user
    is not in; then it stays the user's."""
    if path.stat().st_gid != group:
        with contextlib.suppress(PermissionError):
            os.chown(path, -1, group, follow_symlinks=False)


def _existing_ancestor(path: Path) -> Path:
    for folder in (path, *path.parents):
        if folder.exists():
            return folder
    return Path("/")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
