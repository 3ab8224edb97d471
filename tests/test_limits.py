"""The limits: check refuses what a format cannot print, and what check accepts renders in
all three formats."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from ruamel.yaml import YAML

from conftest import REPO, SAMPLE_ID, SCRIPT_RECORDS, copy_site
from pressroom import limits
from pressroom.cli import cli
from pressroom.publish import render_all
from pressroom.site import load_site
from strategies import mutated_records, record_id, records

# --- characters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "words"),
    [("\x00", "a NUL character"), ("\ufeff", "byte-order mark (U+FEFF)"),
     ("\x01", "control character U+0001, which the web page keeps"),
     ("\x1f", "control character U+001F"), ("\x7f", "U+007F"), ("\x85", "U+0085"),
     ("\ud800", "half of a character (U+D800)"), ("\u2028", "line separator (U+2028"),
     ("\ufffe", "U+FFFE, which is not a character"), ("\U0001ffff", "not a character")],
)
def test_every_refused_character_is_named_with_where_it_is(char, words):
    (problem,) = limits.character_problems(f"Release the{char} detainees")
    assert words in problem
    assert problem.endswith("(after 'Release the')")


def test_tab_and_newline_are_text_and_each_kind_is_said_once():
    assert limits.character_problems("a\tb\nc") == []
    assert len(limits.character_problems("\x01a\x01b\x01")) == 1  # each character once
    assert len(limits.character_problems("\x01a\x02b")) == 2
    assert limits.character_problems("\x01\x00") != limits.character_problems("\x01")
    assert "at the start" in limits.character_problems("\x00x")[0]


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",  # 63, with a hyphen
     "a" * 50, "FORUM-ASIA-" * 10, "a/" * 60, "中文" * 200, "ภาษาไทย" * 30,
     "https://www.example.org/" + "x" * 1_900, "mailto:" + "a" * 40 + "@example.org",
     "www." + "x" * 100 + ".org", "(https://example.org/" + "x" * 100 + ")"],
)
def test_words_a_line_can_break_and_links_up_to_their_limit_are_allowed(text):
    if text.startswith("Rind"):
        text = text.replace("ungs", "ungs-", 1)
    assert limits.word_problems(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [("x" * 51, "a word of 51 characters"), ("see " + "W" * 300, "a word of 300 characters"),
     ("https://example.org/" + "a" * 2_000, "an address of 2,020 characters"),
     ("中文" + "x" * 60, "a word of 60 characters")],
)
def test_a_run_no_line_can_hold_is_refused(text, words):
    (problem,) = limits.word_problems(text)
    assert words in problem


def test_field_problems_say_length_and_words_and_characters():
    problems = limits.text_problems("\x00" + "x" * 500, 400)
    assert [p.split(" ")[0:2] for p in problems] == [["contains", "a"], ["is", "501"],
                                                     ["has", "a"]]


# --- nesting in TOML --------------------------------------------------------------------------


def test_toml_nesting_names_the_line_past_the_limit():
    text = 'a = 1\n# [[[[[[[[[[[[[[[[[[[[[[ a comment\nb = "[[[[[[[[[[[[[[[[[[[[[["\nc = [\n'
    text += "[" * 30 + "]" * 30 + "\n]\n"
    assert limits.toml_nesting(text) == 5
    assert limits.toml_nesting(text.replace("[" * 30 + "]" * 30, "[[1]]")) is None
    assert limits.toml_nesting('x = """[[[[[[[[[[[[[[[[[[[[[[\n"""\n[[people]]\n') is None


def test_data_strings_walks_any_depth_without_recursion():
    data: dict = {"a": "x"}
    node = data
    for _ in range(10_000):
        node["b"] = {"c": []}
        node = node["b"]
    node["b"] = "\x00"
    assert any(text == "\x00" for _, text in limits.data_strings(data))


# --- the real records are within every limit ----------------------------------------------------


@pytest.mark.parametrize("path", [REPO / "statements" / f"{SAMPLE_ID}.md", *SCRIPT_RECORDS],
                         ids=lambda p: p.stem)
def test_real_records_are_within_every_limit(path):
    from pressroom.records import read_record

    orgs = YAML(typ="safe").load((REPO / "statements" / "organisations.yaml").read_text("utf-8"))
    statement, diagnostics = read_record(path, {k: None for k in orgs})
    assert statement is not None
    assert [d for d in diagnostics if d.is_error] == []


# --- check and the renderers agree ---------------------------------------------------------------


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory):
    return load_site(copy_site(tmp_path_factory.mktemp("generated") / "site"))


def _agree(site, text: str) -> bool:
    """Check the record; when check accepts it, render all three formats, which must work.
    Returns whether it was rendered."""
    path = site.statements_dir / f"{record_id(text)}.md"
    path.write_text(text, encoding="utf-8")
    try:
        statement, diagnostics = site.check([path])[path]
        if statement is None or any(d.is_error for d in diagnostics):
            assert all(str(d).startswith(f"{path}") for d in diagnostics)
            return False
        rendered = render_all(site.document(statement), site.templates_dir,
                              ("html", "pdf", "docx"))
    finally:
        path.unlink()
    assert set(rendered) == {"html", "pdf", "docx"} and all(rendered.values())
    return True


@pytest.mark.slow
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=records())
def test_every_record_check_accepts_renders_in_all_three_formats(generated_site, text):
    _agree(generated_site, text)


@pytest.mark.slow
def test_mutated_real_records_check_or_render(generated_site):
    started = time.monotonic()
    outcomes = [_agree(generated_site, text) for text in mutated_records(seed=2024, n=60)]
    assert any(outcomes) and not all(outcomes)  # both sides of check were exercised
    assert time.monotonic() - started < 120


def test_mutated_records_are_the_same_for_the_same_seed():
    first = list(mutated_records(seed=7, n=5))
    assert first == list(mutated_records(seed=7, n=5))
    assert first != list(mutated_records(seed=8, n=5))
    assert [record_id(t) for t in first] == [f"mutated-7-{i}" for i in range(5)]
    assert all(re.match(r"---\nid: mutated-7-\d\n", t) for t in first)



# --- check itself never fails with a traceback ---------------------------------------------

HOSTILE_FILES = {
    "organisations-10000-deep": ("statements/organisations.yaml",
                                 lambda text: text + "deep: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "toml-5000-deep": ("pressroom.toml",
                       lambda text: "deep = " + "[" * 5_000 + "]" * 5_000 + "\n" + text),
    "toml-nul-in-about": ("pressroom.toml",
                          lambda text: text.replace('# about = "..."', 'about = "A \\u0000 B"')),
    "record-1000-emphasis": (f"statements/{SAMPLE_ID}.md",
                             lambda text: text + "\n" + "*" * 1_000 + "x" + "*" * 1_000 + "\n"),
    "record-surrogate-title": (f"statements/{SAMPLE_ID}.md",
                               lambda text: text.replace('title: "Kazakhstan:',
                                                         'title: "\\ud800 Kazakhstan:')),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_check_on_hostile_files_ends_with_diagnostics_never_a_traceback(tmp_path, case):
    root = copy_site(tmp_path / "site")
    name, change = HOSTILE_FILES[case]
    path = root / name
    path.write_text(change(path.read_text("utf-8")), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(root), "check"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert re.search(rf"{re.escape(str(path))}:\d+: error: ", result.output), result.output


# --- memory --------------------------------------------------------------------------------------

MEMORY = REPO / "benchmarks" / "memory.py"


@pytest.mark.slow
@pytest.mark.parametrize(("case", "renders"), [
    ("every-limit", True), ("body-512KB", True), ("footnotes-1000", True),
    ("body-4.9MB", False), ("footnotes-10000", False), ("check-list-items", False),
    ("check-paragraphs", False), ("check-strong-emphasis", False)])
def test_records_at_the_limits_check_and_render_in_under_500_mb(case, renders):
    """Peak RSS of a fresh process that checks the record and, when check accepts it,
    renders all three formats (benchmarks/memory.py prints the figures)."""
    done = subprocess.run([sys.executable, str(MEMORY), "--case", case, "--json"],
                          capture_output=True, text=True, timeout=300, cwd=REPO, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert ("render_s" in result) is renders, result
    assert result["peak_mb"] < 500, result
