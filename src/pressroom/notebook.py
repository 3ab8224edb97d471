"""What the cells of the publication notebook call; the notebook itself holds no logic.

Each step shows staff what they need to see, top to bottom: the record's diagnostics, the
statement as it will look on the web, the files written, the PDF's first page and the outline
of the Word file. Run by hand in JupyterLab, the run records itself in the ledger; run by
`pressroom publish` (papermill, with a `run_id`), the command records it.
"""

from __future__ import annotations

import atexit
import html
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from . import publish as publishing
from .errors import RecordError
from .model import Diagnostic
from .people import acting
from .records import read_record
from .render.exporters import RECORD_MIMETYPE, parse_formats, record_payload
from .runner import RunContext
from .site import Site, load_site

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Table:
    """A small table that shows as HTML in JupyterLab and as text elsewhere."""

    caption: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    raw_html_columns: tuple[int, ...] = ()

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(
                f"<td>{cell if i in self.raw_html_columns else html.escape(str(cell))}</td>"
                for i, cell in enumerate(row)) + "</tr>"
            for row in self.rows
        )
        return (f"<table><caption>{html.escape(self.caption)}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        lines = [self.caption, " | ".join(self.header)]
        lines += [" | ".join(str(c) for c in row) for row in self.rows]
        return "\n".join(lines)


class PublicationRun:
    """One publication of one statement, as the notebook runs it."""

    def __init__(self, site: Site, plan: publishing.Plan, diagnostics: list[Diagnostic],
                 run: RunContext):
        self.site = site
        self.plan = plan
        self.document = plan.document
        self.formats = plan.formats
        self.diagnostics = diagnostics
        self.published: publishing.Published | None = None
        self._rendered: dict[str, bytes] = {}
        self.run = run

    @classmethod
    def start(cls, statement: str, *, formats: str = "all", draft: bool = False,
              person: str = "", run_id: str = "", site: str = "", wait: bool = False,
              embargoed: bool = False, build: str = "") -> PublicationRun:
        """Join the run (or, run by hand, open one: nobody else will record it), take the
        statement's publication lock, load and check the record and show its diagnostics;
        stop on errors with a plain message."""
        global _current
        if build:  # a statement of `pressroom build --via notebook`: hand the bytes back
            from .handback import start as start_in_build

            return start_in_build(Path(build))
        if _current is not None:  # a kernel runs one publication at a time: the last is over
            _current.fail("a new run started in the same kernel before this one finished")
            _current = None
        the_site = load_site(Path(site) if site else None)
        chosen = parse_formats(formats)
        path = the_site.record_path(statement)
        if run_id:  # run by `pressroom publish`, which resolved the person and keeps the row
            run = RunContext.join(the_site, statement, run_id)
            run.actor = person
        else:  # run by hand: the person is whoever is logged in, never a typed name
            who = acting(the_site.settings)
            who.require_person(the_site.settings, "publish")
            run = RunContext.open(the_site, statement, {
                "statement": statement, "formats": ",".join(chosen), "draft": bool(draft)},
                who.name, "notebook")
        _current = run
        try:
            run.lock_statement(wait)
            loaded, diagnostics = read_record(path, the_site.organisations)
            _display(diagnostics_table(diagnostics, path))
            if loaded is None or any(d.is_error for d in diagnostics):
                raise RecordError(str(path), diagnostics)
            target = run.decide(draft=bool(draft), embargoed=bool(embargoed))
            loaded = publishing.target_statement(the_site, statement, target)
            plan = publishing.plan_outputs(the_site, loaded, chosen, target=target)
        except BaseException as exc:
            run.fail(f"record: {exc}" if isinstance(exc, RecordError) else exc)
            raise
        return cls(the_site, plan, diagnostics, run)

    # --- the steps, one per cell ---------------------------------------------------------

    def preview(self):
        """The statement as it will look on the web, inline."""
        from IPython.display import HTML

        page = self._render("html").decode("utf-8")
        frame = (f'<iframe title="Preview of {html.escape(self.document.statement.title)}" '
                 f'srcdoc="{html.escape(page)}" style="width:100%;height:36em;border:1px solid '
                 f'#ccc" sandbox></iframe>')
        # Wrapped: IPython warns (on stderr, in pink) about a bare <iframe> given to HTML().
        return HTML(f"<div>{frame}</div>")

    def publish(self) -> Table:
        """Render every format and write them into their folder; show what was written."""
        with self._step("publish"):
            rendered = {fmt: self._render(fmt) for fmt in self.formats}
            self.published = publishing.write_outputs(self.site, self.plan, rendered,
                                                      run_id=self.run.run_id)
            self.run.record(self.published)
        # The executed notebook carries its record, so nbconvert can render it again later.
        _display({RECORD_MIMETYPE: record_payload(self.document, self.site.root),
                  "text/plain": f"record of {self.document.statement.id} "
                                f"(sha256 {self.document.record_sha256[:12]}…)"}, raw=True)
        rows = []
        for f in self.published.files:
            link = f'<a href="{html.escape(_href(f.path))}" target="_blank">{f.path.name}</a>'
            rows.append((f.format, link, f"{f.bytes:,}", f.sha256[:16]))
        return Table(f"Written to {self.published.folder}", ("format", "file", "bytes",
                     "sha256"), rows, raw_html_columns=(1,))

    def pdf_first_page(self):
        """The first page of the PDF, as a picture."""
        from IPython.display import Image

        from .render.pdf import render_pdf_page_png

        with self._step("pdf_first_page"):
            # 50 ppi: sharp enough at this size, and half the cost of 72 (about 15 ms).
            png = render_pdf_page_png(self.document, self.site.templates_dir, page=1, ppi=50)
        return Image(data=png, format="png", width=420)

    def word_outline(self) -> Table:
        """The Word file's outline: each paragraph's style, and the footnote count."""
        with self._step("word_outline"):
            outline = docx_outline(self._render("docx"))
        self.finish()
        return Table(f"Word outline: {outline['footnotes']} footnotes",
                     ("#", "style", "text"), outline["paragraphs"])

    def finish(self) -> None:
        """End the run: a hand run's ledger row is closed with the files written; the
        statement's lock is released (the last cell calls it)."""
        global _current
        self.run.succeed()
        if _current is self.run:
            _current = None

    # --- internals -----------------------------------------------------------------------

    def _render(self, fmt: str) -> bytes:
        if fmt not in self._rendered:
            with self._step(f"render {fmt}"):
                self._rendered.update(
                    publishing.render_all(self.document, self.site.templates_dir, (fmt,)))
        return self._rendered[fmt]

    def _step(self, name: str):
        return _Step(self, name)

    def _fail(self, step: str, exc: BaseException) -> None:
        self.run.fail(f"{step}: {exc}")


class BuildRun(PublicationRun):
    """The notebook's run as part of a build: every cell as usual, but "publish" hands the
    rendered bytes back to the build (handback.py) instead of writing; the build writes."""

    def publish(self) -> Table:
        from .handback import hand_back

        with self._step("publish"):
            rendered = {fmt: self._render(fmt) for fmt in self.formats}
            hand_back(self.run.folder, rendered, self.plan.keys or {})
        rows = [(fmt, f"{len(data):,}") for fmt, data in rendered.items()]
        return Table("Rendered and handed back to the build, which writes output/",
                     ("format", "bytes"), rows)

    def finish(self) -> None:
        pass


# The run this kernel is taking part in. Whatever ends the kernel (the notebook closed half
# way, a restart, a crash) ends the run too: its row is closed by atexit here, or, if the
# kernel is killed, as interrupted by the next process that opens the ledger.
_current: RunContext | None = None


def _close_at_exit() -> None:
    if _current is not None:
        _current.fail("the notebook stopped before its last cell")


atexit.register(_close_at_exit)


class _Step:
    def __init__(self, run: PublicationRun, name: str):
        self.run, self.name = run, name

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is not None:
            self.run._fail(self.name, exc)
        return False


def diagnostics_table(diagnostics: list[Diagnostic], path: Path) -> Table:
    rows = [(d.severity.value, d.line or "", d.field or "", d.message) for d in diagnostics]
    errors = sum(d.is_error for d in diagnostics)
    caption = (f"{path.name}: {errors} error(s), {len(diagnostics) - errors} warning(s)"
               if diagnostics else f"{path.name}: no problems found")
    return Table(caption, ("severity", "line", "field", "message"), rows)


def docx_outline(data: bytes) -> dict[str, Any]:
    """Paragraph styles (by name) and footnote count of a .docx, read from its XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val")
                 for s in styles.iter(f"{W}style") if s.find(f"{W}name") is not None}
        body = etree.fromstring(z.read("word/document.xml"))
        paragraphs = []
        for n, p in enumerate(body.iter(f"{W}p"), 1):
            style = p.find(f"{W}pPr/{W}pStyle")
            name = names.get(style.get(f"{W}val"), style.get(f"{W}val")) if style is not None \
                else "Normal"
            text = "".join(t.text or "" for t in p.iter(f"{W}t"))
            paragraphs.append((n, name, text[:80] + ("…" if len(text) > 80 else "")))
        footnotes = 0
        if "word/footnotes.xml" in z.namelist():
            notes = etree.fromstring(z.read("word/footnotes.xml"))
            footnotes = sum(1 for f in notes.iter(f"{W}footnote") if f.get(f"{W}type") is None)
    return {"paragraphs": paragraphs, "footnotes": footnotes}


def _href(path: Path) -> str:
    return path.resolve().as_uri()


def _display(obj, raw: bool = False) -> None:
    try:
        from IPython.display import display
    except ImportError:  # outside a notebook there is nothing to show
        return
    display(obj, raw=raw) if raw else display(obj)
