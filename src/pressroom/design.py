"""templates/design.toml: the house design, one file of values read by all three formats.

The PDF's template gets the values as data (`as_data`, through typst's sys_inputs), the web
page as CSS custom properties (`css_properties`), the Word file through the styles that
`pressroom styles` writes into reference.docx (wordstyles.py). A site without the file gets
the defaults, which are the values the package's own design.toml spells out.

Read as strictly as pressroom.toml: every problem at once, each with the file, the line and
the key (`table.key`); an unknown key is a warning with a did-you-mean.

Which values each format reads (`for_format`) is what its input key holds: the [pdf] table
re-renders PDFs only, [web] pages only, [word] nothing until `pressroom styles` writes the
reference document (whose change is the Word file's own template change).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import limits
from .config import key_lines, line_of
from .errors import ConfigError
from .model import Design, Diagnostic, ScriptDesign, Severity
from .render.scripts import SCRIPTS, Script

DESIGN_NAME = "design.toml"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_FONT = re.compile(r"^[A-Za-z0-9 ]{1,60}$")  # a plain family name: it goes into CSS as is
LOGO_SUFFIXES = (".svg",)  # drawn by typst and the browser alike, and text, so it goes in as data
LOGO_BYTES = 512 * 1024
LOGO_HEIGHT = 2.4  # times the organisation's size: the logo's height in the PDF and Word

Check = Callable[[Any], tuple[Any, str | None]]


def _colour(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not _COLOUR.match(value):
        return None, f"must be a colour written \"#rrggbb\" (like \"#1a4f8b\"), not {value!r}"
    return value.lower(), None


def _number(low: float, high: float, unit: str) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not low <= value <= high:
            return None, f"must be a number from {low:g} to {high:g} ({unit}), not {value!r}"
        return float(value), None
    return check


def _font(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not _FONT.match(value):
        return None, ("must be a font family's name in quotes, letters, digits and spaces "
                      f"only (like \"Noto Serif\"), not {value!r}")
    return value, None


def _text(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, "must be a text in quotes, not empty"
    if len(value) > limits.NAME_CHARS:
        return None, f"is {len(value):,} characters long; at most {limits.NAME_CHARS:,}"
    return value.strip(), None


def _logo(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, "must be a file name in quotes (an SVG under templates/)"
    path = Path(value)
    if path.is_absolute() or ".." in path.parts or path.suffix.lower() not in LOGO_SUFFIXES:
        return None, (f"{value!r}: name an .svg file under templates/ by its path there "
                      "(like \"logo.svg\")")
    return path.as_posix(), None


POINTS = _number(4, 72, "points")
SPACE = _number(0, 72, "points")
MM = _number(5, 60, "millimetres")
FACTOR = _number(0.5, 2.0, "times the body size")
LINE_HEIGHT = _number(1.0, 3.0, "times the font size")
WIDTH = _number(20, 80, "rem")

# table -> key -> (the Design field, check, help). The help is the file's documentation.
SCHEMA: dict[str, dict[str, tuple[str, Check, str]]] = {
    "organisation": {
        "name": ("organisation", _text, "The name on page 1 of every format (default: the "
                 "site's name in pressroom.toml)."),
        "logo": ("logo", _logo, "An .svg under templates/, shown beside the name in the PDF, "
                 "on the page and in the Word file."),
    },
    "colours": {
        "text": ("colour_text", _colour, "Body text."),
        "accent": ("colour_accent", _colour, "The organisation's name, rules, corrections."),
        "muted": ("colour_muted", _colour, "Type label, dateline, running header and footer."),
        "link": ("colour_link", _colour, "Links."),
    },
    "type": {
        "font": ("font_body", _font, "The Latin body face (scripts keep their own)."),
        "label_font": ("font_label", _font, "Organisation, type label, header and footer."),
        "body": ("size_body", POINTS, "Body text, About and contacts, in points."),
        "title": ("size_title", POINTS, "The statement's title."),
        "heading": ("size_heading", POINTS, "Headings of the body and of the closing parts."),
        "organisation": ("size_organisation", POINTS, "The organisation's name on page 1."),
        "label": ("size_label", POINTS, "The type label, running header and footer."),
        "note": ("size_note", POINTS, "Footnotes."),
    },
    "spacing": {
        "paragraph": ("space_paragraph", SPACE, "After a paragraph, in points."),
        "heading_above": ("space_heading_above", SPACE, "Above a heading."),
        "heading_below": ("space_heading_below", SPACE, "Below a heading."),
        "title_below": ("space_title_below", SPACE, "Below the title."),
    },
    "pdf": {
        "margin_x": ("pdf_margin_x", MM, "Left and right page margins, in millimetres."),
        "margin_y": ("pdf_margin_y", MM, "Top and bottom page margins."),
    },
    "web": {
        "width": ("web_width", WIDTH, "The page's measure, in rem."),
    },
    "word": {
        "margin_x": ("word_margin_x", MM, "Left and right page margins, in millimetres."),
        "margin_y": ("word_margin_y", MM, "Top and bottom page margins."),
    },
}
SCRIPT_KEYS: dict[str, tuple[Check, str]] = {
    "font": (_font, "The face for this script, over render/scripts.py's."),
    "size": (FACTOR, "Times the body size, so the script reads as large as Latin."),
    "line_height": (LINE_HEIGHT, "Baseline to baseline, times the font size."),
}
# The tables each format reads; [scripts] and the shared ones go to every format that
# renders text itself. The Word file takes sizes, colours and spacing from reference.docx,
# but for the logo's height (logo_height), which inputs.py adds to its key with the logo.
SHARED = ("organisation", "colours", "type", "spacing", "scripts")
FORMAT_TABLES = {"pdf": (*SHARED, "pdf"), "html": (*SHARED, "web"),
                 "docx": ("organisation", "scripts")}


def schema_keys() -> list[str]:
    """Every key of design.toml as `table.key` (`scripts.CODE.key` for the script ones)."""
    return ([f"{t}.{k}" for t, keys in SCHEMA.items() for k in keys]
            + [f"scripts.CODE.{k}" for k in SCRIPT_KEYS])


# --- reading -------------------------------------------------------------------------------


def read_design(path: Path) -> tuple[Design, list[Diagnostic]]:
    """design.toml at `path` and every problem in it; the defaults (and no problem) when
    there is no such file. Never raises for what the file holds."""
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Design(), []
    except OSError as exc:
        return Design(), [Diagnostic(where, None, Severity.ERROR, None,
                                     f"cannot be read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Design(), [Diagnostic(where, line, Severity.ERROR, None,
                                     "not UTF-8 text; save the file as UTF-8")]
    return parse_design(text, where, path.parent)


def parse_design(text: str, where: str, templates_dir: Path | None = None
                 ) -> tuple[Design, list[Diagnostic]]:
    """The Design in TOML `text` (named `where`), and every problem. A value with a problem
    keeps its default, so a warning-only file still renders."""
    deep = limits.toml_nesting(text)
    if deep is not None:
        return Design(), [Diagnostic(where, deep, Severity.ERROR, None, limits.NESTED_TOO_DEEP)]
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        return Design(), [Diagnostic(where, int(m.group(1)) if m else None, Severity.ERROR,
                                     None, f"TOML syntax error: {message}")]
    lines = key_lines(text)
    problems: list[Diagnostic] = []

    def report(key: str, message: str, error: bool = True) -> None:
        problems.append(Diagnostic(where, line_of(lines, key),
                                   Severity.ERROR if error else Severity.WARNING, key, message))

    for key, value in limits.data_strings(raw):
        for problem in limits.character_problems(value):
            report(key, problem)
    values: dict[str, Any] = {}
    scripts: list[ScriptDesign] = []
    known = [*SCHEMA, "scripts"]
    for table, entries in raw.items():
        if table not in known:
            report(table, f"unknown table; {_did_you_mean(table, known)}", error=False)
        elif not isinstance(entries, dict):
            report(table, f"must be a table written [{table}]")
        elif table == "scripts":
            scripts = _scripts(entries, report)
        else:
            for key, value in entries.items():
                spec = SCHEMA[table].get(key)
                if spec is None:
                    report(f"{table}.{key}",
                           f"unknown key; {_did_you_mean(key, list(SCHEMA[table]))}",
                           error=False)
                    continue
                converted, problem = spec[1](value)
                if problem:
                    report(f"{table}.{key}", problem)
                else:
                    values[spec[0]] = converted
    logo = values.get("logo")
    if logo and templates_dir is not None:
        problem = _logo_problem(Path(templates_dir) / logo)
        if problem:
            report("organisation.logo", f"{logo!r}: {problem}")
            values.pop("logo")
    return Design(**values, scripts=tuple(scripts)), problems


def _logo_problem(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return f"no such file under {path.parent}"
    if len(data) > LOGO_BYTES:
        return f"is {len(data):,} bytes; at most {LOGO_BYTES:,}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not an SVG file (not UTF-8 text)"
    if "<svg" not in text:
        return "not an SVG file (no <svg> element)"
    return None


def logo_svg(design: Design, templates_dir: Path | None) -> str | None:
    """The logo's SVG text, checked when the design was read."""
    if not design.logo or templates_dir is None:
        return None
    return (Path(templates_dir) / design.logo).read_text(encoding="utf-8")


