"""publish(): render in memory, then write every output and the manifest atomically."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE_ID
from pressroom.errors import PressroomError, RecordError, RenderError, UsageError
from pressroom.publish import Writer, publish
from pressroom.site import load_site


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_writes_three_formats_and_a_manifest_of_their_hashes(site):
    published = publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{SAMPLE_ID}.html", f"{SAMPLE_ID}.pdf", f"{SAMPLE_ID}.docx", "manifest.json"])
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["statement"] == SAMPLE_ID
    assert manifest["record"]["sha256"] == sha(site.record_path(SAMPLE_ID))
    for name, entry in manifest["outputs"].items():
        assert entry["sha256"] == sha(folder / name)
        assert entry["bytes"] == (folder / name).stat().st_size
    templates = manifest["templates"]["files"]
    assert templates and all(sha(site.templates_dir / rel) == h for rel, h in templates.items())
    assert manifest["settings"]["files"]["pressroom.toml"] == sha(site.root / "pressroom.toml")
    assert {f.format for f in published.files} == {"html", "pdf", "docx"}
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_only_the_formats_asked_for(site):
    publish(site, SAMPLE_ID, "pdf")
    folder = site.output_dir / SAMPLE_ID
    assert sorted(p.name for p in folder.iterdir()) == [f"{SAMPLE_ID}.pdf", "manifest.json"]


def test_unknown_format_is_a_usage_error_naming_the_known_ones(site):
    with pytest.raises(UsageError, match=r'Unknown format "pfd"\. Did you mean "pdf"\?'):
        publish(site, SAMPLE_ID, "html,pfd")


def test_publishing_twice_gives_the_same_bytes(site):
    first = {f.path.name: f.path.read_bytes() for f in publish(site, SAMPLE_ID).files}
    second = {f.path.name: f.path.read_bytes() for f in publish(site, SAMPLE_ID).files}
    assert first == second


@pytest.mark.slow
def test_a_second_process_gives_the_same_bytes(site, tmp_path):
    ours = {f.path.name: f.sha256 for f in publish(site, SAMPLE_ID).files}
    code = (
        "import json, sys\nfrom pressroom.site import load_site\n"
        "from pressroom.publish import publish\n"
        f"p = publish(load_site({str(site.root)!r}), {SAMPLE_ID!r})\n"
        "print(json.dumps({f.path.name: f.sha256 for f in p.files}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PATH": "/usr/bin:/bin", "TZ": "Asia/Bangkok"})
    assert json.loads(out.stdout) == ours


def test_a_record_with_errors_is_refused_before_anything_is_rendered(site):
    path = site.record_path(SAMPLE_ID)
    path.write_text(path.read_text().replace("issued_by: forum-asia", "issued_by: nobody"))
    with pytest.raises(RecordError) as err:
        publish(site, SAMPLE_ID)
    assert "issued_by" in str(err.value)
    assert not (site.output_dir / SAMPLE_ID).exists()


def test_a_failed_render_leaves_the_previous_outputs_as_they_were(site_root):
    site = load_site(site_root)
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    # Break the page design: the PDF fails, after the web page has rendered in memory.
    typ = next((site_root / "templates" / "typst").glob("*.typ"))
    typ.write_text(typ.read_text() + "\n#let broken = (\n")
    record = site.record_path(SAMPLE_ID)
    record.write_text(record.read_text().replace("We, the undersigned", "We, the signatories"))
    with pytest.raises(RenderError):
        publish(load_site(site_root), SAMPLE_ID)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_the_writer_refuses_to_write_one_path_twice(tmp_path):
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        writer = Writer(fd, tmp_path)
        writer.write("a.html", b"one")
        with pytest.raises(PressroomError, match="written twice"):
            writer.write("a.html", b"two")
    finally:
        os.close(fd)
    assert (tmp_path / "a.html").read_bytes() == b"one"


def test_drafts_say_so_in_the_manifest(site):
    path = site.record_path(SAMPLE_ID)
    path.write_text(path.read_text().replace("state: published", "state: pending"))
    publish(site, SAMPLE_ID, "html")
    # Not published: never in output/, whatever was there before.
    manifest = json.loads((site.drafts_dir / SAMPLE_ID / "manifest.json").read_text())
    assert manifest["draft"] is True and manifest["state"] == "pending"
    assert manifest["public"] is False and "pending" in manifest["why"]
    assert not (site.output_dir / SAMPLE_ID).exists()


def _links(html: bytes) -> set[str]:
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    return {a.get("href") for a in tree.iter("a")
            if a.get("href", "").startswith(SAMPLE_ID)}


def test_a_partial_publish_links_only_to_files_that_are_there(site):
    published = publish(site, SAMPLE_ID, "html")
    page = published.files[0].path.read_bytes()
    assert _links(page) == set()
    assert sorted(p.name for p in published.folder.iterdir()) == [
        f"{SAMPLE_ID}.html", "manifest.json"]


def test_a_partial_publish_keeps_the_other_formats_of_the_same_record(site):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    again = publish(site, SAMPLE_ID, "html")
    assert [f.format for f in again.files] == ["html"]
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == before  # same record, same bytes: nothing stale, nothing lost
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(manifest["outputs"]) == sorted(
        f"{SAMPLE_ID}.{f}" for f in ("html", "pdf", "docx"))
    assert _links(after[f"{SAMPLE_ID}.html"]) == {f"{SAMPLE_ID}.pdf", f"{SAMPLE_ID}.docx"}


def test_files_of_an_older_record_do_not_survive_a_partial_publish(site):
    publish(site, SAMPLE_ID)
    record = site.record_path(SAMPLE_ID)
    record.write_text(record.read_text().replace("We, the undersigned", "We, the signatories"))
    published = publish(load_site(site.root), SAMPLE_ID, "pdf")
    assert sorted(p.name for p in published.folder.iterdir()) == [
        f"{SAMPLE_ID}.pdf", "manifest.json"]
    manifest = json.loads((published.folder / "manifest.json").read_text())
    assert list(manifest["outputs"]) == [f"{SAMPLE_ID}.pdf"]


def test_a_draft_copy_never_replaces_the_public_files(site):
    publish(site, SAMPLE_ID)
    folder = site.output_dir / SAMPLE_ID
    public = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    draft = publish(site, SAMPLE_ID, "pdf,html", preview=True)
    assert draft.folder == site.drafts_dir / SAMPLE_ID
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == public
    assert b"DRAFT" in (draft.folder / f"{SAMPLE_ID}.html").read_bytes()
    assert _links((draft.folder / f"{SAMPLE_ID}.html").read_bytes()) == {f"{SAMPLE_ID}.pdf"}


def test_an_output_folder_that_cannot_be_written_is_a_plain_error(site):
    site.output_dir.mkdir()
    (site.output_dir / SAMPLE_ID).write_text("a file where the folder should be")
    with pytest.raises(PressroomError, match="cannot write it"):
        publish(site, SAMPLE_ID, "html")
