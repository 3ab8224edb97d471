"""The site's statements as a list: filtered, newest first, every record in it.

A record with errors is listed too, with what can be read of it and the count of its errors
and warnings: an import of a thousand untitled pages leaves the maintainer a worklist, not an
empty catalog (`pressroom check` says what is wrong with each).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError
from .frontmatter import FrontMatterError, load_front_matter, split_parts
from .model import Diagnostic, State, Statement, StatementType, block_texts, to_data
from .site import Site


@dataclass(frozen=True)
class Entry:
    """One record of the catalog: its statement when it has no error, else what can be read
    of its fields; and its diagnostics."""

    path: Path
    id: str
    title: str
    date: dt.date | None
    state: str | None
    type: str | None
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    statement: Statement | None = None

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    @property
    def problems(self) -> str:
        """"2 errors, 1 warning", or "" when there is none."""
        parts = [f"{n} {word}{'' if n == 1 else 's'}"
                 for n, word in ((self.errors, "error"), (self.warnings, "warning")) if n]
        return ", ".join(parts)


def entry(path: Path, statement: Statement | None, diagnostics: list[Diagnostic]) -> Entry:
    if statement is not None:
        return Entry(path, statement.id, statement.title, statement.date,
                     statement.state.value, statement.type.value, statement.countries,
                     statement.topics, tuple(diagnostics), statement)
    front = _readable_fields(path)

    def text(key: str) -> str | None:
        value = front.get(key)
        return value if isinstance(value, str) and value.strip() else None

    def texts(key: str) -> tuple[str, ...]:
        value = front.get(key)
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()

    date = front.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            date = None
    date = date if isinstance(date, dt.date) and not isinstance(date, dt.datetime) else None
    return Entry(path, path.stem, text("title") or "(no title)", date, text("state"),
                 text("type"), texts("countries"), texts("topics"), tuple(diagnostics))


def _readable_fields(path: Path) -> dict:
    """What can be read of a broken record's front matter ({} if nothing)."""
    try:
        raw = path.read_bytes()[:5 * 1024 * 1024].decode("utf-8", errors="replace")
        data = load_front_matter(split_parts(raw).front)
    except (OSError, FrontMatterError, RecursionError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _choice(value: str | None, enum: type[State] | type[StatementType], what: str):
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        valid = ", ".join(m.value for m in enum)
        raise UsageError(f"Unknown {what} {value!r}; use one of: {valid}.") from None


def _has(values: tuple[str, ...], wanted: str | None) -> bool:
    return wanted is None or wanted.casefold() in (v.casefold() for v in values)


def list_statements(
    site: Site,
    state: str | None = None,
    type: str | None = None,  # named as the record's field
    country: str | None = None,
    year: int | None = None,
    topic: str | None = None,
    problems: bool = False,
) -> list[Entry]:
    """Every record matching every filter given, newest first (then by id); with
    `problems`, only those with errors or warnings, worst first. Country and topic match
    one of the record's values, ignoring case; a broken record matches a filter only on a
    value that can be read."""
    wanted_state = _choice(state, State, "state")
    wanted_type = _choice(type, StatementType, "type")
    found = []
    for path, (statement, diagnostics) in site.check().items():
        item = entry(Path(path), statement, diagnostics)
        if (
            (wanted_state is None or item.state == wanted_state.value)
            and (wanted_type is None or item.type == wanted_type.value)
            and (year is None or (item.date is not None and item.date.year == year))
            and _has(item.countries, country)
            and _has(item.topics, topic)
            and (not problems or item.diagnostics)
        ):
            found.append(item)
    found.sort(key=lambda e: (e.date or dt.date.min, e.id), reverse=True)
    if problems:
        found.sort(key=lambda e: (e.errors, e.warnings), reverse=True)
    return found


def for_person(flow, who, entries: list[Entry]) -> list[Entry]:
    """What `who` can act on now: pending statements for a reviewer, their own private ones
    (they made the last version) for a contributor, published ones changed since they were
    published for a reviewer; anything with a transition open to them."""
    from .model import Role

    out = []
    for entry in entries:
        if entry.errors or entry.statement is None:
            continue
        open_now = {t.name for t in flow.open_to(who, entry.id)} if who.person else set()
        if not open_now:
            continue
        state = entry.state
        if who.has(Role.REVIEWER) and (state == "pending" or "republish" in open_now):
            out.append(entry)
        elif who.has(Role.CONTRIBUTOR) and state == "private":
            # Their own: a record nobody has stored yet (new), or one they made a version of.
            made = [v.person for v in flow.versions.list(entry.id)]
            if not made or who.name in made or who.has(Role.MANAGER):
                out.append(entry)
        elif "adopt" in open_now:
            out.append(entry)
    return out


def statement_data(statement: Statement) -> dict[str, Any]:
    """A statement as JSON-able data (`show --json`): the model's data, with the body as
    its Markdown (once), the parsed tree as `blocks`, and footnotes flattened to {number,
    label, text, urls}."""
    data = to_data(statement)
    data["blocks"] = data.pop("body")["blocks"]
    del data["body_markdown"]  # it is `body`
    data.update(
        id=statement.id,
        type=statement.type.value,
        title=statement.title,
        date=statement.date.isoformat(),
        place=statement.place,
        language=statement.language,
        countries=list(statement.countries),
        topics=list(statement.topics),
        issued_by=statement.issued_by,
        endorsers=list(statement.endorsers),
        contacts=[{"label": c.label, "email": c.email, "group": c.group}
                  for c in statement.contacts],
        state=statement.state.value,
        body=statement.body_markdown,
        footnotes=[
            {
                "number": fn.number,
                "label": fn.label,
                "text": "\n".join(block_texts(fn.children)),
                "urls": list(fn.urls),
            }
            for fn in statement.footnotes
        ],
    )
    return data


def summary_data(entry: Entry) -> dict[str, Any]:
    """The few fields `list --json` gives for each record."""
    return {
        "id": entry.id,
        "date": entry.date.isoformat() if entry.date else None,
        "state": entry.state,
        "type": entry.type,
        "title": entry.title,
        "countries": list(entry.countries),
        "topics": list(entry.topics),
        "errors": entry.errors,
        "warnings": entry.warnings,
        "path": str(entry.path),
    }
