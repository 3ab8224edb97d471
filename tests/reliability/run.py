"""The reliability suite: every class of bad input, fault and load, and a table of figures.

    python tests/reliability/run.py            # the full run (`make reliability`)
    python tests/reliability/run.py --quick    # a bounded run of a few minutes (`make test`)
    python tests/reliability/run.py --only kills,paths --json out.json

Each class runs in a process of its own, in a sandbox of its own (a copy of the repository's
site beside files that must never change), so its peak memory is its own. Exit status 1 if
any class had a traceback, a partial or mixed output, a lost or unended ledger row, a write
outside the site, or another failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

# Attempts per class (seconds for the fuzzers): the full run, and the bounded one.
BUDGETS = {
    "records": (1200, 120),
    "translations": (150, 20),
    "fuzz-records": (120, 20),
    "fuzz-import": (120, 20),
    "imports": (180, 27),
    "reviews": (120, 30),
    "injection": (64, 64),
    "catalogs": (70, 14),
    "designs": (64, 16),
    "paths": (60, 45),
    "kills": (40, 13),
    "concurrency": (16, 8),
    "disk-full": (18, 9),
    "read-only": (9, 9),
    "builds": (24, 7),
    "batch-imports": (12, 2),
}
# Classes run in several processes of this many attempts each, so that the peak memory said
# is that of a few inputs, not of a thousand renders in one process (whose allocator keeps
# its high-water mark).
CHUNKS = {"records": 20}
COLUMNS = ("class", "tried", "ok", "clear error", "tracebacks", "partial/mixed",
           "lost/unended rows", "outside writes", "other failures", "worst s", "peak MB")


def run_class(name: str, budget: int) -> dict:
    """One class, in chunks of child processes; its tally with the worst chunk's peak."""
    size = CHUNKS.get(name)
    if not size or budget <= size:
        return _run_chunk(name, budget, 0)
    parts = [_run_chunk(name, min(size, budget - start), n)
             for n, start in enumerate(range(0, budget, size))]
    total = dict(parts[0])
    for part in parts[1:]:
        for key in ("tried", "ok", "clear", "tracebacks", "mixed", "unended", "outside",
                    "wrong"):
            total[key] += part[key]
        total["worst_s"] = max(total["worst_s"], part["worst_s"])
        total["peak_mb"] = max(total["peak_mb"], part["peak_mb"])
        total["notes"] = (total["notes"] + part["notes"])[:8]
    return total


