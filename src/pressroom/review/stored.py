"""Reviews kept in the store: `pressroom review show ID` and `pressroom review resolve`."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..errors import UsageError
from ..store import iso
from .ingest import Item, items, label

COMMENT = "comment"


@dataclass(frozen=True)
class StoredReview:
    id: int
    statement_id: str
    version: int
    sha256: str
    file_name: str
    ingested: str
    person: str
    reviewers: tuple[str, ...]
    items: tuple[Item, ...]

    def open_items(self) -> list[Item]:
        return [i for i in self.items if i.state == "open"]

    def by_field(self, only_open: bool = True) -> dict[str, list[Item]]:
        """Items by field label, in the draft's order (unplaced last)."""
        out: dict[str, list[Item]] = {}
        for i in sorted(self.open_items() if only_open else self.items,
                        key=lambda i: (i.field is None, _order(i.field), i.number)):
            out.setdefault(label(i.field), []).append(i)
        return out

    def to_json(self) -> dict:
        return {"id": self.id, "statement_id": self.statement_id, "version": self.version,
                "file": self.file_name, "sha256": self.sha256, "ingested": self.ingested,
                "reviewers": list(self.reviewers),
                "fields": {name: [_item_json(i) for i in found]
                           for name, found in self.by_field().items()}}


def _item_json(i: Item) -> dict:
    return {"id": i.number, "kind": i.kind, "field": i.field, "placed_by": i.placed_by,
            "author": i.author, "date": i.date, "text": i.text, "anchor": i.anchor,
            "parent": i.parent, "state": i.state}


def _order(field: str | None) -> tuple:
    if field is None:
        return (9,)
    name = field.removeprefix("pr_")
    rank = ["title", "dateline", "correction", "body", "endorser", "contact", "fn"]
    kind, _, rest = name.partition("_")
    numbers = tuple(int(n) for n in rest.split("_") if n.isdigit())
    return (rank.index(kind) if kind in rank else 8, numbers)


def load(store, review_id: int) -> StoredReview:
    row = None
    if store.exists:
        with store.read() as db:
            row = db.execute("SELECT * FROM reviews WHERE id = ?", (review_id,)).fetchone()
    if row is None:
        raise UsageError(f"there is no review {review_id}; `pressroom review list` names the "
                         "reviews a statement has.")
    return StoredReview(row["id"], row["statement_id"], row["version"], row["sha256"],
                        row["file_name"], row["ingested"], row["person"],
                        tuple(json.loads(row["reviewers"])), items(store, review_id))


def reviews_of(store, statement_id: str | None = None) -> list[StoredReview]:
    if not store.exists:
        return []
    with store.read() as db:
        ids = [r[0] for r in db.execute(
            "SELECT id FROM reviews" + (" WHERE statement_id = ?" if statement_id else "") +
            " ORDER BY id", (statement_id,) if statement_id else ())]
    return [load(store, i) for i in ids]


def parse_ids(text: str, what: str) -> list[int]:
    """"3,5-7" -> [3, 5, 6, 7]."""
    out: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise UsageError(f"{what}: {part!r} is not an item number (write them as 3,5-7; "
                             "`pressroom review show ID` numbers them)")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def resolve(store, review_id: int, numbers: list[int] | None, person: str) -> list[int]:
    """Mark comments resolved (all open ones with None); the numbers resolved."""
    review = load(store, review_id)
    comments = {i.number: i for i in review.items if i.kind == COMMENT}
    if numbers is None:
        numbers = [n for n, i in comments.items() if i.state == "open"]
    wrong = [n for n in numbers if n not in comments]
    if wrong:
        known = ", ".join(str(n) for n in comments) or "none"
        raise UsageError(f"review {review_id} has no comment {', '.join(map(str, wrong))} "
                         f"(its comments: {known}; changes are accepted or rejected with "
                         "`pressroom review apply`).")
    with store.write() as db:
        db.executemany("UPDATE review_items SET state = 'resolved', decided = ?, decided_by = ?"
                       " WHERE review_id = ? AND number = ? AND state = 'open'",
                       [(iso(store.now()), person, review_id, n) for n in numbers])
    return numbers
