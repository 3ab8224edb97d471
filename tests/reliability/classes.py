"""The classes of inputs the reliability suite tries, one function each: `(sandbox, budget)
-> Tally`. Budgets are counts of attempts (or seconds for the fuzzers); `run.py` picks them.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from harness import (
    CLEAR,
    OK,
    SAMPLE_ID,
    TESTS,
    TRACEBACK,
    Sandbox,
    Tally,
    attempt,
    check_after,
    command,
    folder_problems,
)

from conftest import adopt_sample

PYTHON = sys.executable


def _env() -> dict[str, str]:
    src = str(TESTS.parent / "src")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [src, str(TESTS), str(TESTS / "reliability"), os.environ.get("PYTHONPATH", "")])}


# --- mutated records ----------------------------------------------------------------------


def records(box: Sandbox, budget: int, seed: int = 7) -> Tally:
    """Records generated and mutated (hypothesis strategies of tests/strategies.py): each is
    checked; each that checks is published in all three formats. `check` and publishing
    must agree, and neither may raise anything but a clear error."""
    from pressroom.publish import render_all
    from pressroom.records import read_record
    from pressroom.site import load_site
    from strategies import mutated_records

    tally = Tally("mutated records")
    site = load_site(box.site)
    for n, text in enumerate(mutated_records(seed, budget)):
        # Each record is named for its id (`mutated-<seed>-<n>`), as check expects.
        path = box.site / "statements" / f"mutated-{seed}-{n}.md"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))

        def one(path=path):
            statement, diagnostics = read_record(path, site.organisations)
            if statement is None or any(d.is_error for d in diagnostics):
                from pressroom.errors import RecordError

                raise RecordError(str(path), diagnostics)
            render_all(site.document(statement), site.templates_dir, ("html", "pdf", "docx"))

        outcome, message, took = attempt(one)
        tally.count(outcome, took, f"record {n}", message)
        path.unlink()
    check_after(box, tally, "records")
    return tally


# What a person editing a translation's front matter might write in place of a line: other
# values of the shared fields, wrong kinds of value, and names that break the id rules.
_TRANSLATION_LINES = (
    "date: 2022-02-11", "date: 2022-02-10", "date: [2022]", "date:", "type: statement",
    "countries: [Kazakhstan]", "countries: [Kyrgyzstan]", "countries: {a: b}",
    "topics: [freedom of assembly]", "topics: 7", "issued_by: arf", "issued_by: nobody",
    "endorsers: [forum-asia]", "endorsers: [forum-asia, arf, awam, masum]", "endorsers: ~",
    "contacts: [{label: x, email: someone@example.org}]", "contacts: [x]", "contacts: []",
    "language: en", "language: th", "language: ru", "language: '12'", "language: [th]",
    f"translation_of: {SAMPLE_ID}", f"translation_of: {SAMPLE_ID}-th",
    "translation_of: no-such-statement", "translation_of: [x]", "translation_of: ~",
    f"id: {SAMPLE_ID}-ru", f"id: {SAMPLE_ID}", "id: another-id-th",
    "translated_from_version: 0", "translated_from_version: two", "translated_from_version: 1",
    "state: published",
)


def translations(box: Sandbox, budget: int, seed: int = 11) -> Tally:
    """Translations of the sample with lines of their front matter replaced or added at
    random (_TRANSLATION_LINES), its footnotes' addresses changed or dropped: each checked
    against its original (`Site.check`) and, when it checks, rendered in all three formats.
    Neither may raise anything but a clear error."""
    from pressroom.errors import RecordError
    from pressroom.publish import render_all
    from pressroom.site import load_site
    from pressroom.translations import marked_body

    tally = Tally("translations of a statement")
    rng = random.Random(seed)
    sample = _sample()
    body = marked_body(sample.split("\n---\n", 1)[1])
    path = box.site / "statements" / f"{SAMPLE_ID}-th.md"
    for n in range(budget):
        lines = [f"id: {SAMPLE_ID}-th", 'title: "ชื่อเรื่อง"', "language: th",
                 f"translation_of: {SAMPLE_ID}"]
        for _ in range(rng.randint(1, 3)):
            line = rng.choice(_TRANSLATION_LINES)
            key = line.split(":")[0]
            lines = [x for x in lines if not x.startswith(f"{key}:")] + [line]
        text = body
        if rng.random() < 0.3:
            text = text.replace("https://www.bbc.com/", "https://example.org/", 1)
        if rng.random() < 0.2:
            text = text[:text.rindex("[^")]
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + text, encoding="utf-8")

        def one():
            site = load_site(box.site)
            results = site.check([path])
            statement, diagnostics = results[path]
            if statement is None or any(d.is_error for d in diagnostics):
                raise RecordError(str(path), diagnostics)
            render_all(site.document(site.load(path.stem)), site.templates_dir,
                       ("html", "pdf", "docx"))

        outcome, message, took = attempt(one)
        tally.count(outcome, took, f"translation {n}", message)
    path.unlink(missing_ok=True)
    check_after(box, tally, "translations")
    return tally


def _sample() -> str:
    return (TESTS.parent / "statements" / f"{SAMPLE_ID}.md").read_text(encoding="utf-8")


# --- hostile imports ----------------------------------------------------------------------


def imports(box: Sandbox, budget: int) -> Tally:
    """Files bad luck and attackers leave in an archive (tests/hostile.py), imported through
    the command line, plus links out of the folder and a FIFO."""
    import hostile

    tally = Tally("hostile imports")
    per_kind = max(1, budget // len(hostile.GENERATORS))
    for kind, generate in hostile.GENERATORS.items():
        folder = box.top / f"import-{kind}"
        folder.mkdir()
        for name, data in generate(11, per_kind):
            target = folder / name
            try:
                target.write_bytes(data)
            except OSError:
                continue
        for link, to in (("passwd.txt", "/etc/passwd"),
                         ("escape.html", box.outside / "precious.txt")):
            (folder / link).symlink_to(to)
        os.mkfifo(folder / "pipe.txt")
        box.rebase()
        for entry in sorted(os.listdir(folder)):
            outcome, message, took = command(["-C", str(box.site), "import", str(folder / entry)])
            tally.count(outcome, took, f"{kind}/{entry!r}", message)
        check_after(box, tally, f"import {kind}")
        secret = Path("/etc/passwd").read_text(errors="replace").splitlines()[0]
        for record in (box.site / "statements").glob("*.md"):
            if secret and secret in record.read_text(errors="replace"):
                tally.wrong += 1
                tally.note(f"a system file became a record: {record.name}")
    return tally


# --- hostile reviews ----------------------------------------------------------------------


def _last_body(draft: bytes) -> str:
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(draft)) as z:
        names = re.findall(rb'w:name="(pr_body_\d+)"', z.read("word/document.xml"))
    return max((n.decode() for n in names), key=lambda n: int(n.rsplit("_", 1)[1]))


def reviews(box: Sandbox, budget: int, seed: int = 13) -> Tally:
    """Reviewed Word files from outside, ingested (and, when taken in, applied) through the
    command line: the reader's hostile files (tests/review_fixtures.py), our own draft with
    its properties lying (another statement, a version not stored, a DTD), its bookmarks
    gone or swapped, and its parts cut and spliced at random. Each must be taken in or
    refused with a message, and the site stay whole."""
    import io
    import zipfile

    import review_annotate as ra
    import review_fixtures as fx
    from pressroom.reviewdraft import make_draft
    from pressroom.site import load_site

    tally = Tally("hostile reviews")
    rng = random.Random(seed)
    folder = box.top / "reviews"
    folder.mkdir()
    made = make_draft(load_site(box.site), SAMPLE_ID, actor="reliability")
    draft = made.path.read_bytes()
    # The store keeps the draft's version and anchors; its file is not needed on disk (the
    # folder checks know statement folders, not reviewers' drafts).
    made.path.unlink()
    made.path.parent.rmdir()
    annotated, _ = ra.annotate(draft, [("insert", "pr_body_2"), ("comment", "pr_title"),
                                       ("delete", "pr_fn_1"), ("format", "pr_body_1")])

    def swap(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts[part] = parts[part].replace(old, new)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for n, blob in parts.items():
                z.writestr(n, blob)
        return out.getvalue()

    cases: list[tuple[str, bytes]] = [(k, v[0]) for k, v in fx.hostile(bomb=False).items()]
    cases += [
        ("other-statement", swap(annotated, "docProps/custom.xml", SAMPLE_ID.encode(),
                                 b"2001-01-01-nothing-here")),
        ("version-not-stored", swap(annotated, "docProps/custom.xml", b">1<", b">99<")),
        ("custom-dtd", swap(annotated, "docProps/custom.xml", b"<Properties",
                            b'<!DOCTYPE p [<!ENTITY x "y">]><Properties')),
        ("bookmarks-gone", swap(annotated, "word/document.xml", b'w:name="pr_', b'w:name="x_')),
        ("bookmarks-swapped", swap(swap(annotated, "word/document.xml", b'"pr_body_1"',
                                        b'"tmp_b"'), "word/document.xml", b'"pr_body_2"',
                                   b'"pr_body_1"')),
        ("plain", annotated),
    ]
    # Paragraphs split and joined (first, while the record is as the draft has it): twice
    # in one paragraph, split and joined at once, the last paragraph joined to nothing.
    cases[:0] = [
        ("split-twice", ra.split(ra.split(draft, "pr_body_1", "Kazakhstan"), "pr_body_1",
                                 "the", change_id=8501)),
        ("joined-last", ra.join(draft, _last_body(draft))),
        ("split-and-joined", ra.join(ra.split(draft, "pr_body_2", " "), "pr_body_1")),
    ]
    named = len(cases)  # each named case runs, whatever the budget
    with zipfile.ZipFile(io.BytesIO(annotated)) as z:
        names = [n for n in z.namelist() if n.endswith(".xml")]
        parts = {n: z.read(n) for n in names}
    while len(cases) < budget:
        name = rng.choice(["word/document.xml", "word/comments.xml", "word/footnotes.xml",
                           "docProps/custom.xml"])
        blob = parts[name]
        a, b = sorted(rng.randrange(len(blob)) for _ in range(2))
        how = rng.choice(["cut", "repeat", "attribute"])
        if how == "cut":
            blob = blob[:a] + blob[b:]
        elif how == "repeat":
            blob = blob[:b] + blob[a:b] + blob[b:]
        else:
            blob = blob.replace(b'w:id="', f'w:id="{rng.choice(["x", "-1", "99999", ""])}'
                                .encode(), rng.randint(1, 4))
        cases.append((f"spliced-{len(cases)}-{how}", swap(annotated, name, parts[name], blob)))
    paths = []
    for n, (kind, data) in enumerate(cases[:max(budget, named)]):
        paths.append((kind, folder / f"{n:03d}-{kind}.docx"))
        paths[-1][1].write_bytes(data)
    box.rebase()
    for kind, path in paths:
        outcome, message, took = command(["-C", str(box.site), "review", "ingest", str(path)])
        tally.count(outcome, took, f"ingest {kind}", message)
        if outcome == OK and "review " in message:
            review = message.split("review ", 1)[1].split()[0]
            outcome, message, took = command(["-C", str(box.site), "review", "apply", review,
                                              "--accept", "all"])
            tally.count(outcome, took, f"apply {kind}", message)
        check_after(box, tally, f"review {kind}", strays_allowed=True)
    return tally


# --- injection ----------------------------------------------------------------------------

PAYLOADS = (
    "<script>window.pwned=1</script>",
    '"><img src=x onerror="window.pwned=1">',
    "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "$5 and $10",
    "#panic()",
    '#read("/etc/passwd")',
    "]]><w:p><w:r><w:t>INJECTED</w:t></w:r></w:p>",
    "&lt;b&gt; &amp;amp; \\u0000 \\n",
)
FIELDS = ("title", "place", "body", "footnote", "contact", "endorser", "about", "catalog")


def injection(box: Sandbox, budget: int) -> Tally:
    """Each payload in each field, published in all three formats: it must come out as the
    text it is, never as markup, maths, a typst call, a template expression or Word XML."""
    from pressroom.runner import run_publication
    from pressroom.site import load_site

    tally = Tally("injection, per field and format")
    trials = [(p, f) for p in PAYLOADS for f in FIELDS][:max(budget, 1)]
    for payload, where in trials:
        box.reset_site(adopt=False)
        _inject(box.site, where, payload)
        adopt_sample(box.site)  # the record as injected is the published version
        def one():
            run_publication(load_site(box.site), SAMPLE_ID, direct=True, actor="reliability")

        outcome, message, took = attempt(one)
        tally.count(outcome, took, f"{where}: {payload}", message)
        if outcome == OK:
            for problem in _took_effect(box.site, payload):
                tally.wrong += 1
                tally.note(f"injection in {where} took effect: {problem}")
        check_after(box, tally, f"inject {where}")
    return tally


def _inject(root: Path, where: str, payload: str) -> None:
    record = root / "statements" / f"{SAMPLE_ID}.md"
    text = record.read_text(encoding="utf-8")
    quoted = json.dumps(payload)  # a JSON string is a YAML double-quoted string
    if where == "title":
        text = text.replace('title: "Kazakhstan:', f"title: {quoted[:-1]} Kazakhstan:", 1)
    elif where == "place":
        text = text.replace("place: Bangkok", f"place: {quoted}", 1)
    elif where == "body":
        text = text.replace("We, the undersigned", f"{_md(payload)} We, the undersigned", 1)
    elif where == "footnote":
        text = text.replace("[^1]: <", f"[^1]: {_md(payload)} <", 1)
    elif where == "contact":
        text = text.replace('{label: "South Asia Programme, FORUM-ASIA"',
                            f"{{label: {quoted}", 1)
    elif where == "endorser":
        orgs = root / "statements" / "organisations.yaml"
        orgs.write_text(orgs.read_text(encoding="utf-8").replace(
            "name: Asian Resource Foundation (ARF)", f"name: {quoted}", 1), encoding="utf-8")
    elif where == "catalog":  # a translator's words: the endorsers heading, in every format
        po = root / "templates" / "locale" / "en" / "LC_MESSAGES" / "pressroom.po"
        escaped = payload.replace("\\", "\\\\").replace('"', '\\"')
        po.write_text(po.read_text(encoding="utf-8").replace(
            'msgid "This joint statement is endorsed by:"\nmsgstr ""',
            f'msgid "This joint statement is endorsed by:"\nmsgstr "{escaped}"', 1),
            encoding="utf-8")
    elif where == "about":
        toml = root / "pressroom.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            '# about = "..."', f"about = {quoted}", 1), encoding="utf-8")
    record.write_text(text, encoding="utf-8")


def _md(payload: str) -> str:
    """The payload as Markdown text that reads back as itself."""
    out = []
    for ch in payload:
        out.append("\\" + ch if ch in "\\`*_{}[]()#+-.!<>$&|~\"'" else ch)
    return "".join(out)


def _took_effect(root: Path, payload: str) -> list[str]:
    """Signs that the payload was taken as markup, code or XML in any format."""
    import io
    import zipfile

    from lxml import etree
    from lxml import html as lxml_html

    folder = root / "output" / SAMPLE_ID
    found = []
    page = (folder / f"{SAMPLE_ID}.html").read_bytes()
    tree = lxml_html.fromstring(page)
    scripts = tree.xpath("//script")
    if (tree.xpath("//*[@onerror]") or tree.xpath("//img")
            or any(s.get("type") != "application/ld+json" for s in scripts)):
        found.append("html: an element from the text")
    for data in scripts:  # the page's one script is data: it must still read as JSON
        try:
            json.loads(data.text or "")
        except ValueError:
            found.append("html: text broke out of the page's JSON-LD")
    visible = " ".join(tree.text_content().split())
    if "".join(payload.split()) not in "".join(visible.split()):
        found.append("html: the text is not on the page as written (nothing was tested)")
    if "{{ 7*7 }}" in payload and "{{ 7*7 }}" not in visible:
        found.append("html: a template expression was evaluated")
    with zipfile.ZipFile(io.BytesIO((folder / f"{SAMPLE_ID}.docx").read_bytes())) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    if any((t.text or "") == "INJECTED" for t in body.iter(f"{w}t")):
        found.append("docx: Word XML from the text became part of the document")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO((folder / f"{SAMPLE_ID}.pdf").read_bytes()))
    text = "".join(p.extract_text() or "" for p in reader.pages)
    flat = "".join(text.replace("\u00ad", "").split())
    want = "".join(payload.split())
    if payload in ("$5 and $10", "#panic()", '#read("/etc/passwd")') and want not in flat:
        found.append(f"pdf: {payload!r} does not appear as written")
    if "root:" in text:
        found.append("pdf: a file was read into the document")
    return found


# --- broken message catalogs ---------------------------------------------------------------


def catalogs(box: Sandbox, budget: int, seed: int = 11) -> Tally:
    """The Thai catalog broken as a hurried edit breaks it (a line cut short, a quote or a
    keyword lost, a placeholder renamed, bytes that are not UTF-8, the file emptied): `check`
    and a Thai statement's render in all three formats either work or stop with a message
    naming the file, never with a traceback."""
    import shutil

    from pressroom.publish import render_all
    from pressroom.records import load_record
    from pressroom.site import load_site

    tally = Tally("broken message catalogs")
    rng = random.Random(seed)
    thai = box.site / "statements" / "2024-05-01-scripts-th.md"
    shutil.copy2(TESTS / "fixtures" / "scripts" / thai.name, thai)
    po = box.site / "templates" / "locale" / "th" / "LC_MESSAGES" / "pressroom.po"
    good = po.read_bytes()
    lines = good.decode("utf-8").splitlines()
    for n in range(budget):
        cut = list(lines)
        at = rng.randrange(len(cut))
        kind = n % 7
        if kind == 0:
            cut[at] = cut[at][: rng.randrange(len(cut[at]) + 1)]
        elif kind == 1:
            cut[at] = cut[at].replace('"', "", 1)
        elif kind == 2:
            cut[at] = cut[at].replace("msgstr", "msgtsr").replace("msgid", "msigd")
        elif kind == 3:
            cut = [line.replace("{pages}", "{total}") for line in cut]
        elif kind == 4:
            del cut[at]
        data = "\n".join(cut).encode("utf-8") + b"\n"
        if kind == 5:
            data = data[: at * 7] + b"\xff\xfe" + data[at * 7:]
        elif kind == 6:
            data = b"" if n % 2 else b"\x00" * 64
        po.write_bytes(data)

        def one():
            site = load_site(box.site)
            render_all(site.document(load_record(thai, site.organisations)),
                       site.templates_dir, ("html", "pdf", "docx"))

        outcome, message, took = attempt(one)
        if outcome == CLEAR and str(po) not in message:
            tally.wrong += 1
            tally.note(f"mutant {n}: the message does not name the catalog: {message}")
        tally.count(outcome, took, f"mutant {n} (kind {kind})", message)
        outcome, message, took = command(["-C", str(box.site), "check", str(thai)])
        tally.count(outcome, took, f"check of mutant {n} (kind {kind})", message)
    po.write_bytes(good)
    thai.unlink()
    check_after(box, tally, "catalogs")
    return tally


# --- broken house designs -----------------------------------------------------------------


def designs(box: Sandbox, budget: int, seed: int = 17) -> Tally:
    """templates/design.toml broken as a hurried edit breaks it (a line cut short, a quote
    lost, a key misspelled, a number or colour of the wrong kind, a script that is none,
    bytes that are not UTF-8, the file emptied): `check` and the sample's render in all
    three formats either work or stop with a message naming the file, never a traceback."""
    from pressroom.publish import render_all
    from pressroom.records import load_record
    from pressroom.site import load_site

    tally = Tally("broken house designs")
    rng = random.Random(seed)
    path = box.site / "templates" / "design.toml"
    good = path.read_bytes()
    lines = good.decode("utf-8").splitlines()
    record = box.site / "statements" / "2022-02-10-kazakhstan-crackdown.md"
    for n in range(budget):
        cut = list(lines)
        at = rng.randrange(len(cut))
        kind = n % 8
        if kind == 0:
            cut[at] = cut[at][: rng.randrange(len(cut[at]) + 1)]
        elif kind == 1:
            cut[at] = cut[at].replace('"', "", 1)
        elif kind == 2:
            cut[at] = cut[at].replace("margin", "margn").replace("accent", "acent")
        elif kind == 3:
            cut = [line.replace("= 11", '= "eleven"').replace("= 16", "= 1600")
                   for line in cut]
        elif kind == 4:
            cut = [line.replace('"#1a4f8b"', '"navy"') for line in cut]
        elif kind == 5:
            cut.append(rng.choice(["[scripts.Arbc]\nsize = 1.1", "[scripts.Arab]\nsize = 9",
                                   "[organisation]\nlogo = \"../../etc/passwd\""]))
        data = "\n".join(cut).encode("utf-8") + b"\n"
        if kind == 6:
            data = data[: at * 5] + b"\xff\xfe" + data[at * 5:]
        elif kind == 7:
            data = b"" if n % 2 else b"[type]\n" + b"[" * 64
        path.unlink()  # templates/ may be a copy of a symlink: never write through it
        path.write_bytes(data)

        def one():
            site = load_site(box.site)
            render_all(site.document(load_record(record, site.organisations)),
                       site.templates_dir, ("html", "pdf", "docx"))

        outcome, message, took = attempt(one)
        if outcome == CLEAR and str(path) not in message:
            tally.wrong += 1
            tally.note(f"mutant {n}: the message does not name the design: {message}")
        tally.count(outcome, took, f"mutant {n} (kind {kind})", message)
        outcome, message, took = command(["-C", str(box.site), "check", str(record)])
        tally.count(outcome, took, f"check of mutant {n} (kind {kind})", message)
    path.unlink()
    path.write_bytes(good)
    check_after(box, tally, "designs")
    return tally


# --- path and link tricks -----------------------------------------------------------------


def paths(box: Sandbox, budget: int) -> Tally:
    """Links and odd names where Pressroom writes: every one replaced, refused or followed
    only where a deployment may point it (the top-level output/, drafts/, runs/)."""
    tally = Tally("path and link tricks")
    sid = SAMPLE_ID
    precious = box.outside / "precious.txt"
    tricks = [
        ("page is a link out", lambda r: _link(r / "output" / sid / f"{sid}.html", precious)),
        ("manifest is a link out",
         lambda r: _link(r / "output" / sid / "manifest.json", precious)),
        ("pdf is a hard link out", lambda r: _hardlink(r / "output" / sid / f"{sid}.pdf",
                                                       precious)),
        ("statement folder is a link out", lambda r: _link(r / "output" / sid, box.outside)),
        ("temp name is a link out",
         lambda r: _link(r / "output" / sid / f".{sid}.pdf.00000000.tmp", precious)),
        ("new set name is a link out",
         lambda r: _link(r / "output" / f".{sid}.new.00000000", box.outside)),
        ("drafts folder of the statement is a link out",
         lambda r: _link(r / "drafts" / sid, box.outside)),
        ("runs/locks is a link out", lambda r: _link(r / "runs" / "locks", box.outside)),
        ("a run folder is a link out", lambda r: None),
        ("output/ is a link to a web root", lambda r: _web_root(box, r, "output")),
        ("runs/ is a link to another disk", lambda r: _web_root(box, r, "runs")),
        ("drafts/ is a link to another disk", lambda r: _web_root(box, r, "drafts")),
        ("record is a link out",
         lambda r: _link(r / "statements" / "zz-linked.md", precious)),
    ]
    ids = ["../../outside/x", "..", "/etc/passwd", f"{sid}/../../x", "x\0y", "-C", " "]
    tried = 0
    while tried < budget:
        for name, setup in tricks:
            box.reset_site()
            _publish_once(box)  # a published statement first, then the trick
            setup(box.site)
            for args in (["publish", sid, "--direct"], ["publish", sid, "--direct", "--draft"],
                         ["publish", sid]):
                outcome, message, took = command(["-C", str(box.site), *args])
                tally.count(outcome, took, f"{name}: {' '.join(args)}", message)
                tried += 1
            check_after(box, tally, name)
        for bad in ids:
            outcome, message, took = command(["-C", str(box.site), "publish", bad, "--direct"])
            tally.count(outcome, took, f"id {bad!r}", message)
            tried += 1
        check_after(box, tally, "odd ids")
        if not tricks:
            break
    return tally


def _publish_once(box: Sandbox) -> None:
    from pressroom.runner import run_publication
    from pressroom.site import load_site

    run_publication(load_site(box.site), SAMPLE_ID, direct=True, actor="reliability")


def _link(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        import shutil

        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.symlink_to(target)


def _hardlink(path: Path, target: Path) -> None:
    path.unlink(missing_ok=True)
    os.link(target, path)


def _web_root(box: Sandbox, root: Path, name: str) -> None:
    import shutil

    target = box.top / f"{name}-elsewhere"
    if target.exists():
        shutil.rmtree(target)
    if (root / name).exists():
        shutil.move(str(root / name), str(target))
    else:
        target.mkdir()
    (root / name).symlink_to(target)
    box.allow(target)


# --- kills ---------------------------------------------------------------------------------

KILLER = r"""
import os, signal, sys
from pressroom import fileio, folders, ledger, locks, publish, runner
site_root, statement, step = sys.argv[1], sys.argv[2], sys.argv[3]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def before(module, name, when=lambda *a, **k: True):
    real = getattr(module, name)
    def wrapped(*a, **k):
        if when(*a, **k):
            die()
        return real(*a, **k)
    setattr(module, name, wrapped)

