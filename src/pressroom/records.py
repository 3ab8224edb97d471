"""Statement records: Markdown with YAML front matter, loaded and checked into the model.

`read_record` never raises for anything in a file: every problem comes back at once as a
`Diagnostic` (path, line, field, message), errors and warnings. Errors block publishing;
warnings are shown and let it go on. `record_text` writes a new record, `update_record`
changes one round-trip (see `frontmatter`), `statement_fields` turns a model back into
front-matter fields.
"""

from __future__ import annotations

import datetime as dt
import stat
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .body import MANGLED_EMAIL, parse_body
from .errors import RecordError
from .fields import (
    FIELDS,
    INVALID,
    PLACEHOLDER_TITLE,
    Report,
    check_characters,
    did_you_mean,
    kind_of,
    strings_in,
)
from .fileio import atomic_write
from .frontmatter import (
    CANONICAL_KEYS,
    FrontMatterError,
    field_value,
    front_matter_text,
    item_line,
    key_line,
    load_front_matter,
    plain_value,
    split_front_matter,
    split_parts,
    update_front_matter,
)
from .limits import MAX_RECORD_BYTES, describe
from .model import (
    Diagnostic,
    Organisation,
    State,
    Statement,
    StatementType,
)
from .render.glyphs import unshowable
from .translations import check_against, fill_shared, untranslated

__all__ = [
    "MAX_RECORD_BYTES",
    "PLACEHOLDER_TITLE",
    "check_records",
    "load_record",
    "read_record",
    "read_record_bytes",
    "record_text",
    "split_front_matter",
    "statement_fields",
    "update_record",
]

REQUIRED_KEYS = ("id", "type", "title", "date", "issued_by")
DEFAULTS: Mapping[str, str] = MappingProxyType({"language": "en", "state": "private"})
_NO_COMMENTS: Mapping[str, str] = MappingProxyType({})


# --- reading ----------------------------------------------------------------------------


def _read_text(path: Path, report: Report) -> str | None:
    """The file as text, or None with the reason reported. Never reads more than the limit."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            report.error(None, None, "not a regular file: a record is a Markdown file (.md)")
            return None
        if info.st_size > MAX_RECORD_BYTES:
            report.error(None, None, f"the file is {info.st_size:,} bytes; records are refused "
                         f"over {MAX_RECORD_BYTES:,} bytes ({_size(MAX_RECORD_BYTES)}): is this "
                         "the right file? A longer statement must be split in several")
            return None
        with open(path, "rb") as f:
            raw = f.read(MAX_RECORD_BYTES + 1)
    except FileNotFoundError:
        report.error(None, None, "no such file")
        return None
    except OSError as e:
        report.error(None, None, f"cannot read the file: {e.strerror or e}")
        return None
    return _text_of(raw, report)


def _text_of(raw: bytes, report: Report) -> str | None:
    """A record's bytes as text, or None with the reason reported."""
    if len(raw) > MAX_RECORD_BYTES:  # it grew after the size check, or came as bytes
        report.error(None, None, f"the file is over {MAX_RECORD_BYTES:,} bytes "
                     f"({_size(MAX_RECORD_BYTES)})")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        report.error(line, None, f"the file is not UTF-8 text: byte 0x{raw[e.start]:02x} at "
                     f"offset {e.start} cannot be read; save the file as UTF-8")
        return None
    return text.removeprefix("\ufeff")  # a byte-order mark from a Windows editor


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n / 2**10:g} KB"


def read_record(
    path: Path,
    organisations: Mapping[str, Organisation] | None = None,
    today: dt.date | None = None,
    original: Statement | None = None,
) -> tuple[Statement | None, list[Diagnostic]]:
    """Load and check one record. Returns the statement (None when a required field is
    missing or unusable) and every problem found, sorted by line. Never raises for anything
    in the file. `organisations=None` skips the endorser directory checks. `original`: the
    statement a translation names, to fill in and check its shared fields against."""
    report = _check(Path(path), organisations, today, original=original)
    return report.statement, report.sorted()


def read_record_bytes(
    data: bytes,
    path: Path,
    organisations: Mapping[str, Organisation] | None = None,
    today: dt.date | None = None,
    original: Statement | None = None,
) -> tuple[Statement | None, list[Diagnostic]]:
    """`read_record` of a record's bytes as if they were the file at `path` (a stored
    version): nothing is read from disk, and the diagnostics name `path`."""
    report = _check(Path(path), organisations, today, data, original)
    return report.statement, report.sorted()


