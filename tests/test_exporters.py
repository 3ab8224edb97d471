"""The renderers as nbconvert exporters: one registry, the ecosystem's own."""

from __future__ import annotations

import nbformat
import pytest
from nbconvert.exporters import get_exporter as nbconvert_exporter

from pressroom.errors import RenderError, UsageError
from pressroom.render.docx import render_docx
from pressroom.render.exporters import (
    RECORD_MIMETYPE,
    document_from_notebook,
    exporters,
    get_exporter,
    parse_formats,
    record_payload,
)
from pressroom.render.html import render_html
from pressroom.render.pdf import render_pdf


def test_the_registry_is_nbconverts_own():
    assert sorted(exporters()) == ["docx", "html", "pdf"]
    for fmt, cls in exporters().items():
        assert nbconvert_exporter(f"pressroom_{fmt}") is cls
        assert cls().file_extension == f".{fmt}"


def test_an_unknown_format_names_the_known_ones():
    with pytest.raises(UsageError, match=r'Unknown format "word"\. Known formats: docx, html, '
                                         r'pdf\.'):
        get_exporter("word")
    assert parse_formats("docx, pdf,html,pdf") == ("html", "pdf", "docx")
    with pytest.raises(UsageError, match="No format given"):
        parse_formats(" , ")


def test_from_a_record_each_exporter_gives_its_renderers_bytes(sample_document, site):
    renderers = {"html": render_html, "pdf": render_pdf, "docx": render_docx}
    for fmt, render in renderers.items():
        data, resources = get_exporter(fmt).from_document(sample_document, site.templates_dir)
        assert data == render(sample_document, site.templates_dir)
        assert resources["output_extension"] == f".{fmt}"
        assert resources["metadata"]["name"] == sample_document.statement.id


def test_a_notebook_carries_its_record_and_renders_what_the_run_saw(sample_document, site):
    payload = record_payload(sample_document, site.root)
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={RECORD_MIMETYPE: payload, "text/plain": "record"})]))
    # The record changes on disk after the run: the notebook still renders what it saw.
    path = site.record_path(sample_document.statement.id)
    path.write_text(path.read_text().replace("We, the undersigned", "We, the signatories"))
    document, templates = document_from_notebook(nb)
    assert document.statement == sample_document.statement
    assert document.record_sha256 == sample_document.record_sha256
    data, _ = get_exporter("html").from_notebook_node(nb)
    assert data == render_html(sample_document, templates)


def test_a_notebook_without_a_record_is_refused_plainly():
    with pytest.raises(RenderError, match="carries no statement record"):
        get_exporter("pdf").from_notebook_node(nbformat.v4.new_notebook())


def test_a_moved_site_still_renders_from_its_executed_notebooks(sample_document, site,
                                                                  tmp_path):
    import shutil

    payload = record_payload(sample_document, site.root)
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={RECORD_MIMETYPE: payload, "text/plain": "record"})]))
    moved = tmp_path / "moved"
    shutil.move(str(site.root), moved)
    run_dir = moved / "runs" / "01RUN"
    run_dir.mkdir(parents=True)
    nbformat.write(nb, run_dir / "run.ipynb")
    data, _ = get_exporter("html").from_filename(str(run_dir / "run.ipynb"))
    assert data == render_html(sample_document, moved / "templates")
