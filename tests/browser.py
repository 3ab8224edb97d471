"""Headless Chromium for tests: Debian's browser, a fresh profile, no network.

One browser per test session (starting it costs about half a second), a new page per test:

    # conftest.py registers the session-scoped `chromium` fixture for every module

    def test_page(chromium, tmp_path):
        with chromium.open(path.as_uri(), width=360) as loaded:
            assert loaded.errors == []
            violations = loaded.axe()

`launch()` is the same as a context manager for use outside pytest. Every request the page
makes is recorded; requests to the network are refused, so no test can reach it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_NETWORK = re.compile(r"^(https?|wss?|ftp)://", re.IGNORECASE)


@dataclass
class Loaded:
    """A page as loaded: the playwright Page plus what it said and asked for."""

    page: Any
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL requested, in order

    @property
    def errors(self) -> list[str]:
        """Console errors and uncaught exceptions: a clean page has none."""
        return [text for kind, text in self.console if kind == "error"] + self.page_errors

    def evaluate(self, script: str) -> Any:
        return self.page.evaluate(script)

    def axe(self, tags: list[str] | None = None) -> list[dict[str, Any]]:
        """axe-core's violations of the given rule tags (WCAG 2.2 AA by default), each as
        axe reports it (id, impact, help, nodes)."""
        from axe_playwright_python.sync_playwright import Axe

        options = {"runOnly": {"type": "tag", "values": tags or WCAG_22_AA},
                   "resultTypes": ["violations"]}
        return Axe().run(self.page, options=options).response["violations"]


class Chromium:
    """A running browser with one fresh profile; `open` gives each test its own page."""

    def __init__(self, context: Any):
        self._context = context

    @contextmanager
    def open(self, url: str, width: int = 1280, height: int = 800) -> Iterator[Loaded]:
        page = self._context.new_page()
        loaded = Loaded(page)
        page.on("console", lambda m: loaded.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: loaded.page_errors.append(str(e)))
        page.on("request", lambda r: loaded.requests.append(r.url))
        try:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url, wait_until="load")
            yield loaded
        finally:
            page.close()


def _refuse(route: Any) -> None:
    route.abort("blockedbyclient")


@contextmanager
def playwright() -> Iterator[Any]:
    """One sync Playwright per process: a second cannot start while the first holds the loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@contextmanager
def launch(pw: Any = None) -> Iterator[Chromium]:
    """Start Debian's Chromium headless with a new temporary profile; never downloads one."""
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, \
            (nullcontext(pw) if pw is not None else playwright()) as driver:
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=FLAGS, headless=True,
            service_workers="block",
        )
        try:
            context.route(_NETWORK, _refuse)
            yield Chromium(context)
        finally:
            context.close()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    with playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium(playwright_driver: Any) -> Iterator[Chromium]:
    with launch(playwright_driver) as browser:
        yield browser