def _check(path: Path, organisations: Mapping[str, Organisation] | None,
           today: dt.date | None, data: bytes | None = None,
           original: Statement | None = None) -> Report:
    try:
        return _check_record(path, organisations, today, data, original)
    except RecursionError:  # YAML nested thousands deep: hostile, not a statement
        report = Report(path)
        report.error(None, None, "the front matter is nested too deeply to be a record")
        return report


def load_record(
    path: Path,
    organisations: Mapping[str, Organisation] | None = None,
    today: dt.date | None = None,
    original: Statement | None = None,
) -> Statement:
    """The statement in `path`; raises RecordError with the diagnostics if it has errors."""
    statement, diagnostics = read_record(path, organisations, today, original)
    if statement is None or any(d.is_error for d in diagnostics):
        raise RecordError(str(path), diagnostics)
    return statement


def check_records(
    paths: Iterable[Path],
    organisations: Mapping[str, Organisation] | None = None,
    today: dt.date | None = None,
    originals: Callable[[str], Statement | None] | None = None,
) -> dict[Path, tuple[Statement | None, list[Diagnostic]]]:
    """Every record in `paths`, checked alone and against each other: an id used by two
    files is an error in both (each names the other); a `translation_of` naming no record
    here (nor found by `originals`, given an id) is a warning; a translation is checked
    again against its original."""
    reports = {Path(p): _check(Path(p), organisations, today) for p in paths}
    statements = {r.id: r.statement for r in reports.values()
                  if r.id is not None and r.statement is not None}
    known = by_id_of(reports)
    translations = [p for p, r in reports.items()
                    if r.translation_of is not None and r.translation_of != r.id]
    translating = {reports[p].id for p in translations}
    # Translations of originals first: a translation of a translation then finds its target
    # whole (its shared fields filled in), to be told what it is.
    for p in sorted(translations, key=lambda p: reports[p].translation_of in translating):
        target = reports[p].translation_of
        original = statements.get(target)
        if original is None and originals is not None and target not in known:
            original = originals(target)
            if original is not None:
                statements[original.id] = original
        if original is not None:
            reports[p] = _check(p, organisations, today, original=original)
            if reports[p].id is not None and reports[p].statement is not None:
                statements[reports[p].id] = reports[p].statement
        elif target in known:
            reports[p].error(reports[p].lines.get("translation_of"), "translation_of",
                             f"its original {target} has errors of its own (see them): the "
                             "fields a translation takes from it cannot be filled in")
    by_id: dict[str, list[Path]] = defaultdict(list)
    for p, report in reports.items():
        if report.id is not None:
            by_id[report.id].append(p)
    for p, report in reports.items():
        if report.id is not None and len(by_id[report.id]) > 1:
            others = ", ".join(str(o) for o in by_id[report.id] if o != p)
            report.error(report.lines.get("id"), "id",
                         f"{report.id!r} is also the id of {others}; ids must be unique")
        target = report.translation_of
        if target is not None and target not in by_id and target not in statements:
            report.warning(report.lines.get("translation_of"), "translation_of",
                           f"no record has the id {target!r}")
    return {p: (r.statement, r.sorted()) for p, r in reports.items()}


def by_id_of(reports: Mapping[Path, Report]) -> set[str]:
    return {r.id for r in reports.values() if r.id is not None}


