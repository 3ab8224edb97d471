"""Each output's input key, and the format registry: what a publish or a build redoes."""

from __future__ import annotations

import json
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SAMPLE_ID
from pressroom import formats
from pressroom.inputs import Inputs
from pressroom.publish import plan_outputs, publish
from pressroom.runner import run_publication
from pressroom.site import load_site


def keys(root: Path) -> dict[str, str]:
    site = load_site(root)
    document = site.document(site.load(SAMPLE_ID))
    inputs = Inputs(site)
    return {f: inputs.key(document, f) for f in formats.names()}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {f for f in before if before[f] != after[f]}


def test_a_template_change_changes_the_key_of_its_own_format_only(site_root):
    before = keys(site_root)
    typ = site_root / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    after_pdf = keys(site_root)
    assert changed(before, after_pdf) == {"pdf"}
    css = next((site_root / "templates" / "css").iterdir())
    css.write_text(css.read_text() + "\n/* wider margins */\n")
    assert changed(after_pdf, keys(site_root)) == {"html"}


def test_an_organisation_changes_the_keys_of_the_statements_that_show_it_only(site_root):
    orgs = site_root / "statements" / "organisations.yaml"
    orgs.write_text(orgs.read_text() + "not-shown:\n  name: An Organisation Nobody Cites\n")
    before = keys(site_root)
    orgs.write_text(orgs.read_text().replace("An Organisation Nobody Cites",
                                             "An Organisation Still Uncited"))
    assert changed(before, keys(site_root)) == set()
    orgs.write_text(orgs.read_text().replace("Founded in 1991", "Founded in the year 1991"))
    assert changed(before, keys(site_root)) == {"html", "pdf", "docx"}


def test_a_language_s_catalog_and_its_wording_settings_are_inputs_of_its_outputs_only(
        site_root):
    import shutil

    from conftest import FIXTURES

    thai = "2024-05-01-scripts-th"
    shutil.copy2(FIXTURES / "scripts" / f"{thai}.md", site_root / "statements")

    def both() -> dict[str, dict[str, str]]:
        site = load_site(site_root)
        inputs = Inputs(site)
        out = {}
        for sid in (SAMPLE_ID, thai):
            document = site.document(site.load(sid))
            out[sid] = {f: inputs.key(document, f) for f in formats.names()}
            # what a build checks without parsing the record gives the same key
            assert inputs.wording(document.statement.language) == inputs.of_wording(
                document.wording)
        return out

    before = both()
    po = site_root / "templates" / "locale" / "th" / "LC_MESSAGES" / "pressroom.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "เชิงอรรถ"',
                                                         'msgstr "หมายเหตุ"'), encoding="utf-8")
    after = both()
    assert changed(before[SAMPLE_ID], after[SAMPLE_ID]) == set()
    assert changed(before[thai], after[thai]) == {"html", "pdf", "docx"}
    toml = site_root / "pressroom.toml"
    toml.write_text(toml.read_text() + '\n[wording]\nnative_digits = ["th"]\n')
    digits = both()
    assert changed(after[SAMPLE_ID], digits[SAMPLE_ID]) == set()
    assert changed(after[thai], digits[thai]) == {"html", "pdf", "docx"}


def test_the_record_and_the_settings_change_every_key(site_root):
    before = keys(site_root)
    toml = site_root / "pressroom.toml"
    text = toml.read_text()
    name = load_site(site_root).settings.name
    toml.write_text(text.replace(name, name + " Online", 1))
    assert changed(before, keys(site_root)) == {"html", "pdf", "docx"}
    toml.write_text(text)
    assert changed(before, keys(site_root)) == set()
    record = site_root / "statements" / f"{SAMPLE_ID}.md"
    record.write_text(record.read_text().replace("We, the undersigned", "We, the signatories"))
    assert changed(before, keys(site_root)) == {"html", "pdf", "docx"}


def test_the_manifest_and_the_ledger_keep_each_outputs_format_and_key(site):
    first = run_publication(site, SAMPLE_ID, direct=True)
    folder = site.output_dir / SAMPLE_ID
    manifest = json.loads((folder / "manifest.json").read_text())
    document = plan_outputs(site, site.load(SAMPLE_ID), target=_target(site)).document
    inputs = Inputs(site)
    for name, entry in manifest["outputs"].items():
        assert name == formats.get_format(entry["format"]).filename(SAMPLE_ID)
        assert entry["key"] == inputs.key(document, entry["format"])
        assert entry["run"] == first.run_id
    typ = site.templates_dir / "typst" / "statement.typ"
    typ.write_text(typ.read_text() + "\n// a change to the page design\n")
    site = load_site(site.root)
    second = run_publication(site, SAMPLE_ID, "pdf", direct=True)
    again = json.loads((folder / "manifest.json").read_text())
    assert again["outputs"][f"{SAMPLE_ID}.pdf"]["key"] != manifest["outputs"][
        f"{SAMPLE_ID}.pdf"]["key"]
    for fmt in ("html", "docx"):  # kept: their inputs did not change, nor their run
        assert again["outputs"][f"{SAMPLE_ID}.{fmt}"] == manifest["outputs"][f"{SAMPLE_ID}.{fmt}"]
    with sqlite3.connect(site.runs_dir / "ledger.sqlite") as db:
        rows = db.execute("SELECT run_id, path, format, input_key FROM outputs"
                          " ORDER BY run_id, path").fetchall()
    mine = [(p, f, k) for r, p, f, k in rows if r == second.run_id]
    # The pdf run logs only the pdf it rendered, never the files it kept.
    assert mine == [(f"output/{SAMPLE_ID}/{SAMPLE_ID}.pdf", "pdf",
                     again["outputs"][f"{SAMPLE_ID}.pdf"]["key"])]
    assert len([r for r in rows if r[0] == first.run_id]) == 3
    assert all(f and k for _, _, f, k in rows)