def logo_height(design: Design) -> float:
    """The logo's height in points, beside the organisation's name (PDF and Word)."""
    return round(design.size_organisation * LOGO_HEIGHT, 2)


def _scripts(entries: dict[str, Any], report) -> list[ScriptDesign]:
    out: list[ScriptDesign] = []
    for code, table in entries.items():
        where = f"scripts.{code}"
        if code not in SCRIPTS:
            report(where, f"{code!r} is not a script of render/scripts.py; "
                   f"{_did_you_mean(code, list(SCRIPTS))}")
            continue
        if not isinstance(table, dict):
            report(where, f"must be a table written [scripts.{code}]")
            continue
        found: dict[str, Any] = {}
        for key, value in table.items():
            spec = SCRIPT_KEYS.get(key)
            if spec is None:
                report(f"{where}.{key}",
                       f"unknown key; {_did_you_mean(key, list(SCRIPT_KEYS))}", error=False)
                continue
            converted, problem = spec[0](value)
            if problem:
                report(f"{where}.{key}", problem)
            else:
                found[key] = converted
        out.append(ScriptDesign(code, **found))
    return out


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"known: {', '.join(choices)}"


_loaded: dict[tuple, Design] = {}


def load_design(templates_dir: Path) -> Design:
    """The site's design (templates/design.toml), read once per version of the file;
    `ConfigError` naming each problem's line and key if any is an error."""
    path = Path(templates_dir) / DESIGN_NAME
    try:
        st = path.stat()
        key: tuple = (str(path.resolve()), st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        key = (str(path), None)
    if key not in _loaded:
        design, problems = read_design(path)
        errors = [d for d in problems if d.is_error]
        if errors:
            raise ConfigError(f"{path}: the house design has errors; fix them and run again.",
                              errors)
        if len(_loaded) > 16:
            _loaded.clear()
        _loaded[key] = design
    return _loaded[key]


# --- what the formats get ------------------------------------------------------------------


@dataclass(frozen=True)
class ScriptLook:
    """A script as this site sets it: the table's values with design.toml's over them."""

    font: str
    size: float  # times the body size
    line_height: float


def script_look(design: Design, script: Script) -> ScriptLook:
    own = design.script(script.name) or ScriptDesign(script.name)
    font = own.font or (design.font_body if script.font == "Noto Serif" else script.font)
    return ScriptLook(font, own.size or script.size, own.line_height or script.line_height)


def adjusted(design: Design, script: Script) -> Script:
    """`script` as this site sets it: render/scripts.py's entry with design.toml's font,
    size and line height over it (a Latin-type script takes the design's body face)."""
    look = script_look(design, script)
    if (look.font, look.size, look.line_height) == (script.font, script.size,
                                                     script.line_height):
        return script
    faces = script.faces if look.font == script.font else None
    return dataclasses.replace(script, font=look.font, size=look.size,
                               line_height=look.line_height, faces=faces)


def organisation_name(design: Design, settings) -> str:
    return design.organisation or settings.name


def for_format(design: Design, fmt: str) -> dict[str, Any]:
    """The values `fmt` reads, for its input key (a plugin format: the shared ones)."""
    tables = FORMAT_TABLES.get(fmt, SHARED)
    fields = {spec[0] for table in tables if table in SCHEMA for spec in SCHEMA[table].values()}
    data = {k: v for k, v in dataclasses.asdict(design).items() if k in fields}
    if "scripts" in tables:
        data["scripts"] = [dataclasses.asdict(s) for s in design.scripts]
    return data


def as_data(design: Design, settings, templates_dir: Path | None = None) -> dict[str, Any]:
    """The design as JSON-able data for the PDF's template (the logo as its SVG text)."""
    data = dataclasses.asdict(design)
    data["organisation"] = organisation_name(design, settings)
    data["logo"] = logo_svg(design, templates_dir)
    data["logo_height"] = logo_height(design)
    data.pop("scripts")
    return data


def css_properties(design: Design) -> str:
    """The design as CSS custom properties for the page: colours as they are, sizes as
    ratios of the body size (the page's body size is the reader's choice), spaces in em."""
    body = design.size_body

    def em(points: float) -> str:
        return f"{points / body:.4g}em"

    props = {
        "--colour-text": design.colour_text, "--colour-accent": design.colour_accent,
        "--colour-muted": design.colour_muted, "--colour-link": design.colour_link,
        "--font-label": f'"{design.font_label}", sans-serif',
        "--size-title": em(design.size_title), "--size-heading": em(design.size_heading),
        "--size-organisation": em(design.size_organisation),
        "--size-label": em(design.size_label), "--size-note": em(design.size_note),
        "--space-paragraph": em(design.space_paragraph),
        "--space-heading-above": em(design.space_heading_above),
        "--space-heading-below": em(design.space_heading_below),
        "--space-title-below": em(design.space_title_below),
        "--width": f"{design.web_width:g}rem",
    }
    return "".join(f"  {k}: {v};\n" for k, v in props.items())
