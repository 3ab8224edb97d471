"""What notebooks/review_draft.ipynb shows of a reviewed draft: the review (ingested when it
is not yet: the same file is stored once), its open items as a table, and each field's
text as sent beside the text with its open changes accepted, marked with <ins> and <del>.

    sheet = open_review("2024-05-01-river-defenders", "drafts/.../reviewed.docx")
    sheet.summary(); sheet.items(); sheet.proposed()
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from .display import Panel, Table
from .errors import UsageError
from .review.ingest import Ingested, ingest, label
from .review.stored import COMMENT, StoredReview, load


@dataclass
class ReviewSheet:
    review: StoredReview
    ingested: Ingested
    proposals: list[tuple[str, list[tuple[str, str]]]]  # (field, ops), in the draft's order

    def summary(self) -> Panel:
        r = self.review
        comments = sum(1 for i in r.open_items() if i.kind == COMMENT)
        unplaced = sum(1 for i in r.items if i.field is None)
        return Panel(f"Review {r.id} of {r.statement_id}", [
            ("file", f"`{r.file_name}`" + ("" if self.ingested.new else
                                            " (ingested before: nothing new stored)")),
            ("draft of", f"version {r.version}"),
            ("reviewers", ", ".join(r.reviewers) or "none named"),
            ("open", f"{comments} comment(s), {len(r.open_items()) - comments} change(s)"),
            ("unplaced", str(unplaced)),
            ("next", f"`pressroom review apply {r.id} --accept all` (or the changes' ids), "
                     f"`pressroom review resolve {r.id} --all`"),
        ], role="review")

    def items(self) -> Table:
        rows = [(i.number, name, i.kind, i.author, i.date or "",
                 (f"on “{i.anchor}”: " if i.anchor else "") + i.text)
                for name, found in self.review.by_field().items() for i in found]
        return Table(f"Open comments and changes ({len(rows)})",
                     ("id", "field", "kind", "author", "date", "text"), rows)

    def proposed(self) -> Table:
        rows = [(label(name), html.escape(_old(ops)), marked(ops))
                for name, ops in self.proposals]
        return Table("Each field as sent, and with its open changes accepted",
                     ("field", "as sent", "proposed"), rows, raw_html_columns=(2,))


def marked(ops: list[tuple[str, str]]) -> str:
    """The proposed text as HTML: insertions in <ins>, deletions in <del>."""
    from .review.apply import SPLIT

    out = []
    for kind, text in ops:
        # A split the reviewer made: a pilcrow and a line break where the new paragraph goes.
        t = html.escape(text).replace(SPLIT, "¶<br>")
        out.append(t if kind == "same" else f"<ins>{t}</ins>" if kind == "ins"
                   else f"<del>{t}</del>")
    return "".join(out)


def _old(ops: list[tuple[str, str]]) -> str:
    return "".join(t for k, t in ops if k != "ins")


def open_review(statement: str, reviewed: str, site: str = "", person: str = ""
                ) -> ReviewSheet:
    from .people import acting
    from .review.apply import field_edits
    from .site import load_site

    the_site = load_site(Path(site) if site else None)
    who = acting(the_site.settings, person or None)
    who.require_person(the_site.settings, "ingest reviews")
    path = Path(reviewed)
    if not path.is_absolute():
        path = the_site.root / path
    done = ingest(the_site, path, actor=who.name, person=who.person.name,
                  acting_for=who.on_behalf_of.name if who.on_behalf_of else None)
    if done.statement_id != statement:
        raise UsageError(f"{path} is a review of {done.statement_id}, not of {statement}: set "
                         "the notebook's `statement` to it, or choose another file.")
    from .store import STORE_NAME, Store

    store = Store(the_site.runs_dir / STORE_NAME)
    review = load(store, done.review_id)
    return ReviewSheet(review, done, field_edits(store, review))
