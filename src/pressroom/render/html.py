"""The web page: a Document rendered through Jinja templates into one standalone HTML file.

The page asks for nothing: CSS is inlined, the favicon is a data: URL, fonts are the
reader's local Noto families, and the only script is JSON-LD data. The body tree reaches the
template as plain data (dicts with a `kind`), and a recursive macro turns it into markup
with autoescape on, so nothing in a record is ever read as HTML or as template code.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import design as house
from .. import wording
from ..errors import RenderError
from ..model import Document, StatementType, to_data
from . import common
from .bidi import isolate_tree
from .scripts import LATIN, script_for

TEMPLATE = "statement.html.j2"
_FONT_NAME = re.compile(r"^[A-Za-z0-9 ]+$")


def render_html(document: Document, templates_dir: Path) -> bytes:
    """The statement as a standalone UTF-8 web page. Pure: the same Document gives the same
    bytes. A template error raises RenderError naming the template file and line."""
    html_dir = Path(templates_dir) / "html"
    env = _environment(html_dir.resolve())
    with _template_errors(html_dir):
        template = env.get_template(TEMPLATE)
    try:
        page = page_data(document, templates_dir)  # outside: a bug here is no template error
        with _template_errors(html_dir):
            text = template.render(page=page)
        return text.encode("utf-8")
    except common.RECORD_FAULTS as exc:  # text it cannot encode, a tree too deep for it
        raise common.record_error(document, "web page", exc) from None


@lru_cache(maxsize=16)
def _environment(html_dir: Path) -> jinja2.Environment:
    # One Environment per templates folder: it caches compiled templates (and reloads a
    # template whose file changed), so building it per call would recompile every time.
    from ..usercache import jinja_bytecode_cache

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(html_dir)),
        bytecode_cache=jinja_bytecode_cache("statement"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@contextmanager
def _template_errors(html_dir: Path) -> Iterator[None]:
    """Any failure of a template, as a RenderError that names its file and line."""
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or str(html_dir / (exc.name or TEMPLATE))
        raise RenderError(f"{where}:{exc.lineno}: template error: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"{html_dir}: template {exc.name!r} not found; the site's templates/html/ "
            f"folder needs {TEMPLATE} and its partials."
        ) from exc
    except (RecursionError, UnicodeError):
        raise  # the record's fault, not a template's: render_html names the record
    except Exception as exc:  # an error raised while a template runs: say where
        raise RenderError(f"{_template_location(exc, html_dir)}: template error: {exc}") from exc


def _template_location(exc: BaseException, html_dir: Path) -> str:
    """'path/to/template.html.j2:LINE' from the innermost template frame of a traceback
    (Jinja rewrites its frames to point at template files and lines)."""
    root = str(html_dir.resolve())
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.startswith(root) or f.filename.endswith(".j2")]
    if not frames:
        return str(html_dir / TEMPLATE)
    return f"{frames[-1].filename}:{frames[-1].lineno}"


# --- the data the template gets ------------------------------------------------------------


def page_data(document: Document, templates_dir: Path) -> dict[str, Any]:
    """Everything the page shows, as plain data; words come from render.common, in the
    language of the document's wording (its catalog's, else English)."""
    s, words = document.statement, document.wording
    script = script_for(s.language)
    citations: dict[int, list[str]] = {}
    blocks = _annotate(isolate_tree(to_data(s.body.blocks), script.direction), citations)
    date_text = common.long_date(s, words)
    before, _, after = common.dateline(s, words).rpartition(date_text)
    url = _page_url(document)
    design = house.load_design(templates_dir)
    return {
        "organisation": house.organisation_name(design, document.settings),
        "logo": _data_url(house.logo_svg(design, templates_dir)),
        "lang": s.language,
        "dir": script.direction,
        "title": common.document_title(document),
        "heading": s.title,
        "kind": common.type_label(document),
        "marked": document.marked,
        "banner": (common.marking(document) or ("", ""))[1],
        "corrections": common.corrections(s, words),
        "words_lang": words.language,
        "words_dir": script_for(words.language).direction,
        "words_foreign": _primary(s.language) != _primary(words.language),
        "t": words.text,  # the templates' own words: page.t("All statements")
        "description": common.description(document),
        "url": url,
        "site_name": document.settings.name,
        "date_iso": s.date.isoformat(),
        "dateline": {"before": before, "date": date_text, "after": after},
        "keywords": common.keywords(document),
        "links": _format_links(document),
        "alternates": _alternates(document),
        "blocks": blocks,
        "heading_shift": _heading_shift(s.body.blocks),
        "footnotes_heading": words.text(common.FOOTNOTES_HEADING),
        "footnotes": [
            {
                "number": f.number,
                "blocks": _annotate(isolate_tree(to_data(f.children), script.direction), {}),
                "citations": citations.get(f.number, []),
            }
            for f in s.footnotes
        ],
        "endorsers_heading": common.endorsers_heading(s, words),
        "endorsers": [org.name for org in document.endorsers],
        "about_heading": common.about_heading(document),
        "about": common.about_text(document),
        # The site writes it, unless the directory has it in the statement's language.
        "about_lang": document.issuer.language or document.settings.default_language,
        "about_dir": script_for(document.issuer.language
                                or document.settings.default_language).direction,
        "contact_groups": [
            {"heading": heading, "contacts": [{"label": c.label, "email": c.email}
                                              for c in contacts]}
            for heading, contacts in common.contact_groups(document)
        ],
        "json_ld": _json_ld(document, url),
        "screen_css": _css(document, templates_dir, "screen.css", script_rules=True),
        "print_css": _css(document, templates_dir, "print.css"),
    }


def _alternates(document: Document) -> list[dict[str, Any]]:
    """The group's languages for the head's hreflang links and the language switcher, each
    named in itself (CLDR, through Babel: "ไทย", "العربية"), not in the page's language."""
    from ..translations import language_name

    base = document.settings.base_url
    base = base if base.endswith("/") else base + "/"
    here = document.statement.id
    return [{"lang": a.language, "dir": script_for(a.language).direction,
             "name": language_name(a.language), "current": a.statement_id == here,
             "original": a.original, "url": f"{base}{a.statement_id}/{a.statement_id}.html",
             "href": f"../{a.statement_id}/{a.statement_id}.html"}
            for a in document.alternates] if len(document.alternates) > 1 else []