def _run_chunk(name: str, budget: int, chunk: int) -> dict:
    """One class (or a chunk of it) in a child process; its tally with its peak memory."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(HERE.parent.parent / "src"), str(HERE.parent), str(HERE),
         os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    if name.startswith("fuzz-"):
        return _fuzz(name, budget, env, started)
    # The child reports its own peak, and its children's (the processes a class starts).
    code = ("import json, resource, sys\nfrom harness import sandbox\nimport classes\n"
            "with sandbox() as box:\n"
            f"    tally = getattr(classes, {name.replace('-', '_')!r})(box, {budget}"
            f"{f', seed={7 + chunk}' if chunk else ''})\n"
            "peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
            "           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "tally.peak_mb = peak / 1024\n"
            "print('TALLY ' + json.dumps(tally.as_dict()))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    out, err = proc.communicate()
    for line in out.splitlines():
        if line.startswith("TALLY "):
            return json.loads(line[6:])
    return {"name": name, "tried": 0, "ok": 0, "clear": 0, "tracebacks": 1, "mixed": 0,
            "unended": 0, "outside": 0, "wrong": 0, "worst_s": time.perf_counter() - started,
            "peak_mb": 0.0, "notes": [f"the class itself failed: {err.strip()[-600:]}"]}


def _fuzz(name: str, seconds: int, env: dict, started: float) -> dict:
    target = name.removeprefix("fuzz-")
    label = {"records": "fuzzed records (atheris)", "import": "fuzzed imports (atheris)"}
    try:
        import atheris  # noqa: F401
    except ImportError:
        return {"name": label[target], "tried": 0, "ok": 0, "clear": 0, "tracebacks": 0,
                "mixed": 0, "unended": 0, "outside": 0, "wrong": 0, "worst_s": 0,
                "peak_mb": 0, "notes": ["skipped: atheris is not installed"]}
    with tempfile.TemporaryDirectory() as crashes:
        proc = subprocess.Popen([sys.executable, str(HERE / "fuzz.py"), target, str(seconds),
                                 crashes], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env, cwd=crashes)
        out, err = proc.communicate()
        # slow-unit-* files are only the slowest inputs (reported in the worst time).
        found = sorted(n for n in os.listdir(crashes)
                       if n.startswith(("crash-", "timeout-", "oom-", "leak-")))
    usage = max([0.0, *(float(m) for m in re.findall(r"rss: (\d+)Mb", err))])
    slowest = max([0.0, *(float(m) for m in re.findall(r"Slowest unit: (\d+) s", err))])
    runs = re.findall(r"Done (\d+) runs", err)
    tried = int(runs[-1]) if runs else int((re.findall(r"#(\d+)", err) or ["0"])[-1])
    crashed = bool(found) or proc.returncode != 0
    notes = [] if slowest else ["every input took under a second (libFuzzer reports any "
                                 "slower one, and fails one over 30 s)"]
    if crashed:
        # atheris prints an uncaught exception's traceback on stdout, then exits (which
        # libFuzzer reports on stderr as "fuzz target exited"): the note shows the traceback.
        said = out + err
        at = said.find("Uncaught Python exception")
        tail = said[at:][:600] if at >= 0 else err[-600:]
        notes.append(f"crash: {tail}")
    return {"name": label[target], "tried": tried, "ok": tried - int(bool(crashed)),
            "clear": 0, "tracebacks": int(bool(crashed)), "mixed": 0, "unended": 0,
            "outside": 0, "wrong": 0,
            "worst_s": slowest,
            "peak_mb": usage, "notes": notes}


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    total = {k: 0 for k in ("tried", "ok", "clear", "tracebacks", "mixed", "unended",
                            "outside", "wrong")}
    worst, peak = 0.0, 0.0
    for r in rows:
        lines.append("| " + " | ".join([
            r["name"], f"{r['tried']:,}", f"{r['ok']:,}", f"{r['clear']:,}",
            str(r["tracebacks"]), str(r["mixed"]), str(r["unended"]), str(r["outside"]),
            str(r["wrong"]), f"{r['worst_s']:.2f}", f"{r['peak_mb']:.0f}"]) + " |")
        for k in total:
            total[k] += r[k]
        worst, peak = max(worst, r["worst_s"]), max(peak, r["peak_mb"])
    lines.append("| **all** | " + " | ".join(
        [f"{total['tried']:,}", f"{total['ok']:,}", f"{total['clear']:,}",
         *(str(total[k]) for k in ("tracebacks", "mixed", "unended", "outside", "wrong")),
         f"{worst:.2f}", f"{peak:.0f}"]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the bounded run")
    parser.add_argument("--only", help="comma-separated classes: " + ", ".join(BUDGETS))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(BUDGETS)
    unknown = [n for n in names if n not in BUDGETS]
    if unknown:
        parser.error(f"unknown class {', '.join(unknown)}; known: {', '.join(BUDGETS)}")
    rows = []
    started = time.perf_counter()
    for name in names:
        budget = BUDGETS[name][1 if args.quick else 0]
        t0 = time.perf_counter()
        row = run_class(name, budget)
        rows.append(row)
        print(f"{row['name']}: {row['tried']} tried in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)
    print(table(rows))
    print(f"\n{'bounded' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s")
    for r in rows:
        for note in r["notes"]:
            print(f"- {r['name']}: {note}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    failed = sum(r["tracebacks"] + r["mixed"] + r["unended"] + r["outside"] + r["wrong"]
                 for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
