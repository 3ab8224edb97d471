"""How much memory and time do checking and rendering take, for records at and past the limits?

Each case runs in a fresh process (`--case NAME`) that writes one record into a copy of the
repository's site, checks it, and, when check accepts it, renders all three formats; the
process reports its peak RSS (VmHWM, which covers typst's own allocations) and
the seconds each stage took. The limits (src/pressroom/limits.py) keep every record check
accepts under 500 MB.

    .venv/bin/python benchmarks/memory.py [--case NAME]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RECORD_ID = "2024-06-01-memory"
HEAD = (f"---\nid: {RECORD_ID}\ntype: statement\ntitle: \"Memory\"\ndate: 2024-06-01\n"
        "language: en\nissued_by: forum-asia\nstate: private\n---\n")
SENTENCE = ("The authorities must release every detainee, end the crackdown on peaceful "
            "protesters and respect the freedoms of expression, assembly and association. ")
PARAGRAPH = SENTENCE * 4  # 640 characters, as the sample's paragraphs


def _fill(unit: str, size: int) -> str:
    return unit * max(1, (size - len(HEAD)) // len(unit.encode("utf-8")))


def _footnotes(count: int) -> str:
    text = " ".join(f"Claim {n}[^{n}]." for n in range(count))
    notes = "\n".join(f"[^{n}]: <https://www.example.org/report/{n}>" for n in range(count))
    return text + "\n\n" + notes + "\n"


def _at_every_limit() -> str:
    """2,000 blocks, 10,000 inlines and 1,000 footnotes in 512 KB: the worst record check
    accepts, as far as typst's memory goes (list items and links cost it most)."""
    from pressroom import limits

    notes = limits.MAX_FOOTNOTES  # each note: a paragraph (a block), a marker and a link
    links = limits.MAX_INLINES - 2 * notes
    blocks_left = limits.MAX_BLOCKS - notes - 3  # the quote, its list, the last paragraph
    items = blocks_left // 3  # an item and the paragraph in it are two blocks
    paragraphs = blocks_left - 2 * items
    link = "[a report](https://www.example.org/r) "
    body = []
    for p in range(paragraphs):
        marks = "".join(f" Claim[^{n}]." for n in range(p, notes, paragraphs))
        body.append(link * (links // paragraphs) + marks)
    body.append("> " + "\n> ".join(f"- item {n} of a long list" for n in range(items)))
    body.append("\n".join(f"[^{n}]: <https://www.example.org/report/{n}>"
                          for n in range(notes)))
    text = "\n\n".join(body) + "\n\n"
    room = limits.MAX_RECORD_BYTES - len(HEAD) - len(text.encode("utf-8")) - 1
    return text + (SENTENCE * (room // len(SENTENCE) + 1))[:room].rsplit(" ", 1)[0] + "\n"


CASES = {
    # what the issue measured: 1.19 GB and 12.7 s, 800 MB and 22 s
    "body-4.9MB": lambda: _fill(PARAGRAPH + "\n\n", int(4.9e6)),
    "footnotes-10000": lambda: _footnotes(10_000),
    # the same shapes at the new limits
    "body-512KB": lambda: _fill(PARAGRAPH + "\n\n", 512 * 1024 - 1),
    "footnotes-1000": lambda: _footnotes(1_000),
    "every-limit": _at_every_limit,
    # the worst a 512 KB record makes of check itself (markdown-it's tokens)
    "check-strong-emphasis": lambda: _fill("***a*** ", 512 * 1024 - 1),
    "check-paragraphs": lambda: _fill("a\n\n", 512 * 1024 - 1),
    "check-list-items": lambda: _fill("- a\n", 512 * 1024 - 1),
}


def run_case(name: str) -> dict:
    sys.path[:0] = [str(REPO / "src"), str(REPO / "tests")]
    from conftest import copy_site
    from pressroom.publish import render_all
    from pressroom.site import load_site

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_site(Path(tmp) / "site")
        path = root / "statements" / f"{RECORD_ID}.md"
        path.write_text(HEAD + CASES[name](), encoding="utf-8")
        site = load_site(root)
        start = time.perf_counter()
        statement, diagnostics = site.check([path])[path]
        checked = time.perf_counter() - start
        errors = [d for d in diagnostics if d.is_error]
        out = {"case": name, "bytes": path.stat().st_size, "check_s": round(checked, 2),
               "errors": len(errors), "first_error": errors[0].message[:90] if errors else ""}
        if statement is not None and not errors:
            start = time.perf_counter()
            rendered = render_all(site.document(statement), site.templates_dir,
                                  ("html", "pdf", "docx"))
            out["render_s"] = round(time.perf_counter() - start, 2)
            out["pdf_bytes"] = len(rendered["pdf"])
        out["peak_mb"] = round(_peak_rss_mb())
        return out


def _peak_rss_mb() -> float:
    """This process's RSS high-water mark. Not getrusage's ru_maxrss: a child started by fork
    and exec inherits its parent's peak there (a test runner's, say)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--json", action="store_true", help="one JSON line (for --case)")
    args = parser.parse_args(argv)
    if args.case:
        result = run_case(args.case)
        print(json.dumps(result) if args.json else result)
        return 0
    print(f"{'case':24}{'bytes':>10}{'check s':>9}{'render s':>10}{'peak MB':>9}  check says")
    for name in CASES:
        done = subprocess.run([sys.executable, __file__, "--case", name, "--json"],
                              capture_output=True, text=True, check=True, cwd=REPO)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        said = r["first_error"] or "no errors: rendered html, pdf, docx"
        render = f"{r['render_s']:10.1f}" if "render_s" in r else f"{'-':>10}"
        print(f"{name:24}{r['bytes']:>10,}{r['check_s']:9.1f}{render}{r['peak_mb']:9}  {said}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
