"""Listing statements: filters, newest first, broken records skipped and counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_ID
from pressroom.catalog import list_statements, statement_data, summary_data
from pressroom.errors import UsageError
from pressroom.site import load_site

RECORD = """\
---
id: {id}
type: {type}
title: "{title}"
date: {date}
place: Bangkok
language: en
countries: [{countries}]
topics: [{topics}]
issued_by: forum-asia
endorsers: [forum-asia]
state: {state}
---
A statement body citing a source.[^1]

[^1]: <https://www.forum-asia.org/>
"""

# (id, type, date, state, countries, topics)
EXTRA = [
    ("2023-05-01-thailand-lese-majeste", "statement", "2023-05-01", "published",
     "Thailand", "freedom of expression"),
    ("2023-05-01-myanmar-coup", "open-letter", "2023-05-01", "pending",
     "Myanmar, Thailand", "democracy"),
    ("2021-12-10-human-rights-day", "press-release", "2021-12-10", "private",
     "", "human rights defenders"),
    ("2022-06-30-sri-lanka-crisis", "joint-statement", "2022-06-30", "published",
     "Sri Lanka", "Freedom of Assembly"),
]


def write_record(folder: Path, rid, rtype, date, state, countries, topics) -> Path:
    path = folder / f"{rid}.md"
    path.write_text(RECORD.format(id=rid, type=rtype, title=f"Title of {rid}", date=date,
                                  state=state, countries=countries, topics=topics),
                    encoding="utf-8")
    return path


@pytest.fixture
def full_site(site_root):
    for row in EXTRA:
        write_record(site_root / "statements", *row)
    return load_site(site_root)


def ids(statements):
    return [s.id for s in statements]


def test_newest_first_then_by_id(full_site):
    found = list_statements(full_site)
    assert ids(found) == [
        "2023-05-01-thailand-lese-majeste",
        "2023-05-01-myanmar-coup",
        "2022-06-30-sri-lanka-crisis",
        SAMPLE_ID,
        "2021-12-10-human-rights-day",
    ]
    assert all(e.errors == 0 for e in found)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "published"}, ["2023-05-01-thailand-lese-majeste",
                                  "2022-06-30-sri-lanka-crisis", SAMPLE_ID]),
        ({"state": "pending"}, ["2023-05-01-myanmar-coup"]),
        ({"type": "joint-statement"}, ["2022-06-30-sri-lanka-crisis", SAMPLE_ID]),
        ({"type": "open-letter"}, ["2023-05-01-myanmar-coup"]),
        ({"country": "thailand"}, ["2023-05-01-thailand-lese-majeste",
                                   "2023-05-01-myanmar-coup"]),
        ({"country": "Kazakhstan"}, [SAMPLE_ID]),
        ({"year": 2022}, ["2022-06-30-sri-lanka-crisis", SAMPLE_ID]),
        ({"year": 2020}, []),
        ({"topic": "freedom of assembly"}, ["2022-06-30-sri-lanka-crisis", SAMPLE_ID]),
        ({"topic": "freedom of expression", "year": 2022}, [SAMPLE_ID]),
        ({"state": "published", "country": "thailand", "type": "statement"},
         ["2023-05-01-thailand-lese-majeste"]),
        ({"country": "Thai"}, []),  # a whole value, not a part of one
    ],
)
def test_filters(full_site, filters, expected):
    assert ids(list_statements(full_site, **filters)) == expected


@pytest.mark.parametrize(("filters", "words"), [
    ({"state": "draft"}, "Unknown state 'draft'; use one of: private, pending, published."),
    ({"type": "letter"}, "Unknown type 'letter'; use one of: statement, joint-statement"),
])
def test_unknown_filter_values(full_site, filters, words):
    with pytest.raises(UsageError) as err:
        list_statements(full_site, **filters)
    assert words in str(err.value)


def test_records_with_errors_are_listed_with_what_can_be_read_and_their_counts(full_site):
    broken = full_site.statements_dir / "2023-01-01-broken.md"
    broken.write_text("---\nid: 2023-01-01-broken\ntitle: [unclosed\n---\nBody\n",
                      encoding="utf-8")
    unknown_issuer = write_record(full_site.statements_dir, "2020-01-01-old", "statement",
                                  "2020-01-01", "published", "Nepal", "x")
    unknown_issuer.write_text(unknown_issuer.read_text(encoding="utf-8")
                              .replace("issued_by: forum-asia", "issued_by: nobody"))
    found = list_statements(full_site)
    assert len(found) == 7
    by_id = {e.id: e for e in found}
    old = by_id["2020-01-01-old"]
    assert (old.errors, old.state, old.date.isoformat()) == (1, "published", "2020-01-01")
    assert old.statement is not None and old.title  # its fields read; one of them is wrong
    assert by_id["2023-01-01-broken"].errors >= 1 and by_id["2023-01-01-broken"].date is None
    assert ids(found)[-1] == "2023-01-01-broken"  # no readable date: last
    # The worklist: only records that need work, worst first.
    worklist = list_statements(full_site, problems=True)
    with_errors = [e for e in worklist if e.errors]
    assert {e.id for e in with_errors} == {"2020-01-01-old", "2023-01-01-broken"}
    assert worklist[:2] == with_errors  # worst first
    # The others of the worklist say published but were never taken in (adopt them).
    assert all("adopt" in str(d) for e in worklist[2:] for d in e.diagnostics)
    # A broken record matches a filter only on what can be read of it.
    assert "2020-01-01-old" in ids(list_statements(full_site, country="nepal"))
    assert "2023-01-01-broken" not in ids(list_statements(full_site, state="pending"))


def test_statement_data(full_site):
    data = statement_data(full_site.load(SAMPLE_ID))
    assert data["date"] == "2022-02-10" and data["type"] == "joint-statement"
    assert data["body"].startswith("We, the undersigned organisations")
    assert len(data["endorsers"]) == 19 and data["endorsers"][0] == "forum-asia"
    assert data["contacts"][0] == {"label": "South Asia Programme, FORUM-ASIA", "email": None,
                                "group": "For further information, please contact:"}
    fn3 = data["footnotes"][2]
    assert (fn3["number"], fn3["label"]) == (3, "3") and len(fn3["urls"]) == 3
    assert fn3["text"].startswith("https://www.bbc.com/news/world-asia-60058972")
    (entry,) = [e for e in list_statements(full_site) if e.id == SAMPLE_ID]
    summary = summary_data(entry)
    assert summary == {"id": SAMPLE_ID, "date": "2022-02-10", "state": "published",
                       "type": "joint-statement", "title": data["title"],
                       "countries": ["Kazakhstan"], "topics": data["topics"],
                       "errors": 0, "warnings": 0, "path": str(entry.path)}
