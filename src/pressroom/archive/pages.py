"""The archive's own pages: the index by year, a page per country and per topic, search.

Pure: entries in, bytes out. Each page stands alone (its CSS inline, as the statement pages
do) and links only within output/, relatively, so the tree works wherever it is served and
from disk. Templates come from the site's templates/archive/ when it has them, else
from the package's (a site made before the archive existed still gets its pages).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .. import wording
from ..errors import RenderError
from ..render.scripts import script_for
from ..site import PACKAGE_TEMPLATES
from ..translations import language_name
from .entries import Entry

CSS_FILES = ("css/screen.css", "archive/archive.css")


@dataclass(frozen=True)
class Term:
    """A country or a topic: its name as shown, its page, and the statements under it."""

    name: str
    slug: str
    entries: tuple[Entry, ...]


def site_words(site) -> wording.Wording:
    """The archive's words, dates and digits: those of the site's own language (its
    `default_language`), as its pages are said to be in it."""
    return wording.wording_for(site.templates_dir, site.settings.default_language,
                               site.settings)


def listed(entries: Iterable[Entry]) -> list[Entry]:
    """The entries the lists, feed, sitemap and search show: not the withdrawn ones."""
    return [e for e in entries if not e.withdrawn]


def index_pages(site, entries: list[Entry]) -> dict[str, bytes]:
    """index.html, countries/, topics/ and search.html, by path under output/."""
    shown = listed(entries)
    env = environment(_html_dirs(site.templates_dir))
    css = Markup(stylesheet(site.templates_dir))
    words = site_words(site)
    name = site.settings.name
    out: dict[str, bytes] = {}

    def render(path: str, template: str, **page: Any) -> None:
        root = "../" * path.count("/")
        base = page_base(site, words, css, root)
        out[path] = render_template(env, template, {**base, "canonical": absolute(site, path),
                                                    **page})

    def count(n: int) -> str:
        return words.text("Statements: {count}", count=wording.number(words, n))

    heading = words.text("Statements")
    render("index.html", "archive/index.html.j2", title=f"{heading} – {name}",
           heading=heading, here="index", years=years(shown, "", words))
    heading = words.text("Search the statements")
    render("search.html", "archive/search.html.j2", title=f"{heading} – {name}",
           heading=heading, here="search")
    for folder, label, terms in (("countries", words.text("Countries"), countries(shown)),
                                 ("topics", words.text("Topics"), topics(shown))):
        render(f"{folder}/index.html", "archive/terms.html.j2",
               title=f"{label} – {name}", heading=label, here=folder,
               terms=[{"name": t.name, "href": quote(f"{t.slug}.html"),
                       "count": wording.number(words, group_count(t.entries))}
                      for t in terms])
        for term in terms:
            render(f"{folder}/{term.slug}.html", "archive/listing.html.j2",
                   title=f"{term.name} – {name}", heading=term.name,
                   here=folder, count=count(group_count(term.entries)),
                   years=years(term.entries, "../", words))
    return out


def page_base(site, words: wording.Wording, css: Markup, root: str) -> dict[str, Any]:
    """What every archive page has: its language (the site's), the site's name, the CSS,
    the way back to output/, and the words of its language (`page.t("Countries")`)."""
    return {"lang": site.settings.default_language,
            "dir": script_for(site.settings.default_language).direction,
            "site_name": site.settings.name, "css": css, "root": root, "canonical": None,
            "refresh": None, "here": None, "t": words.text}


def years(entries: Iterable[Entry], prefix: str, words: wording.Wording
          ) -> list[dict[str, Any]]:
    """The entries grouped by year, newest year first, each as the list shows it."""
    groups: dict[int, list[dict[str, Any]]] = {}
    entries = list(entries)
    languages = translated(entries)
    for entry in entries:
        if entry.statement.translation_of in languages:
            continue  # listed once, under its original, with the group's languages
        found = item(entry, prefix, words)
        found["languages"] = [{"lang": e.statement.language, "href": prefix + quote(e.page),
                               "dir": script_for(e.statement.language).direction,
                               "name": language_name(e.statement.language)}
                              for e in languages.get(entry.id, ())]
        groups.setdefault(entry.statement.date.year, []).append(found)
    return [{"year": y, "statements": groups[y], "count": wording.number(
                words, len(groups[y])),
             # the heading in the era and digits of the dates under it
             "year_text": wording.number(words, y + (wording.BUDDHIST_ERA
                                                     if words.buddhist_era else 0))}
            for y in sorted(groups, reverse=True)]


def translated(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    """original's id -> its group among `entries` (itself first, then its translations by
    language), for each original listed with a translation."""
    entries = list(entries)
    by_id = {e.id: e for e in entries}
    out: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: e.statement.language.lower()):
        original = entry.statement.translation_of
        if original in by_id and by_id[original].statement.translation_of is None:
            out.setdefault(original, [by_id[original]]).append(entry)
    return out


def group_count(entries: Iterable[Entry]) -> int:
    """How many statements `entries` list, a translation group counted once."""
    entries = list(entries)
    folded = translated(entries)
    return sum(1 for e in entries if e.statement.translation_of not in folded)


def item(entry: Entry, prefix: str, words: wording.Wording) -> dict[str, Any]:
    """One statement as a list shows it: its title in its own language, its date and kind
    in the page's."""
    s = entry.statement
    return {"href": prefix + quote(entry.page), "title": s.title, "lang": s.language,
            "dir": script_for(s.language).direction, "date_iso": s.date.isoformat(),
            "date_text": wording.long_date(words, s.date), "kind": words.text(s.type.label),
            "countries": list(s.countries)}