def _data_url(svg: str | None) -> str | None:
    """The logo inside the page (it asks for nothing): an <img>'s SVG runs no script."""
    if svg is None:
        return None
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def _page_url(document: Document) -> str:
    """Where the page is served: output/ is published as it is, so under the base URL the
    page sits where publish writes it, output/<id>/<id>.html."""
    base = document.settings.base_url
    sid = document.statement.id
    return f"{base if base.endswith('/') else base + '/'}{sid}/{sid}.html"


def _annotate(blocks: list[Any], citations: dict[int, list[str]]) -> list[Any]:
    """Give each footnote marker its own id (fnref-3, then fnref-3-2 for a second citation
    of note 3), collected in `citations` so every back link returns to the marker it came
    from. Also marks links whose text is their URL, which print CSS need not repeat."""

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            if node.get("kind") == "footnote_ref":
                ids = citations.setdefault(node["number"], [])
                n = node["number"]
                ids.append(f"fnref-{n}" if not ids else f"fnref-{n}-{len(ids) + 1}")
                node["ref_id"] = ids[-1]
            elif node.get("kind") == "link":
                node["shows_url"] = _shows_url(node)
                children = node["children"]
                if node["shows_url"] and len(children) == 1 and children[0]["kind"] == "text":
                    node["segments"] = url_segments(children[0]["text"])
            for value in node.values():
                if isinstance(value, list | dict):
                    visit(value)

    visit(blocks)
    return blocks


_URL_BREAK = re.compile(r"(?<=[/.])")
_BEFORE_HYPHEN = re.compile(r"(?=-)")
WHOLE_URL_PIECE = 30  # characters: longer than this, a piece may not fit a phone's line


def url_segments(url: str) -> list[dict[str, Any]]:
    """A URL cut where the page may break it (a <wbr> between pieces): after each slash and
    dot, never at a hyphen, so that no line ends in a hyphen that reads as a word broken by
    hyphenation: a piece holding one is kept whole ("whole"), and one too long for a narrow
    screen is cut before its hyphens instead, each "-word" kept whole."""
    out: list[dict[str, Any]] = []
    for piece in filter(None, _URL_BREAK.split(url)):
        if "-" not in piece:
            out.append({"text": piece, "whole": False})
        elif len(piece) <= WHOLE_URL_PIECE:
            out.append({"text": piece, "whole": True})
        else:
            out += [{"text": part, "whole": part.startswith("-")}
                    for part in _BEFORE_HYPHEN.split(piece) if part]
    return out


def _shows_url(link: dict[str, Any]) -> bool:
    href = link["href"]
    text = "".join(
        c.get("text", "") for c in link["children"] if c.get("kind") in ("text", "code")
    )
    return common.shows_address(href, text)


def _heading_shift(blocks: tuple) -> int:
    """How far to shift body headings so the highest becomes <h2> under the page's <h1>."""
    levels = [b.level for b in blocks if getattr(b, "kind", None) == "heading"]
    return 2 - min(levels) if levels else 0


def _json_ld(document: Document, url: str) -> Markup:
    s = document.statement
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": s.title,
        "name": common.document_title(document),
        "description": common.description(document),
        "genre": common.type_label(document),
        "datePublished": s.date.isoformat(),
        "inLanguage": s.language,
        "url": url,
        "author": _organisation(common.author(document), document.issuer.url),
        "publisher": _organisation(document.settings.name, None),
        "keywords": common.keywords(document),
        "contributor": [_organisation(o.name, o.url) for o in document.endorsers],
        "citation": [u for f in s.footnotes for u in f.urls],
    }
    if s.countries:
        data["contentLocation"] = [{"@type": "Country", "name": c} for c in s.countries]
    if document.marked:
        data["creativeWorkStatus"] = "Draft"
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # Inside <script> the HTML parser ends the element at "</script" whatever JSON thinks;
    # \u escapes keep the same JSON value and give the parser nothing to stop on.
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


