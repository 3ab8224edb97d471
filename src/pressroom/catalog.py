"""The site's statements as a list: filtered, newest first.

A record with errors is skipped and counted, never fatal: one broken file must not hide
the rest of the archive (`pressroom check` says what is wrong with it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import UsageError
from .model import State, Statement, StatementType, block_texts, to_data
from .site import Site


class StatementList(list[Statement]):
    """A list of statements that also says which records were skipped for their errors."""

    def __init__(self, statements=(), skipped: list[Path] | None = None):
        super().__init__(statements)
        self.skipped: list[Path] = list(skipped or [])


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
) -> StatementList:
    """The site's statements matching every filter given, newest first (then by id).
    Country and topic match one of the record's values, ignoring case."""
    wanted_state = _choice(state, State, "state")
    wanted_type = _choice(type, StatementType, "type")
    found: list[Statement] = []
    skipped: list[Path] = []
    for path, (statement, diagnostics) in site.check().items():
        if statement is None or any(d.is_error for d in diagnostics):
            skipped.append(Path(path))
            continue
        if (
            (wanted_state is None or statement.state is wanted_state)
            and (wanted_type is None or statement.type is wanted_type)
            and (year is None or statement.date.year == year)
            and _has(statement.countries, country)
            and _has(statement.topics, topic)
        ):
            found.append(statement)
    found.sort(key=lambda s: (s.date, s.id), reverse=True)
    return StatementList(found, sorted(skipped))


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
        contacts=[{"label": c.label, "email": c.email} for c in statement.contacts],
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


def summary_data(statement: Statement) -> dict[str, Any]:
    """The few fields `list --json` gives for each statement."""
    return {
        "id": statement.id,
        "date": statement.date.isoformat(),
        "state": statement.state.value,
        "type": statement.type.value,
        "title": statement.title,
        "countries": list(statement.countries),
        "topics": list(statement.topics),
    }
