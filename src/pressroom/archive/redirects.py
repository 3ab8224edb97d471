"""Old addresses keep working: a record's `source_url` (its address in the old archive)
becomes a small page at that path under output/ (a canonical link and a refresh to the
statement's page), and a line in map files for nginx and Apache, for hosts that can send a
real 301.

Only a path that stays inside output/ and meets nothing else there gets a page: no empty,
`.` or `..` part, no hidden name, nothing inside a statement's folder or the archive's own
pages. An address with a query (`pressrelease.php?perm=318`) cannot be a file: it is in
the map files only. Two records claiming one old address: the first by id keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from ..render.scripts import script_for
from .entries import Entry
from .pages import absolute, page_base, render_template, site_words

FOLDER = "redirects"
NGINX = f"{FOLDER}/nginx.map"
APACHE = f"{FOLDER}/apache.map"
RESERVED = frozenset({"index.html", "search.html", "search.js", "search-index.json",
                      "feed.atom", "sitemap.xml", "countries", "topics", FOLDER,
                      "archive-manifest.json"})
MAX_PART = 200


@dataclass(frozen=True)
class Redirect:
    old: str  # the old address's path and query, as the old site served it (%-encoded)
    file: str | None  # the page written for it under output/, if it can be a file
    entry: Entry


def plan_redirects(entries: list[Entry], taken: set[str] = frozenset()
                   ) -> tuple[list[Redirect], list[str]]:
    """The redirects of `entries` (withdrawn ones too: their old address leads to the
    tombstone), and a line for each old address left out. `taken`: top-level names of
    output/ that are not ours (every statement's folder)."""
    redirects: list[Redirect] = []
    problems: list[str] = []
    claimed: dict[str, str] = {}
    files: set[str] = set()
    blocked = RESERVED | set(taken) | {e.id for e in entries}
    for entry in sorted(entries, key=lambda e: e.id):
        url = entry.statement.source_url
        if not url:
            continue
        parts = urlsplit(url)
        path = parts.path or "/"
        old = quote(unquote(path), safe="/!&'()*+,;=:@-._~") + (
            f"?{parts.query}" if parts.query else "")
        if old in claimed:
            problems.append(f"{entry.id}: its old address {url} is also {claimed[old]}'s; "
                            f"it redirects to {claimed[old]}")
            continue
        if any(c.isspace() for c in old):
            problems.append(f"{entry.id}: its old address {url!r} has a space: no redirect")
            continue
        claimed[old] = entry.id
        file, why = _file_for(path, parts.query, blocked, files)
        if why:
            problems.append(f"{entry.id}: no page at its old address {url}: {why} (the map "
                            "files still redirect it)")
        if file:
            files.add(file)
        redirects.append(Redirect(old, file, entry))
    return redirects, problems


def _file_for(path: str, query: str, blocked: set[str], files: set[str]
              ) -> tuple[str | None, str | None]:
    if query:
        return None, "an address with a query cannot be a file"
    names = unquote(path).split("/")
    names = names[1:] if names and names[0] == "" else names
    if names and names[-1] == "":
        names = [*names[:-1], "index.html"]
    elif names and "." not in names[-1]:
        names = [*names, "index.html"]  # /a/b served as the folder /a/b/
    if not names or names == ["index.html"]:
        return None, "it is the site's front page"
    for name in names:
        if name in ("", ".", "..") or name.startswith(".") or "\\" in name \
                or "\0" in name or len(name.encode()) > MAX_PART:
            return None, f"{name!r} cannot be a name in output/"
    if names[0] in blocked:
        return None, f"output/{names[0]} is the archive's or a statement's own"
    file = "/".join(names)
    clash = [f for f in files if f.startswith(file + "/") or file.startswith(f + "/")]
    if file in files or clash:
        return None, "another old address is a file where it needs a folder"
    return file, None


def redirect_pages(site, redirects: list[Redirect], env, css) -> dict[str, bytes]:
    words = site_words(site)
    out: dict[str, bytes] = {}
    for r in redirects:
        if r.file is None:
            continue
        s = r.entry.statement
        up = "../" * r.file.count("/")
        out[r.file] = render_template(env, "archive/redirect.html.j2", {
            **page_base(site, words, css, up),
            "title": words.text("Moved: {title}", title=s.title),
            "heading": words.text("This page has moved"),
            "canonical": absolute(site, r.entry.page), "refresh": up + quote(r.entry.page),
            "target_title": s.title, "target_lang": s.language,
            "target_dir": script_for(s.language).direction,
        })
    return out


def map_files(site, redirects: list[Redirect]) -> dict[str, bytes]:
    """nginx and Apache maps from each old address to its statement's page (path only, under
    the base URL's path)."""
    base = urlsplit(site.settings.base_url).path or "/"
    base = base if base.endswith("/") else base + "/"
    pairs = [(r.old, base + quote(r.entry.page)) for r in sorted(redirects,
                                                                   key=lambda r: r.old)]
    nginx = ["# Old addresses of statements -> their pages. Written by Pressroom.",
             "# In the http block:",
             "#   map $request_uri $pressroom_moved {",
             "#       default \"\"; include /path/to/output/redirects/nginx.map; }",
             "# In the server block: if ($pressroom_moved) { return 301 $pressroom_moved; }"]
    nginx += [f"{_nginx(old)} {_nginx(new)};" for old, new in pairs]
    apache = ["# Old addresses of statements -> their pages. Written by Pressroom.",
              "# RewriteMap pressroom \"txt:/path/to/output/redirects/apache.map\"",
              "# RewriteCond ${pressroom:%{REQUEST_URI}} !=\"\"",
              "# RewriteRule ^ ${pressroom:%{REQUEST_URI}} [R=301,L]",
              "# (addresses with a query: RewriteCond \"%{REQUEST_URI}?%{QUERY_STRING}\" ...)"]
    apache += [f"{old} {new}" for old, new in pairs]
    return {NGINX: ("\n".join(nginx) + "\n").encode(),
            APACHE: ("\n".join(apache) + "\n").encode()}


def _nginx(value: str) -> str:
    """A value quoted for an nginx map (a quote or backslash escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