def _check_record(path: Path, organisations: Mapping[str, Organisation] | None,
                  today: dt.date | None, data: bytes | None = None,
                  original: Statement | None = None) -> Report:
    report = Report(path)
    text = _read_text(path, report) if data is None else _text_of(data, report)
    if text is None:
        return report
    try:
        parts = split_parts(text)
        data = load_front_matter(parts.front, parts.front_line)
    except FrontMatterError as e:
        report.error(e.line, None, e.message)  # nothing else can be trusted after this
        return report
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(parts.front_line, None, f"the front matter must be fields (`key: value` "
                     f"lines), not {kind_of(data)}")
        return report
    # A translation leaves out what its original says for every language: filled in here.
    original = original if original and data.get("translation_of") == original.id else None
    filled = fill_shared(data, original) if original is not None else set()
    values = _check_fields(data, path, report, organisations)
    body_md = parts.body
    body, problems = parse_body(body_md, parts.body_line)
    for problem in problems:
        line = problem.line
        if problem.is_error:
            report.error(line, "body", problem.message)
        else:
            report.warning(line, "body", problem.message)
    if not body.blocks:
        n_lines = text.count("\n") + 1
        report.error(min(parts.body_line, n_lines), "body",
                     "the statement has no text: write it below the closing `---` line")
    _check_glyphs(data, values, body_md, parts.body_line, report)
    today = today or dt.date.today()
    if (values.get("state") == State.PUBLISHED and isinstance(values.get("date"), dt.date)
            and values["date"] > today):
        report.error(report.lines.get("date"), "date",
                     f"the statement is published but dated {values['date'].isoformat()}, "
                     f"after today ({today.isoformat()}); fix the date or use an embargo")
    # A statement is built whenever the model's own required fields are usable, so a
    # preview can still be made of a record with, say, an unknown endorser.
    if all(values.get(k, INVALID) is not INVALID for k in (*REQUIRED_KEYS, *DEFAULTS)):
        report.statement = Statement(
            body=body, body_markdown=body_md, path=str(path),
            **{k: v for k, v in values.items() if v is not INVALID},
        )
    if original is not None:
        check_against(data, values, report.statement, original, report, filled)
    if isinstance(values.get("translation_of"), str):
        untranslated(data, body_md, parts.body_line, report)
    return report


# --- the fields -----------------------------------------------------------------------


def _check_fields(data: Mapping[Any, Any], path: Path, report: Report,
                  organisations: Mapping[str, Organisation] | None) -> dict[str, Any]:
    """Each front-matter field checked and converted to the model's type; an unusable
    field is `INVALID` in the result (and reported)."""
    for key in data:
        report.lines[str(key)] = key_line(data, key)
        if key not in CANONICAL_KEYS:
            report.error(key_line(data, key), str(key),
                         f"unknown field{did_you_mean(str(key), CANONICAL_KEYS)}")
    check_characters(data, report)
    for key in data:
        for line, text in strings_in(data[key], key_line(data, key)):
            if MANGLED_EMAIL.search(text):
                report.error(line, str(key), "e-mail address mangled by the old archive "
                             f"({MANGLED_EMAIL.search(text).group(0)!r}): write the real "
                             "address, or leave it empty")
    values: dict[str, Any] = {}
    for key in CANONICAL_KEYS:
        line = key_line(data, key)
        if key not in data or (data[key] is None and key not in REQUIRED_KEYS):
            if key in REQUIRED_KEYS:
                report.error(1, key, f"missing: every record needs {', '.join(REQUIRED_KEYS)}")
                values[key] = INVALID
            elif key in DEFAULTS:
                values[key] = DEFAULTS[key]
            continue
        values[key] = FIELDS[key](data[key], line, report, key)
    if values["state"] is not INVALID:
        values["state"] = State(values["state"])
    if values["type"] is not INVALID:
        values["type"] = StatementType(values["type"])
    _check_identity(values, path, report)
    if organisations is not None:
        _check_organisations(data, values, report, organisations)
    return values


def _check_glyphs(data: Mapping[Any, Any], values: dict[str, Any], body: str,
                  body_line: int, report: Report) -> None:
    """Characters the PDF's fonts cannot show (an emoji, a rare ideograph, a private-use
    character), each said once, where it first is: a field, or a line of the body."""
    fields = [(key_line(data, key), str(key), text) for key in data
              for _, text in strings_in(data[key], key_line(data, key))]
    lines = body.split("\n")
    language = values.get("language")
    missing = unshowable([t for _, _, t in fields] + lines,
                         language if isinstance(language, str) else "en")
    for text in missing:
        where = next(((line, key) for line, key, value in fields if text in value), None)
        if where is None:
            n = next((n for n, line in enumerate(lines) if text in line), 0)
            where = (body_line + n, "body")
        shown = " + ".join(describe(c) for c in text)
        report.error(where[0], where[1], f"the PDF's fonts cannot show {text!r} ({shown}); "
                     "remove it, or use a character they have (emoji and some rare "
                     "characters have no font here)")


