"""The three renderers as nbconvert exporters: one registry of formats, the ecosystem's own.

`jupyter nbconvert --to pressroom_pdf run.ipynb` renders the statement an executed
publication notebook carries; `exporter.from_document(document, templates_dir)` renders
straight from a record, with no kernel, for batch work. Either way the exporter returns bytes
and writes nothing: only the publish stage writes.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from difflib import get_close_matches
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

from nbconvert.exporters import Exporter
from traitlets import default

from .. import formats
from ..errors import RenderError, UsageError
from ..formats import get_format
from ..model import Document

# The executed notebook carries its record as one output of this type (see notebook.py).
RECORD_MIMETYPE = "application/vnd.pressroom.record+json"
ENTRY_POINT_GROUP = "nbconvert.exporters"
PREFIX = "pressroom_"


class PressroomExporter(Exporter):
    """Turns a notebook or a record into the model; the last step is the format's render
    function from the formats registry (`pressroom.formats`)."""

    format: ClassVar[str]
    export_from_notebook = None  # not offered in JupyterLab's "Save and Export" menu

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return f".{self.format}"

    def render(self, document: Document, templates_dir: Path) -> bytes:
        # The same render function the direct path calls, from the formats registry.
        return get_format(self.format).render(document, templates_dir)

    def from_document(self, document: Document, templates_dir: Path) -> tuple[bytes, dict]:
        resources = self._init_resources({"metadata": {"name": document.statement.id}})
        return self.render(document, templates_dir), resources

    def from_notebook_node(self, nb, resources=None, **kw) -> tuple[bytes, dict]:
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        where = resources.get("metadata", {}).get("path") or None
        document, templates_dir = document_from_notebook(nb_copy, where)
        resources["metadata"]["name"] = document.statement.id
        return self.render(document, templates_dir), resources


class HTMLExporter(PressroomExporter):
    format = "html"
    output_mimetype = "text/html"


class PDFExporter(PressroomExporter):
    format = "pdf"
    output_mimetype = "application/pdf"


class DocxExporter(PressroomExporter):
    format = "docx"
    output_mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@cache
def exporters() -> dict[str, type[PressroomExporter]]:
    """Format name -> exporter class, read from the `nbconvert.exporters` entry points that
    start with `pressroom_` (ours, or a plugin's). Filled on first use, never at import, and
    kept: scanning the installed packages' entry points costs about 15 ms a time."""
    found: dict[str, type[PressroomExporter]] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name.startswith(PREFIX):
            cls = ep.load()
            found[ep.name[len(PREFIX) :]] = cls
    return found


def get_exporter(fmt: str) -> PressroomExporter:
    """An exporter for `fmt`; an unknown name fails and lists the valid ones."""
    known = exporters()
    if fmt not in known:
        near = get_close_matches(fmt, known, n=1)
        hint = f' Did you mean "{near[0]}"?' if near else ""
        raise UsageError(
            f'Unknown format "{fmt}".{hint} Known formats: {", ".join(sorted(known))}.'
        )
    return known[fmt]()


parse_formats = formats.parse_formats  # the formats registry decides, here as everywhere


def record_payload(document: Document, site_root: Path) -> dict[str, Any]:
    """What an executed notebook carries so that nbconvert can render it later."""
    path = Path(document.statement.path or "")
    return {
        "site": str(site_root),
        "statement": document.statement.id,
        "record": path.read_text(encoding="utf-8") if path.is_file() else "",
        "record_sha256": document.record_sha256,
        "preview": document.preview,
    }


def document_from_notebook(nb, notebook_dir: str | Path | None = None
                           ) -> tuple[Document, Path]:
    """The Document an executed publication notebook carries (its last record output). The
    site is the one the run used; if that folder has moved, the site holding the notebook
    (runs/<run id>/ lies inside it)."""
    payload = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RECORD_MIMETYPE in data:
                payload = data[RECORD_MIMETYPE]
    if payload is None:
        raise RenderError(
            "This notebook carries no statement record: run the publication notebook "
            "(notebooks/publish_statement.ipynb) first, then convert the executed copy."
        )
    if isinstance(payload, str):
        payload = json.loads(payload)
    if notebook_dir and not (Path(payload["site"]) / "pressroom.toml").is_file():
        from ..site import find_site_root

        payload = {**payload, "site": str(find_site_root(Path(notebook_dir)))}
    return document_from_payload(payload)


def document_from_payload(payload: dict[str, Any],
                          load_site: Callable | None = None) -> tuple[Document, Path]:
    from dataclasses import replace

    from ..errors import RecordError
    from ..site import load_site as _load_site

    site = (load_site or _load_site)(Path(payload["site"]))
    # The notebook's copy of the record is what the run saw: render that, not today's file.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{payload['statement']}.md"
        path.write_text(payload["record"], encoding="utf-8")
        statement, problems = site.read(path)
        if statement is None or any(d.is_error for d in problems):
            raise RecordError(str(path), problems)
        document = site.document(statement)
    statement = replace(statement, path=str(site.record_path(statement.id)))
    document = replace(document, statement=statement, preview=bool(payload.get("preview")))
    return document, site.templates_dir
