"""How fast and how lean are the three renderers, against the floor of their own tools?

For the sample statement, a long one (30 paragraphs, 60 footnotes, 150 endorsers) and a Thai
one (its words from the Thai message catalog, native digits, Buddhist era), prints
the median time and the peak memory of each format over N runs in this one process, beside
floors measured in the same run: a bare typst compile (reused compiler) of a minimal template
with the same text, a bare python-docx document with the same paragraphs, a bare Jinja page.
Ratios, not absolute times, are what to compare across machines. Also prints what resolving a
statement's wording costs (its catalog is read once per process; the rest is a lookup).

    .venv/bin/python benchmarks/render.py [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import io
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ID = "2022-02-10-kazakhstan-crackdown"
THAI_ID = "2024-05-01-scripts-th"


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """(median ms, peak Python heap MB, peak RSS MB) over `runs` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    tracemalloc.start()
    _reset_peak_rss()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 1e6, _peak_rss_mb()


def _reset_peak_rss() -> None:
    with contextlib.suppress(OSError):  # Linux: writing 5 resets the peak RSS (VmHWM)
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


_serial = itertools.count()


def fresh(document):
    """The document with a new title each call: typst memoises a compile whose inputs it has
    seen, and a batch renders a different statement every time, so every run here (ours and
    the floors alike) gets inputs never seen before."""
    title = f"{next(_serial)} {document.statement.title}"
    return dataclasses.replace(
        document, statement=dataclasses.replace(document.statement, title=title))


def long_site(tmp: Path) -> Path:
    """A copy of the repository's site with a long statement and 150 organisations."""
    site = tmp / "site"
    site.mkdir()
    shutil.copy2(REPO / "pressroom.toml", site / "pressroom.toml")
    shutil.copytree(REPO / "statements", site / "statements")
    shutil.copytree(REPO / "templates", site / "templates")
    with (site / "statements" / "organisations.yaml").open("a", encoding="utf-8") as f:
        for n in range(150):
            f.write(f"bench-org-{n}:\n  name: Benchmark Organisation Number {n} (BON{n})\n")
    words = ("The authorities must release all those arbitrarily detained and guarantee the "
             "freedoms of expression, assembly and association without delay. ")
    paragraphs = []
    for p in range(30):
        marks = "".join(f" Note{p}-{k}[^{p * 2 + k + 1}]." for k in range(2))
        paragraphs.append(words * 3 + marks)
    notes = [f"[^{n}]: <https://example.org/report/{n}>; <https://example.net/source/{n}>"
             for n in range(1, 61)]
    endorsers = ", ".join(f"bench-org-{n}" for n in range(150))
    record = (
        "---\nid: 2024-01-01-long-statement\ntype: joint-statement\n"
        'title: "A long statement: thirty paragraphs, sixty notes"\n'
        "date: 2024-01-01\nplace: Bangkok\nlanguage: en\ncountries: [Kazakhstan]\n"
        f"issued_by: forum-asia\nendorsers: [{endorsers}]\nstate: published\n---\n"
        + "\n\n".join(paragraphs) + "\n\n" + "\n".join(notes) + "\n"
    )
    (site / "statements" / "2024-01-01-long-statement.md").write_text(record, encoding="utf-8")
    shutil.copy2(REPO / "tests" / "fixtures" / "scripts" / f"{THAI_ID}.md", site / "statements")
    with (site / "pressroom.toml").open("a", encoding="utf-8") as f:
        f.write('\n[wording]\nnative_digits = ["th"]\nbuddhist_era = true\n')
    return site


