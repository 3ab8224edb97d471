"""How good and how fast is the importer on real archive shapes?

Prints, for the tuned part of the corpus (tests/fixtures/archive-shapes/tuned/) and the
held-out part (heldout/, written without seeing the importer, used only here) separately,
the share of inputs each field is right for, the share with every field right, and the
chrome lines left in bodies; then the import throughput on N generated plain-text files
(default 1,000) in one `import_paths` call, read in this process (jobs 1) and by one worker
process for each core (the default).

    .venv/bin/python benchmarks/importer.py [--part tuned|heldout|both|none] [--files N]
                                            [--explain]

`--part tuned` scores the tuned part only: what a change to the importer is tuned on, so the
held-out figure stays a figure of inputs nobody tuned for.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import archive_shapes  # noqa: E402

WORDS = ("rights", "defenders", "detained", "authorities", "release", "protest", "assembly",
         "expression", "journalists", "court", "charges", "families", "villagers", "land",
         "eviction", "police", "investigation", "independent", "urgent", "call", "government",
         "commission", "report")
PLACES = ("Bangkok", "Manila", "Jakarta", "Kathmandu", "Dhaka", "Colombo", "Phnom Penh")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def generated(n: int, seed: int = 3) -> str:
    """A plain-text statement of the archive's usual shape, different for each n."""
    rng = random.Random(seed * 100_003 + n)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 11))).capitalize()
    when = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2012, 2024)}"
    paras = []
    for p in range(rng.randint(3, 9)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 120))]
        text = " ".join(words).capitalize() + "."
        paras.append(text + (f"[{p + 1}]" if p < 3 else ""))
    notes = "\n".join(f"[{i + 1}] https://www.example.org/report/{n}/{i}" for i in range(3))
    endorsers = "\n".join(f"Organisation {rng.randint(1, 400)} for {rng.choice(WORDS)}"
                          for _ in range(rng.randint(2, 25)))
    return (f"{title} {n}\n\n({rng.choice(PLACES)}, {when}) – " + "\n\n".join(paras)
            + f"\n\nEndorsed by:\n{endorsers}\n\n{notes}\n")


# The fields the aim (90% of held-out records right) is stated for; "every field" adds type,
# contacts, the page's address, the body's ends and the diagnostics.
ISSUE_FIELDS = ("title", "date", "place", "language", "issued_by", "endorsers", "footnotes",
                "chrome")


def quality(part: str, explain: bool) -> None:
    results = archive_shapes.score_part(part)
    shares = archive_shapes.shares(results)
    every = sum(all(r.right.values()) for r in results)
    named = sum(all(r.right.get(f, True) for f in ISSUE_FIELDS) for r in results)
    print(f"\n{part}: {len(results)} inputs; every field right in {every} "
          f"({every / len(results):.0%}); the fields the aim names ({', '.join(ISSUE_FIELDS)})"
          f" right in {named} ({named / len(results):.0%})")
    for name, (right, compared) in shares.items():
        share = right / compared if compared else float("nan")
        print(f"  {name:<12} {right:>3}/{compared:<3} {share:6.0%}")
    print(f"  chrome lines left in bodies: {sum(r.chrome_left for r in results)}")
    if explain:
        for r in results:
            for name, why in r.wrong.items():
                print(f"    {r.name}: {name}: {why[:300]}")


def throughput(n: int) -> None:
    from pressroom.importer import import_paths
    from pressroom.site import load_site

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        folder.mkdir()
        for i in range(n):
            (folder / f"statement-{i:05d}.txt").write_text(generated(i), encoding="utf-8")
        print(f"\nthroughput on {n} plain-text files, one import_paths call each:")
        one = None
        for jobs in (1, cores) if cores > 1 else (1,):
            root = archive_shapes.make_site("tuned", Path(tmp) / f"jobs-{jobs}")
            site = load_site(root)
            started, cpu = time.perf_counter(), time.process_time()
            report = import_paths(site, [folder], jobs=jobs)
            took, cpu = time.perf_counter() - started, time.process_time() - cpu
            one = one or took
            # The importing process's processor time too: on a shared machine the wall
            # clock also counts other work (the workers' time is not in it).
            print(f"  jobs {jobs}: {len(report.imported)} imported, {len(report.refused)} "
                  f"refused in {took:.2f} s: {n / took:.0f} files/s ({one / took:.2f}x jobs "
                  f"1); this process's processor time {cpu:.2f} s ({n / cpu:.0f} files/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--explain", action="store_true", help="say what each miss was")
    parser.add_argument("--part", choices=("tuned", "heldout", "both", "none"), default="both",
                        help="which part of the corpus to score (none: throughput only)")
    args = parser.parse_args()
    parts = {"both": ("tuned", "heldout"), "none": ()}.get(args.part, (args.part,))
    for part in parts:
        quality(part, args.explain)
    if args.files:
        throughput(args.files)


if __name__ == "__main__":
    main()