def after(module, name):
    real = getattr(module, name)
    def wrapped(*a, **k):
        out = real(*a, **k)
        die()
        return out
    setattr(module, name, wrapped)

written = []
def nth_file(n):
    def when(fd, name, data, *folder):
        written.append(name)
        return len(written) == n
    return when

if step == "row-opened":
    after(ledger.Ledger, "start_run")
elif step == "lock-taken":
    after(runner, "statement_lock")
elif step == "rendered":
    after(publish, "render_all")
elif step.startswith("file-"):
    before(publish, "write_new", nth_file(int(step[5:])))  # each file of the new set
elif step == "before-swap":
    before(folders, "_swap_in")
elif step == "mid-swap":  # the fallback's two renames, killed between them
    folders.exchange = lambda *a: False
    real_rename = os.rename
    count = []
    def rename(*a, **k):
        real_rename(*a, **k)
        count.append(1)
        if len(count) == 1 and ".old." in str(a[1]):
            die()
    folders.os.rename = rename
elif step == "after-swap":
    after(folders, "_swap_in")
elif step == "before-finish":
    before(ledger.Ledger, "finish_run")
from pressroom.site import load_site
print("go", flush=True)
runner.run_publication(load_site(site_root), statement, direct=True, actor="killed",
                       formats=sys.argv[4])
