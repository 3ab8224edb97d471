"""Imported by the fork server of a build's worker processes, and by nothing else: what each
worker would otherwise do on its first statements is done once, in the server, and every
worker forked from it starts with it made: the font scan of the PDF (60-70 ms), CLDR's root
and English data (26 ms), the package's version and a first front matter read.
Nothing here starts a thread: a fork copies only the thread that forks, and a typst compile
starts some, so none is made here. `preloadcheck` adds what parsing a record needs."""

from __future__ import annotations

from ..frontmatter import load_front_matter
from ..publish import package_version
from ..wording import load_locale_data
from .pdf import scan_fonts

scan_fonts()
load_locale_data()
package_version()
# Each kind of value a record holds: ruamel builds its patterns on first sight of each.
load_front_matter("""id: 2021-03-04-warm
title: "A record to warm the reader on"
date: 2021-03-04
embargo: 2021-03-04T09:00:00+07:00
version: 2
draft: false
place: null
endorsers: [a, b]
contacts:
  - {label: 'Press office', email: press@example.org}
about: |
  Two lines
  of text.
""")
