"""How long does reading a review take, against python-docx merely opening the same file?

The file is a draft made with python-docx (its default template, as drafts are), 200
paragraphs with 1,000 comments written through python-docx's own comment API and 1,000
tracked changes (insertions and deletions) added in its XML. Each measurement runs in a fresh
process (`--case NAME FILE`): imports first, then the timed step; memory is the peak RSS
(VmHWM) over the RSS once imports are done, so the interpreter and the libraries do not count.
Figures are medians of `--runs` processes (5 by default), from one run of this script.

    .venv/bin/python benchmarks/review.py [--runs N]

Cases: `open` is `docx.Document(path)`; `inspect` is what `pressroom review inspect --json`
does: `read_review(path)`, then the JSON object, dumped.

Ingest is measured on one of our drafts: a record of 200 paragraphs drafted with `pressroom
draft` in a copy of the sample site, then annotated by tests/review_annotate.py with 1,000
comments (five on each paragraph) and 1,000 tracked changes (a deletion and three
insertions in each paragraph, and one more insertion in every other). `ingest` is
`review.ingest.ingest(site, path)` (recognise, place, check for untracked edits, store in
one transaction), on a fresh copy of the store each time (the same file again would only
find its review); `open-draft` is python-docx opening that same file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARAGRAPHS, COMMENTS, CHANGES = 200, 1_000, 1_000
SID = "2024-06-01-benchmark-review"
RECORD = """---
id: 2024-06-01-benchmark-review
type: statement
title: "A statement of two hundred paragraphs"
date: 2024-06-01
place: Bangkok
language: en
issued_by: forum-asia
state: private
---
""" + "\n\n".join(f"Point {i} of the statement calls on the authorities to *release* the "
                   f"defenders held since March and to end the prosecutions." for i in
                   range(PARAGRAPHS)) + "\n"


def build(path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    per = COMMENTS // PARAGRAPHS
    for p in range(PARAGRAPHS):
        paragraph = document.add_paragraph()
        for k in range(per):
            run = paragraph.add_run(f"Point {p * per + k} of the statement calls for release. ")
            document.add_comment(run, text=f"Reviewer note {p * per + k}: say who decides.",
                                 author=f"Reviewer {k}", initials=f"R{k}")
        for k in range(CHANGES // PARAGRAPHS):
            i = p * (CHANGES // PARAGRAPHS) + k
            tag, text = ("ins", "w:t") if i % 2 == 0 else ("del", "w:delText")
            paragraph._p.append(parse_xml(
                f'<w:{tag} {nsdecls("w")} w:id="{10_000 + i}" w:author="Legal" '
                f'w:date="2024-09-01T10:00:00Z"><w:r><{text} xml:space="preserve"> change {i}'
                f"</{text}></w:r></w:{tag}>"))
    document.save(str(path))


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def build_draft(root: Path) -> Path:
    """A site with our draft of RECORD, annotated; the annotated file's path."""
    sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]
    import review_annotate as ra
    from conftest import copy_site
    from pressroom.reviewdraft import make_draft
    from pressroom.site import load_site

    copy_site(root, adopt=False)
    (root / "statements" / f"{SID}.md").write_text(RECORD, encoding="utf-8")
    draft = make_draft(load_site(root), SID, actor="benchmark")
    body = [f"pr_body_{i + 1}" for i in range(PARAGRAPHS)]
    plan = [("comment", f) for f in body for _ in range(COMMENTS // PARAGRAPHS)]
    per = CHANGES // PARAGRAPHS  # 5: a deletion, then insertions
    plan += [("delete" if k == 0 else "insert", f) for f in body for k in range(per)]
    data, made = ra.annotate(draft.path.read_bytes(), plan)
    assert sum(1 for kind, _ in made if kind == "comment") == COMMENTS
    assert len(made) - COMMENTS == CHANGES
    path = root / "reviewed.docx"
    path.write_bytes(data)
    return path


def case(name: str, path: str) -> None:
    import docx

    from pressroom.review import read_review

    if name == "ingest":
        from pressroom.review.ingest import ingest
        from pressroom.site import load_site

        site = load_site(Path(path).parent)
    base = _rss_kb("VmRSS")
    began = time.perf_counter()
    if name in ("open", "open-draft"):
        docx.Document(path)
    elif name == "ingest":
        done = ingest(site, Path(path), actor="benchmark", person="benchmark")
        assert done.new and len(done.items) == COMMENTS + CHANGES
    else:
        review = read_review(path)
        json.dumps(review.to_json(), ensure_ascii=False)
        assert len(review.comments) == COMMENTS and len(review.changes) == CHANGES
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "kb": _rss_kb("VmHWM") - base}))


def measure(name: str, path: Path, runs: int, store: Path | None = None
            ) -> tuple[float, float]:
    times, kbs = [], []
    for _ in range(runs):
        if store is not None:  # each ingest into the store as it was before any
            ledger = path.parent / "runs"
            shutil.rmtree(ledger)
            shutil.copytree(store, ledger)
        done = subprocess.run([sys.executable, __file__, "--case", name, str(path)],
                              capture_output=True, text=True, check=True,
                              env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
        figures = json.loads(done.stdout)
        times.append(figures["seconds"])
        kbs.append(figures["kb"])
    return statistics.median(times), statistics.median(kbs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--case", nargs=2, metavar=("NAME", "FILE"))
    args = parser.parse_args()
    if args.case:
        case(*args.case)
        return
    sys.path.insert(0, str(REPO / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review-1000.docx"
        build(path)
        size = path.stat().st_size
        open_s, open_kb = measure("open", path, args.runs)
        inspect_s, inspect_kb = measure("inspect", path, args.runs)
        reviewed = build_draft(Path(tmp) / "site")
        pristine = Path(tmp) / "pristine-runs"
        shutil.copytree(reviewed.parent / "runs", pristine)
        draft_size = reviewed.stat().st_size
        draft_s, draft_kb = measure("open-draft", reviewed, args.runs)
        ingest_s, ingest_kb = measure("ingest", reviewed, args.runs, store=pristine)
    print(f"Review of {PARAGRAPHS} paragraphs, {COMMENTS:,} comments, {CHANGES:,} changes "
          f"({size / 1024:.0f} KB), medians of {args.runs} processes:")
    rows = [("python-docx: docx.Document(path)", open_s, open_kb),
            ("review inspect: read + JSON", inspect_s, inspect_kb)]
    for label, s, kb in rows:
        print(f"  {label:<34} {s * 1000:8.1f} ms  {kb / 1024:7.1f} MB peak over imports")
    print(f"  {'inspect / python-docx open':<34} {inspect_s / open_s:8.2f} x   "
          f"{inspect_kb / max(open_kb, 1):7.2f} x")
    print(f"Our draft of {PARAGRAPHS} paragraphs annotated with {COMMENTS:,} comments and "
          f"{CHANGES:,} changes ({draft_size / 1024:.0f} KB), medians of {args.runs} "
          "processes:")
    for label, s, kb in (("python-docx: docx.Document(draft)", draft_s, draft_kb),
                         ("review ingest: place + store", ingest_s, ingest_kb)):
        print(f"  {label:<34} {s * 1000:8.1f} ms  {kb / 1024:7.1f} MB peak over imports")
    print(f"  {'ingest / python-docx open':<34} {ingest_s / draft_s:8.2f} x   "
          f"{ingest_kb / max(draft_kb, 1):7.2f} x")


if __name__ == "__main__":
    main()
