"""The benchmarks run: a tiny archive through benchmarks/archive.py prints every row of its
table, with figures (not errors) in them."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import REPO

ARCHIVE_ROWS = (
    "build --jobs 1", "build --jobs 2", "render floor (1 process)", "scaling (jobs 2 / jobs 1)",
    "jobs 2 / (2 x floor rate)", "two render floors at once", "jobs 2 / two floors at once",
    "no-op rebuild", "no-op projected to 10,000",
    "one record changed: rebuild", "rebuild - that statement's render",
    "one template changed (PDF)", "one organisation changed", "peak RSS per worker (jobs 2)",
    "cost per statement (jobs 1)", "cost per statement (jobs 2)",
    "build --jobs 2 --via notebook", "pandoc, 2 chains at a time",
    "pressroom publish ID --direct", "python: import libraries + 1 render",
    "publish / import-and-render",
)
MIX_ROWS = ("paragraphs", "footnotes", "URLs per footnote", "endorsers", "type",
            "non-Latin script")


@pytest.mark.slow
def test_the_archive_benchmark_prints_its_table_on_a_tiny_archive():
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "archive.py"), "--sizes", "8",
         "--no-pandoc", "--process-runs", "1"],
        capture_output=True, text=True, env=env, timeout=600)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in out + done.stderr
    lines = out.splitlines()
    for label in ARCHIVE_ROWS:
        assert any(line.strip().startswith(label) for line in lines), (label, out)
    # Measured and generated mix: each field printed twice.
    for label in MIX_ROWS:
        assert sum(line.strip().startswith(label + " ") for line in lines) == 2, (label, out)
    # The archive is the size asked for, and every statement was rendered in three formats.
    assert "== N = 8: 8 published statements" in out
    build_rows = [line for line in lines if line.strip().startswith("build --jobs ")
                  and "notebook" not in line]
    assert len(build_rows) == 2 and all("(24 files)" in line for line in build_rows), out
    assert "rendered 0, skipped 8" in out  # the no-op rebuild rendered nothing
    record = next(line for line in lines if "one record changed: rebuild" in line)
    assert "rendered 1, files 3" in record
    template = next(line for line in lines if "one template changed (PDF)" in line)
    assert "rendered 8, files 8" in template  # PDFs only
    # Every target has a figure and a verdict.
    verdicts = [line for line in lines if "target " in line]
    assert len(verdicts) >= 6
    assert all(re.search(r"\d+\.\d\d.*target .* (PASS|MISS)", line) for line in verdicts)
    assert "not built" in next(line for line in lines if "--via notebook" in line) or \
        re.search(r"--via notebook\s+\d", out)


@pytest.mark.slow
def test_the_review_benchmark_prints_its_figures():
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "review.py"),
                           "--runs", "1"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    for row in ("python-docx: docx.Document(path)", "review inspect: read + JSON",
                "inspect / python-docx open", "python-docx: docx.Document(draft)",
                "review ingest: place + store", "ingest / python-docx open"):
        (line,) = [x for x in done.stdout.splitlines() if row in x]
        assert " ms " in line or " x " in line
