"""The model as data and back (model.to_data, model.statement_from_data): what the archive
entries' cache keeps is the statement it was made from."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import REPO
from pressroom.model import statement_from_data, to_data
from pressroom.records import read_record
from strategies import record_id, records

RECORDS = sorted((REPO / "statements").glob("*.md"))


def _round_trip(statement):
    data = json.loads(json.dumps(to_data(statement), ensure_ascii=False))
    back = statement_from_data(data)
    assert back == replace(statement, path=None)
    assert to_data(back) == to_data(statement)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_the_repository_s_records_come_back_from_data_as_they_were(path):
    statement, _ = read_record(path)
    assert statement is not None
    _round_trip(statement)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=records())
def test_any_record_comes_back_from_data_as_it_was(tmp_path, text):
    path = tmp_path / f"{record_id(text)}.md"
    path.write_text(text, encoding="utf-8")
    statement, _ = read_record(path)
    if statement is not None:
        _round_trip(statement)


def test_a_deep_body_comes_back_without_recursion():
    from pressroom.model import Body, Paragraph, Quote, Text

    statement, _ = read_record(REPO / "statements" / "2022-02-10-kazakhstan-crackdown.md")
    block = Paragraph((Text("at the bottom"),))
    for _ in range(5000):  # far deeper than a record may nest (limits.MAX_BLOCK_DEPTH)
        block = Quote((block,))
    back = statement_from_data(to_data(replace(statement, body=Body((block,), ()))))
    depth, node = 0, back.body.blocks[0]
    while isinstance(node, Quote):
        depth, node = depth + 1, node.children[0]
    assert depth == 5000 and node == Paragraph((Text("at the bottom"),))


@pytest.mark.parametrize("broken", [{}, {"id": "x"}, {"kind": "paragraph"}])
def test_data_it_did_not_make_is_refused(broken):
    with pytest.raises((KeyError, TypeError, ValueError)):
        statement_from_data(broken)
