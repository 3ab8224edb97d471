"""A site: pressroom.toml, the organisation directory, and the folders around them.

A site is found like git finds a repository: the nearest folder at or above the current one
holding pressroom.toml. Loading it validates the settings and the directory together and
fails once, with every problem.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import records
from .config import CONFIG_NAME, read_settings
from .errors import ConfigError, UsageError
from .model import ID_PATTERN, Diagnostic, Document, Organisation, Settings, Statement
from .organisations import load_organisations

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
        return records.load_record(self.existing_record(statement_id), self.organisations)

    def check(self, paths: Iterable[Path] | None = None
              ) -> dict[Path, tuple[Statement | None, list[Diagnostic]]]:
        """Every record in `paths` (all of them when None) checked, with cross-record checks."""
        chosen = self.record_paths() if paths is None else [Path(p) for p in paths]
        return records.check_records(chosen, self.organisations)

    def document(self, statement: Statement) -> Document:
        """Resolve a statement against the site into the model every renderer takes."""
        raw = Path(statement.path).read_bytes() if statement.path else b""
        org = self.organisations
        return Document(
            statement=statement,
            settings=self.settings,
            issuer=org[statement.issued_by],
            endorsers=tuple(org[k] for k in statement.endorsers),
            record_sha256=hashlib.sha256(raw).hexdigest(),
            links={
                "html": f"{statement.id}.html",
                "pdf": f"{statement.id}.pdf",
                "docx": f"{statement.id}.docx",
            },
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def init_site(dest: Path) -> Path:
    """Make a new site in `dest` (created if missing): a commented pressroom.toml, the
    organisation directory, one example record, a copy of the package's templates and an
    empty output/. Refuses a folder that already holds a site. Returns the site's root."""
    dest = Path(dest).resolve()
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} is a file, not a folder.")
    taken = [name for name in (CONFIG_NAME, "statements", "templates")
             if (dest / name).exists()]
    if taken:
        raise UsageError(f"{dest} already holds a site ({', '.join(taken)} exist); "
                         "choose an empty or new folder.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Build in a temporary folder beside dest, then move it in: a failure leaves no half site.
    build = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    build.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a site is shared like any folder
    try:
        shutil.copytree(SKELETON / "statements", build / "statements")
        shutil.copytree(PACKAGE_TEMPLATES, build / "templates",
                        ignore=shutil.ignore_patterns(".keep", "__pycache__"))
        shutil.copytree(PACKAGE_DIR / "notebooks", build / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        (build / "output").mkdir()
        shutil.copy2(SKELETON / "gitignore", build / ".gitignore")
        shutil.copy2(SKELETON / CONFIG_NAME, build / CONFIG_NAME)
        if not dest.exists():
            build.rename(dest)
        else:
            # pressroom.toml last: the folder becomes a site only once everything is there.
            names = sorted(p.name for p in build.iterdir() if p.name != CONFIG_NAME)
            for name in [*names, CONFIG_NAME]:
                if not (dest / name).exists():
                    (build / name).rename(dest / name)
    finally:
        shutil.rmtree(build, ignore_errors=True)
    return dest