def _organisation(name: str, url: str | None) -> dict[str, str]:
    org = {"@type": "Organization", "name": name}
    if url:
        org["url"] = url
    return org


def _css(document: Document, templates_dir: Path, name: str, script_rules: bool = False) -> Markup:
    """A stylesheet from templates/css, for inlining in a <style> element (the page must
    stand alone). Screen CSS is preceded by the record's script: font stack, line height."""
    path = Path(templates_dir) / "css" / name
    try:
        css = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"{path}: cannot read the stylesheet: {exc.strerror}") from exc
    if "</style" in css.lower():
        raise RenderError(f"{path}: a stylesheet may not contain '</style'")
    if script_rules:
        design = house.load_design(templates_dir)
        script = house.adjusted(design, script_for(document.statement.language))
        latin = house.adjusted(design, LATIN).font
        for font in (script.font, latin, design.font_label):
            if not _FONT_NAME.match(font):
                raise RenderError(f"font family {font!r} is not a plain family name")
        families = [script.font, *([latin] if script.font != latin else [])]
        faces = ""
        if script.own_faces:
            faces = _font_faces(script)
            families.insert(0, _FACE_ALIAS)
        stack = ", ".join(f'"{f}"' for f in families) + ", serif"
        # The title's line grows with the script's, as body lines do, and so does the space
        # above it: Burmese stacks are tall above and below, in the label and the title.
        title_line = round(TITLE_LINE_HEIGHT * script.line_height / LATIN.line_height, 2)
        title_space = round(max(script.line_height - LATIN.line_height, 0) / 2, 2)
        # The house design (design.toml) first, then the record's script.
        css = (faces + f":root {{\n{house.css_properties(design)}  --font-body: {stack};\n"
               f"  --line-height: {script.line_height};\n"
               f"  --title-line-height: {title_line};\n"
               f"  --title-space: {title_space}rem;\n}}\n" + css)
    return Markup(css)


_FACE_ALIAS = "Pressroom Script"
TITLE_LINE_HEIGHT = 1.3  # the title's line height in Latin type


def _font_faces(script) -> str:
    """@font-face rules naming the script's Regular and Bold faces by their full names, so
    that Chromium draws each weight with its own file whatever fontconfig says of their
    weights, and at the script's size relative to Latin (size-adjust). Local fonts only:
    the page asks for nothing. The faces hold no Latin letters, so names and URLs fall
    through to Noto Serif at its own size."""
    rules = []
    for weight, name in zip((400, 700), script.face_names, strict=True):
        if not _FONT_NAME.match(name):
            raise RenderError(f"font face {name!r} is not a plain font name")
        rules.append(f'@font-face {{\n  font-family: "{_FACE_ALIAS}";\n'
                     f'  src: local("{name}");\n'
                     f"  font-weight: {weight};\n"
                     f"  size-adjust: {round(script.size * 100)}%;\n}}\n")
    return "".join(rules)



TOMBSTONE = "tombstone.html.j2"
WITHDRAWN_TITLE = "Withdrawn: {title}"
WITHDRAWN = {
    StatementType.STATEMENT: "This statement was withdrawn on {date}.",
    StatementType.JOINT_STATEMENT: "This joint statement was withdrawn on {date}.",
    StatementType.OPEN_LETTER: "This open letter was withdrawn on {date}.",
    StatementType.PRESS_RELEASE: "This press release was withdrawn on {date}.",
}


def render_tombstone(document: Document, templates_dir: Path, withdrawn_on: dt.date,
                     reason: str | None) -> bytes:
    """The page left at a withdrawn statement's address: its title and date, when it was
    withdrawn and why, as accessible as any page of the archive."""
    html_dir = Path(templates_dir) / "html"
    env = _environment(html_dir.resolve())
    page = page_data(document, templates_dir)
    words = document.wording
    page.update(
        title=words.text(WITHDRAWN_TITLE, title=document.statement.title),
        withdrawn=words.text(WITHDRAWN[document.statement.type],
                             date=wording.long_date(words, withdrawn_on)),
        reason=reason,
        marked=True,  # keeps it out of search engines' indexes (robots noindex)
    )
    with _template_errors(html_dir):
        return env.get_template(TOMBSTONE).render(page=page).encode("utf-8")


def _format_links(document: Document) -> list[dict[str, str]]:
    """The page's links to the other formats the folder holds, from the format registry."""
    from ..formats import formats

    return [{"href": document.links[f.name], "type": f.media_type,
             "label": document.wording.text(f.label)}
            for f in formats().values() if f.label and f.name in document.links]
