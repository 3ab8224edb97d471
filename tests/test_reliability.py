"""The bounded reliability run: every class of bad input, fault and load, a few minutes long.

`make reliability` runs the full one and prints its table; this runs the bounded one and
fails on any traceback, partial or mixed output, lost or unended ledger row, write outside
the site, or other failure, showing the table and the first failures of each class.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent / "reliability" / "run.py"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("reliability")]


def test_the_bounded_reliability_run_has_no_failure(tmp_path):
    figures = tmp_path / "reliability.json"
    done = subprocess.run([sys.executable, str(RUN), "--quick", "--json", str(figures)],
                          capture_output=True, text=True, timeout=1500)
    assert figures.is_file(), done.stdout + done.stderr
    rows = {r["name"]: r for r in json.loads(figures.read_text())}
    assert sum(r["tried"] for r in rows.values()) >= 1000, done.stdout
    for name, row in rows.items():
        failures = {k: row[k] for k in ("tracebacks", "mixed", "unended", "outside", "wrong")}
        assert not any(failures.values()), f"{name}: {failures}\n{done.stdout}"
    assert done.returncode == 0, done.stdout + done.stderr
