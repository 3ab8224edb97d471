"""The archival PDF: typst, with the record passed in as data.

`render_pdf` turns a Document into PDF/A-2u + PDF/UA-1 bytes with the page design in
`templates/typst/statement.typ`. The statement goes into the template as JSON through
`sys.inputs`, never spliced into markup, so text such as `$5` or `#panic()` prints as written.
One typst Compiler per (template, fonts) is kept for the process: building one scans the
font folders, which costs several times a render.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typst

from .. import design as house
from .. import model
from ..errors import RenderError
from ..model import Document
from . import common, pdfcheck
from .bidi import isolate_tree
from .glyphs import FALLBACK_FONTS, FONT_DIRS
from .scripts import LATIN, script_for
from .weights import family as weighted_family
from .weights import weighted_dir

TEMPLATE_NAME = "statement.typ"
INPUT_KEY = "record"
PDF_STANDARDS = ["a-2u", "ua-1"]
# FONT_DIRS (only these folders, never system or typst's bundled fonts) and FALLBACK_FONTS
# live in glyphs.py, which `check` asks before anything renders.
MONO_FONTS = ("Noto Sans Mono CJK SC",)

_compilers: dict[tuple[str, tuple[str, ...]], tuple[typst.Compiler, threading.Lock]] = {}
_compilers_lock = threading.Lock()
_fonts: dict[tuple[str, ...], typst.Fonts] = {}  # font folders -> their scan, shared


def render_pdf(document: Document, templates_dir: Path) -> bytes:
    """The statement as an archival PDF (A4, PDF/A-2u and PDF/UA-1), byte-identical for the
    same Document. Raises RenderError for a template error (file and line) or a character no
    font can show (naming it)."""
    template = Path(templates_dir) / "typst" / TEMPLATE_NAME
    if not template.is_file():
        raise RenderError(f"{template}: the PDF template is missing.")
    where = document.statement.path or document.statement.id
    try:
        inputs = {INPUT_KEY: json.dumps(template_data(document, templates_dir),
                                        ensure_ascii=False)}
        pdf = _compile(template, inputs, document.statement.date, PDF_STANDARDS)
    except typst.TypstError as exc:
        raise _render_error(exc, template, where, inputs, document) from None
    except common.RECORD_FAULTS as exc:  # text typst cannot take in (a lone surrogate)
        raise common.record_error(document, "PDF", exc) from None
    # typst draws glyph 0 for a character no font has, silently, unless PDF/A is on: then its
    # export refuses glyph 0 itself and the error path above names every such character. So
    # the scan of the output (as long as the compile itself on a long statement) runs only
    # when no PDF/A standard is asked for; the tests scan every PDF they render regardless.
    if not any(standard.startswith("a-") for standard in PDF_STANDARDS):
        error = pdfcheck.missing_glyph_error(pdf, where)
        if error is not None:
            raise error
    return pdf


def render_pdf_page_png(document: Document, templates_dir: Path, page: int = 1,
                        ppi: int = 72) -> bytes:
    """One page of the PDF as a PNG picture (for the notebook's preview), typeset by the same
    compiler and template as the PDF itself."""
    template = Path(templates_dir) / "typst" / TEMPLATE_NAME
    try:
        inputs = {INPUT_KEY: json.dumps(template_data(document, templates_dir),
                                        ensure_ascii=False)}
        pages = _compile(template, inputs, document.statement.date, [], fmt="png", ppi=ppi)
    except typst.TypstError as exc:
        raise _render_error(exc, template, document.statement.path or document.statement.id,
                            inputs, document) from None
    except common.RECORD_FAULTS as exc:
        raise common.record_error(document, "PDF", exc) from None
    pages = [pages] if isinstance(pages, bytes) else list(pages)
    if not 1 <= page <= len(pages):
        raise RenderError(f"{document.statement.id}: the PDF has {len(pages)} page(s), "
                          f"not a page {page}.")
    return pages[page - 1]


def _compile(template: Path, inputs: dict[str, str], date: dt.date,
             standards: list[str], fmt: str = "pdf", ppi: int | None = None):
    compiler, lock = _compiler(template, FONT_DIRS)
    with lock:
        out = compiler.compile(
            format=fmt,
            ppi=ppi,
            sys_inputs=inputs,
            pdf_standards=standards,
            # The record's date, never the clock: the same record gives the same bytes.
            timestamp=dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC),
        )
    if fmt == "pdf":
        assert isinstance(out, bytes)
    return out


def template_data(document: Document, templates_dir: Path | None = None) -> dict[str, Any]:
    """Everything the template shows, as JSON-able data (the body tree from model.to_data),
    with the site's design (templates/design.toml; the defaults without a templates folder)."""
    s, words = document.statement, document.wording
    design = house.load_design(templates_dir) if templates_dir else model.Design()
    # Each script as the site's design sets it (its font, size and line height over
    # render/scripts.py's).
    script = house.adjusted(design, script_for(s.language))
    # The shared wording is in its catalog's language (English when there is none): its
    # script's type, tagged with that language.
    words_script = house.adjusted(design, script_for(words.language))
    about_script = script_for(document.settings.default_language)
    body = model.to_data(s.body)
    isolate_tree(body["blocks"], script.direction)
    for note in body["footnotes"]:
        isolate_tree(note["children"], script.direction)
    _mark_first_citations(body["blocks"])
    _rank_headings(body["blocks"])
    date = s.date
    return {
        "title": common.document_title(document),
        "author": common.author(document),
        "subject": common.subject(document),
        "keywords": common.keywords(document),
        "date": {"year": date.year, "month": date.month, "day": date.day},
        "lang": _typst_lang(s.language),
        "dir": script.direction,
        # A script whose font files misreport their weights is set from copies that say
        # them (weights.py): its faces are then chosen by weight, explicitly.
        "fonts": list(dict.fromkeys([*_faces(script), *FALLBACK_FONTS])),
        "mono_fonts": [*MONO_FONTS, script.font, *FALLBACK_FONTS],
        "line_height": script.line_height,
        # The script's letters (not Latin ones among them) set larger, to read as Latin does.
        "script_size": script.size,
        "script_code": script.name,
        "site_lang": _typst_lang(words.language),
        "site_dir": words_script.direction,
        "site_fonts": list(dict.fromkeys([*_faces(words_script),
                                          house.adjusted(design, LATIN).font,
                                          *FALLBACK_FONTS, *_faces(script)])),
        "site_line_height": words_script.line_height,
        "design": house.as_data(design, document.settings, templates_dir),
        "kind": common.type_label(document),
        # Letter-spaced capitals in an alphabet with capitals; never in a joined script.
        "kind_tracking": 0.06 if words_script.name in ("Latn", "Cyrl") else 0,
        "label_fonts": list(dict.fromkeys([design.font_label, *_faces(words_script),
                                           *FALLBACK_FONTS, *_faces(script)])),
        "marked": document.marked,
        "mark_label": (common.marking(document) or ("", ""))[0],
        # The watermark says DRAFT on every page; a copy under embargo also says until when.
        "banner": (common.marking(document) or ("", ""))[1]
        if document.embargoed_until is not None else "",
        "corrections": common.corrections(s, words),
        "short_name": common.short_name(common.author(document)),
        "header_right": common.long_date(s, words),
        "page_label": common.page_label(words),
        # The script's own digits for page numbers, when the site asks (else 0-9).
        "digits": list(words.digits or "0123456789"),
        "dateline": common.dateline(s, words),
        "blocks": body["blocks"],
        "footnotes": {str(f["number"]): f["children"] for f in body["footnotes"]},
        "endorsers_heading": common.endorsers_heading(s, words),
        "endorsers": [o.name for o in document.endorsers],
        "about_heading": common.about_heading(document),
        "about_text": common.about_text(document),
        # About is the site's own text, in the site's language (not the catalog's).
        "about_lang": _typst_lang(document.settings.default_language),
        "about_dir": about_script.direction,
        "about_fonts": list(dict.fromkeys([*_faces(about_script), LATIN.font, *FALLBACK_FONTS])),
        "contact_groups": [
            {"heading": heading, "contacts": [{"label": c.label, "email": c.email}
                                              for c in group]}
            for heading, group in common.contact_groups(document)],
    }


def _faces(script) -> list[str]:
    """The families to set a script in: first the copies with true weights, where its font
    files misreport theirs (weights.py), then its font."""
    weighted = weighted_family(script)
    return [weighted, script.font] if weighted else [script.font]


def _mark_first_citations(blocks: list[Any]) -> None:
    """Flag each footnote marker that is its note's first citation (in reading order), so the
    template prints the note there and refers back to it from later citations."""
    seen: set[int] = set()
    for node in _walk(blocks):
        if node.get("kind") == "footnote_ref":
            node["first"] = node["number"] not in seen
            seen.add(node["number"])


def _rank_headings(blocks: list[Any]) -> None:
    """Heading levels as ranks (1, 2, ...): PDF/UA-1 wants the first heading at level 1 and no
    level skipped going down, whatever levels the Markdown used; so each heading is at most
    one rank below the one before it (a body opening with `##` and later using `#` too)."""
    headings = [n for n in _walk(blocks) if n.get("kind") == "heading"]
    ranks = {level: rank for rank, level in enumerate(sorted({h["level"] for h in headings}), 1)}
    previous = 0
    for heading in headings:
        heading["level"] = previous = min(ranks[heading["level"]], previous + 1)


def _walk(nodes: list[Any]) -> Iterator[dict[str, Any]]:
    for node in nodes:
        yield node
        if node.get("kind") == "list":
            for item in node["items"]:
                yield from _walk(item)
        elif "children" in node:
            yield from _walk(node["children"])


def _typst_lang(tag: str) -> str:
    """typst's `lang` takes the ISO 639 code alone ('zh-Hant' -> 'zh')."""
    return tag.replace("_", "-").split("-")[0].lower() or "en"


def _compiler(template: Path, font_dirs: tuple[Path, ...]) -> tuple[typst.Compiler, threading.Lock]:
    """One Compiler per template file and font set, reused across renders. Built from the
    template FILE: a Compiler built from template bytes failed on its second compile in
    typst-py 0.15.2. typst re-reads the file on every compile, so edits are seen."""
    key = (str(template.resolve()), tuple(str(p) for p in font_dirs))
    with _compilers_lock:
        if key not in _compilers:
            compiler = typst.Compiler(str(template), root=str(template.parent),
                                      font_paths=_scanned(font_dirs))
            _compilers[key] = (compiler, threading.Lock())
        return _compilers[key]


def _scanned(font_dirs: tuple[Path, ...]) -> typst.Fonts:
    """The fonts of `font_dirs` (and their weighted copies), scanned once per process and
    shared by every Compiler: the scan is most of a first render (60-70 ms). Called under
    _compilers_lock."""
    key = tuple(str(p) for p in font_dirs)
    if key not in _fonts:
        folders = [str(p) for p in font_dirs if p.is_dir()]
        weighted = weighted_dir(font_dirs) if folders else None
        if weighted is not None:
            folders.append(str(weighted))
        if not folders:
            raise RenderError(
                f"The PDF needs the Noto fonts in {' or '.join(map(str, font_dirs))}: "
                "install Debian's fonts-noto-core and fonts-noto-cjk.")
        _fonts[key] = typst.Fonts(
            include_system_fonts=False, include_embedded_fonts=False, font_paths=folders)
    return _fonts[key]


def scan_fonts() -> None:
    """Scan the fonts ahead: a build's fork server does, so that every worker forked from it
    starts with the scan made. Scanning starts no thread (a compile does: never compile in
    a process that forks)."""
    with _compilers_lock, contextlib.suppress(RenderError):  # no fonts: a render says so
        _scanned(FONT_DIRS)


_WHERE = re.compile(r"┌─ (.+?):(\d+):(\d+)")
_MISSING = re.compile(r"the text `(.*?)` could not be displayed with font `(.*?)`", re.S)


def _render_error(exc: typst.TypstError, template: Path, where: str, inputs: dict[str, str],
                  document: Document) -> RenderError:
    """typst's error as staff can act on it: a missing glyph names the characters; an error
    the template makes with any record names the template file and line; anything else is
    the record's, and names the field or the line of the paragraph typst cannot take."""
    date = document.statement.date
    message = str(getattr(exc, "message", "") or exc)
    missing = _MISSING.search(message)
    if missing:
        # typst names the first such character only: compile once more without the PDF/A
        # rule and read every glyph 0 out of that PDF to name them all.
        named = _decode_typst_string(missing.group(1))
        pdf = b""
        with contextlib.suppress(typst.TypstError):
            pdf = _compile(template, inputs, date, [])
        return pdfcheck.missing_glyph_error(pdf, where, known=named) or RenderError(
            f"{where}: {message}")
    fault = _record_fault(template, json.loads(inputs[INPUT_KEY]), document)
    if fault == "record":
        return RenderError(f"{where}: the PDF cannot be made from this record: {message}. "
                           "`pressroom check` finds nothing wrong with it: the fault is "
                           "Pressroom's (or its PDF engine's), not the record's; report it "
                           "with the record")
    if fault is not None:
        return RenderError(f"{where}:{fault}: the PDF cannot be made from it: {message}; "
                           "`pressroom check` lists every problem of the record")
    diagnostic = str(getattr(exc, "diagnostic", "") or "")
    trace = " ".join(str(t) for t in getattr(exc, "trace", None) or ())
    found = _WHERE.search(diagnostic) or _WHERE.search(trace)
    if found is None:
        return RenderError(f"{template}: PDF template error: {message}")
    source = Path(found.group(1))
    path = source.resolve() if source.is_file() else template
    return RenderError(f"{path}:{found.group(2)}: PDF template error: {message}")


# The fields of template_data that come from the record or the site, by the name staff know.
_FIELDS = {"title": "title", "author": "issued_by", "short_name": "issued_by",
           "subject": "countries", "keywords": "countries", "dateline": "place",
           "header_right": "date", "endorsers": "endorsers", "about_text": "about",
           "contact_groups": "contacts", "corrections": "corrections"}
_NEUTRAL = {"title": "Title", "author": "Author", "short_name": "Author", "subject": "Statement",
            "keywords": [], "dateline": "1 January 2000", "header_right": "1 January 2000",
            "endorsers": [], "about_text": None, "contact_groups": [], "corrections": [],
            "blocks": [], "footnotes": {}}


def _record_fault(template: Path, data: dict[str, Any], document: Document) -> str | None:
    """After a failed compile: None when the template fails with neutral words in place of
    the record's too (a template error); else ' field' or 'line: body' for the first field
    or top-level block that fails on its own, or 'record' when none does alone."""
    date = document.statement.date

    def compiles(trial: dict[str, Any]) -> bool:
        try:
            _compile(template, {INPUT_KEY: json.dumps(trial, ensure_ascii=False)}, date,
                     PDF_STANDARDS)
        except typst.TypstError:
            return False
        return True

    neutral = {**data, **_NEUTRAL}
    if not compiles(neutral):
        return None
    for key, field in _FIELDS.items():
        if not compiles({**neutral, key: data[key]}):
            return f" {field}"
    blocks = data["blocks"]
    lo, hi = 0, len(blocks)
    while hi - lo > 1:  # halve the body until one block is left that still fails
        mid = (lo + hi) // 2
        if not compiles(_with_blocks(neutral, data, blocks[lo:mid])):
            hi = mid
        else:
            lo = mid
    if hi - lo == 1 and not compiles(_with_blocks(neutral, data, blocks[lo:hi])):
        line = document.statement.body.blocks[lo].line
        return f"{line or ''}: body: the text starting here (or a footnote it cites)"
    return "record"


def _with_blocks(neutral: dict[str, Any], data: dict[str, Any],
                 blocks: list[Any]) -> dict[str, Any]:
    """`neutral` with some of the body's blocks and the footnotes they cite."""
    blocks = copy.deepcopy(blocks)
    _mark_first_citations(blocks)
    cited = {str(n["number"]) for n in _walk(blocks) if n.get("kind") == "footnote_ref"}
    notes = {k: v for k, v in data["footnotes"].items() if k in cited}
    return {**neutral, "blocks": blocks, "footnotes": notes}


def _decode_typst_string(literal: str) -> str:
    """typst quotes the text it cannot show as a string literal with \\u{...} escapes."""
    text = literal[1:-1] if literal.startswith('"') and literal.endswith('"') else literal
    return re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m.group(1), 16)), text)
