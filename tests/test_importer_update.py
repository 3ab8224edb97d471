"""`import --update`: a better importer re-reads what was imported, and never overwrites a
hand edit."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, SAMPLE_ID
from pressroom.cli import cli
from pressroom.importer import import_paths
from pressroom.importer import update as updating
from pressroom.importer.provenance import ImportLog
from pressroom.records import read_record
from pressroom.site import load_site

EXAMPLE = FIXTURES / "archive" / "forum-asia-kazakhstan-2022-02-10.txt"


@pytest.fixture
def imported(site_root, tmp_path):
    """The sample site without its hand-made record; the archive example imported into it."""
    (site_root / "statements" / f"{SAMPLE_ID}.md").unlink()
    source = tmp_path / "archive" / EXAMPLE.name
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    site = load_site(site_root)
    report = import_paths(site, [source])
    (record,) = report.imported
    return site, source, record


def better_importer(monkeypatch, **fields):
    """The importer as a later version reads the same source: these fields come out new."""
    real = updating.import_file

    def reads(*args, **kwargs):
        got = real(*args, **kwargs)
        return dataclasses.replace(got, fields={**got.fields, **fields})

    monkeypatch.setattr(updating, "import_file", reads)


def test_each_import_records_its_source_and_what_it_wrote(imported):
    site, source, record = imported
    last = ImportLog(site).latest(source.absolute())
    assert last is not None and last.record == f"statements/{record.name}"
    assert last.fields["date"] == "2022-02-10" and last.fields["state"] == "private"
    import hashlib

    assert last.source_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()


def test_update_keeps_a_hand_edit_and_changes_what_nobody_touched(imported, monkeypatch):
    site, source, record = imported
    text = record.read_text(encoding="utf-8")
    # A person gives the statement its title and fixes the place, by hand.
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    record.write_text(text.replace(title_line, 'title: "Kazakhstan: hand-written title"')
                      .replace("place: Bangkok", "place: Almaty"), encoding="utf-8")
    better_importer(monkeypatch, title="The importer's better title", place="Bangkok",
                    topics=["freedom of assembly"], language="en-GB")
    report = updating.update_paths(site, [source])
    assert report.updated == [record] and not report.refused
    statement, _ = read_record(record, load_site(site.root).organisations)
    assert statement.title == "Kazakhstan: hand-written title"  # the person's, kept
    assert statement.place == "Almaty"
    assert statement.topics == ("freedom of assembly",)  # untouched since import: updated
    assert statement.language == "en-GB"
    said = "\n".join(report.changes)
    assert "title: kept your edit" in said and "place: kept your edit" in said
    assert "topics: [] -> [\"freedom of assembly\"]" in said
    # The importer's comments in the record survive the rewrite.
    assert "# The old archive has no topics" in record.read_text(encoding="utf-8")
    # Nothing new the second time: unchanged, and the edited fields still count as edited.
    again = updating.update_paths(site, [source])
    assert again.updated == [] and again.unchanged == [record]
    assert "title: kept your edit" in "\n".join(again.changes)


def test_update_keeps_an_edited_body(imported, monkeypatch):
    site, source, record = imported
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("We, the undersigned", "We, the signatories"),
                      encoding="utf-8")
    real = updating.import_file

    def reads(*args, **kwargs):
        got = real(*args, **kwargs)
        return dataclasses.replace(got, body_markdown=got.body_markdown.replace(
            "deeply alarmed", "gravely alarmed"), fields={**got.fields, "topics": ["x"]})

    monkeypatch.setattr(updating, "import_file", reads)
    report = updating.update_paths(site, [source])
    body = record.read_text(encoding="utf-8")
    assert "We, the signatories" in body and "gravely alarmed" not in body
    assert "body: kept your edits" in "\n".join(report.changes)


def test_update_rereads_an_untouched_body(imported, monkeypatch):
    site, source, record = imported
    real = updating.import_file

    def reads(*args, **kwargs):
        got = real(*args, **kwargs)
        return dataclasses.replace(got, body_markdown=got.body_markdown.replace(
            "deeply alarmed", "gravely alarmed"))

    monkeypatch.setattr(updating, "import_file", reads)
    report = updating.update_paths(site, [source])
    assert "gravely alarmed" in record.read_text(encoding="utf-8")
    assert report.updated == [record]


def test_update_of_a_file_never_imported_says_so(site_root, tmp_path):
    other = tmp_path / "never.txt"
    other.write_text("Something\n10 May 2022\nText.\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["-C", str(site_root), "import", "--update", str(other)])
    assert done.exit_code == 0, done.output
    assert "no import of this file is recorded" in done.output
    assert "updated 0, unchanged 0, skipped 1, refused 0" in done.output


def test_update_of_a_record_renamed_since_says_where_it_went(imported):
    site, source, record = imported
    record.rename(record.with_name("renamed.md"))
    report = updating.update_paths(site, [source])
    assert report.skipped == [source] and "which is gone" in report.diagnostics[0].message


def test_force_and_update_together_is_a_usage_error(imported):
    site, source, _ = imported
    done = CliRunner().invoke(cli, ["-C", str(site.root), "import", "--update", "--force",
                                    str(source)])
    assert done.exit_code == 2 and "choose one" in done.output


def test_update_through_the_command_line_reports_each_change(imported, monkeypatch):
    site, source, record = imported
    better_importer(monkeypatch, topics=["internet shutdowns"])
    done = CliRunner().invoke(cli, ["-C", str(site.root), "import", "--update", str(source)])
    assert done.exit_code == 0, done.output
    assert f"statements/{record.name}: topics:" in done.output
    assert done.output.strip().splitlines()[-1] == "updated 1, unchanged 0, skipped 0, refused 0"


def test_an_import_stores_the_record_it_wrote_as_a_version(imported):
    from pressroom.versions import Versions

    site, _, record = imported
    (version,) = Versions(site.runs_dir).list(record.stem)
    assert (version.reason, version.number) == ("import", 1)
    assert Versions(site.runs_dir).data(version) == record.read_bytes()


def test_an_import_stopped_before_recording_is_recorded_by_the_next(site_root, tmp_path,
                                                                    monkeypatch):
    """Killed between writing its records and recording them, an import leaves records with
    no import row (and so nothing --update can work from); the next import of the same
    sources finds each record as it would write it and records it, once."""
    (site_root / "statements" / f"{SAMPLE_ID}.md").unlink()
    source = tmp_path / "archive" / EXAMPLE.name
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    site = load_site(site_root)

    def killed(self, written):
        raise SystemExit(-9)

    with monkeypatch.context() as patch:
        patch.setattr(ImportLog, "add", killed)
        with pytest.raises(SystemExit):
            import_paths(site, [source])
    (record,) = (site_root / "statements").glob("*kazakhstan*.md")
    assert ImportLog(site).latest(source.absolute()) is None
    report = import_paths(load_site(site_root), [source])
    assert report.skipped == [source] and not report.imported
    assert "recorded now" in "\n".join(str(d) for d in report.diagnostics)
    last = ImportLog(site).latest(source.absolute())
    assert last is not None and last.record == f"statements/{record.name}"
    from pressroom.versions import Versions

    (version,) = Versions(site.runs_dir).list(record.stem)
    assert Versions(site.runs_dir).data(version) == record.read_bytes()
    # Recorded once: a third import skips it as imported before.
    again = import_paths(load_site(site_root), [source])
    said = "\n".join(str(d) for d in again.diagnostics)
    assert "recorded now" not in said and "already imported as" in said
    assert len(Versions(site.runs_dir).list(record.stem)) == 1
    # And --update works from that row.
    assert updating.update_paths(load_site(site_root), [source]).unchanged == [record]


def test_a_record_edited_after_a_stopped_import_is_not_recorded_as_imported(
        site_root, tmp_path, monkeypatch):
    (site_root / "statements" / f"{SAMPLE_ID}.md").unlink()
    source = tmp_path / "archive" / EXAMPLE.name
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    site = load_site(site_root)
    with monkeypatch.context() as patch:
        patch.setattr(ImportLog, "add", lambda self, written: (_ for _ in ()).throw(
            SystemExit(-9)))
        with pytest.raises(SystemExit):
            import_paths(site, [source])
    (record,) = (site_root / "statements").glob("*kazakhstan*.md")
    record.write_text(record.read_text(encoding="utf-8").replace(
        "place: Bangkok", "place: Almaty"), encoding="utf-8")
    report = import_paths(load_site(site_root), [source])
    assert "recorded now" not in "\n".join(str(d) for d in report.diagnostics)
    assert ImportLog(site).latest(source.absolute()) is None


def test_an_import_removes_what_a_killed_write_left_and_says_so(site_root, tmp_path):
    """A write killed between its temporary file and the rename leaves the temporary file:
    the next import removes those older than a write could take, and keeps anything else."""
    import os
    import time

    statements = site_root / "statements"
    stale = statements / ".2021-03-04-gone.md.0a1b2c3d.tmp"
    fresh = statements / ".2021-03-05-being-written.md.4e5f6a7b.tmp"
    hidden = statements / ".notes-of-a-person"
    for path in (stale, fresh, hidden):
        path.write_text("half a record\n", encoding="utf-8")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(hidden, (hour_ago, hour_ago))
    source = tmp_path / "archive" / EXAMPLE.name
    source.parent.mkdir()
    shutil.copy(EXAMPLE, source)
    report = import_paths(load_site(site_root), [source], force=True)
    assert not stale.exists()
    assert fresh.exists() and hidden.read_text(encoding="utf-8") == "half a record\n"
    said = [d for d in report.diagnostics if "killed write" in d.message]
    assert len(said) == 1 and stale.name in said[0].message and fresh.name not in said[0].message
