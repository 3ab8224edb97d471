"""Names of the WordprocessingML the review reader looks at, and the text rules of a run.

Accept and reject follow Open-XML-PowerTools' revision processor: accepting drops deleted and
moved-from content and keeps inserted and moved-to content; rejecting does the opposite
(both ends of a move swap). Text inside an insertion that was then deleted is in neither.
"""

from __future__ import annotations

from lxml import etree

from ..render.oxml import NO_BREAK_HYPHEN, hyphen_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def attr(el: etree._Element, name: str, ns: str = W) -> str | None:
    return el.get(f"{{{ns}}}{name}")


P, R, T, DEL_TEXT = w("p"), w("r"), w("t"), w("delText")
INS, DEL, MOVE_FROM, MOVE_TO = w("ins"), w("del"), w("moveFrom"), w("moveTo")
PPR, RPR, TRPR = w("pPr"), w("rPr"), w("trPr")
# Run content that reads as a character; field codes (instrText, delInstrText) are not text
# a reader sees, only their results are.
CHARACTERS = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "\u2011",
              w("softHyphen"): "\u00ad"}
TEXT = {T, DEL_TEXT}


def character(el: etree._Element) -> str:
    """The character a run's content element in CHARACTERS reads as (a no-break hyphen in
    a link is the address's own "-": render/oxml.py's hyphen_text)."""
    return hyphen_text(el) if el.tag == NO_BREAK_HYPHEN else CHARACTERS[el.tag]
INSERTED = {INS, MOVE_TO}
REMOVED = {DEL, MOVE_FROM}


def run_text(el: etree._Element) -> str:
    """Every character under `el`, changes or not (text, deleted text, tabs, breaks)."""
    out: list[str] = []
    for node in el.iter():
        tag = node.tag
        if tag in TEXT:
            out.append(node.text or "")
        elif tag in CHARACTERS:
            out.append(character(node))
    return "".join(out)


def view_text(el: etree._Element, keep: str) -> str:
    """The text under `el` with every change accepted (`keep="accepted"`) or rejected."""
    drop = REMOVED if keep == "accepted" else INSERTED
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        for child in node:
            tag = child.tag
            if tag in drop:
                continue
            if tag in TEXT:
                out.append(child.text or "")
            elif tag in CHARACTERS:
                out.append(character(child))
            elif isinstance(tag, str) and tag not in (PPR, RPR):  # not comments, not marks
                walk(child)

    walk(el)
    return "".join(out)


def accepted_text(p: etree._Element) -> str:
    """A paragraph's text with every change accepted."""
    return view_text(p, "accepted")


def rejected_text(p: etree._Element) -> str:
    """A paragraph's text with every change rejected: what the reviewer was sent, if every
    edit was tracked."""
    return view_text(p, "rejected")


def mark_change(p: etree._Element) -> str | None:
    """"ins", "del", "moveFrom" or "moveTo" when the paragraph's mark is a tracked change."""
    rpr = p.find(f"{PPR}/{RPR}")
    if rpr is None:
        return None
    for child in rpr:
        if child.tag in INSERTED or child.tag in REMOVED:
            return etree.QName(child).localname
    return None


def row_change(p: etree._Element) -> str | None:
    """"ins" or "del" when the paragraph sits in a table row inserted or deleted as a whole."""
    for row in p.iterancestors(w("tr")):
        trpr = row.find(TRPR)
        if trpr is not None:
            for child in trpr:
                if child.tag in (INS, DEL):
                    return etree.QName(child).localname
        break
    return None


def view_paragraphs(paragraphs: list[etree._Element], keep: str) -> list[str]:
    """The text of a story's paragraphs with every change accepted or rejected: a removed
    paragraph mark joins its paragraph to the next one (accept: a deleted mark; reject: an
    inserted one), and a removed table row takes its paragraphs with it."""
    gone_mark = ("del", "moveFrom") if keep == "accepted" else ("ins", "moveTo")
    gone_row = "del" if keep == "accepted" else "ins"
    out: list[str] = []
    carry = ""
    for p in paragraphs:
        if row_change(p) == gone_row:
            continue
        text = carry + view_text(p, keep)
        if mark_change(p) in gone_mark:
            carry = text
            continue
        carry = ""
        out.append(text)
    if carry:
        out.append(carry)
    return out