def countries(entries: Iterable[Entry]) -> list[Term]:
    return _terms(entries, lambda s: s.countries)


def topics(entries: Iterable[Entry]) -> list[Term]:
    return _terms(entries, lambda s: s.topics)


def _terms(entries: Iterable[Entry], names) -> list[Term]:
    """Names grouped regardless of case and spacing ("Freedom of assembly" and "freedom of
    assembly" are one topic, shown as its first spelling), each with a slug of its own."""
    grouped: dict[str, tuple[str, list[Entry]]] = {}
    members_of: dict[str, set[str]] = {}  # by id: comparing whole entries made this quadratic
    for entry in entries:
        for name in dict.fromkeys(" ".join(n.split()) for n in names(entry.statement)):
            if not name:
                continue
            key = name.casefold()
            if key not in grouped:
                grouped[key] = (name, [])
                members_of[key] = set()
            if entry.id not in members_of[key]:
                members_of[key].add(entry.id)
                grouped[key][1].append(entry)
    taken: set[str] = {"index"}
    out = []
    for key in sorted(grouped):
        name, members = grouped[key]
        base = slug(name)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        out.append(Term(name, candidate, tuple(members)))
    return sorted(out, key=lambda t: (t.name.casefold(), t.slug))


def slug(name: str) -> str:
    """A file name for a country or topic: lowercase words joined by hyphens, the accents
    of Latin letters dropped, other scripts kept with their marks ("Freedom of assembly" ->
    freedom-of-assembly, "Côte d'Ivoire" -> cote-d-ivoire, a Thai topic -> itself)."""
    decomposed = unicodedata.normalize("NFKD", name)
    text = unicodedata.normalize("NFC", "".join(
        c for c in decomposed if not 0x300 <= ord(c) <= 0x36F)).casefold()
    words, word = [], []
    for c in text:
        if unicodedata.category(c)[0] in "LMN":
            word.append(c)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return "-".join(words)[:80].strip("-") or "x"


def absolute(site, path: str) -> str:
    """The address under the site's base URL of a path under output/."""
    base = site.settings.base_url
    return (base if base.endswith("/") else base + "/") + quote(path)


# --- templates ---------------------------------------------------------------------------


def _html_dirs(templates_dir: Path) -> tuple[Path, ...]:
    """Where the archive's templates are looked up (as archive/NAME): the site's templates/,
    then the package's. They have a folder of their own, so a change to them changes no
    statement's web page, nor the input key it is rebuilt by."""
    own = Path(templates_dir).resolve()
    package = PACKAGE_TEMPLATES.resolve()
    return (own,) if own == package else (own, package)


@lru_cache(maxsize=8)
def environment(html_dirs: tuple[Path, ...]) -> jinja2.Environment:
    from ..usercache import jinja_bytecode_cache

    return jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in html_dirs]),
        bytecode_cache=jinja_bytecode_cache("archive"),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        trim_blocks=True, lstrip_blocks=True)


def render_template(env: jinja2.Environment, name: str, page: dict[str, Any]) -> bytes:
    try:
        return env.get_template(name).render(page=page).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or name}:{exc.lineno}: template error: "
                          f"{exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name!r} not found in the site's templates/ "
                          "or the package's") from exc
    except jinja2.TemplateError as exc:
        raise RenderError(f"{name}: template error: {exc}") from exc


def asset(templates_dir: Path, rel: str) -> bytes:
    """A file of the site's templates folder, else of the package's."""
    for base in (Path(templates_dir), PACKAGE_TEMPLATES):
        path = base / rel
        if path.is_file():
            return path.read_bytes()
    raise RenderError(f"{rel}: not in the site's templates/ nor in the package's")


def stylesheet(templates_dir: Path) -> str:
    css = "".join(asset(templates_dir, name).decode("utf-8") for name in CSS_FILES)
    if "</style" in css.lower():
        raise RenderError("a stylesheet may not contain '</style'")
    # archive.css sets the fonts screen.css expects from the statement's script.
    return css