"""
STEPS = ("row-opened", "lock-taken", "rendered", "file-1", "file-2", "file-3", "file-4",
         "before-swap", "mid-swap", "after-swap", "before-finish")


def kills(box: Sandbox, budget: int) -> Tally:
    """A publication killed (SIGKILL) at each of its steps and at random moments: the folder
    holds the old set or the new, the next run cleans up and succeeds, and the killed run's
    row ends as interrupted."""
    tally = Tally("kills, at each step and at random")
    rng = random.Random(5)
    _publish_once(box)
    plan = [(s, None) for s in STEPS]
    plan += [("random", rng.uniform(0.0, 0.7)) for _ in range(max(0, budget - len(plan)))]
    for n, (step, delay) in enumerate(plan):
        record = box.site / "statements" / f"{SAMPLE_ID}.md"
        # Each attempt publishes a different record, so old and new sets differ.
        record.write_text(_sample().replace("We, the undersigned", f"We ({n}), the undersigned"),
                          encoding="utf-8")
        formats = ("html,pdf,docx", "pdf", "html,docx")[n % 3]
        started = time.perf_counter()
        proc = subprocess.Popen([PYTHON, "-c", KILLER, str(box.site), SAMPLE_ID, step, formats],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                env=_env())
        proc.stdout.readline()
        if delay is not None:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=120)
        proc.stdout.close()
        took = time.perf_counter() - started
        killed = proc.returncode == -signal.SIGKILL
        tally.count(OK if killed or proc.returncode == 0 else TRACEBACK, took,
                    f"kill at {step}", f"exit {proc.returncode}")
        # At once, before any other run: whatever the moment, the folder is one set.
        mixed = folder_problems(box.site, strays_allowed=True)
        if mixed:
            tally.mixed += 1
            tally.note(f"mixed after a kill at {step}: {mixed[0]}")
        # The next run cleans what the killed one left, and the killed row has ended.
        outcome, message, took = command(["-C", str(box.site), "publish", SAMPLE_ID,
                                          "--direct"])
        if outcome != OK:
            tally.wrong += 1
            tally.note(f"the run after a kill at {step} did not succeed: {message}")
        check_after(box, tally, f"kill at {step}")
    return tally


# --- concurrency --------------------------------------------------------------------------

PUBLISHER = r"""
import sys
from pressroom.errors import PressroomError
from pressroom.runner import run_publication
from pressroom.site import load_site
try:
    run_publication(load_site(sys.argv[1]), sys.argv[2], sys.argv[3], direct=True,
                    actor="concurrent", wait=sys.argv[4] == "wait")
