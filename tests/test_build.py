"""`pressroom build`: the public archive, incremental per statement and per format."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, SAMPLE_ID, copy_site
from pressroom import folders
from pressroom.build import build
from pressroom.cli import cli
from pressroom.people import acting
from pressroom.site import load_site
from pressroom.workflow import Workflow

SAMPLE = (REPO / "statements" / f"{SAMPLE_ID}.md").read_text(encoding="utf-8")


def variant(n: int, endorsers: str = "[forum-asia]") -> tuple[str, str]:
    """A statement of its own id, date and endorsers, from the seed's text."""
    sid = f"2023-01-{n + 1:02d}-statement-{n}"
    text = SAMPLE.replace(f"id: {SAMPLE_ID}", f"id: {sid}", 1)
    text = text.replace("date: 2022-02-10", f"date: 2023-01-{n + 1:02d}", 1)
    text = re.sub(r"endorsers: \[.*?\]\n", f"endorsers: {endorsers}\n", text, count=1,
                  flags=re.S)
    text = text.replace("Kazakhstan: End the crackdown", f"Statement {n}: End the crackdown", 1)
    return sid, text


def make_archive(root: Path, n: int, *, with_arf: set[int] = frozenset()) -> list[str]:
    copy_site(root)
    return add_statements(root, n, with_arf=with_arf)


def add_statements(root: Path, n: int, *, with_arf: set[int] = frozenset()) -> list[str]:
    """n published statements of their own (ARF among the endorsers of `with_arf`) beside
    the seed of the site at `root`; all their ids, the seed's first."""
    site = load_site(root)
    ids = []
    for i in range(n):
        sid, text = variant(i, "[forum-asia, arf]" if i in with_arf else "[forum-asia]")
        site.record_path(sid).write_text(text, encoding="utf-8")
        ids.append(sid)
    site = load_site(root)
    flow, who = Workflow(site), acting(site.settings)
    for sid in ids:
        flow.perform(who, sid, "adopt", rules=False)
    return [SAMPLE_ID, *ids]


