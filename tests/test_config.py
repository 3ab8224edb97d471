"""pressroom.toml: one case per diagnostic, each with its exact line and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressroom.config import (
    SCHEMA,
    key_lines,
    load_settings,
    parse_settings,
    read_settings,
    schema_keys,
)
from pressroom.errors import ConfigError
from pressroom.model import Contact, Organisation, Role, Severity
from pressroom.organisations import load_organisations

REPO = Path(__file__).resolve().parent.parent
SKELETON = REPO / "src" / "pressroom" / "skeleton"
ORGS = {k: Organisation(k, k.upper()) for k in ("forum-asia", "lst", "odhikar")}

# A valid file; each case below changes one line of it. Line numbers are in the comments.
GOOD = """\
# line 1: a comment
[site]
name = "Asian Forum"
short_name = "FA"
organisation = "forum-asia"
base_url = "https://www.forum-asia.org/statements/"
default_language = "en"
about = \"\"\"
A multi-line About text.
fake_key = "inside a string is not a key"
\"\"\"
default_place = "Bangkok"

[[contacts]]
label = "Press desk"
email = "press@forum-asia.org"

[[people]]
id = "writer"
name = "Writer"
roles = ["Contributor"]

[[people]]
id = "boss"
name = "Boss"
roles = ["Reviewer", "Manager"]
"""


def change(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def test_good_file_gives_settings():
    settings, problems = parse_settings(GOOD, "pressroom.toml", ORGS)
    assert problems == []
    assert settings.name == "Asian Forum" and settings.short_name == "FA"
    assert settings.about == "A multi-line About text.\nfake_key = \"inside a string is not a key\""
    assert settings.contacts == (Contact("Press desk", "press@forum-asia.org"),)
    assert [p.id for p in settings.people] == ["writer", "boss"]
    assert settings.people[1].roles == (Role.REVIEWER, Role.MANAGER)
    assert settings.default_place == "Bangkok"


def test_key_lines_skip_multiline_strings():
    lines = key_lines(GOOD)
    assert lines["site"] == 2 and lines["site.base_url"] == 6 and lines["site.about"] == 8
    assert "site.fake_key" not in lines
    assert lines["site.default_place"] == 12
    assert lines["contacts[1].email"] == 16
    assert lines["people[1]"] == 18 and lines["people[2].roles"] == 26


CASES = [
    # (id, text, line, key, severity, words in the message)
    ("unknown-key", change('short_name = "FA"', 'short_name = "FA"\nshort_nam = "F"'),
     5, "site.short_nam", Severity.WARNING, "did you mean 'short_name'?"),
    ("unknown-table", GOOD + '\n[sites]\nname = "x"\n',
     28, "sites", Severity.WARNING, "did you mean 'site'?"),
    ("unknown-person-key", change('name = "Writer"', 'name = "Writer"\nrole = ["Manager"]'),
     21, "people[1].role", Severity.WARNING, "did you mean 'roles'?"),
    ("wrong-type", change('base_url = "https://www.forum-asia.org/statements/"', "base_url = 5"),
     6, "site.base_url", Severity.ERROR, "must be a text in quotes, not a number"),
    ("bad-url", change('base_url = "https://www.forum-asia.org/statements/"',
                       'base_url = "www.forum-asia.org"'),
     6, "site.base_url", Severity.ERROR, "not a web address"),
    ("missing-key", change('name = "Asian Forum"\n', ""),
     2, "site.name", Severity.ERROR, "required key missing"),
    ("missing-person-key", change('id = "boss"\n', ""),
     23, "people[2].id", Severity.ERROR, "required key missing"),
    ("bad-email", change('email = "press@forum-asia.org"', 'email = "[email protected]"'),
     16, "contacts[1].email", Severity.ERROR, "not an e-mail address"),
    ("bad-language", change('default_language = "en"', 'default_language = "English"'),
     7, "site.default_language", Severity.ERROR, "not a language code"),
    ("empty-text", change('short_name = "FA"', 'short_name = " "'),
     4, "site.short_name", Severity.ERROR, "must not be empty"),
    ("bad-role", change('roles = ["Reviewer", "Manager"]', 'roles = ["reviewer", "Manager"]'),
     26, "people[2].roles", Severity.ERROR, "'reviewer' is not a role (did you mean 'Reviewer'?)"),
    ("roles-not-list", change('roles = ["Contributor"]', 'roles = "Contributor"'),
     21, "people[1].roles", Severity.ERROR, "must be a list of roles"),
    ("no-manager", change('roles = ["Reviewer", "Manager"]', 'roles = ["Reviewer"]'),
     18, "people", Severity.ERROR, "no person has the role Manager; the workflow needs"),
    ("duplicate-person", change('id = "boss"', 'id = "writer"'),
     24, "people[2].id", Severity.ERROR, "already the id of people[1]"),
    ("bad-person-id", change('id = "boss"', 'id = "The Boss"'),
     24, "people[2].id", Severity.ERROR, "only lowercase letters"),
    ("unknown-organisation", change('organisation = "forum-asia"', 'organisation = "forumasia"'),
     5, "site.organisation", Severity.ERROR, "did you mean 'forum-asia'?"),
    ("site-not-table", change("[site]\n", "site = 3\n[nothing]\n"),
     2, "site", Severity.ERROR, "must be a table written [site]"),
    ("syntax", change('short_name = "FA"', 'short_name = "FA'),
     4, None, Severity.ERROR, "TOML syntax error"),
    # What the formats cannot print (limits.py)
    ("nul-in-place", change('default_place = "Bangkok"', 'default_place = "Bang\\u0000kok"'),
     12, "site.default_place", Severity.ERROR, "a NUL character"),
    ("control-in-label", change('label = "Press desk"', 'label = "Press\\u0007 desk"'),
     15, "contacts[1].label", Severity.ERROR, "control character U+0007"),
    ("bom-in-name", change('name = "Asian Forum"', 'name = "Asian\\ufeff Forum"'),
     3, "site.name", Severity.ERROR, "byte-order mark"),
    ("long-name", change('name = "Asian Forum"', f'name = "{"Asian Forum " * 40}"'),
     3, "site.name", Severity.ERROR, "is 479 characters long; at most 300"),
    ("long-word", change('name = "Asian Forum"', f'name = "Asian {"F" * 51}"'),
     3, "site.name", Severity.ERROR, "a word of 51 characters"),
    ("emoji-in-label", change('label = "Press desk"', 'label = "Press desk \U0001F600"'),
     15, "contacts[1].label", Severity.ERROR, "cannot show '😀'"),
]


@pytest.mark.parametrize(("text", "line", "key", "severity", "words"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_diagnostic(text, line, key, severity, words):
    settings, problems = parse_settings(text, "site/pressroom.toml", ORGS)
    ours = [d for d in problems if d.field == key]
    assert len(ours) == 1, [str(d) for d in problems]
    d = ours[0]
    assert (d.path, d.line, d.severity) == ("site/pressroom.toml", line, severity)
    assert words in d.message
    # An error gives no settings; a warning alone still does.
    assert (settings is None) == any(p.is_error for p in problems)


def test_the_unknown_table_also_reports_the_missing_one():
    text = GOOD.replace("[site]", "[sites]")
    settings, problems = parse_settings(text, "p.toml", ORGS)
    assert settings is None
    assert {(d.field, d.line, d.severity) for d in problems} == {
        ("sites", 2, Severity.WARNING), ("site", None, Severity.ERROR)}


def test_every_problem_at_once():
    text = (GOOD.replace('base_url = "https://www.forum-asia.org/statements/"', "base_url = 1")
            .replace('short_name = "FA"', 'shortname = "FA"')
            .replace('roles = ["Contributor"]', 'roles = ["Writer"]')
            .replace('organisation = "forum-asia"', 'organisation = "nobody"'))
    _settings, problems = parse_settings(text, "p.toml", ORGS)
    assert sorted((d.line, d.field, d.severity.value) for d in problems) == [
        (2, "site.short_name", "error"),
        (4, "site.shortname", "warning"),
        (5, "site.organisation", "error"),
        (6, "site.base_url", "error"),
        (21, "people[1].roles", "error"),
    ]


def test_about_defaults_to_the_organisation(tmp_path):
    text = re.sub(r'about = """.*?"""\n', "", GOOD, flags=re.S)
    orgs = {"forum-asia": Organisation("forum-asia", "FA", about="From the directory.")}
    settings, problems = parse_settings(text, "p.toml", orgs)
    assert problems == [] and settings.about == "From the directory."
    settings, _ = parse_settings(text, "p.toml", None)
    assert settings.about is None and settings.default_language == "en"


def test_load_settings_raises_once_with_every_error(tmp_path):
    path = tmp_path / "pressroom.toml"
    path.write_text(GOOD.replace('roles = ["Reviewer", "Manager"]', 'roles = ["Boss"]')
                    .replace('label = "Press desk"', 'label = 7'), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(path, ORGS)
    fields = [d.field for d in err.value.diagnostics]
    assert fields == ["contacts[1].label", "people[2].roles"]
    assert f"{path}:15: error: contacts[1].label" in str(err.value)
    assert f"{path}:26: error: people[2].roles" in str(err.value)


def test_unreadable_files(tmp_path):
    _s, problems = read_settings(tmp_path / "pressroom.toml")
    assert [d.message for d in problems] == ["file missing"]
    path = tmp_path / "pressroom.toml"
    path.write_bytes(b'[site]\nname = "Caf\xe9"\n')
    _s, problems = read_settings(path)
    assert [(d.line, d.is_error) for d in problems] == [(2, True)]
    assert "offset 18" in problems[0].message


def test_repository_pressroom_toml_validates():
    orgs, org_problems = load_organisations(REPO / "statements" / "organisations.yaml")
    settings, problems = read_settings(REPO / "pressroom.toml", orgs)
    assert problems == [] and org_problems == []
    assert settings.organisation == "forum-asia" and settings.short_name == "FORUM-ASIA"
    assert {r for p in settings.people for r in p.roles} == set(Role)
    assert settings.about == orgs["forum-asia"].about


def test_skeleton_pressroom_toml_validates():
    orgs, org_problems = load_organisations(SKELETON / "statements" / "organisations.yaml")
    settings, problems = read_settings(SKELETON / "pressroom.toml", orgs)
    assert problems == [] and org_problems == []
    assert settings.organisation in orgs


def test_every_key_and_table_is_documented():
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [key for key in schema_keys() if f"`{key}`" not in doc]
    assert missing == []
    for table in SCHEMA:
        header = f"## `[[{table.name}]]`" if table.array else f"## `[{table.name}]`"
        assert header in doc
    # And the other way round: every key the document names exists.
    tables = "|".join(t.name for t in SCHEMA)
    named = set(re.findall(rf"^\| `((?:{tables})\.[a-z_]+)` \|", doc, flags=re.M))
    assert named == set(schema_keys())


def test_a_nul_in_the_about_text_is_a_diagnostic_with_its_line():
    text = GOOD.replace("A multi-line About text.", "A multi-line \\u0000 About text.")
    settings, problems = parse_settings(text.replace('about = """', 'about = """'), "p.toml", ORGS)
    assert settings is None
    assert [(d.line, d.field, d.severity) for d in problems] == [
        (8, "site.about", Severity.ERROR)]
    assert "a NUL character" in problems[0].message


@pytest.mark.parametrize("depth", [21, 5_000, 100_000])
def test_an_array_nested_thousands_deep_is_a_diagnostic_not_a_recursion_error(depth):
    text = GOOD + f"\nextra = {'[' * depth}1{']' * depth}\n"
    settings, problems = parse_settings(text, "p.toml", ORGS)
    assert settings is None
    assert [(d.line, d.field) for d in problems] == [(28, None)]  # the line of `extra`
    assert "nested more than 20 deep" in problems[0].message


def test_arrays_and_tables_up_to_the_limit_still_parse():
    text = f"extra = {'[' * 19}1{']' * 19}\n" + GOOD
    settings, problems = parse_settings(text, "p.toml", ORGS)
    assert [(d.field, d.severity) for d in problems] == [("extra", Severity.WARNING)]
    assert settings is not None
