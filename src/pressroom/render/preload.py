"""Imported by the fork server of a build's worker processes, and by nothing else: what each
worker would otherwise do on its first statements is done once, in the server, and every
worker forked from it starts with it made: the font scan of the PDF (60-70 ms), CLDR's root
and English data (26 ms) and the package's version.
Nothing here starts a thread: a fork copies only the thread that forks, and a typst compile
starts some, so none is made here. `preloadcheck` adds what parsing a record needs."""

from __future__ import annotations

from ..publish import package_version
from ..wording import load_locale_data
from .pdf import scan_fonts

scan_fonts()
load_locale_data()
package_version()
