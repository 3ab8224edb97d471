"""Publishing: the one stage that writes into output/.

`publish()` reads as its steps. Rendering happens in memory for every format before the first
byte is written, so a failed render leaves the previous outputs exactly as they were; each
file then goes to a temporary name and is renamed, so no reader ever sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import version as _dist_version
from pathlib import Path

from .errors import PressroomError, RecordError
from .fileio import is_temp_name, read_in, site_relative, write_new
from .folders import replace_folder, statement_lock_held
from .formats import get_format, names, parse_formats
from .formats import links as format_links
from .gate import Target, decide, document_for, statement_from_bytes
from .inputs import Inputs
from .model import Document, Statement
from .site import CONFIG_NAME, Site

ALL_FORMATS = None  # every format of the registry (`formats.names()`), in its order
MANIFEST_NAME = "manifest.json"


@cache
def package_version() -> str:
    return _dist_version("pressroom")  # 2 ms a call: asked for every statement of a build


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(Path(path).read_bytes())


@dataclass(frozen=True)
class OutputFile:
    format: str
    path: Path
    sha256: str
    bytes: int
    key: str | None = None  # its input key (inputs.Inputs.key)
    run: str | None = None  # the run that rendered it (a kept file keeps its own)


@dataclass(frozen=True)
class Published:
    """What a publish wrote, with the hashes the manifest and the run ledger keep."""

    statement_id: str
    folder: Path
    files: tuple[OutputFile, ...]
    manifest: Path
    record_sha256: str
    templates_sha256: str
    settings_sha256: str


class Writer:
    """Writes each output once per run (pelican's writer refuses a second write of one path:
    two formats clobbering one file is a bug, not a feature), into the new folder of a set
    (`folders.replace_folder`), which nothing else writes or shows until it is swapped in."""

    def __init__(self, dir_fd: int, shown: Path) -> None:
        self._fd = dir_fd
        self._stat = os.fstat(dir_fd)
        self._shown = shown
        self._written: set[str] = set()

    def write(self, name: str, data: bytes) -> None:
        if name in self._written:
            raise PressroomError(f"{self._shown / name}: written twice in one run; two outputs "
                                 "share a name.")
        try:
            write_new(self._fd, name, data, self._stat)  # the new set's folder: fresh names
        except OSError as exc:  # a full disk, a read-only folder: said plainly, not a bug
            raise _cannot_write(self._shown / name, exc) from exc
        self._written.add(name)


def _cannot_write(path: Path, exc: OSError) -> PressroomError:
    return PressroomError(f"{path}: cannot write it: {exc.strerror or exc}. Check the "
                          "folder's permissions and free space; the statement's previous "
                          "files are as they were.")


def publish(
    site: Site,
    statement_id: str,
    formats: str | tuple[str, ...] = ALL_FORMATS,
    *,
    preview: bool = False,
    embargoed: bool = False,
    run_id: str | None = None,
    target: Target | None = None,
    inputs: Inputs | None = None,
) -> Published:
    """Publish one statement where the gate says (`gate.decide`): into output/<id>/ the
    latest published version once its embargo has passed, else into drafts/<id>/:

    1. the target: which folder, and which bytes (the stored published version, or the
       working record);
    2. load and check those bytes (any error stops here, before anything is rendered);
    3. plan: the Document every renderer takes, linking every format the folder will hold;
    4. render each format in memory;
    5. write the new folder (outputs, kept files, manifest) beside the old one and swap it
       in, in one step, under the statement's publication lock.
    """
    target = target or decide(site, statement_id, draft=preview, embargoed=embargoed)
    statement = target_statement(site, statement_id, target)
    plan = plan_outputs(site, statement, formats, target=target, inputs=inputs)
    rendered = render_all(plan.document, site.templates_dir, plan.formats)
    return write_outputs(site, plan, rendered, run_id=run_id)


@dataclass(frozen=True)
class Plan:
    """What one publish will leave in its folder."""

    document: Document
    folder: Path
    formats: tuple[str, ...]  # to render now
    kept: dict[str, OutputFile]  # already there, from the same inputs: left as they are
    target: Target | None = None
    keys: dict[str, str] | None = None  # format -> input key of what the folder will hold


def target_folder(site: Site, statement_id: str, target: Target) -> Path:
    """output/<id>/ for what is public; drafts/<id>/ for anything else (a copy for
    journalists under embargo: drafts/<id>/embargoed/), outside the tree that is served."""
    if target.public:
        return site.output_dir / statement_id
    folder = site.drafts_dir / statement_id
    return folder / "embargoed" if target.embargoed is not None else folder


def target_statement(site: Site, statement_id: str, target: Target) -> Statement:
    """The statement the target renders; `RecordError` if it has errors."""
    path = site.existing_record(statement_id)
    if target.version is None:
        return site.load(statement_id)  # the working record, as the file is now
    statement, diagnostics = statement_from_bytes(site, path, target.data)
    if statement is None or any(d.is_error for d in diagnostics):
        shown = f"{path} (version {target.version.number})"
        raise RecordError(shown, [replace(d, path=shown) for d in diagnostics])
    return statement


def plan_outputs(site: Site, statement: Statement, formats: str | tuple[str, ...] | None = None,
                 *, target: Target, inputs: Inputs | None = None) -> Plan:
    """Which formats to render, which to keep, and the links between them. A partial publish
    (say, only the web page after a template change) keeps each other format whose input key
    is unchanged; files whose key changed (an older record, a changed template of theirs) are
    removed when the run writes, so the folder never mixes versions and no page links to a
    file that is not there."""
    inputs = inputs or Inputs(site)
    wanted = list(parse_formats(formats))
    base = replace(document_for(site, target, statement), embargoed_until=target.embargoed)
    folder = target_folder(site, statement.id, target)
    # A format no longer installed is not kept: its file goes when the run writes.
    current = {f: o for f, o in current_outputs(folder).items() if f in names()}

    def with_links(present) -> Document:
        return replace(base, links=format_links(statement.id, present))

    # Formats other than the page do not depend on the links: kept when their key holds.
    kept = {f: o for f, o in current.items() if f not in wanted and f != "html"
            and o.key == inputs.key(base, f)}
    present = set(wanted) | set(kept)
    if "html" in current and "html" not in wanted:
        html = current["html"]
        if html.key == inputs.key(with_links(present | {"html"}), "html"):
            kept["html"] = html
        else:
            wanted.append("html")  # its links, or its inputs, are out of date
        present.add("html")
    document = with_links(present)
    chosen = tuple(f for f in names() if f in wanted)
    keys = {f: inputs.key(document, f) for f in present}
    return Plan(document, folder, chosen, kept, target, keys)


def current_outputs(folder: Path) -> dict[str, OutputFile]:
    """The outputs in `folder` as its manifest says and the files still confirm, each with
    the input key it was made from. Read without following links."""
    files = _read_folder(folder)
    try:
        manifest = json.loads(files.get(MANIFEST_NAME) or b"")
    except ValueError:
        return {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), dict):
        return {}
    current = {}
    for name, entry in manifest["outputs"].items():
        data = files.get(name)
        if (isinstance(entry, dict) and entry.get("key") and data is not None
                and sha256_bytes(data) == entry.get("sha256")):
            current[entry["format"]] = OutputFile(entry["format"], folder / name,
                                                  entry["sha256"], entry["bytes"], entry["key"],
                                                  entry.get("run", manifest.get("run")))
    return current


def _listed(manifest: bytes | None) -> list[str]:
    """The output names a folder's manifest lists (none if it is not ours or not valid)."""
    try:
        outputs = json.loads(manifest or b"").get("outputs")
    except (ValueError, AttributeError):
        return []
    return [n for n in outputs if isinstance(n, str) and "/" not in n and n != MANIFEST_NAME
            ] if isinstance(outputs, dict) else []