def files(root: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted((root / "output").rglob("*")):
        if path.is_file() and path.parent != root / "output":
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def written_by(root: Path, build_report) -> dict[str, set[str]]:
    """Statement -> the formats the build rendered, from the ledger."""
    with sqlite3.connect(root / "runs" / "ledger.sqlite") as db:
        rows = db.execute(
            "SELECT r.statement_id, o.format FROM runs AS r JOIN outputs AS o ON o.run_id = r.id"
            " WHERE r.mode = 'build' AND json_extract(r.parameters, '$.build') = ?",
            (build_report.build_id,)).fetchall()
    out: dict[str, set[str]] = {}
    for sid, fmt in rows:
        out.setdefault(sid, set()).add(fmt)
    return out


def without_runs(data: dict[str, bytes]) -> dict[str, bytes]:
    out = {}
    for name, value in data.items():
        if name.endswith("manifest.json"):
            manifest = json.loads(value)
            manifest.pop("run", None)
            for entry in manifest.get("outputs", {}).values():
                entry.pop("run", None)
            value = json.dumps(manifest, sort_keys=True).encode()
        out[name] = value
    return out


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "site"
    ids = make_archive(root, 5, with_arf={1, 3})
    return root, ids


def test_a_build_renders_the_public_set_as_publish_does_then_skips_it(archive, tmp_path):
    root, ids = archive
    first = build(load_site(root), jobs=2)
    assert (first.total, first.rendered, first.skipped, first.failures) == (6, 6, 0, [])
    assert written_by(root, first) == {sid: {"html", "pdf", "docx"} for sid in ids}
    built = files(root)
    # The same bytes as a publication of each statement on its own.
    other = tmp_path / "by-publish"
    make_archive(other, 5, with_arf={1, 3})
    from pressroom.runner import run_publication

    site = load_site(other)
    for sid in ids:
        run_publication(site, sid, direct=True)
    # Statements' folders only: a publication alone does not write the archive's pages.
    statement_files = {k: v for k, v in files(other).items()
                       if k.count("/") == 2 and k.split("/")[1] in ids}
    assert without_runs({k: v for k, v in built.items()
                         if k.count("/") == 2 and k.split("/")[1] in ids}) == \
        without_runs(statement_files)
    again = build(load_site(root), jobs=2)
    assert (again.rendered, again.skipped) == (0, 6)
    assert files(root) == built  # a no-op rebuild touches nothing


def test_each_published_version_is_parsed_once_and_kept_for_the_next_build(archive,
                                                                         monkeypatch):
    """The worker that renders a version parses it, the archive pages take that statement
    from the build (this process, the coordinator, parses none), and a rebuild (a template
    changed) parses none: with the same bytes as a build that parses every one."""
    import pressroom.gate as gate

    root, ids = archive
    parsed = []
    real = gate._from_bytes
    monkeypatch.setattr(gate, "_from_bytes",
                        lambda site, path, data, *original: parsed.append(path.stem) or
                        real(site, path, data, *original))
    first = build(load_site(root), jobs=2)
    assert (first.rendered, first.pages > 0, parsed) == (len(ids), True, [])
    typ = root / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    kept = build(load_site(root), jobs=1, force=True)
    assert (kept.rendered, parsed) == (len(ids), [])
    with_kept = files(root)
    (root / "runs" / "archive-entries.json").unlink()  # nothing kept: every one parsed
    load_site(root).parsed.clear()  # nor the last few parsed in this process
    again = build(load_site(root), jobs=1, force=True)
    assert again.rendered == len(ids) and sorted(parsed) == sorted(ids)
    assert without_runs(files(root)) == without_runs(with_kept)


def archive_files(root: Path) -> dict[str, bytes]:
    """The archive's own files as its manifest lists them."""
    from pressroom.archive.build import read_archive_manifest

    site = load_site(root)
    return {p: (site.output_dir / p).read_bytes() for p in read_archive_manifest(site)}


def fresh_pages(root: Path) -> dict[str, bytes]:
    """The archive's files as the site is now, every version parsed again."""
    from pressroom.archive.build import archive_pages, statement_folders
    from pressroom.archive.entries import public_entries

    site = load_site(root)
    entries, _ = public_entries(site, kept=False)
    return archive_pages(site, entries, taken=statement_folders(site))


def counting_pages(monkeypatch) -> tuple[list[str], threading.Event]:
    """The names of the threads that make the archive's pages, and an event set once the
    pages made ahead of the build's end are made."""
    import pressroom.archive.build as pages

    makers, ahead = [], threading.Event()
    real_pages, real_prepare = pages.archive_pages, pages.prepare_pages
    monkeypatch.setattr(pages, "archive_pages", lambda *a, **k: makers.append(
        threading.current_thread().name) or real_pages(*a, **k))

    def prepare(*args, **kwargs):
        try:
            return real_prepare(*args, **kwargs)
        finally:
            ahead.set()
    monkeypatch.setattr(pages, "prepare_pages", prepare)
    return makers, ahead


def test_the_archive_pages_are_made_while_the_statements_render(archive, monkeypatch):
    """The archive's pages are made in a thread while the statements render (not after the
    last, where their time adds to the build's), and written at the end: the same bytes."""
    root, ids = archive
    build(load_site(root), jobs=1)  # the statements it parsed are kept
    makers, _ahead = counting_pages(monkeypatch)
    typ = root / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    report = build(load_site(root), jobs=2)
    assert (report.rendered, report.failures) == (len(ids), [])
    assert makers == ["pressroom-pages-ahead"]
    assert archive_files(root) == fresh_pages(root)


def test_pages_made_ahead_are_made_again_when_what_they_are_made_of_changed(archive,
                                                                           monkeypatch):
    """An archive template changed while the build ran: the pages made ahead are of the old
    one, so the end makes them again, of the new."""
    root, ids = archive
    build(load_site(root), jobs=1)
    makers, ahead = counting_pages(monkeypatch)
    typ = root / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    layout = root / "templates" / "archive" / "_layout.html.j2"

    def progress(done, total, sid):
        if done == 1:
            assert ahead.wait(60)
            layout.write_text(layout.read_text() + "<!-- changed while it ran -->\n")
    report = build(load_site(root), jobs=1, progress=progress)
    assert (report.rendered, report.failures) == (len(ids), [])
    assert makers == ["pressroom-pages-ahead", "MainThread"]
    assert b"changed while it ran" in (root / "output" / "index.html").read_bytes()
    assert archive_files(root) == fresh_pages(root)


def test_pages_are_not_made_ahead_from_statements_the_workers_are_parsing(archive,
                                                                          monkeypatch):
    """With a statement to render that is not kept (a first build, a record just changed),
    making the pages ahead would parse in the coordinator what the workers parse: they are
    made at the end, from the workers'. Asked to anyway, they refuse to parse."""
    from pressroom.archive.build import prepare_pages
    from pressroom.keptstatements import NotKept

    root, ids = archive
    with pytest.raises(NotKept):
        prepare_pages(load_site(root), set(ids))
    makers, ahead = counting_pages(monkeypatch)
    report = build(load_site(root), jobs=2)
    assert (report.rendered, report.failures, ahead.is_set()) == (len(ids), [], False)
    assert makers == ["MainThread"]
    assert archive_files(root) == fresh_pages(root)


def test_a_build_lists_output_for_strays_once_not_for_each_statement(archive, monkeypatch):
    """Looking for a statement's strays lists output/ (5 ms at 10,000 statements): a build
    does it once at its start, for all of them (`_recover_strays`), and not again as it
    writes each."""
    root, ids = archive
    calls = []
    real = folders.recover
    monkeypatch.setattr(folders, "recover", lambda parent, name: calls.append(name) or
                        real(parent, name))
    report = build(load_site(root), jobs=1, force=True)
    assert (report.rendered, calls) == (len(ids), [])
    # ... while a publication, on its own, still cleans its statement's strays first.
    from pressroom.runner import run_publication

    run_publication(load_site(root), ids[1], direct=True)
    assert calls == [ids[1]]


def test_one_template_of_one_format_redoes_that_format_only(archive):
    root, ids = archive
    build(load_site(root), jobs=1)
    typ = root / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    before = files(root)
    report = build(load_site(root), jobs=2)
    assert written_by(root, report) == {sid: {"pdf"} for sid in ids}
    after = files(root)
    changed = {k for k in after if after[k] != before.get(k)}
    assert {k.rsplit(".", 1)[-1] for k in changed} <= {"pdf", "json"}
    assert all(before[k] == after[k] for k in after if k.endswith((".html", ".docx")))


def test_the_design_redoes_the_formats_that_read_what_changed(archive):
    """design.toml is an input of the outputs that read it: [pdf] of the PDFs, [web] of the
    pages, the shared tables of both; the Word file takes its look from reference.docx."""
    root, ids = archive
    build(load_site(root), jobs=1)
    path = root / "templates" / "design.toml"
    text = path.read_text(encoding="utf-8")

    def change(old: str, new: str) -> dict[str, set[str]]:
        nonlocal text
        assert old in text
        text = text.replace(old, new, 1)
        path.unlink()  # templates/ may be a copy of a symlink: never write through it
        path.write_text(text, encoding="utf-8")
        return written_by(root, build(load_site(root), jobs=2))

    assert change("margin_x = 24    # millimetres", "margin_x = 25") == {
        sid: {"pdf"} for sid in ids}
    assert change("width = 42       # rem", "width = 44") == {sid: {"html"} for sid in ids}
    assert change('accent = "#1a4f8b"', 'accent = "#1a4f8c"') == {
        sid: {"pdf", "html"} for sid in ids}
    assert change("[colours]", "# the colours, in the text's order\n[colours]") == {}
    assert change("[organisation]\n", '[organisation]\nname = "The Network"\n') == {
        sid: {"pdf", "html", "docx"} for sid in ids}


def test_one_organisation_redoes_the_statements_that_show_it_only(archive):
    root, ids = archive
    build(load_site(root), jobs=2)
    orgs = root / "statements" / "organisations.yaml"
    orgs.write_text(orgs.read_text().replace("Asian Resource Foundation (ARF)",
                                             "Asian Resource Foundation"))
    report = build(load_site(root), jobs=2)
    # The seed lists every organisation; of the others, statements 1 and 3 show ARF.
    assert set(written_by(root, report)) == {SAMPLE_ID, ids[2], ids[4]}
    assert report.skipped == 3


def test_one_record_republished_redoes_that_statement_only(archive):
    root, ids = archive
    build(load_site(root), jobs=2)
    site = load_site(root)
    path = site.record_path(ids[2])
    path.write_text(path.read_text().replace("We, the undersigned", "We, the signatories"))
    Workflow(site).perform(acting(site.settings), ids[2], "republish", rules=False)
    # The working file of another changes without a publication: not served, not rebuilt.
    other = site.record_path(ids[3])
    other.write_text(other.read_text().replace("We, the undersigned", "We, the editors"))
    report = build(load_site(root), jobs=2)
    assert written_by(root, report) == {ids[2]: {"html", "pdf", "docx"}}
    assert b"We, the signatories" in (root / "output" / ids[2] / f"{ids[2]}.html").read_bytes()
    assert b"We, the editors" not in (root / "output" / ids[3] / f"{ids[3]}.html").read_bytes()


def test_a_no_op_build_opens_no_statement_s_folder(archive, monkeypatch):
    from pressroom import build as build_module

    root, ids = archive
    build(load_site(root), jobs=1)
    assert (root / "runs" / "build-unchanged.json").is_file()
    asked = []
    real = build_module._current_keys
    monkeypatch.setattr(build_module, "_current_keys", lambda *a: asked.append(a[1]) or real(*a))
    report = build(load_site(root), jobs=1)
    assert (report.rendered, report.skipped, asked) == (0, 6, [])
    # A snapshot that is damaged, or of other shared inputs, is the exact check again.
    snapshot = root / "runs" / "build-unchanged.json"
    for damage in (b"{half", b'{"key": "another", "statements": {}}'):
        snapshot.write_bytes(damage)
        asked.clear()
        report = build(load_site(root), jobs=1)
        assert (report.rendered, report.skipped, sorted(asked)) == (0, 6, sorted(ids))


def test_a_hand_edited_output_is_rendered_again(archive):
    root, ids = archive
    build(load_site(root), jobs=1)
    page = root / "output" / ids[2] / f"{ids[2]}.html"
    built = page.read_bytes()
    with open(page, "r+b") as f:  # an edit in place: the same file, its bytes changed
        f.write(b"<!-- a hand edit -->")
    report = build(load_site(root), jobs=1)
    assert written_by(root, report) == {ids[2]: {"html"}}
    assert page.read_bytes() == built
    # A file rewritten with the same bytes (a new inode) is hashed, found right, and left.
    data = (root / "output" / ids[3] / f"{ids[3]}.pdf").read_bytes()
    (root / "output" / ids[3] / f"{ids[3]}.pdf").unlink()
    (root / "output" / ids[3] / f"{ids[3]}.pdf").write_bytes(data)
    report = build(load_site(root), jobs=1)
    assert (report.rendered, report.skipped) == (0, 6)


def test_a_new_published_version_is_checked_again_though_its_files_are_untouched(archive):
    root, ids = archive
    build(load_site(root), jobs=1)
    site = load_site(root)
    path = site.record_path(ids[4])
    path.write_text(path.read_text().replace("We, the undersigned", "We, the authors"))
    Workflow(site).perform(acting(site.settings), ids[4], "republish", rules=False)
    report = build(load_site(root), jobs=1)
    assert written_by(root, report) == {ids[4]: {"html", "pdf", "docx"}}
    # Retracted: left out at once, whatever the snapshot says.
    Workflow(load_site(root)).perform(acting(site.settings), ids[4], "retract",
                                      comment="a test", rules=False)
    report = build(load_site(root), jobs=1)
    assert report.total == 5 and ids[4] not in written_by(root, report)


def test_a_failing_statement_is_reported_and_the_rest_finish(archive):
    root, ids = archive
    orgs = root / "statements" / "organisations.yaml"
    text = orgs.read_text()
    # ARF leaves the directory: the two statements that cite it no longer load.
    orgs.write_text(re.sub(r"arf:\n  name: [^\n]*\n", "", text))
    report = build(load_site(root), jobs=2)
    # The seed and statements 1 and 3 cite it.
    assert sorted(f.statement_id for f in report.failures) == sorted([SAMPLE_ID, ids[2], ids[4]])
    assert all("arf" in f.error for f in report.failures)
    built = {p.name for p in (root / "output").iterdir() if (p / "manifest.json").is_file()}
    assert built == set(ids) - {f.statement_id for f in report.failures}
    done = CliRunner().invoke(cli, ["-C", str(root), "build", "--jobs", "1"])
    assert done.exit_code == 1, done.output
    assert "Failures:" in done.output and "arf" in done.output
    assert "Traceback" not in done.output


def test_a_second_build_waits_or_is_refused(archive):
    root, _ = archive
    from pressroom.locks import build_lock

    with build_lock(root / "runs", holder={"build": "B1", "actor": "someone"}):
        done = CliRunner().invoke(cli, ["-C", str(root), "build", "--jobs", "1"])
    assert done.exit_code == 1
    assert "Another build of this site is running (build B1, by someone" in done.output
    assert not (root / "output").exists() or not any((root / "output").iterdir())


@pytest.mark.slow
def test_a_killed_build_leaves_no_half_file_and_the_next_redoes_only_what_is_missing(tmp_path):
    root = tmp_path / "site"
    ids = make_archive(root, 23)
    code = ("import sys\nfrom pressroom.build import build\nfrom pressroom.site import "
            "load_site\nbuild(load_site(sys.argv[1]), jobs=1)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(root)],
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill it once a few statements are out
        done = [p for p in (root / "output").glob("*/manifest.json")
                if not p.parent.name.startswith(".")] if (root / "output").is_dir() else []
        if len(done) >= 3:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    out = root / "output"
    # (pathlib's glob matches hidden names too: a statement's unswapped ".<id>.new.<random>"
    # folder, whole or not, is no statement written.)
    written = {p.parent.name for p in out.glob("*/manifest.json")
               if not p.parent.name.startswith(".")}
    assert 3 <= len(written) < len(ids)
    for folder in out.iterdir():  # every folder is a whole set: its manifest describes it
        if folder.is_dir() and not folder.name.startswith("."):
            manifest = json.loads((folder / "manifest.json").read_text())
            names = {p.name for p in folder.iterdir()} - {"manifest.json"}
            assert names == set(manifest["outputs"])
    # A kill while a statement's new folder is being written leaves that hidden folder
    # (".<id>.new.<random>", never served); nothing else is left half, and the next build
    # removes it (checked below).
    left = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert all(p.parent == out and re.fullmatch(r"\.[\w-]+\.(?:new|old)\.\w+", p.name)
               for p in left), left
    site = load_site(root)
    from pressroom.runner import ledger_for

    runs = ledger_for(site).runs()  # opening the ledger closes what the kill left running
    assert not [r for r in runs if r.status == "running"]
    interrupted = [r for r in runs if r.status == "interrupted"]
    assert interrupted and all(r.mode == "build" for r in interrupted)
    resumed = build(load_site(root), jobs=2)
    assert resumed.skipped == len(written) and resumed.rendered == len(ids) - len(written)
    assert resumed.failures == []
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def test_a_statement_retracted_while_the_build_runs_is_not_written(archive, monkeypatch):
    root, ids = archive
    import pressroom.build as building

    real = building.render_job
    site = load_site(root)

    def render_then_retract(site_bytes, job, *args, **kwargs):
        out = real(site_bytes, job, *args, **kwargs)
        if job.statement_id == ids[1]:
            Workflow(site).perform(acting(site.settings), ids[1], "retract",
                                   comment="withdrawn while building", rules=False)
        return out

    monkeypatch.setattr(building, "render_job", render_then_retract)
    report = build(load_site(root), jobs=1)
    assert not (root / "output" / ids[1]).exists()
    assert any(ids[1] in note and "changed while the build ran" in note
               for note in report.notes)
    assert report.rendered == 5


@pytest.mark.slow
@pytest.mark.xdist_group("kernels")
def test_via_notebook_gives_the_bytes_of_direct_and_keeps_the_executed_notebooks(tmp_path):
    direct_root, notebook_root = tmp_path / "direct", tmp_path / "notebook"
    ids = make_archive(direct_root, 2)
    make_archive(notebook_root, 2)
    build(load_site(direct_root), jobs=1)
    report = build(load_site(notebook_root), jobs=2, via="notebook")
    assert report.failures == [] and report.rendered == len(ids)
    assert without_runs(files(notebook_root)) == without_runs(files(direct_root))
    from pressroom.runner import ledger_for

    runs = [r for r in ledger_for(load_site(notebook_root)).runs()
            if r.parameters.get("build") == report.build_id]
    assert len(runs) == len(ids) and all(r.parameters["via"] == "notebook" for r in runs)
    for run in runs:  # each statement's executed notebook is its evidence
        executed = json.loads((notebook_root / run.notebook_path).read_text())
        shown = json.dumps(executed["cells"])
        assert "handed back to the build" in shown and run.statement_id in shown
        # Its links to the files lead there from where it is kept, runs/<run id>/.
        sid = run.statement_id
        assert f'href=\\"../../output/{sid}/{sid}.pdf\\"' in shown
        assert (notebook_root / run.notebook_path).parent.parent == notebook_root / "runs"
    # Nothing of the site was written by a kernel: only the coordinator's files.
    assert not (notebook_root / "drafts").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("kernels")
def test_the_rebuild_notebook_runs_a_build_and_shows_its_tables_and_chart(tmp_path):
    import papermill

    root = tmp_path / "site"
    ids = make_archive(root, 3)
    orgs = root / "statements" / "organisations.yaml"
    orgs.write_text(re.sub(r"arf:\n  name: [^\n]*\n", "", orgs.read_text()))  # the seed fails
    notebook = REPO / "src" / "pressroom" / "notebooks" / "rebuild_archive.ipynb"
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(notebook), str(out), parameters={"site": str(root),
                               "jobs": 1}, cwd=str(root), progress_bar=False,
                               kernel_name="pressroom")
    cells = json.loads(out.read_text())["cells"]

    def shown(call: str) -> str:  # the outputs of the cell that calls `call`
        (cell,) = [c for c in cells if call in "".join(c["source"])]
        return json.dumps(cell["outputs"])

    summary = shown("rebuild.summary(report)")
    # Cells carry their own alignment (style="..."), as every table of the notebooks does.
    assert re.search(r"<td[^>]*>rendered</td><td[^>]*>3</td>", summary)
    assert re.search(r"<td[^>]*>failed</td><td[^>]*>1</td>", summary)
    assert SAMPLE_ID in shown("rebuild.failures(report)") and "arf" in shown(
        "rebuild.failures(report)")
    chart = shown("rebuild.chart(")
    assert "Statements by year" in chart and ">2023<" in chart and "<svg" in chart
    assert all((root / "output" / sid / "manifest.json").is_file() for sid in ids[1:])


def test_a_stray_of_a_killed_run_is_cleaned_even_when_its_statement_is_unchanged(archive):
    root, ids = archive
    build(load_site(root), jobs=1)
    stray = root / "output" / f".{ids[1]}.new.0badc0de"
    stray.mkdir()
    (stray / f"{ids[1]}.html").write_text("half a page")
    aside = root / "output" / folders.temp_folder_name(ids[2], folders.OLD)  # the other kind
    aside.mkdir()
    (aside / f"{ids[2]}.html").write_text("an old set a killed swap left aside")
    index = (root / "output" / "index.html").stat().st_mtime_ns
    report = build(load_site(root), jobs=1)
    assert report.rendered == 0 and not stray.exists() and not aside.exists()
    assert any(ids[1] in note and "cleaned up" in note for note in report.notes)
    assert any(ids[2] in note and "cleaned up" in note for note in report.notes)
    # Nothing the archive's pages are made of changed: they were not made again.
    assert report.pages == 0 and (root / "output" / "index.html").stat().st_mtime_ns == index


def test_a_change_to_the_thai_catalog_redoes_the_thai_statements_only(tmp_path):
    root = tmp_path / "site"
    copy_site(root)
    site = load_site(root)
    thai = []
    for i in range(4):
        sid, text = variant(i)
        if i % 2:  # every other one in Thai
            text = text.replace("language: en\n", "language: th\n", 1)
            thai.append(sid)
        site.record_path(sid).write_text(text, encoding="utf-8")
    flow, who = Workflow(site), acting(site.settings)
    for sid in site.record_ids():
        if sid != SAMPLE_ID:
            flow.perform(who, sid, "adopt", rules=False)
    build(load_site(root), jobs=2)
    page = root / "output" / thai[0] / f"{thai[0]}.html"
    assert "แถลงการณ์ร่วมนี้ได้รับการรับรองโดย:" in page.read_text(encoding="utf-8")

    po = root / "templates" / "locale" / "th" / "LC_MESSAGES" / "pressroom.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgstr "แถลงการณ์ร่วมนี้ได้รับการรับรองโดย:"', 'msgstr "ผู้รับรองแถลงการณ์ร่วมนี้:"'),
        encoding="utf-8")
    report = build(load_site(root), jobs=2)
    assert written_by(root, report) == {sid: {"html", "pdf", "docx"} for sid in thai}
    assert "ผู้รับรองแถลงการณ์ร่วมนี้:" in page.read_text(encoding="utf-8")
    # and a build after it has nothing to do
    assert written_by(root, build(load_site(root), jobs=2)) == {}


