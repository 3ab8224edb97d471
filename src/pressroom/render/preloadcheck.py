"""Imported by the fork server of a build's workers when some of them will parse a record
(a statement no build has parsed before): the fonts' coverage that a record's check asks of
any non-Latin text is read once there (about 75 ms in each worker's first such record)
instead of in each worker. Left out otherwise: it is 10 MB in every worker."""

from __future__ import annotations

from . import glyphs

glyphs.unshowable(["ကခ"], "my")  # every face's coverage, and their union
