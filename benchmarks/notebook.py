"""What does the notebook cost over publishing directly?

For the sample statement, prints the median time of a `--direct` publish, a cold papermill
publish (a new kernel per run, as `pressroom publish` does), and a warm-engine run (one live
kernel, reset between runs, as batch work does), over N runs each in this one process, and
each one's overhead over direct as a ratio. Every run is a real, recorded publication into a
temporary copy of the site.

    .venv/bin/python benchmarks/notebook.py [--runs N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ID = "2022-02-10-kazakhstan-crackdown"


def copy_site(dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "pressroom.toml", dest / "pressroom.toml")
    for folder in ("statements", "templates", "notebooks"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def timed(fn, runs: int) -> list[float]:
    fn()  # warm-up: imports, font scan, the first kernel of the warm engine
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from pressroom.engine import WarmEngine
    from pressroom.ledger import Ledger
    from pressroom.notebook import PublicationRun
    from pressroom.runner import run_publication
    from pressroom.site import load_site

    with tempfile.TemporaryDirectory() as tmp:
        site = load_site(copy_site(Path(tmp) / "site"))
        def steps_without_kernel():
            """What the notebook's cells do, called in this process: the engine's own cost
            is the warm run minus this."""
            ledger = Ledger(site.runs_dir / "ledger.sqlite")
            row = ledger.start_run(statement_id=SAMPLE_ID, record_sha256=None,
                                   templates_sha256=None, settings_sha256=None, version="bench",
                                   parameters={}, actor="bench", mode="notebook")
            with contextlib.redirect_stdout(io.StringIO()):  # display() prints outside a kernel
                run = PublicationRun.start(SAMPLE_ID, site=str(site.root), run_id=row)
                run.preview()
                run.publish()
                run.pdf_first_page()
                run.word_outline()
                run.summary()
            ledger.finish_run(row, status="succeeded")

        modes = {
            "direct": lambda: run_publication(site, SAMPLE_ID, direct=True, actor="bench"),
            "notebook steps, no kernel": steps_without_kernel,
            "cold notebook": lambda: run_publication(site, SAMPLE_ID, actor="bench"),
            "warm engine": lambda: run_publication(site, SAMPLE_ID, actor="bench",
                                                   engine_name="pressroom_warm"),
        }
        results = {}
        try:
            for name, fn in modes.items():
                results[name] = timed(fn, args.runs)
        finally:
            WarmEngine.shutdown()
    direct = statistics.median(results["direct"])
    print(f"sample statement, {args.runs} runs each (median, min-max), in one process\n")
    print(f"{'mode':28}{'median ms':>11}{'min ms':>9}{'max ms':>9}{'x direct':>10}"
          f"{'overhead':>10}")
    for name, times in results.items():
        med = statistics.median(times)
        print(f"{name:28}{med * 1000:11.1f}{min(times) * 1000:9.1f}{max(times) * 1000:9.1f}"
              f"{med / direct:10.2f}{(med - direct) / direct:10.0%}")
    steps = statistics.median(results["notebook steps, no kernel"])
    warm = statistics.median(results["warm engine"])
    print(f"\nthe warm engine's own cost (warm run - the same steps without a kernel): "
          f"{(warm - steps) * 1000:.1f} ms, {(warm - steps) / direct:.0%} of a direct publish")
    print("target: warm-engine overhead under 25% of the direct time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
