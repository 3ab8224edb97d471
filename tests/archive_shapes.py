"""Scoring the importer on the archive-shapes corpus (tests/fixtures/archive-shapes/).

Each input is imported into a fresh site made from its part's `pressroom.toml` and
`organisations.yaml`, the record written is loaded back, and every field its expected record
names is compared. Used by tests/test_archive_shapes.py (the tuned part, field by field) and
by benchmarks/importer.py (the share of fields right, tuned and held-out apart).
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

CORPUS = Path(__file__).resolve().parent / "fixtures" / "archive-shapes"
FIELDS = ("title", "type", "date", "place", "language", "issued_by", "endorsers", "footnotes",
          "contacts", "source_url", "body", "chrome", "diagnostics")


@dataclass
class Scored:
    """One input: for each field compared, whether it was right, and what was wrong."""

    name: str
    right: dict[str, bool] = field(default_factory=dict)
    wrong: dict[str, str] = field(default_factory=dict)
    chrome_left: int = 0

    def mark(self, name: str, ok: bool, why: str = "") -> None:
        self.right[name] = ok
        if not ok:
            self.wrong[name] = why


def inputs(part: str) -> list[Path]:
    folder = CORPUS / part / "inputs"
    return sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".html", ".htm"))


def expected(source: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(source.with_suffix(".expected.yaml").read_text("utf-8"))


def make_site(part: str, dest: Path) -> Path:
    root = dest / "site"
    (root / "statements").mkdir(parents=True)
    shutil.copy(CORPUS / part / "pressroom.toml", root / "pressroom.toml")
    shutil.copy(CORPUS / part / "organisations.yaml", root / "statements" / "organisations.yaml")
    return root


def score_input(part: str, source: Path) -> Scored:
    from pressroom.importer import import_paths
    from pressroom.site import load_site

    want = expected(source)
    result = Scored(source.name)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_site(part, Path(tmp))
        report = import_paths(load_site(root), [source])
        if not report.imported:
            reasons = "; ".join(str(r) for r in report.refused) or "; ".join(
                str(d) for d in report.diagnostics)
            for name in FIELDS:
                if name in want or name in ("body", "chrome", "diagnostics"):
                    result.mark(name, False, f"not imported: {reasons}")
            return result
        site = load_site(root)
        from pressroom.records import read_record

        statement, _checked = read_record(report.imported[0], site.organisations)
        text = report.imported[0].read_text("utf-8")
        _compare(result, want, statement, text, site, report.diagnostics)
    return result


def _name(site, key: str | None) -> str | None:
    if key is None:
        return None
    org = site.organisations.get(key)
    return org.name if org else key


def _compare(result: Scored, want: dict, statement, text: str, site, diagnostics) -> None:
    from pressroom.model import block_texts

    front = _front(text)
    got: dict[str, Any] = {
        "title": front.get("title"),
        "type": front.get("type"),
        "date": str(front.get("date")) if front.get("date") else None,
        "place": front.get("place"),
        "language": front.get("language"),
        "issued_by": _name(site, front.get("issued_by")),
        "endorsers": [_name(site, k) for k in front.get("endorsers") or []],
        "source_url": front.get("source_url"),
    }
    for name in ("title", "type", "date", "place", "language", "issued_by", "endorsers",
                 "source_url"):
        if name in want:
            expect = str(want[name]) if name == "date" and want[name] else want[name]
            result.mark(name, got[name] == expect, f"got {got[name]!r}, want {expect!r}")
    if statement is None:
        # A record with errors (no date found, say) is still written, for a person to
        # finish: its body is scored all the same, read straight from its Markdown.
        from pressroom.body import parse_body
        from pressroom.frontmatter import split_parts

        body, _problems = parse_body(split_parts(text).body)
    else:
        body = statement.body
    notes = [" ".join(block_texts(f.children)).strip() for f in body.footnotes]
    blocks = block_texts(body.blocks)
    body_text = "\n".join(blocks)
    if "footnotes" in want:
        expect = list(want["footnotes"] or [])
        result.mark("footnotes", notes == expect, f"got {notes!r}, want {expect!r}")
    if "contacts" in want:
        contacts = [{"group": c.get("group"), "label": c.get("label"), "email": c.get("email")}
                    for c in (front.get("contacts") or [])]
        expect = [{"group": c.get("group"), "label": c.get("label"), "email": c.get("email")}
                  for c in (want["contacts"] or [])]
        result.mark("contacts", contacts == expect, f"got {contacts!r}, want {expect!r}")
    body_ok, why = True, []
    first = blocks[0] if blocks else ""
    last = blocks[-1] if blocks else ""
    if want.get("body_starts") and not _flat(first).startswith(_flat(want["body_starts"])):
        body_ok = False
        why.append(f"starts {first[:80]!r}")
    if want.get("body_ends") and not _flat(last).endswith(_flat(want["body_ends"])):
        body_ok = False
        why.append(f"ends {last[-80:]!r}")
    flat_body = _flat(body_text)
    position = 0
    for phrase in want.get("body_contains") or []:
        at = flat_body.find(_flat(phrase), position)
        if at < 0:
            body_ok = False
            why.append(f"lacks {phrase!r}")
        else:
            position = at
    result.mark("body", body_ok, "; ".join(why))
    left = [c for c in (want.get("chrome") or []) if _flat(c) and _flat(c) in _lines(blocks)]
    result.chrome_left = len(left)
    result.mark("chrome", not left, f"left in the body: {left[:3]!r}")
    result.mark("diagnostics", *_diagnostics_match(want.get("diagnostics") or [], diagnostics))


def _lines(blocks: list[str]) -> set[str]:
    return {_flat(line) for b in blocks for line in b.split("\n")} | {_flat(b) for b in blocks}


def _diagnostics_match(wanted: list[dict], got) -> tuple[bool, str]:
    missing = []
    for w in wanted:
        found = [d for d in got if d.severity.value == w.get("severity")
                 and (w.get("field") is None or d.field == w.get("field"))
                 and (not w.get("contains") or w["contains"].lower() in d.message.lower())]
        if not found:
            missing.append(w)
    allowed_errors = {(w.get("field")) for w in wanted if w.get("severity") == "error"}
    extra = [d for d in got if d.is_error and d.field not in allowed_errors]
    ok = not missing and not extra
    why = []
    if missing:
        why.append(f"missing {missing!r}")
    if extra:
        why.append(f"unexpected errors {[str(d) for d in extra][:3]!r}")
    return ok, "; ".join(why)


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _front(text: str) -> dict[str, Any]:
    from pressroom.frontmatter import split_parts

    parts = split_parts(text)
    return YAML(typ="safe").load(parts.front) or {}


def score_part(part: str) -> list[Scored]:
    return [score_input(part, source) for source in inputs(part)]


def shares(results: list[Scored]) -> dict[str, tuple[int, int]]:
    """For each field, (right, compared) over the inputs."""
    out: dict[str, tuple[int, int]] = {}
    for name in FIELDS:
        marks = [r.right[name] for r in results if name in r.right]
        out[name] = (sum(marks), len(marks))
    return out
