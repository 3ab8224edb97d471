"""A site: discovery, loading (settings and directory together), records, init."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_ID
from pressroom.errors import ConfigError, RecordError, UsageError
from pressroom.model import Document, Statement
from pressroom.site import PACKAGE_TEMPLATES, find_site_root, init_site, load_site, make_site


def test_find_site_root_walks_up(site_root):
    deep = site_root / "statements" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_site_root(deep) == site_root.resolve()
    assert find_site_root(site_root) == site_root.resolve()


def test_find_site_root_without_a_site(tmp_path):
    with pytest.raises(ConfigError, match=r"No pressroom.toml in .* `pressroom init DIR`"):
        find_site_root(tmp_path)


def test_load_site(site, site_root):
    root = site_root.resolve()
    assert site.root == root
    assert site.settings.short_name == "FORUM-ASIA"
    assert len(site.organisations) == 19 and site.diagnostics == ()
    assert site.statements_dir == root / "statements"
    assert site.output_dir == root / "output"
    assert site.runs_dir == root / "runs"
    assert site.templates_dir == root / "templates"
    assert site.record_path(SAMPLE_ID) == root / "statements" / f"{SAMPLE_ID}.md"
    assert site.record_paths() == [root / "statements" / f"{SAMPLE_ID}.md"]


def test_templates_fall_back_to_the_package(site_root):
    import shutil

    shutil.rmtree(site_root / "templates")
    assert load_site(site_root).templates_dir == PACKAGE_TEMPLATES
    assert PACKAGE_TEMPLATES.is_dir()


def test_record_paths_sorted_and_only_markdown(site_root):
    for name in ("b.md", "a.md", "notes.txt"):
        (site_root / "statements" / name).write_text("x", encoding="utf-8")
    names = [p.name for p in load_site(site_root).record_paths()]
    assert names == [f"{SAMPLE_ID}.md", "a.md", "b.md"]


def test_load_and_document(site):
    statement = site.load(SAMPLE_ID)
    assert isinstance(statement, Statement) and len(statement.footnotes) == 6
    doc = site.document(statement)
    assert isinstance(doc, Document)
    assert doc.issuer.key == "forum-asia" and len(doc.endorsers) == 19
    assert doc.links["pdf"] == f"{SAMPLE_ID}.pdf" and len(doc.record_sha256) == 64


@pytest.mark.parametrize("bad_id", ["kazakhstan", "../pressroom", "/etc/passwd", "", ".hidden"])
def test_unknown_ids_are_usage_errors(site, bad_id):
    with pytest.raises(UsageError, match="No statement") as err:
        site.load(bad_id)
    if bad_id == "kazakhstan":
        assert f"Did you mean {SAMPLE_ID}?" in str(err.value)


def test_broken_record_is_a_record_error(site, site_root):
    path = site.record_path(SAMPLE_ID)
    path.write_text(path.read_text(encoding="utf-8").replace("issued_by: forum-asia",
                                                             "issued_by: forum-asai"))
    with pytest.raises(RecordError) as err:
        site.load(SAMPLE_ID)
    assert any(d.field == "issued_by" for d in err.value.diagnostics)


def test_check_all_and_some(site, site_root):
    results = site.check()
    assert list(results) == site.record_paths()
    statement, diagnostics = results[site.record_path(SAMPLE_ID)]
    assert statement.id == SAMPLE_ID and [d for d in diagnostics if d.is_error] == []
    assert list(site.check([site.record_path(SAMPLE_ID)])) == [site.record_path(SAMPLE_ID)]


def test_load_site_reports_both_files_at_once(site_root):
    toml = site_root / "pressroom.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"Manager"', '"Boss"'))
    orgs = site_root / "statements" / "organisations.yaml"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("url: https://www.forum-asia.org",
                                                             "url: forum-asia dot org"))
    with pytest.raises(ConfigError) as err:
        load_site(site_root)
    where = {(Path(d.path).name, d.line, d.field) for d in err.value.diagnostics}
    assert where == {("pressroom.toml", 35, "people[3].roles"),
                     ("organisations.yaml", 6, "forum-asia.url")}
    assert "2 configuration error(s)" in str(err.value)


def test_a_config_error_shows_the_warning_that_explains_it(site_root):
    toml = site_root / "pressroom.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("short_name =", "shortname ="))
    with pytest.raises(ConfigError) as err:
        load_site(site_root)
    message = str(err.value)
    assert "1 configuration error(s)" in message
    assert "site.short_name" in message and "did you mean 'short_name'" in message


def test_load_site_keeps_warnings(site_root):
    toml = site_root / "pressroom.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[site]\n", "[site]\ncolour = 1\n"))
    site = load_site(site_root)
    assert [(d.line, d.field, d.is_error) for d in site.diagnostics] == [
        (5, "site.colour", False)]


def test_init_site_makes_a_site_that_checks_clean(tmp_path):
    root = init_site(tmp_path / "new" / "site")
    assert root == (tmp_path / "new" / "site").resolve()
    names = sorted(p.name for p in root.iterdir())
    assert names == [".gitignore", "notebooks", "output", "pressroom.toml", "statements",
                     "templates"]
    assert (root / "notebooks" / "publish_statement.ipynb").is_file()
    site = load_site(root)
    assert site.diagnostics == ()
    assert site.settings.organisation in site.organisations
    results = site.check()
    assert len(results) == 1
    (statement, diagnostics), = results.values()
    assert diagnostics == [] and statement.issued_by == site.settings.organisation
    assert site.document(site.load(statement.id)).issuer.key == site.settings.organisation
    assert site.templates_dir == root / "templates"
    def files(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and p.name != ".keep" and "__pycache__" not in p.parts}

    copied = files(root / "templates")
    assert copied == files(PACKAGE_TEMPLATES) and len(copied) > 0
    assert list(root.parent.iterdir()) == [root]  # no build folder left behind
    assert (root.stat().st_mode & 0o777) != 0o700


def test_init_site_into_an_empty_existing_folder(tmp_path):
    root = init_site(tmp_path)
    assert root == tmp_path.resolve() and load_site(root).record_paths()


def test_init_refuses_a_non_empty_folder_unless_told(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match=r"is not empty \(1 entry: notes.txt\).*"
                       r"`pressroom init --allow-non-empty "):
        init_site(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]  # nothing written
    root = init_site(tmp_path, allow_non_empty=True)
    assert (root / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert load_site(root).record_paths()


def test_init_site_refuses_an_existing_site(tmp_path, site_root):
    before = (site_root / "pressroom.toml").read_bytes()
    with pytest.raises(UsageError, match="already holds a site"):
        init_site(site_root)
    assert (site_root / "pressroom.toml").read_bytes() == before
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        init_site(tmp_path / "file")


def test_the_repository_is_a_site():
    site = load_site(REPO)
    assert site.diagnostics == ()
    assert site.load(SAMPLE_ID).title.startswith("Kazakhstan")


def test_init_into_a_non_empty_folder_adds_only_what_is_missing(tmp_path):
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    (tmp_path / "statements").mkdir()
    own = tmp_path / "statements" / "organisations.yaml"
    own.write_text("# my directory\n", encoding="utf-8")
    (tmp_path / "templates" / "css").mkdir(parents=True)
    (tmp_path / "templates" / "css" / "screen.css").write_text("/* mine */", encoding="utf-8")
    made = make_site(tmp_path, allow_non_empty=True)
    assert made.kept == (".gitignore", "statements/organisations.yaml",
                         "templates/css/screen.css")
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    assert own.read_text(encoding="utf-8") == "# my directory\n"
    assert (tmp_path / "templates" / "css" / "screen.css").read_text(encoding="utf-8") == (
        "/* mine */")
    assert "templates/css/print.css" in made.added and made.added[-1] == "pressroom.toml"
    assert (tmp_path / "statements" / "2024-01-15-example-statement.md").is_file()
    assert not [p for p in tmp_path.rglob("*.tmp")]  # no temporary file left


def test_init_never_writes_through_a_symlink(tmp_path):
    outside = tmp_path / "outside"
    (outside / "shared-templates").mkdir(parents=True)
    (outside / "system.conf").write_text("precious\n", encoding="utf-8")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "templates").symlink_to(outside / "shared-templates")
    (dest / ".gitignore").symlink_to(outside / "system.conf")
    (dest / "output").symlink_to(outside / "no-such-folder")  # dangling
    made = make_site(dest, allow_non_empty=True)
    assert made.kept == (".gitignore", "output/", "templates/")
    assert list((outside / "shared-templates").iterdir()) == []
    assert (outside / "system.conf").read_text(encoding="utf-8") == "precious\n"
    assert not (outside / "no-such-folder").exists()
    assert (dest / "pressroom.toml").is_file() and (dest / "notebooks").is_dir()
    # A link given as the site's folder is refused, whatever it points to.
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    with pytest.raises(UsageError, match="is a symbolic link"):
        init_site(tmp_path / "link", allow_non_empty=True)
    assert list((tmp_path / "empty").iterdir()) == []


def test_init_refuses_pressroom_toml_already_there_even_when_told(tmp_path):
    (tmp_path / "pressroom.toml").symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(UsageError, match="already holds a site"):
        init_site(tmp_path, allow_non_empty=True)
    assert [p.name for p in tmp_path.iterdir()] == ["pressroom.toml"]


def test_init_refuses_a_file_where_the_site_needs_a_folder(tmp_path):
    (tmp_path / "statements").write_text("not a folder", encoding="utf-8")
    with pytest.raises(UsageError, match="statements is a file where the site needs a folder"):
        init_site(tmp_path, allow_non_empty=True)
    assert [p.name for p in tmp_path.iterdir()] == ["statements"]


@pytest.mark.parametrize("existing", [False, True])
def test_init_files_take_the_umask_and_the_folders_group(tmp_path, existing):
    shared = tmp_path / "shared"
    shared.mkdir()
    group = 4321
    if os.geteuid() == 0:
        os.chown(shared, -1, group)
    else:
        group = shared.stat().st_gid  # only root can give a folder any group
    dest = shared / "site"
    if existing:
        dest.mkdir()
        os.chown(dest, -1, group)
    old = os.umask(0o027)
    try:
        root = init_site(dest)
    finally:
        os.umask(old)
    made = [*([] if existing else [root]), *root.rglob("*")]  # what init made
    assert len(made) > 20
    for path in made:
        st = path.lstat()
        want = 0o750 if path.is_dir() else 0o640  # the package's files are 0644
        assert (stat.S_IMODE(st.st_mode), st.st_gid) == (want, group), path


def test_init_makes_the_login_that_made_the_site_its_manager(tmp_path, monkeypatch):
    from pressroom.people import acting
    from pressroom.site import init_site, load_site

    monkeypatch.setenv("JUPYTERHUB_USER", "maker")
    root = init_site(tmp_path / "new-site")
    who = acting(load_site(root).settings)
    assert who.person is not None and who.person.id == "director"
    monkeypatch.setenv("JUPYTERHUB_USER", "stranger")
    assert acting(load_site(root).settings).person is None  # nobody else, until added
