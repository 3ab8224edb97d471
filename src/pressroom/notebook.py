"""What the cells of the publication notebook call; the notebook itself holds no logic.

Each step shows staff what they need to see, top to bottom: the statement's state, its last
transitions and where this run writes (and why), the record's problems, the statement as it
will look on the web, the files written, the PDF's first page, the outline of the Word file,
and a summary of the run. Run by hand in JupyterLab, the run records itself in the ledger;
run by `pressroom publish` (papermill, with a `run_id`), the command records it.

Every link to a file is relative to the notebook's own folder (`notebooks/`, or
`runs/<run id>/` for the executed notebook a command keeps), so JupyterLab resolves it
through its server and opens the file in a tab of its own: never a `file://` address, which
a browser refuses to open from a web page.
"""

from __future__ import annotations

import atexit
import io
import os
import posixpath
import urllib.parse
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from . import publish as publishing
from .display import Note, PagePicture, Panel, Table, file_link, preview_html, show
from .errors import RecordError
from .fileio import UnsafePathError, site_relative
from .gate import Target
from .history import Entry, History
from .model import Diagnostic, State
from .people import acting
from .render.exporters import RECORD_MIMETYPE, parse_formats, record_payload
from .runner import RunContext, executed_notebook
from .site import Site, load_site
from .versions import Version, Versions

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRANSITIONS_SHOWN = 3
# 96 ppi is the CSS pixel: the page shows at its printed size, about 800 px wide, and reads
# as well as the PDF does (50 ppi was too small to read). It costs about 13 ms and 180 KB of
# PNG more than 50 ppi did (about 30 ms and 290 KB for the sample statement).
PAGE_PPI = 96


class PublicationRun:
    """One publication of one statement, as the notebook runs it."""

    def __init__(self, site: Site, plan: publishing.Plan, diagnostics: list[Diagnostic],
                 run: RunContext, *, state: State | None = None, draft: bool = False,
                 here: Path | None = None):
        self.site = site
        self.plan = plan
        self.document = plan.document
        self.formats = plan.formats
        self.diagnostics = diagnostics
        self.published: publishing.Published | None = None
        self._rendered: dict[str, bytes] = {}
        self.run = run
        self.state = state  # the record's workflow state as this run found it
        self.draft = draft
        self.here = here or Path.cwd()  # the notebook's folder, which links are relative to

    @classmethod
    def start(cls, statement: str, *, formats: str = "all", draft: bool = False,
              person: str = "", run_id: str = "", site: str = "", wait: bool = False,
              embargoed: bool = False, build: str = "") -> PublicationRun:
        """Join the run (or, run by hand, open one: nobody else will record it), take the
        statement's publication lock, load and check the record; show the statement's
        state, its last transitions and where this run writes and why, then the record's
        problems; stop on errors with a plain message."""
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
        here = notebook_folder(the_site, statement, run_id)
        try:
            run.lock_statement(wait)
            loaded, diagnostics = the_site.read(path)
            usable = loaded is not None and not any(d.is_error for d in diagnostics)
            state = loaded.state if loaded is not None else None
            plan = None
            if usable:
                target = run.decide(draft=bool(draft), embargoed=bool(embargoed))
                rendered = publishing.target_statement(the_site, statement, target)
                plan = publishing.plan_outputs(the_site, rendered, chosen, target=target)
            show(status_panel(the_site, statement, state, run.target if usable else None,
                                  plan.folder if plan else None))
            show(diagnostics_table(diagnostics, path))
            if not usable:
                raise RecordError(str(path), diagnostics)
        except BaseException as exc:
            bad_record = isinstance(exc, RecordError)
            run.fail(f"record: {exc}" if bad_record else exc)
            show(_stopped(run, "the record" if bad_record else "its start", written=False))
            raise
        return cls(the_site, plan, diagnostics, run, state=state, draft=bool(draft), here=here)

    # --- the steps, one per cell ---------------------------------------------------------

    def preview(self):
        """The statement as it will look on the web, inline: the very page this run writes.
        Its links to files ("PDF version", "Word version", the archive's index) open them in
        JupyterLab, as the links in the table do."""
        from IPython.display import HTML

        with self._step("preview"):
            page = self._render("html").decode("utf-8")
        return HTML(preview_html(self.document.statement.title, page,
                                 self.href(self.plan.folder)))

    def publish(self) -> Table:
        """Render every format and write them into their folder; show what was written."""
        with self._step("publish"):
            rendered = {fmt: self._render(fmt) for fmt in self.formats}
            self.published = publishing.write_outputs(self.site, self.plan, rendered,
                                                      run_id=self.run.run_id)
            self.run.record(self.published)
            if self.run.owner and self.plan.target and self.plan.target.public:
                # Run by hand: nobody else will bring the archive's pages up to date.
                from .archive import refresh

                said = refresh(self.site)
                show(Note(f"{said[:1].upper()}{said[1:]}."))  # one plain sentence
        # The executed notebook carries its record, so nbconvert can render it again later.
        show({RECORD_MIMETYPE: record_payload(self.document, self.site.root),
              "text/plain": f"record of {self.document.statement.id} "
                            f"(sha256 {self.document.record_sha256[:12]}…)"}, raw=True)
        rows = [(f.format, file_link(self.href(f.path), f.path.name, f.format),
                 f"{f.bytes:,}", f.sha256[:16]) for f in self.published.files]
        where = "public" if self.run.target and self.run.target.public else "not served"
        return Table(f"Written to `{self._site_path(self.published.folder)}/` ({where})",
                     ("format", "file", "bytes", "sha256"), rows, raw_html_columns=(1,))

    def pdf_first_page(self) -> PagePicture:
        """The first page of the PDF, as a picture at its printed size."""
        from .render.pdf import render_pdf_page_png

        with self._step("pdf_first_page"):
            png = render_pdf_page_png(self.document, self.site.templates_dir, page=1,
                                      ppi=PAGE_PPI)
        return PagePicture(png, f"The first page of the PDF of “"
                                f"{self.document.statement.title}”, as it prints.")

    def word_outline(self) -> Table:
        """The Word file's outline: each paragraph's style, and the footnote count. A
        notebook made before the summary cell ends here, so the run ends here too."""
        with self._step("word_outline"):
            outline = docx_outline(self._render("docx"))
        self.finish()
        return Table(f"Word outline: {outline['footnotes']} footnotes",
                     ("#", "style", "text"), outline["paragraphs"])

    def summary(self) -> Panel:
        """The last cell: end the run (if no step has) and say what it did and what next."""
        self.finish()
        return summary_panel(self)

    def finish(self) -> None:
        """End the run: a hand run's ledger row is closed with the files written; the
        statement's lock is released."""
        global _current
        self.run.succeed()
        if _current is self.run:
            _current = None

    # --- internals -----------------------------------------------------------------------

    def href(self, path: Path) -> str:
        return relative_href(self.site, self.here, path)

    def _site_path(self, path: Path) -> str:
        try:
            return site_relative(self.site.root, path).as_posix()
        except UnsafePathError:
            return str(path)

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
        show(_stopped(self.run, step, written=self.published is not None))


