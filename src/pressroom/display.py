"""What the notebook shows, as objects JupyterLab renders: tables, sentences, panels, the
page picture, the preview and its file links. Plain text elsewhere (a terminal, a test).

Every table and panel carries its own left alignment: JupyterLab right-aligns table cells and
centres tables and captions, with its rule on each cell.
"""

from __future__ import annotations

import base64
import html
import posixpath
import re
import struct
from dataclasses import dataclass
from typing import Any

_LEFT = "text-align:left;vertical-align:top"
_TABLE = "margin-left:0;margin-right:auto;border-collapse:collapse"
_CODE = re.compile(r"`([^`]+)`")


@dataclass
class Table:
    """A small table that shows as HTML in JupyterLab and as text elsewhere."""

    caption: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    raw_html_columns: tuple[int, ...] = ()

    def _repr_html_(self) -> str:
        head = "".join(f'<th style="{_LEFT}">{html.escape(h)}</th>' for h in self.header)
        body = "".join(
            "<tr>" + "".join(
                f'<td style="{_LEFT}">'
                f"{cell if i in self.raw_html_columns else html.escape(str(cell))}</td>"
                for i, cell in enumerate(row)) + "</tr>"
            for row in self.rows
        )
        return (f'<table style="{_TABLE}"><caption style="{_LEFT}">'
                f"{inline(self.caption)}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        lines = [self.caption, " | ".join(self.header)]
        lines += [" | ".join(_plain(c) for c in row) for row in self.rows]
        return "\n".join(lines)


@dataclass
class Note:
    """One plain sentence (`code` in backticks)."""

    text: str

    def _repr_html_(self) -> str:
        return f"<p>{inline(self.text)}</p>"

    def __repr__(self) -> str:
        return self.text


@dataclass
class Panel:
    """A heading, a few labelled lines (`code` in backticks) and, below them, a table."""

    heading: str
    lines: list[tuple[str, str]]
    table: Table | Note | None = None
    role: str = "status"  # a class name, so a reader (or a test) can find the panel

    def _repr_html_(self) -> str:
        items = "".join(f"<li><strong>{html.escape(label)}:</strong> {inline(text)}</li>"
                        for label, text in self.lines)
        below = self.table._repr_html_() if self.table is not None else ""
        return (f'<div class="pressroom-{self.role}" style="{_LEFT}">'
                f"<p><strong>{html.escape(self.heading)}</strong></p>"
                f'<ul style="padding-left:1.2em">{items}</ul>{below}</div>')

    def __repr__(self) -> str:
        lines = [self.heading, *(f"{label}: {text}" for label, text in self.lines)]
        if self.table is not None:
            lines.append(repr(self.table))
        return "\n".join(lines)


@dataclass
class PagePicture:
    """A PNG shown at its natural size (narrower windows scale it down), with alt text:
    IPython's Image has none."""

    png: bytes
    alt: str

    def _repr_html_(self) -> str:
        width, height = struct.unpack(">II", self.png[16:24])  # the PNG's IHDR
        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" '
                f'width="{width}" height="{height}" '
                'style="max-width:100%;height:auto;border:1px solid #ccc">')

    def __repr__(self) -> str:
        return f"[{self.alt}]"


def preview_html(title: str, page: str, folder_href: str) -> str:
    """The web page in a frame, with its links to files (relative to the page's folder,
    `folder_href` from the notebook) opening those files in JupyterLab.

    The frame shows the page from `srcdoc`, so its links resolve against JupyterLab's own
    address (`/lab/...`), never the page's folder, and JupyterLab does not see them. The
    frame is sandboxed with `allow-same-origin` alone: nothing in it may run, while the
    script beside it (run by JupyterLab for a trusted output) hands a click on one of the
    page's links to a link of its own, relative to the notebook, which JupyterLab resolves
    and opens like every other file link."""
    frame = (f'<iframe title="Preview of {html.escape(title)}" srcdoc="{html.escape(page)}" '
             'style="width:100%;height:36em;border:1px solid #ccc" '
             'sandbox="allow-same-origin"></iframe>')
    handed = "".join(
        file_link(posixpath.normpath(f"{folder_href}/{href}"), text,
                  posixpath.splitext(href)[1].lstrip("."),
                  f' data-page-href="{html.escape(href)}"')
        for href, text in _page_links(page))
    # Wrapped: IPython warns (on stderr, in pink) about a bare <iframe> given to HTML().
    return (f'<div class="pressroom-preview">{frame}<p hidden>{handed}</p>'
            f"<script>{_PREVIEW_SCRIPT}</script></div>")


def _page_links(page: str) -> list[tuple[str, str]]:
    """The page's links to files beside it or above it, as written, with their text; each
    once. Links within the page (#...) and to the web (https:) stay the page's own."""
    from lxml import html as lhtml

    found: dict[str, str] = {}
    for a in lhtml.document_fromstring(page).iter("a"):
        href = a.get("href") or ""
        if href and not href.startswith(("#", "/")) and ":" not in href.split("/")[0]:
            found.setdefault(href.split("#")[0], a.text_content().strip())
    return list(found.items())


_PREVIEW_SCRIPT = """
(() => {
  const box = document.currentScript.closest('.pressroom-preview');
  const frame = box.querySelector('iframe');
  const links = new Map();
  for (const a of box.querySelectorAll('a[data-page-href]')) links.set(a.dataset.pageHref, a);
  const wire = () => {
    const doc = frame.contentDocument;
    if (!doc || doc.URL !== 'about:srcdoc' || doc.pressroomWired) return;
    doc.pressroomWired = true;
    doc.addEventListener('click', (event) => {
      const a = event.target.closest && event.target.closest('a[href]');
      const mine = a && links.get(a.getAttribute('href').split('#')[0]);
      if (mine) { event.preventDefault(); mine.click(); }
    });
  };
  frame.addEventListener('load', wire);
  wire();
})();
"""


# What JupyterLab shows in a tab of its own (its HTML and PDF viewers); any other format (a
# Word file, a format added by a plugin) is downloaded.
SHOWN_IN_LAB = frozenset(("html", "pdf"))


def file_link(href: str, text: str, fmt: str, extra: str = "") -> str:
    """A link JupyterLab opens in a tab of its own, or, for a file it cannot show, leaves to
    the browser to download (a link marked `download`). JupyterLab rewrites `href` to the
    file's address on its server; `data-href` keeps the link as written."""
    download = "" if fmt in SHOWN_IN_LAB else " download"
    return (f'<a href="{html.escape(href)}" data-href="{html.escape(href)}"{download}{extra}>'
            f"{html.escape(text)}</a>")


def inline(text: str) -> str:
    """Plain text as HTML, with `code` in backticks set as code."""
    return _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text))


def _plain(cell: Any) -> str:
    """A table cell as text: a link is its text."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(cell)))


def show(obj, raw: bool = False) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside a notebook there is nothing to show
        return
    display(obj, raw=raw) if raw else display(obj)