def _read_folder(folder: Path) -> dict[str, bytes]:
    """The regular files directly in `folder` (links and anything else left out)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return {}
    try:
        out = {}
        for name in os.listdir(fd):
            data = read_in(fd, name)
            if data is not None and not is_temp_name(name):
                out[name] = data
        return out
    finally:
        os.close(fd)


def render_all(document: Document, templates_dir: Path, formats: tuple[str, ...]
               ) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in formats:
        data = get_format(fmt).render(document, templates_dir)
        out[fmt] = data
    return out


def write_outputs(site: Site, plan: Plan, rendered: dict[str, bytes],
                  run_id: str | None = None, *, hashes: dict | None = None,
                  recovered: bool = False) -> Published:
    """Write the statement's folder as one set: the new outputs, the kept ones and the
    manifest go into a new folder beside the old, which is then swapped in (see
    `folders.replace_folder`). Readers see the old set or the new, never a mix.
    `recovered`: what killed runs left in output/ was cleaned up already (a build, at its
    start), so output/ is not listed again for this statement's strays."""
    document, folder = plan.document, plan.folder
    statement = document.statement
    keys = plan.keys or {}
    files = [OutputFile(fmt, folder / get_format(fmt).filename(statement.id), sha256_bytes(data),
                        len(data), keys.get(fmt), run_id)
             for fmt, data in rendered.items()]
    every = sorted([*files, *plan.kept.values()], key=lambda f: f.path.name)
    inputs = hashes or input_hashes(site)  # a build hashes the site's files once
    manifest = {
        "statement": statement.id,
        "state": statement.state.value,
        "draft": document.draft,
        "public": bool(plan.target and plan.target.public),
        "version": plan.target.version.number if plan.target and plan.target.version else None,
        "why": plan.target.reason if plan.target else None,
        "embargoed_until": document.embargoed_until.isoformat()
        if document.embargoed_until else None,
        "run": run_id,
        "pressroom_version": package_version(),
        "record": {"path": _rel(site, Path(statement.path or site.record_path(statement.id))),
                   "sha256": document.record_sha256},
        "settings": inputs["settings"],
        "templates": inputs["templates"],
        "links": sorted(document.links),
        # The organisations it shows: a build checks their keys without parsing the record.
        "organisations": [o.key for o in (document.issuer, *document.endorsers)],
        # Its language: a build finds the catalog and the organisations' texts in its key
        # without parsing the record.
        "language": statement.language,
        "outputs": {f.path.name: {"format": f.format, "sha256": f.sha256, "bytes": f.bytes,
                                  "key": f.key, "run": f.run} for f in every},
    }
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    def fill(new_fd: int, old: dict[str, bytes]) -> None:
        # Ours: the registry's files and whatever the old manifest listed (a format since
        # removed, or renamed, is cleaned like the three).
        ours = (set(format_links(statement.id).values()) | {MANIFEST_NAME}
                | set(_listed(old.get(MANIFEST_NAME))))
        writer = Writer(new_fd, folder)
        for fmt, data in rendered.items():
            writer.write(get_format(fmt).filename(statement.id), data)
        for kept in plan.kept.values():
            data = old.get(kept.path.name)
            if data is None or sha256_bytes(data) != kept.sha256:
                raise PressroomError(f"{kept.path}: changed while it was being published; "
                                     "publish again.")
            writer.write(kept.path.name, data)
        # Anything else in the folder is not ours to drop (nothing a person put is lost);
        # files of formats this record no longer has here are, and would contradict the
        # manifest.
        for name, data in old.items():
            if name not in ours:
                writer.write(name, data)
        writer.write(MANIFEST_NAME, manifest_bytes)

    try:
        with statement_lock_held(site, statement.id, run_id):
            replace_folder(site.root, site_relative(site.root, folder), fill,
                           recover_first=not recovered)
    except OSError as exc:
        raise _cannot_write(folder, exc) from exc
    return Published(
        statement_id=statement.id,
        folder=folder,
        files=tuple(files),
        manifest=folder / MANIFEST_NAME,
        record_sha256=document.record_sha256,
        templates_sha256=inputs["templates"]["sha256"],
        settings_sha256=inputs["settings"]["sha256"],
    )


def input_hashes(site: Site) -> dict[str, dict]:
    """sha256 of every template file and settings file: what, besides the record and the
    package version, decides the output bytes."""
    templates = {
        str(p.relative_to(site.templates_dir)): sha256_file(p)
        for p in sorted(site.templates_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }
    settings_files = [site.root / CONFIG_NAME, site.statements_dir / "organisations.yaml"]
    settings = {_rel(site, p): sha256_file(p) for p in settings_files if p.is_file()}
    return {
        "templates": {"sha256": _combined(templates), "files": templates},
        "settings": {"sha256": _combined(settings), "files": settings},
    }


def _combined(hashes: dict[str, str]) -> str:
    return sha256_bytes("".join(f"{k}\0{v}\n" for k, v in sorted(hashes.items())).encode())


def _rel(site: Site, path: Path) -> str:
    try:
        return site_relative(site.root, Path(path)).as_posix()
    except PressroomError:
        return str(path)