class BuildRun(PublicationRun):
    """The notebook's run as part of a build: every cell as usual, but "publish" hands the
    rendered bytes back to the build (handback.py) instead of writing; the build writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The build keeps the executed notebook as runs/<run id>/<id>.ipynb, under a run id
        # it gives later: links start from a folder at that depth, as a command run's do.
        self.here = self.site.runs_dir / "build"

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

    def summary(self) -> Panel:
        statement_id = self.document.statement.id
        return Panel(f"Summary: {statement_id}", [
            ("Rendered", ", ".join(self.formats)),
            ("Written to", f"nothing by this notebook: the build writes `output/{statement_id}/` "
                           f"and records the run (`pressroom log {statement_id}`)")],
            role="summary")


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
        if exc is not None and not self.run.run.closed:
            self.run._fail(self.name, exc)
        return False


# --- what the cells show -------------------------------------------------------------------

def status_panel(site: Site, statement_id: str, state: State | None, target: Target | None,
                 folder: Path | None) -> Panel:
    """The top of the run: the statement's state, its published version, its last
    transitions (newest first) and where this run writes, and why."""
    published = Versions(site.runs_dir).latest_published(statement_id)
    lines = [("State", state.value if state else "unknown: the record cannot be read"),
             ("Published version", _version_text(published) if published else "none yet")]
    if site.working_path(statement_id).is_file():
        lines.append(("Working copy", f"`working/{statement_id}.md` is checked out: edits "
                      "go there until it is published"))
    if target is None:
        lines.append(("This run writes", "nothing: the record has errors (below); fix them "
                      "and run again"))
    else:
        lines += [("This run writes to", _where(site, target, folder)),
                  ("Why", _why(target))]
    entries = History(site.runs_dir).entries(statement_id)[-TRANSITIONS_SHOWN:][::-1]
    table: Table | Note
    if entries:
        table = Table(f"Last transitions of {statement_id} (newest first)",
                      ("when", "transition", "who", "state", "comment"),
                      [_transition_row(e) for e in entries])
    else:
        table = Note(f"No transitions of {statement_id} are recorded yet.")
    return Panel(statement_id, lines, table, role="status")


def summary_panel(run: PublicationRun) -> Panel:
    """The end of the run: what it wrote, where and why, and what to do next."""
    context, target = run.run, run.run.target
    statement_id = context.statement_id
    lines = [("Run", f"{context.run_id}, recorded in the run ledger: "
                     f"`pressroom log {statement_id}`"),
             ("State", run.state.value if run.state else "unknown")]
    if target is not None and run.published is None:
        lines.append(("Written to", "nothing: the publish step did not run"))
    elif target is not None:
        lines += [("Written to", _where(run.site, target, run.published.folder)),
                  ("Why", _why(target)),
                  ("Version", _version_text(target.version) if target.version else
                   "none: the record as its file is now, not a stored version")]
    lines.append(("Next", next_step(run.site, statement_id, run.state, target, run.draft)))
    return Panel(f"Summary: {statement_id}", lines, role="summary")


def next_step(site: Site, statement_id: str, state: State | None, target: Target | None,
              draft: bool = False) -> str:
    """What to do after this run, in a sentence for staff."""
    flow = f"`pressroom workflow {statement_id}`"
    publish = f"`pressroom workflow {statement_id} publish`"
    if target is None:
        return "fix the record's errors and run the notebook again"
    if target.embargoed is not None:
        return ("send the files in the folder above to journalists; the public files follow "
                "once the embargo has passed, with `pressroom release`")
    if draft:
        then = "" if state is State.PUBLISHED else f"; to make it public, a Reviewer " \
                                                    f"publishes it: {publish}"
        return f"send the Word file to the reviewers{then}"
    if target.public:
        return ("nothing: the public folder holds this version. To change it, edit the "
                f"record; a Reviewer then republishes it: {publish}")
    if target.version is not None:  # the published version, under embargo
        return "`pressroom release` puts it in `output/` once its embargo has passed"
    if state is State.PRIVATE:
        return (f"to send it for review: `pressroom workflow {statement_id} submit`; to make "
                f"it public, a Reviewer publishes it: {publish}")
    if state is State.PENDING:
        return f"to make it public, a Reviewer publishes it: {publish}"
    if Versions(site.runs_dir).latest_published(statement_id) is None:
        return f"a Manager takes it in: `pressroom workflow {statement_id} adopt`"
    return (f"to make the change public, a Reviewer republishes it: {publish} "
            f"({flow} shows what you may do)")


def diagnostics_table(diagnostics: list[Diagnostic], path: Path) -> Table | Note:
    if not diagnostics:
        return Note(f"No problems found in {path.name}.")
    rows = [(d.severity.value, d.line or "", d.field or "", d.message) for d in diagnostics]
    errors = sum(d.is_error for d in diagnostics)
    return Table(f"{path.name}: {errors} error(s), {len(diagnostics) - errors} warning(s)",
                 ("severity", "line", "field", "message"), rows)


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


# --- links -----------------------------------------------------------------------------------

def notebook_folder(site: Site, statement_id: str, run_id: str = "") -> Path:
    """The folder of the notebook being run, which its links are relative to: the executed
    notebook's under `runs/<run id>/` when a command runs it; by hand, the folder JupyterLab
    started the kernel for (it names the notebook in JPY_SESSION_NAME, unresolved, so a
    linked `notebooks/` stays `notebooks/`), else the working folder. A kernel started from
    inside another (papermill in a notebook's cell) inherits the outer notebook's name, in
    another folder: that name is not this notebook's."""
    if run_id:
        return executed_notebook(site, run_id, statement_id).parent
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb") and os.path.isabs(session):
        try:
            if os.path.samefile(os.path.dirname(session), os.getcwd()):
                return Path(session).parent
        except OSError:  # the folder is gone, or the kernel's own is
            pass
    return Path.cwd()


def relative_href(site: Site, folder: Path, path: Path) -> str:
    """`path` as a link from a notebook in `folder`: relative, with both named as the site
    names them (`output/` stays `output/` when it is a link elsewhere), URL-quoted."""
    try:
        rel = posixpath.relpath(site_relative(site.root, path).as_posix(),
                                site_relative(site.root, folder).as_posix())
    except UnsafePathError:  # the notebook is outside the site: plain paths, as they are
        rel = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()
    return urllib.parse.quote(rel)


# --- words -----------------------------------------------------------------------------------

def _where(site: Site, target: Target, folder: Path | None) -> str:
    try:
        shown = site_relative(site.root, folder).as_posix() + "/" if folder else target.where
    except UnsafePathError:
        shown = str(folder)
    return f"`{shown}` ({'public' if target.public else 'not served'})"


def _why(target: Target) -> str:
    # The gate's reason for a public run is the version, which is said on its own line.
    return ("it is the latest published version, and no embargo holds it" if target.public
            else target.reason)


def _version_text(version: Version) -> str:
    what = "published" if version.published else "stored"
    return f"{version.number}, {what} {version.created:%Y-%m-%d} by {version.person}"


def _transition_row(entry: Entry) -> tuple[str, ...]:
    moved = (entry.to_state.value if entry.from_state is entry.to_state
             else f"{entry.from_state.value} → {entry.to_state.value}")
    version = f" (version {entry.version_after})" if entry.version_after else ""
    return (f"{entry.time:%Y-%m-%d %H:%M} UTC", entry.action + version, entry.who, moved,
            entry.comment or "")


def _stopped(run: RunContext, step: str, *, written: bool) -> Note:
    files = ("The files listed above were written." if written else
             "Nothing was written: the previous files are as they were.")
    return Note(f"This run stopped at {step}. {files} It is recorded as failed in the run "
                f"ledger, as run {run.run_id}: `pressroom log {run.statement_id} --failed`.")