except PressroomError as exc:
    print(str(exc).splitlines()[0])
    sys.exit(1)
"""


def concurrency(box: Sandbox, budget: int) -> Tally:
    """Four publications of one statement at once, with different formats: with --wait all
    succeed one after another; without, the others are told who holds the statement."""
    tally = Tally("concurrent publishes")
    rounds = max(1, budget // 4)
    for n in range(rounds):
        mode = "wait" if n % 2 == 0 else "refuse"
        started = time.perf_counter()
        procs = [subprocess.Popen([PYTHON, "-c", PUBLISHER, str(box.site), SAMPLE_ID, fmts,
                                   mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=_env())
                 for fmts in ("html", "pdf", "docx,html", "html,pdf,docx")]
        for proc in procs:
            out, err = proc.communicate(timeout=240)
            took = time.perf_counter() - started
            if proc.returncode == 0:
                tally.count(OK, took)
            elif proc.returncode == 1 and "Another publication" in out and not err.strip():
                tally.count(CLEAR, took)
            else:
                tally.count(TRACEBACK, took, f"concurrent {mode}", (out + err)[-300:])
            if mode == "wait" and proc.returncode != 0:
                tally.wrong += 1
                tally.note(f"a waiting publish did not succeed: {(out + err)[-200:]}")
        check_after(box, tally, f"concurrent round {n}")
    return tally


# --- disk full ----------------------------------------------------------------------------


def disk_full(box: Sandbox, budget: int) -> Tally:
    """output/ and runs/ on a 3 MB file system, filled to different levels: each publish
    works or says the disk is full; the files and the ledger stay whole."""
    tally = Tally("disk full (a small tmpfs)")
    mount = box.top / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        tally.note(f"skipped: cannot mount a small file system here ({done.stderr.strip()})")
        return tally
    try:
        box.allow(mount)
        import shutil

        for name in ("runs", "output"):
            if (box.site / name).exists():  # the store made when the sample was adopted
                shutil.move(str(box.site / name), str(mount / name))
            else:
                (mount / name).mkdir()
            (box.site / name).symlink_to(mount / name)
        _publish_once(box)
        free_levels = [0, 4_096, 16_384, 40_000, 70_000, 100_000, 150_000, 250_000, 400_000]
        for n in range(max(budget, 1)):
            free = free_levels[n % len(free_levels)]
            _fill(mount, free)
            record = box.site / "statements" / f"{SAMPLE_ID}.md"
            record.write_text(_sample().replace("We, the undersigned", f"We [{n}], the"),
                              encoding="utf-8")
            outcome, message, took = command(["-C", str(box.site), "publish", SAMPLE_ID,
                                              "--direct"])
            tally.count(outcome, took, f"{free} bytes free", message)
            said = message.lower()
            if outcome == CLEAR and "full" not in said and "space" not in said:
                tally.wrong += 1
                tally.note(f"disk full not said as such: {message}")
            (mount / "filler").unlink(missing_ok=True)
            check_after(box, tally, f"disk full, {free} bytes free", strays_allowed=True)
    finally:
        for name in ("runs", "output"):
            (box.site / name).unlink(missing_ok=True)
        subprocess.run(["umount", "-l", str(mount)], check=False)
    return tally


def _fill(mount: Path, leave: int) -> None:
    stats = os.statvfs(mount)
    room = stats.f_bavail * stats.f_frsize - leave
    fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        while room > 0:
            room -= os.write(fd, b"\0" * min(room, 65_536))
    except OSError:
        pass
    finally:
        os.close(fd)


# --- read-only folders --------------------------------------------------------------------


def read_only(box: Sandbox, budget: int) -> Tally:
    """A login that may not write (runs/, output/, statements/ or the whole site): commands
    that read work, commands that write say why they cannot, nothing is half written."""
    from unprivileged import BOB, OTHER_GROUP, run_as

    tally = Tally("read-only folders")
    if os.geteuid() != 0:
        tally.note("skipped: changing uid needs root")
        return tally
    _publish_once(box)
    for path in [box.top, *box.top.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o005 | (0o001 if path.is_dir() else 0))
    commands = [["log"], ["log", "--failed"], ["check"], ["list"], ["show", SAMPLE_ID],
                ["publish", SAMPLE_ID, "--direct"], ["publish", SAMPLE_ID, "--direct",
                                                     "--draft"],
                ["import", str(TESTS / "fixtures" / "archive")], ["backup", str(box.top)]]
    writes = {"publish", "import", "backup"}
    for args in commands[:max(budget, 1)]:
        result = run_as(BOB, _cli_as_child, [*(["-C", str(box.site)]), *args],
                        gid=OTHER_GROUP)
        outcome, message, took = result
        tally.count(outcome, took, " ".join(args), message)
        if args[0] in writes and outcome == OK:
            tally.wrong += 1
            tally.note(f"{' '.join(args)} wrote where it may not")
        if args[0] not in writes and outcome != OK:
            tally.wrong += 1
            tally.note(f"{' '.join(args)} could not read: {message}")
        check_after(box, tally, " ".join(args))
    return tally


def _cli_as_child(args: list[str]) -> tuple[str, str, float]:
    return command(args)


# --- builds -------------------------------------------------------------------------------

BUILDER = r"""
import sys
from pressroom.build import build
from pressroom.site import load_site
print("go", flush=True)
build(load_site(sys.argv[1]), jobs=int(sys.argv[2]), force=True, actor="killed")
"""


def builds(box: Sandbox, budget: int) -> Tally:
    """Whole-archive builds killed (SIGKILL) at random moments, with one and two workers:
    every folder is a whole set, every row ends, and the next build succeeds redoing only
    what is missing; two builds at once (one refused, or waiting); a statement that no
    longer loads is one row of the failures table, never the end of the build."""
    tally = Tally("builds: killed, at once, with a bad statement")
    rng = random.Random(11)
    from test_build import add_statements

    ids = add_statements(box.site, 11, with_arf={0, 3, 6, 9})
    box.rebase()
    kills_n = max(1, budget - 4)
    for n in range(kills_n):
        jobs = 1 + n % 2
        delay = rng.uniform(0.3, 4.0)
        started = time.perf_counter()
        proc = subprocess.Popen([PYTHON, "-c", BUILDER, str(box.site), str(jobs)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=_env(), start_new_session=True)
        proc.stdout.readline()
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the coordinator and its workers
        proc.wait(timeout=120)
        err = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        done = proc.returncode in (0, -signal.SIGKILL)
        tally.count(OK if done else TRACEBACK, time.perf_counter() - started,
                    f"build killed after {delay:.1f}s", err[-300:])
        mixed = folder_problems(box.site, strays_allowed=True)
        if mixed:
            tally.mixed += 1
            tally.note(f"mixed after a build killed at {delay:.1f}s: {mixed[0]}")
        outcome, message, took = command(["-C", str(box.site), "build", "--jobs", "2"])
        if outcome != OK or "0 failed" not in message:
            tally.wrong += 1
            tally.note(f"the build after a kill did not succeed: {message[-300:]}")
        again = command(["-C", str(box.site), "build", "--jobs", "1"])[1]
        if f"0 statement(s) rendered (0 files), {len(ids)} unchanged" not in again:
            tally.wrong += 1
            tally.note(f"a rebuild after the resume was not a no-op: {again[-200:]}")
        check_after(box, tally, f"build killed at {delay:.1f}s")
    # Two at once: the second is refused, naming the first; or, with --wait, both succeed.
    for wait in (False, True):
        started = time.perf_counter()
        args = [PYTHON, "-m", "pressroom", "-C", str(box.site), "build", "--force",
                "--jobs", "1", *(["--wait"] if wait else [])]
        first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=_env())
        # Once the first has rendered a statement it holds the build lock; it is stopped
        # there (SIGSTOP) while the second starts, so that it cannot finish first (twelve
        # statements take less than a Python start).
        progress = first.stderr.readline()
        os.kill(first.pid, signal.SIGSTOP)
        try:
            second = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, env=_env())
            if wait:
                time.sleep(2.0)  # the second waits on the lock, or is about to
            else:
                out2, err2 = second.communicate(timeout=300)  # refused meanwhile
        finally:
            os.kill(first.pid, signal.SIGCONT)
        if wait:
            out2, err2 = second.communicate(timeout=300)
        second = subprocess.CompletedProcess(args, second.returncode, out2, err2)
        _, err1 = first.communicate(timeout=300)
        err1 = progress + err1
        took = time.perf_counter() - started
        tally.count(OK if first.returncode == 0 else TRACEBACK, took, "first build", err1)
        if wait:
            tally.count(OK if second.returncode == 0 else TRACEBACK, took, "waiting build",
                        second.stderr[-300:])
        elif second.returncode == 1 and "Another build of this site is running" in (
                second.stdout + second.stderr) and "Traceback" not in second.stderr:
            tally.count(CLEAR, took)
        else:
            tally.count(TRACEBACK, took, "second build", (second.stdout + second.stderr)[-300:])
        check_after(box, tally, f"two builds at once (wait={wait})")
    # A statement that no longer loads: its organisation left the directory.
    orgs = box.site / "statements" / "organisations.yaml"
    kept = orgs.read_text(encoding="utf-8")
    orgs.write_text(kept.replace("arf:\n  name: Asian Resource Foundation (ARF)\n", ""),
                    encoding="utf-8")
    outcome, message, took = command(["-C", str(box.site), "build", "--jobs", "2"])
    tally.count(outcome, took, "a build with bad statements", message)
    if outcome != CLEAR:
        tally.wrong += 1
        tally.note(f"a build with bad statements did not exit 1 with its failures: {message}")
    orgs.write_text(kept, encoding="utf-8")
    outcome, message, took = command(["-C", str(box.site), "build", "--jobs", "2"])
    tally.count(outcome, took, "the build after the fix", message)
    check_after(box, tally, "a build with a bad statement")
    return tally


# --- parallel imports, killed -------------------------------------------------------------


def batch_imports(box: Sandbox, budget: int) -> Tally:
    """The tuned corpus (358 real shapes and three files that are refused) imported by worker
    processes, killed (SIGKILL) at random moments: the whole import (its process group), or
    one worker only. A killed import leaves whole records only, each as the import would
    write it; the next import finishes the rest, and the statements folder ends byte for byte
    as one uninterrupted import leaves it, every import recorded. An import that loses a
    worker goes on and ends as one that did not."""
    import shutil
    import sqlite3

    import archive_shapes
    from pressroom.store import STORE_NAME
    from test_importer_jobs import pool_workers

    tally = Tally("parallel imports: killed, or a worker killed")
    rng = random.Random(19)
    archive = box.top / "archive"
    archive.mkdir()
    for source in archive_shapes.inputs("tuned"):
        shutil.copy(source, archive / source.name)
    (archive / "z-empty.txt").write_bytes(b"")
    (archive / "z-scan.txt").write_bytes(b"%PDF-1.4\n\x00\x01binary")
    (archive / "z-nav-only.html").write_text(
        "<html><body><nav><a href='/'>Home</a></nav><footer>(c)</footer></body></html>")
    sites = box.top / "import-sites"
    sites.mkdir()
    box.allow(sites)

    def fresh(n: int) -> Path:
        return archive_shapes.make_site("tuned", sites / str(n))

    def statements(root: Path) -> dict[str, bytes]:
        folder = root / "statements"
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
                if p.is_file() and not p.name.startswith(".")}

    def recorded(root: Path) -> set[str]:
        with sqlite3.connect(root / "runs" / STORE_NAME) as db:
            return {Path(r[0]).name for r in db.execute("SELECT source FROM imports")}

    def cli(root: Path, *more: str) -> subprocess.Popen:
        return subprocess.Popen([PYTHON, "-m", "pressroom", "-C", str(root), "import",
                                 str(archive), *more], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, env=_env(),
                                start_new_session=True)

    started = time.perf_counter()
    reference_root = fresh(0)
    proc = cli(reference_root, "--jobs", "1")
    _, err = proc.communicate(timeout=600)
    tally.count(CLEAR if proc.returncode == 1 else TRACEBACK, time.perf_counter() - started,
                "the uninterrupted import (exit 1: three files refused)", err[-300:])
    reference = statements(reference_root)
    sources = recorded(reference_root)
    for n in range(1, budget + 1):
        root = fresh(n)
        whole = n % 2 == 1  # odd attempts kill the import, even ones a worker
        delay = rng.uniform(1.0, 6.0)
        started = time.perf_counter()
        proc = cli(root, "--jobs", "2")
        what = f"{'import' if whole else 'a worker'} killed after {delay:.1f}s"
        time.sleep(delay)
        victim = None
        if whole:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            workers = pool_workers(proc.pid)
            if workers:
                victim = rng.choice(workers)
                os.kill(victim, signal.SIGKILL)
        try:
            _, err = proc.communicate(timeout=600)
        finally:
            if not whole:  # the import and its children, whatever happened
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)
        took = time.perf_counter() - started
        if whole:
            tally.count(OK if proc.returncode in (-signal.SIGKILL, 1) else TRACEBACK, took,
                        what, err[-300:])
            # At once: every record there is whole, as the import writes it.
            for name, data in statements(root).items():
                if name != "organisations.yaml" and reference.get(name) != data:
                    tally.mixed += 1
                    tally.note(f"{what}: statements/{name} is not the record the import "
                               "writes")
            outcome, message, took = command(["-C", str(root), "import", str(archive)])
            tally.count(outcome, took, f"the import after the {what}", message)
        else:
            finished = proc.returncode == 1 and "Traceback" not in err
            tally.count(CLEAR if finished else TRACEBACK, took,
                        f"{what} ({'found none' if victim is None else victim})", err[-300:])
        got = statements(root)
        if got != reference:
            tally.wrong += 1
            odd = sorted(k for k in set(got) | set(reference) if got.get(k) != reference.get(k))
            tally.note(f"{what}: statements/ differs from one uninterrupted import: {odd[:3]}")
        # Every record has its import row (what --update works from), even one written just
        # before the kill and recorded by the import after it.
        unrecorded = sources - recorded(root)
        if unrecorded:
            tally.wrong += 1
            tally.note(f"{what}: {len(unrecorded)} import(s) not recorded: "
                       f"{sorted(unrecorded)[:3]}")
        check_after(box, tally, what)
    return tally
