"""Checking the public tree: every file in output/ against the manifest that describes it,
and every manifest against the store that says what is public.

`verify(site)` reads as its steps:

1. walk output/ (links are never followed; a link is itself a finding);
2. read the manifests: each statement folder's `manifest.json` and the archive's
   `archive-manifest.json`, each naming its files with their sha256;
3. every file a manifest names must be there (**missing**) with those bytes (**changed**:
   bit rot, a hand edit); every file no manifest names is **orphaned**;
4. every statement manifest must agree with the store (**mismatch**): a public one is the
   version the store serves now, a tombstone stands for a statement the store no longer
   serves, and every statement the store serves has its folder;
5. the archive's pages must be those the public set makes now (**stale**).

Nothing is written; the report lists every finding.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .archive import ARCHIVE_MANIFEST, archive_pages, public_entries
from .archive.build import statement_folders
from .errors import PressroomError
from .gate import served
from .versions import Versions

STATEMENT_MANIFEST = "manifest.json"
KINDS = ("missing", "changed", "orphaned", "mismatch", "stale")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    path: str  # relative to the site: output/...
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}: {self.detail}"


@dataclass(frozen=True)
class Verified:
    findings: tuple[Finding, ...]
    files: int  # files found in output/

    @property
    def ok(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, int]:
        return {k: n for k in KINDS if (n := sum(f.kind == k for f in self.findings))}

    def summary(self) -> str:
        if self.ok:
            return f"verify: all {self.files} file(s) in output/ check."
        counts = ", ".join(f"{n} {k}" for k, n in self.counts().items())
        return (f"verify: {len(self.findings)} problem(s) in output/ ({self.files} file(s)): "
                f"{counts}")


def verify(site) -> Verified:
    """Check output/ (see the module); nothing is changed."""
    found, links = _walk(site.output_dir)
    findings = [Finding("orphaned", f"output/{p}", "a link: nothing in output/ is one")
                for p in links]
    described: dict[str, tuple[str, str]] = {}  # path -> (sha256, manifest naming it)
    manifests: dict[str, dict] = {}
    for folder in sorted(statement_folders(site)):
        rel = f"{folder}/{STATEMENT_MANIFEST}"
        manifest = _manifest(found, rel, findings)
        if manifest is None:
            continue
        manifests[folder] = manifest
        for name, entry in (manifest.get("outputs") or {}).items():
            if isinstance(entry, dict) and "/" not in name:
                described[f"{folder}/{name}"] = (str(entry.get("sha256")), rel)
    archive = _manifest(found, ARCHIVE_MANIFEST, findings, quiet_missing=True)
    for path, entry in ((archive or {}).get("files") or {}).items():
        if isinstance(entry, dict):
            described[path] = (str(entry.get("sha256")), ARCHIVE_MANIFEST)
    findings += _files(found, described)
    findings += _against_store(site, manifests)
    findings += _stale(site, archive)
    return Verified(tuple(sorted(findings, key=lambda f: (KINDS.index(f.kind), f.path))),
                    len(found) + len(links))


def _walk(output: Path) -> tuple[dict[str, Path], list[str]]:
    """The regular files under output/ (relative path -> path), and any links."""
    files: dict[str, Path] = {}
    links: list[str] = []
    top = Path(output).resolve()
    if not top.is_dir():
        return files, links
    for folder, dirs, names in os.walk(top, followlinks=False):
        here = Path(folder)
        for name in [*dirs, *names]:
            path = here / name
            rel = path.relative_to(top).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                links.append(rel)
            elif stat.S_ISREG(mode):
                files[rel] = path
    return files, links


def _manifest(found: dict[str, Path], rel: str, findings: list[Finding],
              quiet_missing: bool = False) -> dict | None:
    path = found.get(rel)
    if path is None:
        if not quiet_missing:
            findings.append(Finding("missing", f"output/{rel}", "the folder's manifest"))
        return None
    try:
        manifest = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        findings.append(Finding("changed", f"output/{rel}", f"not a readable manifest: {exc}"))
        return None
    if not isinstance(manifest, dict):
        findings.append(Finding("changed", f"output/{rel}", "not a manifest (not an object)"))
        return None
    return manifest


def _files(found: dict[str, Path], described: dict[str, tuple[str, str]]) -> list[Finding]:
    out = []
    for rel, (digest, manifest) in sorted(described.items()):
        path = found.get(rel)
        if path is None:
            out.append(Finding("missing", f"output/{rel}", f"named in output/{manifest}"))
        elif _sha256(path) != digest:
            out.append(Finding("changed", f"output/{rel}", f"its bytes are not those output/"
                                                          f"{manifest} names"))
    manifests = {ARCHIVE_MANIFEST} | {m for _, m in described.values()}
    for rel in sorted(set(found) - set(described) - manifests):
        if rel.endswith(f"/{STATEMENT_MANIFEST}") and rel.count("/") == 1:
            continue
        out.append(Finding("orphaned", f"output/{rel}", "named in no manifest"))
    return out


def _against_store(site, manifests: dict[str, dict]) -> list[Finding]:
    out = []
    versions = Versions(site.runs_dir)
    serving = {}
    for statement_id in sorted(versions.published_ids()):
        try:
            serving[statement_id] = served(site, statement_id, versions=versions)
        except PressroomError as exc:
            out.append(Finding("mismatch", f"output/{statement_id}/", str(exc)))
    for folder, manifest in sorted(manifests.items()):
        where = f"output/{folder}/{STATEMENT_MANIFEST}"
        target = serving.get(folder)
        if manifest.get("withdrawn") is True:
            if target is not None:
                out.append(Finding("mismatch", where, "a tombstone, but the store serves "
                                   f"version {target.version.number}: publish it again"))
            continue
        if manifest.get("statement") != folder:
            out.append(Finding("mismatch", where, f"describes {manifest.get('statement')!r}, "
                               f"not the folder's statement {folder!r}"))
            continue
        if target is None:
            out.append(Finding("mismatch", where, "public in output/, but the store serves "
                               "no version of it (retracted, under embargo or never "
                               "published): build, or retract it again"))
            continue
        if manifest.get("public") is not True:
            out.append(Finding("mismatch", where, "a rendering that is not public sits in "
                               "output/"))
        if manifest.get("version") != target.version.number:
            out.append(Finding("mismatch", where, f"version {manifest.get('version')} in "
                               f"output/, but the store serves version "
                               f"{target.version.number}: build or republish it"))
        elif (manifest.get("record") or {}).get("sha256") != hashlib.sha256(
                target.data).hexdigest():
            out.append(Finding("mismatch", where, f"its record hash is not that of version "
                               f"{target.version.number} in the store"))
    for statement_id, target in sorted(serving.items()):
        if target is not None and statement_id not in manifests:
            out.append(Finding("missing", f"output/{statement_id}/", f"version "
                               f"{target.version.number} is published: build or publish it"))
    return out


def _stale(site, archive: dict | None) -> list[Finding]:
    entries, problems = public_entries(site, kept=False)  # every version parsed
    out = [Finding("mismatch", f"output/{p.split(':', 1)[0]}/", p.split(": ", 1)[1])
           for p in problems]
    files = archive_pages(site, entries, taken=statement_folders(site))
    if archive is None:
        return [*out, Finding("missing", f"output/{ARCHIVE_MANIFEST}", "the archive's pages "
                              "were never built: build them")]
    listed = {p: str(e.get("sha256")) for p, e in ((archive or {}).get("files") or {}).items()
              if isinstance(e, dict)}
    out += [Finding("stale", f"output/{p}", "the archive's pages are out of date with the "
                    "store: build them again")
            for p, data in sorted(files.items())
           if listed.get(p) != hashlib.sha256(data).hexdigest()]
    out += [Finding("stale", f"output/{p}", "no longer part of the archive: build it again")
            for p in sorted(set(listed) - set(files))]
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
