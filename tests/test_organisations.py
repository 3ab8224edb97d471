"""The organisation directory: loading with diagnostics, round-trip appends, new keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pressroom.errors import ConfigError
from pressroom.model import Organisation, Severity
from pressroom.organisations import (
    add_organisations,
    load_organisations,
    new_key,
    parse_organisations,
)

REPO = Path(__file__).resolve().parent.parent
DIRECTORY = REPO / "statements" / "organisations.yaml"


def only(diagnostics):
    assert len(diagnostics) == 1, [str(d) for d in diagnostics]
    return diagnostics[0]


def test_repository_directory_loads_clean():
    orgs, problems = load_organisations(DIRECTORY)
    assert problems == []
    assert len(orgs) == 19
    assert list(orgs)[:3] == ["forum-asia", "arf", "awam"]
    fa = orgs["forum-asia"]
    assert fa.name == "Asian Forum for Human Rights and Development (FORUM-ASIA)"
    assert fa.url == "https://www.forum-asia.org"
    assert fa.about.startswith("The Asian Forum for Human Rights") and "\n" not in fa.about
    assert orgs["peoples-watch"].name == "People’s Watch"


@pytest.mark.parametrize(
    ("text", "line", "field", "severity", "fragment"),
    [
        ("ok:\n  name: A\nbad: [\n", 4, None, Severity.ERROR, "YAML syntax error"),
        ("ok:\n  name: A\nok:\n  name: B\n", 3, None, Severity.ERROR, "duplicate key"),
        ("ok:\n  name: A\nBad_Key:\n  name: B\n", 3, "Bad_Key", Severity.ERROR, "lowercase"),
        ("ok:\n  name: A\nnoname:\n  url: https://a.org\n", 3, "noname.name", Severity.ERROR,
         "required"),
        ("ok:\n  name: A\n  url: www.a.org\n", 3, "ok.url", Severity.ERROR, "not a web address"),
        ("ok:\n  name: A\n  url: https://a .org\n", 3, "ok.url", Severity.ERROR, "web address"),
        ("ok:\n  name: A\n  abuot: text\n", 3, "ok.abuot", Severity.WARNING, "'about'"),
        ("ok:\n  name: A\nlist: [1, 2]\n", 3, "list", Severity.ERROR, "must be a mapping"),
        ("ok:\n  name: ''\n", 2, "ok.name", Severity.ERROR, "non-empty"),
        ("- a\n- b\n", 1, None, Severity.ERROR, "mapping of keys"),
    ],
    ids=["syntax", "duplicate", "key", "name", "url", "url-space", "unknown", "entry",
         "empty-name", "not-mapping"],
)
def test_each_problem_has_its_line_and_field(text, line, field, severity, fragment):
    _orgs, problems = parse_organisations(text, "orgs.yaml")
    d = only(problems)
    assert (d.path, d.line, d.field, d.severity) == ("orgs.yaml", line, field, severity)
    assert fragment in d.message


def test_invalid_entries_are_left_out_and_all_problems_reported():
    text = "good:\n  name: Good\nBAD:\n  name: Bad\nnourl:\n  name: N\n  url: nope\n"
    orgs, problems = parse_organisations(text, "o.yaml")
    assert list(orgs) == ["good"]
    assert [(d.line, d.field) for d in problems] == [(3, "BAD"), (7, "nourl.url")]


def test_missing_and_non_utf8_files(tmp_path):
    _orgs, problems = load_organisations(tmp_path / "none.yaml")
    assert only(problems).is_error and "missing" in problems[0].message
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"ok:\n  name: caf\xe9\n")
    _orgs, problems = load_organisations(bad)
    d = only(problems)
    assert (d.line, d.is_error) == (2, True) and "offset 15" in d.message


def test_add_keeps_the_file_and_appends(tmp_path):
    path = tmp_path / "organisations.yaml"
    original = DIRECTORY.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    about = " ".join(["A long About text that must fold across several lines."] * 4)
    add_organisations(path, [
        Organisation("new-one", "New One (NO)", about, "https://new.example.org"),
        Organisation("lst", "Someone else taking an existing key"),
        Organisation("new-two", "New Two"),
    ])
    text = path.read_text(encoding="utf-8")
    # Every byte of the hand-written file survives: comments, folded About, order, quoting.
    assert text.startswith(original)
    added = text[len(original):]
    assert added.startswith("new-one:\n  name: New One (NO)\n  url: https://new.example.org\n")
    assert "  about: >-\n" in added and max(len(x) for x in added.splitlines()) <= 100
    assert "Someone else" not in text
    orgs, problems = load_organisations(path)
    assert problems == []
    assert list(orgs)[-2:] == ["new-one", "new-two"]
    assert orgs["new-one"] == Organisation("new-one", "New One (NO)", about,
                                           "https://new.example.org")
    assert orgs["lst"].name == "Law and Society Trust (LST)"


def test_add_never_duplicates_and_does_not_rewrite(tmp_path):
    path = tmp_path / "organisations.yaml"
    path.write_text("# directory\na:\n  name: A\n", encoding="utf-8")
    add_organisations(path, [Organisation("b", "B")])
    once = path.read_text(encoding="utf-8")
    mtime = path.stat().st_mtime_ns
    add_organisations(path, [Organisation("b", "B again"), Organisation("a", "A again")])
    assert path.read_text(encoding="utf-8") == once == "# directory\na:\n  name: A\nb:\n  name: B\n"
    assert path.stat().st_mtime_ns == mtime


def test_add_to_a_new_or_comment_only_file(tmp_path):
    path = tmp_path / "statements" / "organisations.yaml"
    path.parent.mkdir()
    add_organisations(path, [Organisation("x", "X")])
    assert load_organisations(path)[0] == {"x": Organisation("x", "X")}
    assert path.read_text(encoding="utf-8").startswith("# The endorser directory")
    path.write_text("# only a comment\n", encoding="utf-8")
    add_organisations(path, [Organisation("y", "Y")])
    assert path.read_text(encoding="utf-8") == "# only a comment\ny:\n  name: Y\n"


def test_add_refuses_a_broken_directory_and_a_bad_key(tmp_path):
    path = tmp_path / "o.yaml"
    path.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        add_organisations(path, [Organisation("b", "B")])
    assert "o.yaml:2" in str(err.value)
    assert path.read_text(encoding="utf-8") == "a: [\n"
    path.write_text("a:\n  name: A\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a valid organisation key"):
        add_organisations(path, [Organisation("../evil", "E")])
    assert path.read_text(encoding="utf-8") == "a:\n  name: A\n"


def test_add_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "o.yaml"
    path.write_text("a:\n  name: A\n", encoding="utf-8")

    def broken_replace(src, dst, **_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        add_organisations(path, [Organisation("b", "B")])
    assert path.read_text(encoding="utf-8") == "a:\n  name: A\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.yaml"]


@pytest.mark.parametrize(
    ("name", "existing", "key"),
    [
        ("Law and Society Trust (LST)", set(), "lst"),
        ("Law and Society Trust (LST)", {"lst"}, "law-and-society-trust"),
        ("Law and Society Trust (LST)", {"lst", "law-and-society-trust"}, "lst-2"),
        ("Law and Society Trust (LST)", {"lst", "law-and-society-trust", "lst-2"}, "lst-3"),
        ("People’s Watch", set(), "peoples-watch"),
        ("Bytes for All", set(), "bytes-for-all"),
        ("Asian Forum for Human Rights and Development (FORUM-ASIA)", set(), "forum-asia"),
        ("Association of Women for Awareness & Motivation", set(), "association-of-women-for"),
        ("Centre Démocratique", set(), "centre-democratique"),
        ("ศูนย์ทนายความเพื่อสิทธิมนุษยชน", set(), "organisation"),
        ("ศูนย์ทนายความเพื่อสิทธิมนุษยชน", {"organisation"}, "organisation-2"),
    ],
)
def test_new_key(name, existing, key):
    assert new_key(name, existing) == key


def test_new_keys_are_valid_for_every_directory_name():
    orgs, _ = load_organisations(DIRECTORY)
    keys: set[str] = set()
    for org in orgs.values():
        key = new_key(org.name, keys)
        assert key not in keys
        _, problems = parse_organisations(f"{key}:\n  name: x\n", "k.yaml")
        assert problems == []
        keys.add(key)
    assert {"lst", "masum", "worec", "forum-asia", "odhikar"} <= keys


# --- what the formats cannot print (limits.py) ---------------------------------------------------


@pytest.mark.parametrize(
    ("deep", "line"),
    [(" " + "[" * 10_000 + "]" * 10_000, 5),
     ("\n" + "".join(" " * (4 + 2 * n) + "-\n" for n in range(200)) + " " * 404 + "x", 24),
     ("\n    " + "- " * 10_000 + "x", 6)],
    ids=["flow", "block", "one-line"],
)
def test_a_list_10000_deep_is_a_diagnostic_with_its_line_not_a_recursion_error(deep, line):
    text = f"ok:\n  name: A\nbad:\n  name: B\n  about:{deep}\n"
    orgs, problems = parse_organisations(text, "orgs.yaml")
    d = only(problems)
    assert (d.line, d.field, d.severity) == (line, None, Severity.ERROR)  # the 21st level
    assert "nested more than 20 deep" in d.message
    assert orgs == {}


@pytest.mark.parametrize(
    ("value", "words"),
    [('"A\\0B"', "a NUL character"), ('"A\\u0007B"', "control character U+0007"),
     ('"A\\ufeffB"', "byte-order mark"), ('"A\\ud800B"', "half of a character"),
     ('"Group \\U0001F600"', "cannot show '😀'"), ("x" * 60, "a word of 60 characters"),
     ('"' + "Asian Forum " * 30 + '"', "is 360 characters long; at most 300")],
)
def test_names_the_formats_cannot_print_are_diagnostics(value, words):
    orgs, problems = parse_organisations(f"ok:\n  name: A\nbad:\n  name: {value}\n", "o.yaml")
    d = only(problems)
    assert (d.line, d.field, d.severity) == (4, "bad.name", Severity.ERROR)
    assert words in d.message
    assert list(orgs) == ["ok"]


def test_a_raw_control_character_in_the_file_is_a_diagnostic_with_its_line():
    _orgs, problems = parse_organisations("ok:\n  name: A\nbad:\n  name: B\x01C\n", "o.yaml")
    d = only(problems)
    assert (d.line, d.severity) == (4, Severity.ERROR)
    assert "control character U+0001" in d.message
