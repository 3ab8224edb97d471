"""The registry of output formats: plain render functions of our own, by entry point.

The entry-point group `pressroom.formats` names a `Format` for each: its name, the render
function (a Document and the templates folder in, bytes out), the template folders it reads,
and the version of the library that renders it. Publishing and building use this registry
directly; the nbconvert exporters (`render/exporters.py`) wrap the same functions for
`jupyter nbconvert --to` and the notebook, so nothing on the direct path imports nbconvert,
nbformat or papermill (importing nbconvert costs about a second here).

A fourth format added by entry point is built, linked, hashed and cleaned like the three.
The registry is read on first use, never at import, and kept: scanning entry points costs
about 15 ms a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from importlib import import_module
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path

from .errors import UsageError

ENTRY_POINT_GROUP = "pressroom.formats"
USUAL_ORDER = ("html", "pdf", "docx")  # ours first, as pages link them; plugins after


@dataclass(frozen=True)
class Format:
    """One output format."""

    name: str
    renderer: str  # "module:function" under pressroom, imported when first used
    templates: tuple[str, ...]  # folders under templates/ whose files decide its bytes
    media_type: str
    library: str  # the distribution that renders it, whose version is part of its key
    label: str | None = None  # the web page's link to it ("PDF version"); None: the page
    extension: str = ""  # the file's suffix, without the dot; the name when empty

    @property
    def suffix(self) -> str:
        return self.extension or self.name

    def filename(self, statement_id: str) -> str:
        return f"{statement_id}.{self.suffix}"

    def render(self, document, templates_dir: Path) -> bytes:
        module, function = self.renderer.split(":")
        return getattr(import_module(module), function)(document, templates_dir)

    @property
    def library_version(self) -> str:
        try:
            return f"{self.library} {version(self.library)}"
        except PackageNotFoundError:
            return self.library


HTML = Format("html", "pressroom.render.html:render_html", ("html", "css"), "text/html",
              "Jinja2")
PDF = Format("pdf", "pressroom.render.pdf:render_pdf", ("typst",), "application/pdf", "typst",
             label="PDF version")
DOCX = Format("docx", "pressroom.render.docx:render_docx", ("word",),
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "python-docx", label="Word version")


@cache
def formats() -> dict[str, Format]:
    """Format name -> Format, from the entry points, in the usual order."""
    found: dict[str, Format] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        fmt = ep.load()
        found[fmt.name] = fmt
    ordered = [n for n in USUAL_ORDER if n in found] + sorted(set(found) - set(USUAL_ORDER))
    return {n: found[n] for n in ordered}


def names() -> tuple[str, ...]:
    return tuple(formats())


def modules() -> tuple[str, ...]:
    """The modules of the formats' render functions (imported ahead, in a build's workers)."""
    return tuple(dict.fromkeys(f.renderer.split(":")[0] for f in formats().values()))


def links(statement_id: str, present=None) -> dict[str, str]:
    """Format name -> the file's name beside the page, for the formats `present` (all when
    None), in the registry's order."""
    return {f.name: f.filename(statement_id) for f in formats().values()
            if present is None or f.name in present}


def get_format(name: str) -> Format:
    """The format `name`; an unknown name fails and lists the valid ones."""
    known = formats()
    if name not in known:
        near = get_close_matches(name, known, n=1)
        hint = f' Did you mean "{near[0]}"?' if near else ""
        raise UsageError(f'Unknown format "{name}".{hint} Known formats: '
                         f'{", ".join(sorted(known))}.')
    return known[name]


def parse_formats(text: str | list[str] | tuple[str, ...] | None = None) -> tuple[str, ...]:
    """'html,pdf' -> ('html', 'pdf'), checked against the registry, in its order; None or
    "all": every format."""
    if text is None or text == "all":
        return names()
    wanted = [f.strip() for f in (text.split(",") if isinstance(text, str) else text)]
    wanted = [f for f in wanted if f]
    if not wanted:
        raise UsageError(f"No format given: name one or more of {', '.join(names())}.")
    for fmt in wanted:
        get_format(fmt)
    order = list(formats())
    return tuple(sorted(dict.fromkeys(wanted), key=order.index))

