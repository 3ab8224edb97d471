"""Publishing: the one stage that writes into output/.

`publish()` reads as its steps. Rendering happens in memory for every format before the first
byte is written, so a failed render leaves the previous outputs exactly as they were; each
file then goes to a temporary name and is renamed, so no reader ever sees half a file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from importlib.metadata import version as _dist_version
from pathlib import Path

from .errors import PressroomError
from .fileio import atomic_write
from .model import Document, Statement
from .render.exporters import get_exporter, parse_formats
from .site import CONFIG_NAME, Site

ALL_FORMATS = ("html", "pdf", "docx")
MANIFEST_NAME = "manifest.json"


def package_version() -> str:
    return _dist_version("pressroom")


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
    """Writes each output once per run, through a temporary name (pelican's writer refuses a
    second write of one path: two formats clobbering one file is a bug, not a feature)."""

    def __init__(self) -> None:
        self._written: set[Path] = set()

    def write(self, path: Path, data: bytes) -> None:
        path = Path(path).resolve()
        if path in self._written:
            raise PressroomError(f"{path}: written twice in one run; two outputs share a name.")
        try:
            atomic_write(path, data)
        except OSError as exc:  # a full disk, a read-only folder: said plainly, not a bug
            raise PressroomError(f"{path}: cannot write it: {exc.strerror or exc}. Check the "
                                 "folder's permissions and free space.") from exc
        self._written.add(path)


def publish(
    site: Site,
    statement_id: str,
    formats: str | tuple[str, ...] = ALL_FORMATS,
    *,
    preview: bool = False,
) -> Published:
    """Publish one statement into output/<id>/ (a reviewers' draft copy: output/<id>/draft/):

    1. load and check the record (any error stops here, before anything is rendered);
    2. plan: the Document every renderer takes, linking every format the folder will hold;
    3. render each format in memory;
    4. write the outputs and the manifest, each through a temporary name.
    """
    statement = site.load(statement_id)
    plan = plan_outputs(site, statement, formats, preview=preview)
    rendered = render_all(plan.document, site.templates_dir, plan.formats)
    return write_outputs(site, plan, rendered)


@dataclass(frozen=True)
class Plan:
    """What one publish will leave in its folder."""

    document: Document
    folder: Path
    formats: tuple[str, ...]  # to render now
    kept: dict[str, OutputFile]  # already there, from this same record: left as they are


def output_folder(site: Site, statement_id: str, preview: bool = False) -> Path:
    """output/<id>/; a draft copy of a published statement goes to output/<id>/draft/, so it
    never replaces the public files."""
    folder = site.output_dir / statement_id
    return folder / "draft" if preview else folder


def plan_outputs(site: Site, statement: Statement, formats: str | tuple[str, ...] = ALL_FORMATS,
                 *, preview: bool = False) -> Plan:
    """Which formats to render, which to keep, and the links between them. A partial publish
    (say, only the web page after a template change) keeps the other formats when they come
    from this same record; files of an older record are removed when the run writes, so the
    folder never mixes versions and no page links to a file that is not there."""
    wanted = parse_formats(formats)
    base = replace(site.document(statement), preview=preview)
    folder = output_folder(site, statement.id, preview)
    current, linked = _current_outputs(folder, base)
    present = set(wanted) | set(current)
    if "html" in current and "html" not in wanted and linked != present:
        wanted = parse_formats((*wanted, "html"))  # its links would be out of date
    order = [f for f in ALL_FORMATS if f in present] + sorted(present - set(ALL_FORMATS))
    document = replace(base, links={f: f"{statement.id}.{f}" for f in order})
    kept = {f: o for f, o in current.items() if f not in wanted}
    return Plan(document, folder, wanted, kept)


def _current_outputs(folder: Path, document: Document) -> tuple[dict[str, OutputFile], set]:
    """The outputs in `folder` that this record made, as its manifest says and the files
    still confirm, and the formats its web page links to."""
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, set()
    if (manifest.get("record", {}).get("sha256") != document.record_sha256
            or manifest.get("draft") != document.draft):
        return {}, set()
    current = {}
    for name, entry in manifest.get("outputs", {}).items():
        path = folder / name
        if path.is_file() and sha256_file(path) == entry.get("sha256"):
            current[entry["format"]] = OutputFile(entry["format"], path, entry["sha256"],
                                                  entry["bytes"])
    return current, set(manifest.get("links", []))


def render_all(document: Document, templates_dir: Path, formats: tuple[str, ...]
               ) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in formats:
        data, _resources = get_exporter(fmt).from_document(document, templates_dir)
        out[fmt] = data
    return out


def write_outputs(site: Site, plan: Plan, rendered: dict[str, bytes]) -> Published:
    document, folder = plan.document, plan.folder
    statement = document.statement
    writer = Writer()
    files = []
    for fmt, data in rendered.items():
        path = folder / f"{statement.id}.{fmt}"
        writer.write(path, data)
        files.append(OutputFile(fmt, path, sha256_bytes(data), len(data)))
    every = sorted([*files, *plan.kept.values()], key=lambda f: f.path.name)
    inputs = input_hashes(site)
    manifest = {
        "statement": statement.id,
        "state": statement.state.value,
        "draft": document.draft,
        "pressroom_version": package_version(),
        "record": {"path": _rel(site, Path(statement.path or site.record_path(statement.id))),
                   "sha256": document.record_sha256},
        "settings": inputs["settings"],
        "templates": inputs["templates"],
        "links": sorted(document.links),
        "outputs": {f.path.name: {"format": f.format, "sha256": f.sha256, "bytes": f.bytes}
                    for f in every},
    }
    manifest_path = folder / MANIFEST_NAME
    writer.write(manifest_path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
                 .encode("utf-8"))
    # Files of formats this record no longer has here (an older record's): generated, so
    # regenerable, and they would contradict the manifest.
    for fmt in set(ALL_FORMATS) - {f.format for f in every}:
        (folder / f"{statement.id}.{fmt}").unlink(missing_ok=True)
    return Published(
        statement_id=statement.id,
        folder=folder,
        files=tuple(files),
        manifest=manifest_path,
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
        return str(Path(path).resolve().relative_to(site.root.resolve()))
    except ValueError:
        return str(path)
