"""Shared fixtures: a copy of the repository's own site, so tests never touch the real one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# One Chromium per worker for every module: a fixture imported into two modules would be two
# fixtures, and a second sync Playwright cannot start while the first holds the loop.
from browser import chromium, playwright_driver  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_ID = "2022-02-10-kazakhstan-crackdown"
SCRIPT_RECORDS = sorted((FIXTURES / "scripts").glob("*.md"))


def copy_site(dest: Path, adopt: bool = True) -> Path:
    """A copy of the repository's site (config, records, templates) under `dest`; with
    `adopt`, its sample statement taken in by its Manager (a published version stored), as
    `make run` does in a fresh clone, so that it publishes into output/."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "pressroom.toml", dest / "pressroom.toml")
    shutil.copytree(REPO / "statements", dest / "statements")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", dest / "templates")
    if adopt:
        adopt_sample(dest)
    return dest


def adopt_sample(root: Path) -> None:
    from pressroom.people import acting
    from pressroom.site import load_site
    from pressroom.workflow import Workflow

    site = load_site(root)
    # rules=False: only the version and its history; output/ stays as a fresh clone has it.
    Workflow(site).perform(acting(site.settings), SAMPLE_ID, "adopt", rules=False)


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


@pytest.fixture
def bare_site_root(tmp_path: Path) -> Path:
    """The repository's site as a fresh clone has it: no store under runs/ yet."""
    return copy_site(tmp_path / "site", adopt=False)


@pytest.fixture
def site(site_root: Path):
    from pressroom.site import load_site

    return load_site(site_root)


@pytest.fixture
def sample_document(site):
    return site.document(site.load(SAMPLE_ID))
