"""Reviewed Word files built from XML templates written here, in the shapes each client writes.

No client's file is copied: each shape is written from the format's documentation, cited
above its function (ECMA-376 Part 1, 5th edition, section 17.13 "Annotations": 17.13.4
comments, 17.13.5 revisions, 17.13.2.24-27 move ranges; [MS-DOCX] "Word Extensions to the
Office Open XML File Format" for w14:paraId, the Comments Extended part (w15:commentEx), the
Comments IDs part (w16cid:commentId) and the Comments Extensible part
(w16cex:commentExtensible)); Google Docs' shape is what its exports are documented to lack
(no commentsExtended; a reply repeats its parent's range), as FIELD-NOTES.md "Reviews" says.

    data = docx_bytes(body=..., comments=..., extended=...)   # a .docx as bytes
"""

from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
      'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
      'xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" '
      'xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex"')
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS_REL = {"commentsExtended": "http://schemas.microsoft.com/office/2011/relationships",
           "commentsIds": "http://schemas.microsoft.com/office/2016/09/relationships",
           "commentsExtensible": "http://schemas.microsoft.com/office/2018/08/relationships",
           "people": "http://schemas.microsoft.com/office/2011/relationships"}
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _content_types(names: list[str]) -> str:
    overrides = "".join(f'<Override PartName="/{n}" ContentType="application/xml"/>'
                        for n in names)
    return (DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/>{overrides}</Types>')


def _rels(targets: list[tuple[str, str]]) -> str:
    rows = "".join(f'<Relationship Id="rId{i}" Type="{t}" Target="{target}"/>'
                   for i, (t, target) in enumerate(targets, 1))
    return (DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rows}</Relationships>')


def docx_bytes(body: str, *, footnotes: str | None = None, endnotes: str | None = None,
               header: str | None = None, comments: str | None = None,
               extended: str | None = None, ids: str | None = None,
               extensible: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx whose document.xml holds `body` (inner XML of w:body, prefixes of NS), and
    each other part given as the inner XML of its root element."""
    parts = {"word/document.xml": f"{DECL}<w:document {NS}><w:body>{body}</w:body></w:document>"}
    targets: list[tuple[str, str]] = []
    roots = {"footnotes": ("w:footnotes", footnotes), "endnotes": ("w:endnotes", endnotes),
             "header1": ("w:hdr", header), "comments": ("w:comments", comments),
             "commentsExtended": ("w15:commentsEx", extended),
             "commentsIds": ("w16cid:commentsIds", ids),
             "commentsExtensible": ("w16cex:commentsExtensible", extensible)}
    for name, (root, inner) in roots.items():
        if inner is None:
            continue
        parts[f"word/{name}.xml"] = f"{DECL}<{root} {NS}>{inner}</{root}>"
        kind = "header" if name == "header1" else name
        targets.append((f"{_MS_REL.get(kind, _DOC_REL)}/{kind}", f"{name}.xml"))
    parts["word/_rels/document.xml.rels"] = _rels(targets)
    parts["_rels/.rels"] = _rels([(f"{_DOC_REL}/officeDocument", "word/document.xml")])
    parts["[Content_Types].xml"] = _content_types(sorted(parts))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


# --- small XML pieces -----------------------------------------------------------------------

def t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def ins(cid: int, text: str, author: str = "Amara Okafor",
        date: str = "2024-05-02T10:00:00Z") -> str:
    return f'<w:ins w:id="{cid}" w:author="{author}" w:date="{date}">{t(text)}</w:ins>'


def dele(cid: int, text: str, author: str = "Amara Okafor",
         date: str = "2024-05-02T10:01:00Z") -> str:
    return (f'<w:del w:id="{cid}" w:author="{author}" w:date="{date}"><w:r>'
            f'<w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>')


def comment(cid: int, text: str, author: str, initials: str, date: str,
            para_id: str | None = None, paras: tuple[str, ...] = ()) -> str:
    """A w:comment with one paragraph per text (`paras` before `text`); the last one carries
    `para_id`, as [MS-DOCX] keys commentEx by the comment's last paragraph."""
    out = [f'<w:comment w:id="{cid}" w:author="{author}" w:initials="{initials}" '
           f'w:date="{date}">']
    for extra in paras:
        out.append(f'<w:p w14:paraId="{int(para_id or "1", 16) - 1:08X}">{t(extra)}</w:p>'
                   if para_id else f"<w:p>{t(extra)}</w:p>")
    pid = f' w14:paraId="{para_id}" w14:textId="77777777"' if para_id else ""
    out.append(f'<w:p{pid}><w:r><w:annotationRef/></w:r>{t(text)}</w:p></w:comment>')
    return "".join(out)


def ref(cid: int) -> str:
    return f'<w:r><w:commentReference w:id="{cid}"/></w:r>'


def start(cid: int) -> str:
    return f'<w:commentRangeStart w:id="{cid}"/>'


def end(cid: int) -> str:
    return f'<w:commentRangeEnd w:id="{cid}"/>{ref(cid)}'


def footnotes(*notes: str) -> str:
    """Word's separator notes (ECMA-376 17.11.23: type separator and continuationSeparator,
    which are not the statement's notes) and then `notes`."""
    return ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            '<w:continuationSeparator/></w:r></w:p></w:footnote>' + "".join(notes))


# --- client shapes ----------------------------------------------------------------------------

def word_2010() -> bytes:
    """Word 2010: comments.xml with w14:paraId on each paragraph ([MS-DOCX] w14 paraId,
    first written by Word 2010) and no commentsExtended (threads and "done" came with
    Word 2013's w15); a comment with no range, only its reference (17.13.4.5). Run-level
    w:ins and w:del
    (ECMA-376 17.13.5.18, 17.13.5.14), a deleted paragraph mark (w:pPr/w:rPr/w:del,
    17.13.5.15) and a run's formatting change (w:rPrChange, 17.13.5.31) to bold."""
    body = ("<w:p>" + start(1) + t("We call on the authorities ") + ins(10, "immediately ")
            + t("to release") + dele(11, " all") + t(" the detainees.") + end(1) + "</w:p>"
            '<w:p><w:pPr><w:rPr><w:del w:id="12" w:author="Amara Okafor" '
            'w:date="2024-05-02T10:02:00Z"/></w:rPr></w:pPr>' + t("The first half")
            + "</w:p>"
            + "<w:p>" + t(" and the second half.") + '<w:r><w:rPr><w:b/><w:rPrChange w:id="13" '
            'w:author="Amara Okafor" w:date="2024-05-02T10:03:00Z"><w:rPr/></w:rPrChange>'
            '</w:rPr><w:t>Bold now</w:t></w:r>' + ref(2) + "</w:p>")
    comments = (comment(1, "Say which authorities.", "Amara Okafor", "AO",
                        "2024-05-02T09:00:00Z", para_id="1A2B3C01")
                + comment(2, "A comment on no text.", "Amara Okafor", "AO",
                          "2024-05-02T09:05:00Z", para_id="1A2B3C02"))
    return docx_bytes(body, comments=comments)


def word_365(mac: bool = False) -> bytes:
    """Word 2016/365 for Windows, and Word for Mac 16, which writes the same four comment
    parts: comments.xml; commentsExtended.xml ([MS-DOCX] CT_CommentEx: w15:paraId of the
    comment's last paragraph, w15:paraIdParent for a reply, w15:done="1" for resolved);
    commentsIds.xml ([MS-DOCX] CT_CommentId: w16cid:paraId to w16cid:durableId);
    commentsExtensible.xml ([MS-DOCX] CT_CommentExtensible: durableId and dateUtc).
    A reply repeats its parent's range, as Word writes it; a second, independent comment on
    the same words stays top-level because it has its own commentEx without a parent. The
    reply has two paragraphs, so only its last paragraph's paraId finds its thread. The Mac
    variant also moves a sentence (17.13.5.22/25 moveFrom/moveTo inside named move ranges,
    17.13.2.24-27), edits inside a table (17.4) and a hyperlink (17.16.22)."""
    date = "2024-06-11T14:20:00Z"
    body = ("<w:p>" + start(0) + start(1) + start(2) + t("Freedom of assembly")
            + end(0) + end(1) + end(2) + t(" is protected.") + "</w:p>"
            "<w:p>" + t("Release ") + start(3) + t("every") + ins(20, " peaceful", "Li Wei", date)
            + end(3) + t(" protester.") + "</w:p>")
    if mac:
        body += ('<w:p><w:moveFromRangeStart w:id="30" w:name="move1" w:author="Li Wei" '
                 f'w:date="{date}"/><w:moveFrom w:id="31" w:author="Li Wei" w:date="{date}">'
                 + t("Moved sentence.") + '</w:moveFrom><w:moveFromRangeEnd w:id="30"/>'
                 + t(" Stays here.") + "</w:p>"
                 "<w:tbl><w:tr><w:tc><w:p>" + t("Cell ") + dele(32, "old", "Li Wei", date)
                 + ins(33, "new", "Li Wei", date) + "</w:p></w:tc></w:tr>"
                 f'<w:tr><w:trPr><w:ins w:id="34" w:author="Li Wei" w:date="{date}"/></w:trPr>'
                 "<w:tc><w:p>" + ins(35, "A new row", "Li Wei", date) + "</w:p></w:tc></w:tr>"
                 "</w:tbl>"
                 '<w:p><w:hyperlink r:id="rIdLink">' + ins(36, "the report", "Li Wei", date)
                 + "</w:hyperlink>"
                 '<w:moveToRangeStart w:id="37" w:name="move1" w:author="Li Wei" '
                 f'w:date="{date}"/><w:moveTo w:id="38" w:author="Li Wei" w:date="{date}">'
                 + t("Moved sentence.") + '</w:moveTo><w:moveToRangeEnd w:id="37"/></w:p>')
    comments = (comment(0, "Cite the article.", "Li Wei", "LW", date, para_id="2B000001")
                + comment(1, "Article 21 of the ICCPR.", "Sara Haddad", "SH", date,
                          para_id="2B000003", paras=("Agreed.",))
                + comment(2, "A separate point on the same words.", "Sara Haddad", "SH",
                          date, para_id="2B000004")
                + comment(3, "Is 'every' too strong?", "Li Wei", "LW", date,
                          para_id="2B000005"))
    extended = ('<w15:commentEx w15:paraId="2B000001" w15:done="0"/>'
                '<w15:commentEx w15:paraId="2B000003" w15:paraIdParent="2B000001" '
                'w15:done="0"/>'
                '<w15:commentEx w15:paraId="2B000004" w15:done="0"/>'
                '<w15:commentEx w15:paraId="2B000005" w15:done="1"/>')
    ids = "".join(f'<w16cid:commentId w16cid:paraId="{p}" w16cid:durableId="{d}"/>'
                  for p, d in (("2B000001", "5A1B0001"), ("2B000003", "5A1B0002"),
                               ("2B000004", "5A1B0003"), ("2B000005", "5A1B0004")))
    extensible = "".join(f'<w16cex:commentExtensible w16cex:durableId="{d}" '
                         f'w16cex:dateUtc="2024-06-11T1{i}:20:00Z"/>'
                         for i, d in enumerate(("5A1B0001", "5A1B0002", "5A1B0003",
                                                "5A1B0004")))
    return docx_bytes(body, comments=comments, extended=extended, ids=ids,
                      extensible=extensible)


def google_docs() -> bytes:
    """Google Docs' export: comments.xml only, no commentsExtended and no w14:paraId; a reply
    is a comment whose commentRangeStart and End sit exactly where its parent's do (so the
    two replies below thread under comment 0); suggestions are plain w:ins and w:del. A
    comment on other words, starting at the same point, is not a reply. Also a footnote with
    a suggestion and a comment inside it (ECMA-376 17.11.10 footnote)."""
    date = "2024-07-01T08:00:00Z"
    body = ("<w:p>" + start(0) + start(1) + start(2) + start(3) + t("The dateline")
            + end(0) + end(1) + end(2) + t(" and more") + end(3) + "</w:p>"
            "<w:p>" + t("Text") + dele(5, " removed", "Noor Rahman", date)
            + '<w:r><w:footnoteReference w:id="1"/></w:r></w:p>')
    notes = footnotes('<w:footnote w:id="1"><w:p>' + t("See ") + start(4)
                      + ins(6, "the 2023 report", "Noor Rahman", date) + end(4)
                      + "</w:p></w:footnote>")
    comments = (comment(0, "Which city?", "Noor Rahman", "", date)
                + comment(1, "Bangkok.", "Tomás Ruiz", "", date)
                + comment(2, "Thanks, fixed.", "Noor Rahman", "", date)
                + comment(3, "Longer range from the same start.", "Tomás Ruiz", "", date)
                + comment(4, "Link it.", "Tomás Ruiz", "", date))
    return docx_bytes(body, footnotes=notes, comments=comments)


# --- a draft for a real client -----------------------------------------------------------

def python_docx_draft(path, paragraphs: list[str], footnote: str) -> None:
    """A .docx made with python-docx, as the renderer makes drafts, with one real footnote
    (a footnotes part holding Word's separators and note 1, cited at the end of the last
    paragraph), built as render/oxml.py builds them."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    last = document.paragraphs[-1]._p
    last.append(parse_xml(f'<w:r {NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                          '<w:footnoteReference w:id="1"/></w:r>'))
    notes = parse_xml(f"<w:footnotes {NS}>" + footnotes(
        f'<w:footnote w:id="1"><w:p>{t(footnote)}</w:p></w:footnote>') + "</w:footnotes>")
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes,
                   document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(str(path))


# --- hostile files ------------------------------------------------------------------------

def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    """A zip of exactly these entries, duplicates included (zipfile warns about those)."""
    import warnings

    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore", UserWarning)
        for name, data in parts:
            z.writestr(name, data)
    return out.getvalue()


def _document(inner: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<w:document {NS}><w:body>'
            f"{inner}</w:body></w:document>").encode()


def with_document(document: bytes) -> bytes:
    """A valid package around a document.xml given as bytes."""
    return _zip([("[Content_Types].xml", _content_types(["word/document.xml"]).encode()),
                 ("word/document.xml", document)])


def zip_bomb() -> bytes:
    """30 MB of XML deflated to about 30 KB: under the per-part limit as its header declares
    it, so only the ratio, counted while inflating, stops it."""
    return with_document(_document("<w:p>" + t("x") + "</w:p>" + " " * (30 * 1024 * 1024)))


def hostile(bomb: bool = True) -> dict[str, tuple[bytes, str, str | None]]:
    """Each hostile file: (bytes, words the refusal must say, the part it must name); with
    `bomb=False` the zip bomb's bytes are left empty (making it takes a moment)."""
    laughs = "".join(f'<!ENTITY ha{i} "{("&ha" + str(i - 1) + ";") * 10}">' for i in
                     range(1, 10))
    deep = "<w:p>" + "<w:hyperlink>" * 300 + t("deep") + "</w:hyperlink>" * 300 + "</w:p>"
    ok = docx_bytes("<w:p>" + t("fine") + "</w:p>")
    return {
        "not-a-zip": (b"This is a letter, not a Word file.\n" * 10, "not a zip", None),
        "empty": (b"", "not a zip", None),
        "zip-bomb": (zip_bomb() if bomb else b"", "times its packed size",
                     "word/document.xml"),
        "dtd": (with_document(_document("<w:p/>", '<!DOCTYPE w:document [<!ENTITY who "me">]>')),
                "DTD", "word/document.xml"),
        "billion-laughs": (with_document(_document(
            "<w:p><w:r><w:t>&ha9;</w:t></w:r></w:p>",
            f'<!DOCTYPE w:document [<!ENTITY ha0 "ha">{laughs}]>')), "DTD",
            "word/document.xml"),
        "xxe": (with_document(_document(
            "<w:p><w:r><w:t>&secret;</w:t></w:r></w:p>",
            '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>')),
            "DTD", "word/document.xml"),
        # Past the first 4 KB a quick look at the prolog misses the DOCTYPE; the parser's
        # record of it does not.
        "xxe-late": (with_document(_document(
            "<w:p><w:r><w:t>&secret;</w:t></w:r></w:p>",
            "<!--" + "padding " * 1000 + "-->"
            '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>')),
            "DTD", "word/document.xml"),
        "xxe-in-comments": (_replace(ok, "word/document.xml", _document(
            "<w:p>" + start(0) + t("x") + end(0) + "</w:p>"), extra=[
            ("word/comments.xml", b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY s SYSTEM '
             b'"file:///etc/passwd">]><w:comments xmlns:w="' + W.encode() + b'"><w:comment '
             b'w:id="0"><w:p><w:r><w:t>&s;</w:t></w:r></w:p></w:comment></w:comments>'),
            ("word/_rels/document.xml.rels", _rels([(f"{_DOC_REL}/comments",
                                                    "comments.xml")]).encode())]),
            "DTD", "word/comments.xml"),
        "missing-document": (_zip([("[Content_Types].xml", b"<Types/>"),
                                   ("word/other.xml", b"<x/>")]),
                             "missing", "word/document.xml"),
        "missing-content-types": (_zip([("word/document.xml", _document("<w:p/>"))]),
                                  "missing", "[Content_Types].xml"),
        "duplicate-part": (_zip([("[Content_Types].xml", b"<Types/>"),
                                 ("word/document.xml", _document("<w:p>" + t("one") + "</w:p>")),
                                 ("word/document.xml", _document("<w:p>" + t("two") + "</w:p>"))]),
                           "twice", "word/document.xml"),
        "duplicate-case": (_zip([("[Content_Types].xml", b"<Types/>"),
                                 ("word/document.xml", _document("<w:p/>")),
                                 ("word/Document.xml", _document("<w:p/>"))]),
                           "twice", "word/Document.xml"),
        "deep-nesting": (with_document(_document(deep)), "nested over 256",
                         "word/document.xml"),
        "not-xml": (with_document(b"<w:document><w:body>"), "not well-formed",
                    "word/document.xml"),
        "size-lies-small": (_lie(with_document(_document("<w:p>" + t("y" * 5000) + "</w:p>")),
                                 "word/document.xml", 100), "damaged", "word/document.xml"),
        "size-lies-big": (_lie(with_document(_document("<w:p/>")), "word/document.xml",
                               2**31), "over the limit", "word/document.xml"),
    }


def _replace(data: bytes, name: str, new: bytes,
             extra: list[tuple[str, bytes]] | None = None) -> bytes:
    """The package `data` with part `name` replaced and parts in `extra` put in or over."""
    replaced = {name: new, **dict(extra or [])}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = [(n, replaced.pop(n, z.read(n))) for n in z.namelist()]
    return _zip(parts + list(replaced.items()))


def _lie(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten in its local and central headers,
    as a hand-made bomb would claim."""
    import struct

    buf = bytearray(data)
    encoded = name.encode()
    # (signature, offset of the uncompressed size, of the name's length, of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                   (b"PK\x01\x02", 24, 28, 46)):
        at = buf.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", buf, at + length_at)
            if length == len(encoded) and buf[at + name_at:at + name_at + length] == encoded:
                struct.pack_into("<I", buf, at + size_at, size)
            at = buf.find(signature, at + 4)
    return bytes(buf)


# --- many comments --------------------------------------------------------------------------

def many_comments(n: int, changes: int = 0) -> bytes:
    """A statement-shaped file with `n` comments (every third a reply to the one before it,
    in commentsExtended, every fifth resolved), each on its own words, ten to a paragraph,
    and `changes` insertions and deletions spread over the same paragraphs."""
    paras: list[str] = []
    per = 10
    for p in range((max(n, changes) + per - 1) // per):
        runs = []
        for k in range(per):
            i = p * per + k
            if i < n:
                runs.append(start(i) + t(f"point {i} of the statement") + end(i))
            if i < changes:
                runs.append(ins(100_000 + 2 * i, f" added {i}") if i % 2 == 0
                            else dele(100_000 + 2 * i, f" removed {i}"))
            runs.append(t(" and "))
        paras.append("<w:p>" + "".join(runs) + "</w:p>")
    comments = "".join(comment(i, f"Reviewer note {i}: check the wording of point {i}.",
                               f"Reviewer {i % 7}", f"R{i % 7}", "2024-08-01T10:00:00Z",
                               para_id=f"{0x10000000 + i:08X}") for i in range(n))
    extended = "".join(
        f'<w15:commentEx w15:paraId="{0x10000000 + i:08X}"'
        + (f' w15:paraIdParent="{0x10000000 + i - 1:08X}"' if i % 3 == 2 else "")
        + f' w15:done="{1 if i % 5 == 4 else 0}"/>' for i in range(n))
    return docx_bytes("".join(paras), comments=comments if n else None,
                      extended=extended if n else None)
