"""Statement records: Markdown with YAML front matter, loaded and checked into the model.

MINIMAL CORE: the records stage is being completed (all diagnostics, round-trip save).
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from .body import parse_body
from .errors import RecordError
from .model import Contact, Diagnostic, Severity, State, Statement, StatementType


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number of the body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return "", text, 1
    for n, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return "".join(lines[1:n]), "".join(lines[n + 1 :]), n + 2
    return "".join(lines[1:]), "", len(lines) + 1


def read_record(path: Path) -> tuple[Statement | None, list[Diagnostic]]:
    text = Path(path).read_text(encoding="utf-8")
    front, body_md, _ = split_front_matter(text)
    data = YAML(typ="rt").load(front) or {}
    body, _problems = parse_body(body_md)
    statement = Statement(
        id=str(data["id"]),
        type=StatementType(data["type"]),
        title=str(data["title"]),
        date=data["date"],
        language=str(data.get("language", "en")),
        issued_by=str(data["issued_by"]),
        state=State(data.get("state", "private")),
        body=body,
        body_markdown=body_md,
        place=data.get("place"),
        countries=tuple(data.get("countries") or ()),
        topics=tuple(data.get("topics") or ()),
        endorsers=tuple(data.get("endorsers") or ()),
        contacts=tuple(Contact(c["label"], c.get("email")) for c in data.get("contacts") or ()),
        path=str(path),
    )
    return statement, []


def load_record(path: Path) -> Statement:
    statement, diagnostics = read_record(path)
    if statement is None or any(d.severity is Severity.ERROR for d in diagnostics):
        raise RecordError(str(path), diagnostics)
    return statement