def _target(site):
    from pressroom.gate import decide

    return decide(site, SAMPLE_ID)


# --- a fourth format, added the way a plugin adds one: by entry point ----------------------

PLUGIN = '''
from pressroom.formats import Format


def render_text(document, templates_dir):
    s = document.statement
    return f"{s.title}\\n\\n{s.date.isoformat()}\\n".encode()


TEXT = Format("text", "plaintext_format:render_text", ("text",), "text/plain",
              "pressroom", label="Plain text", extension="txt")
'''


@pytest.fixture
def fourth_format(tmp_path, monkeypatch):
    plugins = tmp_path / "plugins"
    info = plugins / "plaintext_format-1.0.dist-info"
    info.mkdir(parents=True)
    (plugins / "plaintext_format.py").write_text(PLUGIN)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plaintext-format\n"
                                   "Version: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent("""\
        [pressroom.formats]
        text = plaintext_format:TEXT
        """))
    monkeypatch.syspath_prepend(str(plugins))
    formats.formats.cache_clear()
    yield plugins
    sys.modules.pop("plaintext_format", None)
    formats.formats.cache_clear()


def test_a_fourth_format_by_entry_point_is_built_linked_hashed_and_cleaned(site, fourth_format):
    assert formats.names() == ("html", "pdf", "docx", "text")
    # A build's fork server imports every format's renderer ahead, the plugin's too.
    assert formats.modules() == ("pressroom.render.html", "pressroom.render.pdf",
                                 "pressroom.render.docx", "plaintext_format")
    published = publish(site, SAMPLE_ID)
    folder = published.folder
    text = folder / f"{SAMPLE_ID}.txt"
    assert text.read_text().startswith(site.load(SAMPLE_ID).title)
    page = (folder / f"{SAMPLE_ID}.html").read_text()
    assert f'href="{SAMPLE_ID}.txt" type="text/plain"' in page and "Plain text" in page
    entry = json.loads((folder / "manifest.json").read_text())["outputs"][f"{SAMPLE_ID}.txt"]
    assert entry["format"] == "text" and len(entry["key"]) == 64
    # Uninstalled: the next publish removes its file and the page's link to it.
    (fourth_format / "plaintext_format-1.0.dist-info" / "entry_points.txt").unlink()
    formats.formats.cache_clear()
    publish(site, SAMPLE_ID)
    assert not text.exists()
    assert f"{SAMPLE_ID}.txt" not in (folder / f"{SAMPLE_ID}.html").read_text()
    assert f"{SAMPLE_ID}.txt" not in json.loads((folder / "manifest.json").read_text())[
        "outputs"]


def test_the_direct_path_imports_no_notebook_machinery(site_root):
    import subprocess

    code = textwrap.dedent(f"""
        import sys
        from pressroom.site import load_site
        from pressroom.runner import run_publication
        run_publication(load_site({str(site_root)!r}), {SAMPLE_ID!r}, direct=True)
        heavy = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("nbconvert", "nbformat", "papermill",
                                              "jupyter_client", "jupyter_core", "jsonschema"))
        print(",".join(heavy))
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == ""


def test_a_publication_that_leaves_the_public_set_as_it_was_loads_no_archive_page_code(
        site_root):
    import shutil
    import subprocess

    code = textwrap.dedent(f"""
        import sys
        from pressroom.site import load_site
        from pressroom.runner import run_publication
        run_publication(load_site({str(site_root)!r}), {SAMPLE_ID!r}, direct=True)
        heavy = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("feedgen", "dateutil")
                       or m.startswith(("pressroom.archive.pages", "pressroom.archive.feed")))
        print(",".join(heavy))
        """)
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert "pressroom.archive.pages" in first.stdout  # the first made the archive's pages
    shutil.rmtree(site_root / "output" / SAMPLE_ID)  # rendered again: the same version
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert again.stdout.strip() == ""
    assert (site_root / "output" / "index.html").is_file()
