"""pressroom verify: a clean tree checks; a changed byte, a missing file, an orphan, a link, a
manifest that disagrees with the store and archive pages left behind by a retraction are
each found, named, and make the command exit 1."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_ID
from pressroom.archive import update_archive
from pressroom.cli import cli
from pressroom.site import load_site
from pressroom.verify import verify
from test_archive_pages import PUBLIC, THAI, WITHDRAWN, make_archive_site
from test_workflow import CHEN, run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A site whose public statements are all in output/, with the archive's pages."""
    root = make_archive_site(tmp_path_factory.mktemp("verify") / "site")
    for sid in PUBLIC:
        if sid != SAMPLE_ID:
            run(root, CHEN, "publish", sid, "--direct")
    update_archive(load_site(root))
    return root


@pytest.fixture
def root(built, tmp_path):
    """A fresh copy of the built site for each test (links and all, as they are)."""
    import shutil

    dest = tmp_path / "site"
    shutil.copytree(built, dest, symlinks=True)
    return dest


def findings(root) -> list[tuple[str, str]]:
    return [(f.kind, f.path) for f in verify(load_site(root)).findings]


def verify_cli(root):
    return CliRunner().invoke(cli, ["-C", str(root), "verify"])


def test_a_clean_tree_checks(root):
    done = verify(load_site(root))
    assert done.ok, [str(f) for f in done.findings]
    assert done.files > 20
    result = verify_cli(root)
    assert result.exit_code == 0, result.output
    assert "all" in result.output and "check" in result.output


def test_a_changed_byte_a_missing_file_and_an_orphan_are_each_found(root):
    folder = root / "output" / THAI
    pdf = folder / f"{THAI}.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of rot
    pdf.write_bytes(bytes(data))
    (folder / f"{THAI}.docx").unlink()
    (folder / "notes.txt").write_text("a file somebody left here", encoding="utf-8")
    (root / "output" / "stray.html").write_text("<p>stray</p>", encoding="utf-8")
    assert findings(root) == [
        ("missing", f"output/{THAI}/{THAI}.docx"),
        ("changed", f"output/{THAI}/{THAI}.pdf"),
        ("orphaned", f"output/{THAI}/notes.txt"),
        ("orphaned", "output/stray.html"),
    ]
    result = verify_cli(root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"changed: output/{THAI}/{THAI}.pdf: its bytes are not those output/{THAI}/" \
           "manifest.json names" in lines
    assert f"missing: output/{THAI}/{THAI}.docx: named in output/{THAI}/manifest.json" in lines
    assert lines[-1].startswith("verify: 4 problem(s)") and "1 missing, 1 changed, 2 orphaned" \
        in lines[-1]


def test_an_archive_page_edited_by_hand_and_a_link_are_found(root, tmp_path):
    index = root / "output" / "index.html"
    index.write_bytes(index.read_bytes().replace(b"Statements", b"Statemants", 1))
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (root / "output" / "countries" / "secret.html").symlink_to(tmp_path / "secret.txt")
    assert findings(root) == [("changed", "output/index.html"),
                              ("orphaned", "output/countries/secret.html")]


def test_manifests_are_checked_against_the_store(root):
    manifest = root / "output" / SAMPLE_ID / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["version"] = 7
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (root / "output" / THAI / "manifest.json").unlink()  # a folder no manifest describes
    done = verify(load_site(root))
    kinds = {(f.kind, f.path): f.detail for f in done.findings}
    assert "the store serves version 1" in kinds[("mismatch", f"output/{SAMPLE_ID}/"
                                                              "manifest.json")]
    assert "version 1 is published" in kinds[("missing", f"output/{THAI}/")]
    assert ("orphaned", f"output/{THAI}/{THAI}.pdf") in kinds


def test_a_retraction_leaves_the_archive_pages_at_once_and_stale_pages_are_found(root):
    out = root / "output"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
              if p.is_file() and (p.parent == out or p.parent.name in ("countries", "topics"))}
    run(root, CHEN, "workflow", THAI, "retract", "--comment", "legal advice")
    assert verify(load_site(root)).ok  # the retraction brought the pages up to date itself
    # (by its id: its Thai translation's id begins with it)
    assert f'"id":"{THAI}"'.encode() not in (out / "search-index.json").read_bytes()
    for rel, data in before.items():  # pages of before the retraction, put back by hand
        (out / rel).write_bytes(data)
    kinds = {f.kind for f in verify(load_site(root)).findings}
    assert kinds == {"stale"}
    stale = [f.path for f in verify(load_site(root)).findings]
    assert "output/index.html" in stale and "output/search-index.json" in stale
    update_archive(load_site(root))
    assert verify(load_site(root)).ok


def test_a_tombstone_the_store_no_longer_agrees_with_is_a_mismatch(root):
    manifest = root / "output" / WITHDRAWN / "manifest.json"
    assert json.loads(manifest.read_text())["withdrawn"] is True
    folder = root / "output" / THAI
    data = json.loads((folder / "manifest.json").read_text())
    data["public"] = False
    (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    assert ("mismatch", f"output/{THAI}/manifest.json") in findings(root)


def test_verify_as_json(root):
    (root / "output" / "stray.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(root), "verify", "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    assert data["findings"] == [{"kind": "orphaned", "path": "output/stray.txt",
                                 "detail": "named in no manifest"}]
