"""Differences between two versions of a statement as Word tracked changes (w:ins, w:del).

Both versions are laid out by the same Word writer; their field paragraphs (docx._Writer's
anchors) are compared family by family (title, dateline, corrections, body paragraphs,
footnotes, endorsers, contacts). Paragraphs are aligned with difflib on their text, so a
paragraph added at the top does not make every later one "changed":

- a paragraph only in the new version: its runs inside w:ins, its paragraph mark inserted;
- a paragraph only in the old version: a copy of it, its text in w:delText inside w:del, its
  paragraph mark deleted, put where it stood (accepting the change removes it);
- a paragraph in both whose text differs: its words diffed with difflib, each inserted span
  of the new runs wrapped in w:ins (runs split at the span's ends, formatting kept), each
  deleted span a w:del run where it was, formatted like the run it stands before.

Not tracked: a change of a paragraph's style alone (a paragraph turned into a heading with
the same words), and a footnote removed while no footnote is left to hold its deleted text.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable

from lxml import etree

from . import oxml as ox

# Words (with their inner apostrophes and hyphens: "Kazakhstan’s", "FORUM-ASIA"), each mark
# of punctuation, runs of white space: "April." to "May." changes the word, not the stop.
_TOKEN = re.compile(r"\s+|\w+(?:['’-]\w+)*|[^\w\s]")
_FAMILY = re.compile(r"^(pr_[a-z]+)")
W_R, W_T, W_INS, W_DEL = ox.w("r"), ox.w("t"), ox.w("ins"), ox.w("del")


class _Ids:
    def __init__(self, author: str, stamp: str):
        self.n, self.author, self.stamp = 0, author, stamp

    def change(self, tag: str) -> etree._Element:
        """A new w:ins or w:del with its id, author and date."""
        self.n += 1
        el = etree.Element(ox.w(tag))
        el.set(ox.w("id"), str(self.n))
        el.set(ox.w("author"), self.author)
        el.set(ox.w("date"), self.stamp)
        return el


def track(new: list, old: list, author: str, stamp: str) -> int:
    """Mark in the new anchors' paragraphs every difference from the old ones; the number of
    changes written. Anchors are (bookmark name, w:p, runs to skip, line)."""
    ids = _Ids(author, stamp)
    fallback = None  # the last body paragraph of the families before: where a family's
    for family in dict.fromkeys(_family(a[0]) for a in (*new, *old)):  # deletions go
        mine = [a for a in new if _family(a[0]) == family]
        theirs = [a for a in old if _family(a[0]) == family]
        notes = family == "pr_fn"  # deleted notes stay among the notes, never in the body
        _family_changes(mine, theirs, ids, None if notes else fallback)
        if mine and not notes:
            fallback = mine[-1][1]
    return ids.n


def _family(name: str) -> str:
    match = _FAMILY.match(name)
    return match.group(1) if match else name


def _family_changes(mine: list, theirs: list, ids: _Ids, fallback) -> None:
    new_texts = [paragraph_text(a[1], a[2]) for a in mine]
    old_texts = [paragraph_text(a[1], a[2]) for a in theirs]
    matcher = difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    last = None  # the new paragraph a deleted one goes after, when none follows it
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            last = mine[j2 - 1][1]
            continue
        pairs = list(zip(range(i1, i2), range(j1, j2), strict=False)) if tag == "replace" else []
        for i, j in pairs:
            words(mine[j][1], mine[j][2], old_texts[i], ids)
        for j in range(j1 + len(pairs), j2):
            inserted_paragraph(mine[j][1], mine[j][2], ids)
        if j2 > j1:
            last = mine[j2 - 1][1]
        following = mine[j2][1] if j2 < len(mine) else None
        for i in range(i1 + len(pairs), i2):
            placed = deleted_paragraph(theirs[i][1], theirs[i][2], ids,
                                       after=last if last is not None else None,
                                       before=following if last is None else None,
                                       fallback=fallback)
            last = placed if placed is not None else last


# --- the text of a field paragraph, as runs with offsets -------------------------------------


def _runs(p: etree._Element, skip: int) -> list[etree._Element]:
    """The paragraph's runs that hold the field's text, in order (not deleted ones)."""
    out = []
    for r in list(p.iter(W_R))[skip:]:
        if any(a.tag == W_DEL for a in r.iterancestors()):
            continue
        out.append(r)
    return out


def run_text(r: etree._Element) -> str:
    pieces = []
    for child in r:
        if child.tag == W_T:
            pieces.append(child.text or "")
        elif child.tag in (ox.w("br"), ox.w("cr")):
            pieces.append("\n")
        elif child.tag == ox.w("tab"):
            pieces.append("\t")
        elif child.tag == ox.NO_BREAK_HYPHEN:  # an address's "-" (docx.py writes no other)
            pieces.append("-")
    return "".join(pieces)


def paragraph_text(p: etree._Element, skip: int) -> str:
    return "".join(run_text(r) for r in _runs(p, skip))


def _simple(r: etree._Element) -> bool:
    """A run of text alone (its properties and w:t elements), which can be cut in two."""
    return all(c.tag in (W_T, ox.w("rPr")) for c in r)


def _split(r: etree._Element, at: int) -> None:
    """Cut a run of text in two at character `at`, both halves formatted as it was."""
    text = run_text(r)
    second = copy.deepcopy(r)
    for run, piece in ((r, text[:at]), (second, text[at:])):
        for t in run.findall(W_T):
            run.remove(t)
        t = ox.sub(run, "t")
        t.text = piece
        t.set(ox.XML_SPACE, "preserve")
    r.addnext(second)


def _cut_at(p: etree._Element, skip: int, offsets: set[int]) -> list[tuple[int, etree._Element]]:
    """Split runs so that every offset falls between runs; (start, run) of each run."""
    for offset in sorted(offsets, reverse=True):
        at = 0
        for r in _runs(p, skip):
            size = len(run_text(r))
            if at < offset < at + size and _simple(r):
                _split(r, offset - at)
                break
            at += size
    out, at = [], 0
    for r in _runs(p, skip):
        out.append((at, r))
        at += len(run_text(r))
    return out


# --- the changes ---------------------------------------------------------------------------


def words(p: etree._Element, skip: int, old_text: str, ids: _Ids) -> None:
    """The word-by-word difference from `old_text` to the paragraph's text, tracked."""
    new_text = paragraph_text(p, skip)
    old_tokens, new_tokens = _TOKEN.findall(old_text), _TOKEN.findall(new_text)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_at = _offsets(old_tokens)
    new_at = _offsets(new_tokens)
    spans = [(tag, old_at[i1], old_at[i2], new_at[j1], new_at[j2])
             for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    runs = _cut_at(p, skip, {x for s in spans for x in s[3:]})
    for tag, a, b, c, d in reversed(spans):  # from the end: earlier offsets stay true
        if tag in ("insert", "replace"):
            _wrap([r for start, r in runs if c <= start and start + len(run_text(r)) <= d
                   and (run_text(r) or c < start < d)], ids.change("ins"))
        if tag in ("delete", "replace"):
            _deleted_before(p, runs, c, old_text[a:b], ids)


def _offsets(tokens: list[str]) -> list[int]:
    out, at = [0], 0
    for token in tokens:
        at += len(token)
        out.append(at)
    return out


def _wrap(runs: list[etree._Element], change: etree._Element) -> None:
    """Put runs inside a w:ins, one element per group of sibling runs (a link's runs stay
    inside its w:hyperlink)."""
    groups: list[list[etree._Element]] = []
    for r in runs:
        if groups and groups[-1][-1].getnext() is r:
            groups[-1].append(r)
        else:
            groups.append([r])
    for n, group in enumerate(groups):
        wrapper = change if n == 0 else _like(change)
        group[0].addprevious(wrapper)
        for r in group:
            wrapper.append(r)


def _like(change: etree._Element) -> etree._Element:
    """A sibling change of the same kind: the same author and date, its own id."""
    twin = copy.deepcopy(change)
    for child in list(twin):
        twin.remove(child)
    return twin


def _deleted_before(p, runs, at: int, text: str, ids: _Ids) -> None:
    """A w:del of `text` at offset `at` of the paragraph's text."""
    following = next((r for start, r in runs if start >= at and run_text(r)), None)
    model = following if following is not None else (runs[-1][1] if runs else None)
    change = ids.change("del")
    _del_runs(change, text, model)
    if following is not None:
        _outer(following).addprevious(change)
    elif runs:
        _outer(runs[-1][1]).addnext(change)
    else:
        end = p.find(ox.w("bookmarkEnd"))
        (end.addprevious if end is not None else p.append)(change)


def _outer(r: etree._Element) -> etree._Element:
    parent = r.getparent()
    return parent if parent.tag in (W_INS, W_DEL) else r


def _del_runs(change: etree._Element, text: str, model) -> None:
    """Runs of deleted text (w:delText; a line end as a deleted break) inside `change`."""
    r = etree.SubElement(change, W_R)
    rpr = model.find(ox.w("rPr")) if model is not None else None
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    for n, line in enumerate(text.split("\n")):
        if n:
            ox.sub(r, "br")
        if line:
            t = ox.sub(r, "delText")
            t.text = line
            t.set(ox.XML_SPACE, "preserve")


def _mark_paragraph(p: etree._Element, change: etree._Element) -> None:
    """The paragraph mark inserted or deleted (w:pPr/w:rPr/w:ins or w:del)."""
    ppr = p.find(ox.w("pPr"))
    if ppr is None:
        ppr = etree.Element(ox.w("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(ox.w("rPr"))
    if rpr is None:
        rpr = etree.Element(ox.w("rPr"))
        later = [c for c in ppr if etree.QName(c).localname in ("sectPr", "pPrChange")]
        (later[0].addprevious if later else ppr.append)(rpr)
    rpr.insert(0, change)


def inserted_paragraph(p: etree._Element, skip: int, ids: _Ids) -> None:
    runs = _runs(p, skip)
    if runs:
        _wrap(runs, ids.change("ins"))
    _mark_paragraph(p, ids.change("ins"))


_DROPPED = ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd")


def deleted_paragraph(old: etree._Element, skip: int, ids: _Ids, *, before, after,
                      fallback) -> etree._Element | None:
    """A copy of an old paragraph, all deleted, put before `before` or after `after`."""
    p = copy.deepcopy(old)
    ppr = p.find(ox.w("pPr"))
    if ppr is not None and ppr.find(ox.w("numPr")) is not None:
        ppr.remove(ppr.find(ox.w("numPr")))  # the old version's own list restarts
    for el in [e for e in p.iter() if etree.QName(e).localname in _DROPPED]:
        el.getparent().remove(el)
    for link in p.findall(ox.w("hyperlink")):  # its relationship is the old file's
        for child in list(link):
            link.addprevious(child)
        p.remove(link)
    runs = [r for r in p if r.tag == W_R]
    for r in runs[:skip]:
        p.remove(r)
    change = ids.change("del")
    for r in [r for r in p if r.tag == W_R]:
        text = run_text(r)
        if not text:  # a note's mark, a field's pieces: only text is deleted
            p.remove(r)
            continue
        keep = r.find(ox.w("rPr"))
        for child in list(r):
            r.remove(child)
        if keep is not None:
            r.append(keep)
        p.remove(r)
        holder = etree.Element(W_DEL)
        _del_runs(holder, text, r)
        change.append(holder[0])
    p.append(change)
    _mark_paragraph(p, ids.change("del"))
    place: Callable | None = None
    if before is not None:
        place = before.addprevious
    elif after is not None:
        place = after.addnext
    elif fallback is not None and fallback.getparent() is not None:
        place = fallback.addnext
    if place is None:
        return None
    place(p)
    return p
