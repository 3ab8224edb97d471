"""Writing inside a site: links are replaced or refused, never written through."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

import pytest

from conftest import SAMPLE_ID
from pressroom.fileio import UnsafePathError, atomic_write, open_folder, site_relative, write_in
from pressroom.publish import publish
from pressroom.runner import ledger_for, run_publication
from pressroom.site import load_site


def _outside(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "precious.txt"
    target.parent.mkdir()
    target.write_text("not Pressroom's to write")
    return target


@pytest.mark.parametrize("name", [f"{SAMPLE_ID}.html", "manifest.json", f"{SAMPLE_ID}.pdf"])
def test_a_link_in_output_is_replaced_never_written_through(site, tmp_path, name):
    outside = _outside(tmp_path)
    publish(site, SAMPLE_ID)
    link = site.output_dir / SAMPLE_ID / name
    link.unlink()
    link.symlink_to(outside)
    result = run_publication(site, SAMPLE_ID, direct=True, actor="t")
    assert outside.read_text() == "not Pressroom's to write"
    assert not link.is_symlink() and link.stat().st_size > 0
    assert result.status == "succeeded"
    assert ledger_for(site).get(result.run_id).status == "succeeded"


def test_a_hard_link_in_output_is_replaced_never_written_through(site, tmp_path):
    outside = _outside(tmp_path)
    publish(site, SAMPLE_ID)
    page = site.output_dir / SAMPLE_ID / f"{SAMPLE_ID}.html"
    page.unlink()
    os.link(outside, page)
    publish(site, SAMPLE_ID)
    assert outside.read_text() == "not Pressroom's to write"
    assert page.stat().st_ino != outside.stat().st_ino


def test_a_statement_folder_that_is_a_link_is_replaced_not_followed(site, tmp_path):
    outside = _outside(tmp_path)
    site.output_dir.mkdir()
    (site.output_dir / SAMPLE_ID).symlink_to(outside.parent)
    publish(site, SAMPLE_ID)
    assert sorted(p.name for p in outside.parent.iterdir()) == ["precious.txt"]
    assert not (site.output_dir / SAMPLE_ID).is_symlink()
    assert (site.output_dir / SAMPLE_ID / f"{SAMPLE_ID}.pdf").is_file()


def test_output_as_a_link_to_a_web_root_is_supported_and_logged_as_output(site_root, tmp_path):
    web_root = tmp_path / "var-www"
    web_root.mkdir()
    (site_root / "output").symlink_to(web_root)
    site = load_site(site_root)
    result = run_publication(site, SAMPLE_ID, direct=True, actor="t")
    assert (web_root / SAMPLE_ID / f"{SAMPLE_ID}.html").is_file()
    paths = {o.path for o in ledger_for(site).get(result.run_id).outputs}
    assert paths == {f"output/{SAMPLE_ID}/{SAMPLE_ID}.{f}" for f in ("html", "pdf", "docx")}


def test_runs_and_drafts_as_links_are_supported(bare_site_root, tmp_path):
    site_root = bare_site_root
    for name in ("runs", "drafts"):
        (tmp_path / f"{name}-disk").mkdir()
        (site_root / name).symlink_to(tmp_path / f"{name}-disk")
    site = load_site(site_root)
    result = run_publication(site, SAMPLE_ID, direct=True, actor="t", draft=True)
    assert (tmp_path / "runs-disk" / "ledger.sqlite").is_file()
    assert (tmp_path / "drafts-disk" / SAMPLE_ID / f"{SAMPLE_ID}.pdf").is_file()
    assert {o.path for o in ledger_for(site).get(result.run_id).outputs} == {
        f"drafts/{SAMPLE_ID}/{SAMPLE_ID}.{f}" for f in ("html", "pdf", "docx")}


def test_a_link_to_a_folder_below_runs_is_refused_with_its_name(bare_site_root, tmp_path):
    site_root = bare_site_root
    outside = _outside(tmp_path)
    (site_root / "runs").mkdir()
    (site_root / "runs" / "locks").symlink_to(outside.parent)
    site = load_site(site_root)
    with pytest.raises(UnsafePathError, match=r"runs/locks is a link"):
        run_publication(site, SAMPLE_ID, direct=True, actor="t")
    assert sorted(p.name for p in outside.parent.iterdir()) == ["precious.txt"]


def test_open_folder_walks_without_following_links(tmp_path):
    root = tmp_path / "site"
    (root / "output").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (root / "output" / "a").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePathError), open_folder(root, "output/a/b"):
        pass
    assert list((tmp_path / "elsewhere").iterdir()) == []
    with open_folder(root, "output/c/d") as fd:
        write_in(fd, "x.txt", b"x")
    assert (root / "output" / "c" / "d" / "x.txt").read_bytes() == b"x"


def test_paths_that_climb_out_are_refused(tmp_path):
    for bad in ("../x", "/etc/x", "output/../../x"):
        with pytest.raises(UnsafePathError), open_folder(tmp_path, PurePosixPath(bad)):
            pass


def test_site_relative_names_linked_folders_by_their_site_name(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    (tmp_path / "www").mkdir()
    (root / "output").symlink_to(tmp_path / "www")
    assert str(site_relative(root, tmp_path / "www" / "a" / "a.pdf")) == "output/a/a.pdf"
    assert str(site_relative(root, root / "statements" / "a.md")) == "statements/a.md"
    with pytest.raises(UnsafePathError):
        site_relative(root, tmp_path / "elsewhere")


def test_atomic_write_replaces_a_link_and_keeps_the_umask(tmp_path):
    outside = _outside(tmp_path)
    link = tmp_path / "record.md"
    link.symlink_to(outside)
    old = os.umask(0o007)
    try:
        atomic_write(link, "new text")
    finally:
        os.umask(old)
    assert outside.read_text() == "not Pressroom's to write"
    assert link.read_text() == "new text" and not link.is_symlink()
    assert link.stat().st_mode & 0o777 == 0o660


def test_a_file_of_a_new_set_is_never_written_over_or_through_a_link(tmp_path):
    """write_new writes only a name that is not there: a file or a link already there (even
    one to nowhere) is refused and left as it was."""
    from pressroom.fileio import write_new

    (tmp_path / "there.html").write_text("a person's file", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    (tmp_path / "link.html").symlink_to(outside)
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        write_new(fd, "new.html", "<p>new</p>")
        for name in ("there.html", "link.html"):
            with pytest.raises(FileExistsError):
                write_new(fd, name, b"over")
    finally:
        os.close(fd)
    assert (tmp_path / "new.html").read_text(encoding="utf-8") == "<p>new</p>"
    assert (tmp_path / "there.html").read_text(encoding="utf-8") == "a person's file"
    assert not outside.exists() and (tmp_path / "link.html").is_symlink()
