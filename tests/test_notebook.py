"""The notebook's links, without a kernel: which folder they are relative to, and how."""

from __future__ import annotations

import os

from conftest import SAMPLE_ID
from pressroom.notebook import notebook_folder, relative_href


def test_links_from_a_linked_notebooks_folder_are_relative_to_the_link(site, tmp_path,
                                                                      monkeypatch):
    # As in the repository: notebooks/ is a link to the package's folder. JupyterLab serves
    # the notebook as notebooks/..., so its links must start from there, not from the target.
    real = tmp_path / "package-notebooks"
    real.mkdir()
    (site.root / "notebooks").symlink_to(real)
    monkeypatch.chdir(site.root / "notebooks")  # the kernel's folder: resolved, by the OS
    monkeypatch.setenv("JPY_SESSION_NAME", str(site.root / "notebooks" / "publish.ipynb"))
    folder = notebook_folder(site, SAMPLE_ID)
    assert folder == site.root / "notebooks"
    pdf = site.output_dir / SAMPLE_ID / f"{SAMPLE_ID}.pdf"
    assert relative_href(site, folder, pdf) == f"../output/{SAMPLE_ID}/{SAMPLE_ID}.pdf"
    assert os.getcwd() == str(real)  # where a link from the working folder would start


def test_an_inherited_session_name_of_another_notebook_is_not_this_ones(site, tmp_path,
                                                                        monkeypatch):
    # papermill run from a notebook's cell: its kernel inherits the outer notebook's name.
    (site.root / "notebooks").mkdir()
    monkeypatch.chdir(site.root / "notebooks")
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "elsewhere" / "outer.ipynb"))
    assert notebook_folder(site, SAMPLE_ID) == site.root / "notebooks"


def test_a_command_runs_links_are_relative_to_the_executed_notebook(site):
    folder = notebook_folder(site, SAMPLE_ID, run_id="01RUN")
    assert folder == site.runs_dir / "01RUN"
    name = "a b#c.docx"  # quoted, so the server finds the file by its name
    assert relative_href(site, folder, site.drafts_dir / SAMPLE_ID / name) == \
        f"../../drafts/{SAMPLE_ID}/a%20b%23c.docx"
