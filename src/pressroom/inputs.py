"""What decides each output's bytes: its input key.

Each output has a key of its own: the record's bytes, that format's templates (only its own
folders: a change to the PDF's page design re-renders PDFs only), the settings it prints, the
organisations it shows (its issuer and endorsers only: a change to one organisation's About
text re-renders only the statements that show it), the words the renderers supply (the code
that places them, and the message catalog of the statement's language with the site's digit
and era settings for it: a change to the Thai catalog re-renders Thai statements only), how it is
marked (draft, embargo), the pages it links to, and the versions of Pressroom and of the
library that renders it. A publish or a build redoes exactly the outputs whose key changed.

`Inputs` hashes a site's template files once and is what a build (and each of its workers)
holds, instead of a cache shared by the whole process.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cached_property
from importlib.metadata import version as _dist_version
from pathlib import Path

from .formats import Format, get_format
from .model import Document, Organisation, Wording


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Inputs:
    """The input hashes of one site, computed once."""

    def __init__(self, site, templates: dict[str, bytes] | None = None):
        self.site = site
        # A build's workers get the templates as bytes (they need no shared disk).
        self._given = templates
        self._by_format: dict[str, str] = {}
        self._orgs: dict[Organisation, str] = {}
        self._renderers: dict[str, str] = {}
        self._wordings: dict[str, str] = {}
        self._designs: dict[str, str] = {}

    @cached_property
    def template_files(self) -> dict[str, str]:
        """relative path under templates/ -> sha256, for every template file."""
        if self._given is not None:
            return {rel: _sha(data) for rel, data in sorted(self._given.items())}
        root = Path(self.site.templates_dir)
        return {p.relative_to(root).as_posix(): _sha(p.read_bytes())
                for p in sorted(root.rglob("*"))
                if p.is_file() and not p.name.startswith(".") and "__pycache__" not in p.parts}

    def templates(self, fmt: Format) -> str:
        """The combined hash of the template folders one format reads."""
        if fmt.name not in self._by_format:
            mine = {rel: h for rel, h in self.template_files.items()
                    if rel.split("/", 1)[0] in fmt.templates}
            self._by_format[fmt.name] = _combined(mine)
        return self._by_format[fmt.name]

    def design(self, fmt: Format) -> str:
        """The hash of the house design's values that one format reads (design.py's
        FORMAT_TABLES): a change to [pdf] re-renders PDFs only, [web] pages only, [word]
        nothing until `pressroom styles` rewrites reference.docx. A comment changes none.
        The logo's file is one of them: every format that shows the organisation draws it,
        and it lies outside each format's template folders."""
        found = self._designs.get(fmt.name)
        if found is None:
            from .design import DESIGN_NAME, for_format, parse_design

            data = self._template_bytes(DESIGN_NAME)
            text = (data or b"").decode("utf-8", "replace")
            design, problems = parse_design(text, DESIGN_NAME)
            value = (for_format(design, fmt.name) if not any(p.is_error for p in problems)
                     else {"unreadable": _sha(data or b"")})  # its render fails anyway
            if value.get("logo"):
                from .design import logo_height

                logo = self._template_bytes(value["logo"])
                value["logo_sha256"] = _sha(logo) if logo is not None else None
                value["logo_height"] = logo_height(design)  # Word's, from [type]
            found = self._designs[fmt.name] = _digest(value)
        return found

    def _template_bytes(self, rel: str) -> bytes | None:
        """A file under templates/ by its relative path (None when there is none)."""
        if self._given is not None:
            return self._given.get(rel)
        path = Path(self.site.templates_dir) / rel
        return path.read_bytes() if path.is_file() else None

    @cached_property
    def package(self) -> str:
        return _dist_version("pressroom")

    @cached_property
    def words(self) -> str:
        """The code that places the words the renderers supply (headings, labels, dates)."""
        from . import wording
        from .render import common

        return _sha(b"".join(Path(m.__file__).read_bytes() for m in (common, wording)))

    def wording(self, language: str) -> str:
        """The words of a statement in `language` as its renderers get them (its catalog's
        messages, date locale, digits, era), hashed once per language in a build."""
        digest = self._wordings.get(language)
        if digest is None:
            from .wording import wording_for

            found = wording_for(self.site.templates_dir, language, self.site.settings)
            digest = self._wordings[language] = self.of_wording(found)
        return digest

    @staticmethod
    def of_wording(wording: Wording) -> str:
        return _digest({**asdict(wording), "messages": sorted(wording.messages.items())})

    @cached_property
    def settings(self) -> str:
        """The settings the renderers print, hashed once."""
        s = self.site.settings
        return _digest({"name": s.name, "short_name": s.short_name, "base_url": s.base_url,
                        "about": s.about, "organisation": s.organisation,
                        "contacts": [asdict(c) for c in s.contacts],
                        "default_language": s.default_language})

    def organisation(self, org: Organisation) -> str:
        """One organisation's entry, hashed once per build."""
        # By the entry itself: a statement shows it in its own language (`in_language`).
        digest = self._orgs.get(org)
        if digest is None:
            digest = self._orgs[org] = _digest(asdict(org))
        return digest

    def key(self, document: Document, fmt: Format | str) -> str:
        """The input key of one output of `document`."""
        marked = (document.draft, document.preview,
                  document.embargoed_until.isoformat() if document.embargoed_until else None)
        return self.key_of(fmt, document.record_sha256,
                           [self.organisation(o) for o in (document.issuer,
                                                           *document.endorsers)],
                           sorted(document.links.items()), marked,
                           self.of_wording(document.wording), document.alternates)

    def key_of(self, fmt: Format | str, record_sha256: str, organisations: list[str],
               links: list, marked: tuple = (False, False, None), wording: str = "",
               alternates: tuple = ()) -> str:
        """The key from its parts: what a build checks without parsing the record (the
        manifest keeps the organisations a statement shows). `alternates`: its translation
        group (model.Alternate): the page links every language, and a translation takes
        its shared fields from the original's published version."""
        fmt = get_format(fmt) if isinstance(fmt, str) else fmt
        parts = {
            "format": fmt.name,
            "record": record_sha256,
            "templates": self.templates(fmt),
            "design": self.design(fmt),
            "settings": self.settings,
            "organisations": organisations,
            "words": self.words,
            "wording": wording,
            "marked": list(marked),
            "links": [list(pair) for pair in links] if fmt.name == "html" else [],
            "pressroom": self.package,
            "renderer": self.renderer(fmt),
        }
        group = _group_part(fmt.name, alternates)
        if group:  # left out otherwise: a statement with no translation keeps its key
            parts["group"] = group
        return _digest(parts)

    def renderer(self, fmt: Format) -> str:
        found = self._renderers.get(fmt.name)
        if found is None:
            found = self._renderers[fmt.name] = fmt.library_version
        return found


def _group_part(fmt: str, alternates: tuple) -> list:
    """What of a translation group an output shows: a translation's every format, the
    original's version (the shared fields come from it; set on a translation's alternates
    only); the page, every language and its address too."""
    original = [a.version for a in alternates if a.original and a.version is not None]
    if fmt != "html" or not alternates:
        return original
    return [original, [[a.language, a.statement_id, a.original] for a in alternates]]


def _digest(value) -> str:
    return _sha(json.dumps(value, sort_keys=True, ensure_ascii=False,
                           default=str).encode("utf-8"))


def _combined(hashes: dict[str, str]) -> str:
    return _sha("".join(f"{k}\0{v}\n" for k, v in sorted(hashes.items())).encode())