def floors(document, runs: int) -> dict[str, tuple[float, float, float]]:
    """The tools alone, given the same text: what no renderer of ours can beat."""
    import docx
    import jinja2
    import typst

    from pressroom.model import block_texts

    counter = itertools.count()
    texts = block_texts(document.statement.body.blocks)
    notes = [" ".join(f.urls) for f in document.statement.footnotes]
    names = [o.name for o in document.endorsers]
    tmp = Path(tempfile.mkdtemp())
    template = tmp / "floor.typ"
    template.write_text(
        '#set page(paper: "a4")\n#set text(font: "Noto Serif")\n'
        '#let d = json(bytes(sys.inputs.data))\n'
        "= #d.title\n#for p in d.paras [#p #footnote[#d.notes.at(0, default: \"\")]\n\n]\n"
        "#for n in d.names [#n \\ ]\n", encoding="utf-8")
    data = json.dumps({"title": document.statement.title, "paras": texts, "notes": notes,
                       "names": names})
    compiler = typst.Compiler(
        str(template), font_paths=["/usr/share/fonts/opentype/noto",
                                   "/usr/share/fonts/truetype/noto"])

    def bare_typst():
        return compiler.compile(format="pdf", sys_inputs={"data": data.replace(
            "\"title\": \"", f"\"title\": \"{next(counter)} ", 1)})

    def bare_docx():
        d = docx.Document()
        d.add_paragraph(f"{next(counter)} {document.statement.title}", style="Title")
        for t in texts:
            d.add_paragraph(t, style="Body Text")
        for n in names:
            d.add_paragraph(n)
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()

    page = jinja2.Environment(autoescape=True).from_string(
        "<h1>{{ t }}</h1>{% for p in ps %}<p>{{ p }}</p>{% endfor %}"
        "{% for n in ns %}<li>{{ n }}</li>{% endfor %}")

    def bare_jinja():
        return page.render(t=f"{next(counter)} {document.statement.title}", ps=texts, ns=names)

    return {"pdf": measure(bare_typst, runs), "docx": measure(bare_docx, runs),
            "html": measure(bare_jinja, runs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from pressroom.render.docx import render_docx
    from pressroom.render.html import render_html
    from pressroom.render.pdf import render_pdf
    from pressroom.site import load_site

    renderers = {"html": render_html, "pdf": render_pdf, "docx": render_docx}
    with tempfile.TemporaryDirectory() as tmp:
        long = load_site(long_site(Path(tmp)))
        cases = {"sample": (load_site(REPO), SAMPLE_ID),
                 "long": (long, "2024-01-01-long-statement"), "thai": (long, THAI_ID)}
        print(f"{args.runs} runs each, median; peak memory of one run "
              "(Python heap by tracemalloc / process RSS high-water mark)\n")
        for case, (site, sid) in cases.items():
            document = site.document(site.load(sid))
            ours = {fmt: measure(lambda r=r, d=document, t=site.templates_dir:
                                 r(fresh(d), t), args.runs)
                    for fmt, r in renderers.items()}
            floor = floors(document, args.runs)
            print(f"== {case}: {len(document.statement.body.blocks)} blocks, "
                  f"{len(document.statement.footnotes)} footnotes, "
                  f"{len(document.endorsers)} endorsers")
            print(f"{'format':8}{'ours ms':>10}{'floor ms':>10}{'ratio':>8}"
                  f"{'heap MB':>10}{'RSS MB':>9}")
            for fmt in renderers:
                o, f = ours[fmt], floor[fmt]
                print(f"{fmt:8}{o[0]:10.2f}{f[0]:10.2f}{o[0] / f[0]:8.2f}"
                      f"{o[1]:10.1f}{o[2]:9.0f}")
            total_ours = sum(v[0] for v in ours.values())
            total_floor = sum(v[0] for v in floor.values())
            print(f"{'all':8}{total_ours:10.2f}{total_floor:10.2f}"
                  f"{total_ours / total_floor:8.2f}   (target: within 1.30x of the floors' sum)\n")
        wording_cost(long, args.runs)
    return 0


def wording_cost(site, runs: int) -> None:
    """What a statement's wording costs a render: resolving it (the catalog's file looked up
    and its version checked; read once per process) against the three renders."""
    from pressroom.wording import wording_for

    statement = site.load(THAI_ID)
    per = measure(lambda: [wording_for(site.templates_dir, statement.language, site.settings)
                           for _ in range(100)], runs)[0] / 100
    document = site.document(statement)
    print(f"wording of a Thai statement: {per * 1000:.0f} us per document "
          f"({len(document.wording.messages)} messages; catalog read once per process)")


if __name__ == "__main__":
    raise SystemExit(main())