_PRELOADED = """
import os, sys
from pathlib import Path
import pressroom.render.preload  # what a build's fork server imports
import pressroom.render.preloadcheck
from pressroom.render import glyphs, pdf
from pressroom.site import load_site
assert len(os.listdir("/proc/self/task")) == 1, "the preload started a thread"
assert pdf._fonts, "the fonts were not scanned ahead"
assert glyphs.faces.cache_info().currsize, "the fonts' coverage was not read ahead"
site = load_site(sys.argv[1])
document = site.document(site.load(sys.argv[2]))
pid = os.fork()
if pid == 0:  # a worker forked from it renders with the scan it inherited
    Path(sys.argv[3]).write_bytes(pdf.render_pdf(document, site.templates_dir))
    os._exit(0)
_, status = os.waitpid(pid, 0)
assert status == 0, status
"""


def test_a_build_s_fork_server_scans_the_fonts_ahead_and_starts_no_thread(archive, tmp_path):
    """Workers forked from the preloaded server render the same PDF as a process that scans
    its fonts itself (a thread in the server would be lost in each fork)."""
    root, _ = archive
    forked = tmp_path / "forked.pdf"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-c", _PRELOADED, str(root), SAMPLE_ID, str(forked)],
                   check=True, env=env, timeout=120)
    from pressroom.render.pdf import render_pdf

    site = load_site(root)
    assert forked.read_bytes()[:5] == b"%PDF-"
    assert forked.read_bytes() == render_pdf(site.document(site.load(SAMPLE_ID)),
                                             site.templates_dir)