def _check_identity(values: dict[str, Any], path: Path, report: Report) -> None:
    ident = values.get("id")
    if isinstance(ident, str):
        report.id = ident
        if path.name != f"{ident}.md":
            report.error(report.lines.get("id"), "id", f"{ident!r} does not match the file "
                         f"name {path.name!r}: the file must be named {ident}.md")
    if isinstance(values.get("translation_of"), str):
        report.translation_of = values["translation_of"]
        if values["translation_of"] == ident:
            report.error(report.lines.get("translation_of"), "translation_of",
                         "a statement cannot be a translation of itself")


def _check_organisations(data: Mapping[Any, Any], values: dict[str, Any], report: Report,
                         organisations: Mapping[str, Organisation]) -> None:
    def unknown(key: str) -> str:
        return (f"unknown organisation {key!r}{did_you_mean(key, organisations)} "
                "(organisations are listed in statements/organisations.yaml)")

    issuer = values.get("issued_by")
    if isinstance(issuer, str) and issuer not in organisations:
        report.error(report.lines.get("issued_by"), "issued_by", unknown(issuer))
    endorsers = values.get("endorsers")
    if not isinstance(endorsers, tuple):
        return
    seen: set[str] = set()
    for n, key in enumerate(endorsers):
        line = item_line(data["endorsers"], n) or report.lines.get("endorsers")
        if key not in organisations:
            report.error(line, "endorsers", unknown(key))
        if key in seen:
            report.warning(line, "endorsers", f"{key!r} is listed twice")
        seen.add(key)


# --- writing --------------------------------------------------------------------------


def statement_fields(statement: Statement) -> dict[str, Any]:
    """The front-matter fields of a statement, in canonical order, as plain data: the
    inverse of loading (empty lists and unset optional fields are left out)."""
    fields = {key: plain_value(getattr(statement, key)) for key in CANONICAL_KEYS}
    return {k: v for k, v in fields.items() if v is not None and v != []}


def record_text(
    fields: Mapping[str, Any],
    body_markdown: str,
    comments: Mapping[str, str] = _NO_COMMENTS,
) -> str:
    """The text of a new record: front matter in canonical key order, short lists in flow
    style, contacts as flow mappings, and a `# comment` line above each key in `comments`.
    A key whose value is None is left out, unless it has a comment: then it is written
    empty under its comment, for staff to fill in."""
    unknown = [k for k in fields if k not in CANONICAL_KEYS]
    if unknown:
        raise ValueError(f"unknown record fields: {', '.join(map(str, unknown))}")
    stray = [k for k in comments if k not in CANONICAL_KEYS]
    if stray:
        raise ValueError(f"comments for unknown record fields: {', '.join(map(str, stray))}")
    front = front_matter_text({k: field_value(k, v) for k, v in fields.items()}, comments)
    return f"---\n{front}---\n{body_markdown}"


def update_record(
    path: Path,
    changes: Mapping[str, Any],
    body_markdown: str | None = None,
) -> None:
    """Change fields of a record in place, round-trip: comments, key order and quoting of
    everything else stay as they were; new keys go in canonical order; a value of None
    removes the key; the body stays unless `body_markdown` is given. Written atomically:
    on any failure the old file is left whole."""
    path = Path(path)
    unknown = [k for k in changes if k not in CANONICAL_KEYS]
    if unknown:
        raise ValueError(f"unknown record fields: {', '.join(map(str, unknown))}")
    report = Report(path)
    text = _read_text(path, report)
    if text is None:
        raise RecordError(str(path), report.diagnostics)
    bom = "\ufeff" if _starts_with_bom(path) else ""
    plain = {k: field_value(k, v) for k, v in changes.items()}
    try:
        parts = split_parts(text)
        front = update_front_matter(parts.front, plain)
        loaded = load_front_matter(front) or {}
    except FrontMatterError as e:
        report.error(e.line, None, f"cannot change the record: {e.message}")
        raise RecordError(str(path), report.diagnostics) from None
    for key, value in plain.items():  # the rewrite must say exactly what was asked
        if (plain_value(loaded.get(key)) if key in loaded else None) != value:
            report.error(None, key, f"cannot change the record safely: {key} would not "
                         "read back as written")
            raise RecordError(str(path), report.diagnostics)
    body = parts.body if body_markdown is None else body_markdown
    atomic_write(path, bom + parts.head_open + front + parts.head_close + body)


def _starts_with_bom(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(3) == b"\xef\xbb\xbf"

