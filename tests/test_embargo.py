"""Embargo: published early, nothing enters output/ until its time; `release` puts it there
(with a clock the test controls); journalists' copies say until when. The tombstone and an
embargoed copy load in headless Chromium with no axe violation."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_ID, copy_site
from pressroom import store
from pressroom.cli import cli
from test_render_html import check_in_chromium
from test_workflow import CHEN, DIR, run, with_logins

ZONE = dt.timezone(dt.timedelta(hours=7))
EMBARGO = dt.datetime(2030, 3, 1, 9, 0, tzinfo=ZONE)


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The program's one clock, set by the test (a day before the embargo)."""
    c = Clock(EMBARGO - dt.timedelta(days=1))
    monkeypatch.setattr(store, "utc_now", c)
    return c


@pytest.fixture
def embargoed_site(tmp_path, clock):
    root = with_logins(copy_site(tmp_path / "site", adopt=False))
    record = root / "statements" / f"{SAMPLE_ID}.md"
    text = record.read_text(encoding="utf-8").replace("state: published", "state: pending")
    record.write_text(text.replace("state: pending", "state: pending\nembargo: "
                                   f"{EMBARGO.isoformat()}"), encoding="utf-8")
    return root


def public(root) -> bool:
    path = root / "output" / SAMPLE_ID / "manifest.json"
    return path.is_file() and json.loads(path.read_text())["public"] is True


def test_an_embargoed_statement_enters_output_only_once_released_past_its_time(
        embargoed_site, clock):
    root = embargoed_site
    out = run(root, CHEN, "workflow", SAMPLE_ID, "publish")
    assert "under embargo" in out and not public(root)
    assert "under embargo until" in run(root, CHEN, "publish", SAMPLE_ID, "--direct")
    assert not public(root)
    assert run(root, DIR, "release").strip() == "Nothing to release."  # before its time
    clock.now = EMBARGO + dt.timedelta(minutes=1)
    out = run(root, DIR, "release")
    assert "released into output/" in out and public(root)
    assert run(root, DIR, "release").strip() == "Nothing to release."  # once only
    history = json.loads(run(root, DIR, "history", SAMPLE_ID, "--json"))
    assert [e["action"] for e in history if e["kind"] == "transition"][-1] == "release"
    done = CliRunner().invoke(cli, ["-C", str(root), "release"], env={"JUPYTERHUB_USER": CHEN})
    assert done.exit_code == 1 and "needs the role Manager" in done.output


def test_a_past_embargo_on_an_unpublished_statement_is_a_warning(embargoed_site, clock):
    clock.now = EMBARGO + dt.timedelta(days=3)
    out = run(embargoed_site, CHEN, "check")
    assert "0 errors, 1 warning" in out
    assert "embargo" in out and "has passed, but it is not published" in out


@pytest.mark.slow
@pytest.mark.xdist_group("chromium")
def test_the_embargoed_copy_and_the_tombstone_in_chromium(chromium, embargoed_site,
                                                          clock, tmp_path):
    root = embargoed_site
    run(root, CHEN, "workflow", SAMPLE_ID, "publish")
    run(root, CHEN, "publish", SAMPLE_ID, "--direct", "--embargoed")
    copy = root / "drafts" / SAMPLE_ID / "embargoed" / f"{SAMPLE_ID}.html"
    banner = "EMBARGOED UNTIL 1 March 2030, 09:00 UTC+07:00"

    def says_until(loaded):
        assert banner in loaded.evaluate("document.querySelector('.draft-banner').textContent")

    check_in_chromium(chromium, copy.read_bytes(), tmp_path / "embargoed.html", "en", "ltr",
                      then=says_until)
    clock.now = EMBARGO + dt.timedelta(hours=1)
    run(root, DIR, "release")
    run(root, CHEN, "workflow", SAMPLE_ID, "retract", "--comment", "withdrawn on legal advice")
    tomb = root / "output" / SAMPLE_ID / f"{SAMPLE_ID}.html"

    def says_withdrawn(loaded):
        text = loaded.evaluate("document.body.innerText")
        assert "withdrawn on" in text and "legal advice" in text

    check_in_chromium(chromium, tomb.read_bytes(), tmp_path / "tomb.html", "en", "ltr",
                      then=says_withdrawn)
