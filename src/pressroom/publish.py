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
from .model import Document
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
        atomic_write(path, data)
        self._written.add(path)


def publish(
    site: Site,
    statement_id: str,
    formats: str | tuple[str, ...] = ALL_FORMATS,
    *,
    preview: bool = False,
) -> Published:
    """Publish one statement into output/<id>/:

    1. load and check the record (any error stops here, before anything is rendered);
    2. resolve it against the site into the Document every renderer takes;
    3. render each format in memory;
    4. write the outputs and the manifest, each through a temporary name.
    """
    formats = parse_formats(formats)
    statement = site.load(statement_id)
    document = replace(site.document(statement), preview=preview)
    rendered = render_all(document, site.templates_dir, formats)
    return write_outputs(site, document, rendered)


def render_all(document: Document, templates_dir: Path, formats: tuple[str, ...]
               ) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in formats:
        data, _resources = get_exporter(fmt).from_document(document, templates_dir)
        out[fmt] = data
    return out


def write_outputs(site: Site, document: Document, rendered: dict[str, bytes]) -> Published:
    statement = document.statement
    folder = site.output_dir / statement.id
    writer = Writer()
    files = []
    for fmt, data in rendered.items():
        path = folder / f"{statement.id}.{fmt}"
        writer.write(path, data)
        files.append(OutputFile(fmt, path, sha256_bytes(data), len(data)))
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
        "outputs": {f.path.name: {"format": f.format, "sha256": f.sha256, "bytes": f.bytes}
                    for f in files},
    }
    manifest_path = folder / MANIFEST_NAME
    writer.write(manifest_path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
                 .encode("utf-8"))
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
