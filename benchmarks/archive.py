"""How fast is `pressroom build` on a whole archive, against its render floor and pandoc?

Generates a synthetic archive of N published statements, deterministic from `--seed`, whose
mix is pinned to real shapes: paragraphs, footnotes, URLs per footnote, endorsers, the share
of each statement type and of non-Latin scripts are drawn from what the tuned importer
corpus (tests/fixtures/archive-shapes/tuned/, its expected records and, for paragraphs, its
inputs between each record's first and last body words) and the seed statement show. Text is
the seed's sentences, or for a non-Latin statement the sentences of our own per-script
fixture (tests/fixtures/scripts/); endorsers come from the site's organisations.yaml.

Then prints, in one run, for each N: the full build's wall time and throughput at --jobs 1
and --jobs 2, the same statements' render floor (the three renderers alone, one process),
the scaling ratio, the no-op rebuild, the rebuild after one record, one template and one
organisation change, peak memory per worker, the cost per statement, pandoc on the same
statements as the peer; and once, `pressroom publish ID --direct` as a whole process against
a process that imports the rendering libraries and renders once. Every target is printed as
the measured ratio beside it with PASS or MISS; none fails the run. The figures come from a
shared 2-core machine: they are noisy, and ratios measured in the same run are what to read.

    .venv/bin/python benchmarks/archive.py [--sizes 100,1000] [--big] [--seed N]
                                           [--no-pandoc] [--pandoc-sample N] [--process-runs N]
                                           [--rounds N]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime
import html
import inspect
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src"
SAMPLE_ID = "2022-02-10-kazakhstan-crackdown"
SEED_PATH = REPO / "statements" / f"{SAMPLE_ID}.md"
CORPUS = REPO / "tests" / "fixtures" / "archive-shapes" / "tuned" / "inputs"
SCRIPTS = REPO / "tests" / "fixtures" / "scripts"
FORMATS = ("html", "pdf", "docx")
NON_LATIN = {"ar": "ar", "bn": "bn", "km": "km", "my": "my", "ne": "hi", "ru": "ru",
             "th": "th", "ur": "ur", "zh-Hans": "zh", "zh-Hant": "zh", "hi": "hi",
             "zh": "zh", "ja": "ja", "ko": "ko", "si": "si", "ta": "ta"}  # language -> fixture
COUNTRIES = ("Kazakhstan", "Myanmar", "Cambodia", "Thailand", "Philippines", "Bangladesh",
             "Sri Lanka", "Nepal", "Indonesia", "Malaysia", "Pakistan", "Viet Nam")
TOPICS = ("freedom of assembly", "freedom of expression", "internet shutdowns",
          "human rights defenders", "arbitrary detention", "refugees")
FONT_PATHS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"]

sys.path.insert(0, str(SRC))
sys.path.insert(0, str(REPO / "tests"))


# --- the mix: measured, then drawn from --------------------------------------------------


@dataclasses.dataclass
class Mix:
    """Observed values, one per statement (or per footnote for `urls`), drawn from as is."""

    paragraphs: list[int]
    footnotes: list[int]
    urls: list[int]  # per footnote
    endorsers: list[int]
    types: list[str]
    languages: list[str]
    sources: int = 0
    paragraphs_measured: int = 0

    def summary(self) -> dict[str, str]:
        def dist(values: list[int]) -> str:
            if not values:
                return "none"
            return (f"mean {statistics.mean(values):5.2f}  median {statistics.median(values):4g}"
                    f"  range {min(values)}-{max(values)}")

        types = collections.Counter(self.types)
        shares = "  ".join(f"{t} {types[t] / len(self.types):.0%}" for t in sorted(types))
        non_latin = sum(lang in NON_LATIN for lang in self.languages) / len(self.languages)
        return {"paragraphs": dist(self.paragraphs), "footnotes": dist(self.footnotes),
                "URLs per footnote": dist(self.urls), "endorsers": dist(self.endorsers),
                "type": shares, "non-Latin script": f"{non_latin:.0%}"}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _source_blocks(path: Path) -> list[str]:
    raw = path.read_text("utf-8")
    if path.suffix in (".html", ".htm"):
        raw = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", "", raw)
        raw = re.sub(r"(?i)<br\s*/?>", "\n", raw)
        raw = re.sub(r"(?i)</?(p|div|li|h[1-6]|blockquote|tr|section|article|ul|ol|header|"
                     r"footer|nav|aside|main|table)\b[^>]*>", "\n\n", raw)
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return [_flat(b) for b in re.split(r"\n\s*\n", raw) if b.strip()]


def _paragraphs_between(path: Path, starts: str | None, ends: str | None) -> int | None:
    """The number of blocks from the one holding the body's first words to the one holding
    its last words, in the input as the old archive serves it."""
    if not starts or not ends:
        return None
    blocks = _source_blocks(path)
    first = next((i for i, b in enumerate(blocks) if _flat(starts) in b), None)
    if first is None:
        return None
    last = next((i for i in range(len(blocks) - 1, first - 1, -1) if _flat(ends) in blocks[i]),
                None)
    return None if last is None else last - first + 1


def measured_mix() -> Mix:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    mix = Mix([], [], [], [], [], [])
    for expected in sorted(CORPUS.glob("*.expected.yaml")):
        want = yaml.load(expected.read_text("utf-8"))
        stem = expected.name.removesuffix(".expected.yaml")
        source = next(p for p in CORPUS.iterdir() if p.stem == stem and p != expected)
        mix.sources += 1
        notes = want.get("footnotes") or []
        mix.footnotes.append(len(notes))
        mix.urls.extend(len(re.findall(r"https?://", n)) for n in notes)
        mix.endorsers.append(len(want.get("endorsers") or []))
        mix.types.append(want.get("type") or "statement")
        mix.languages.append(want.get("language") or "en")
        count = _paragraphs_between(source, want.get("body_starts"), want.get("body_ends"))
        if count is not None:
            mix.paragraphs.append(count)
            mix.paragraphs_measured += 1
    # The seed statement, from its record.
    from pressroom.site import load_site

    site = load_site(REPO)
    seed = site.load(SAMPLE_ID)
    mix.sources += 1
    mix.paragraphs.append(len(seed.body.blocks))
    mix.paragraphs_measured += 1
    mix.footnotes.append(len(seed.footnotes))
    mix.urls.extend(len(f.urls) for f in seed.footnotes)
    mix.endorsers.append(len(seed.endorsers))
    mix.types.append(str(getattr(seed.type, "value", seed.type)))
    mix.languages.append(seed.language)
    return mix


# --- the text the generator composes from ------------------------------------------------


def _body_and_meta(path: Path) -> tuple[dict, list[str]]:
    from ruamel.yaml import YAML

    text = path.read_text("utf-8")
    _, front, body = text.split("---\n", 2)
    meta = YAML(typ="safe").load(front)
    paragraphs = [p.strip() for p in body.split("\n\n")
                  if p.strip() and not p.lstrip().startswith("[^")]
    clean = [re.sub(r"\[\^\d+\]", "", p) for p in paragraphs]
    return meta, clean


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip()]


@dataclasses.dataclass
class Texts:
    seed_meta: dict
    seed_paragraph_sentences: list[int]
    seed_sentences: list[str]
    scripts: dict[str, tuple[dict, list[str]]]  # fixture code -> (front matter, paragraphs)
    organisations: list[str]


def texts() -> Texts:
    from pressroom.site import load_site

    meta, paragraphs = _body_and_meta(SEED_PATH)
    scripts = {}
    for path in sorted(SCRIPTS.glob("*.md")):
        code = path.stem.rsplit("-", 1)[-1]
        scripts[code] = _body_and_meta(path)
    orgs = sorted(load_site(REPO).organisations)
    return Texts(meta, [len(_sentences(p)) for p in paragraphs],
                 [s for p in paragraphs for s in _sentences(p)], scripts, orgs)


def generate(mix: Mix, source: Texts, n: int, seed: int) -> dict[str, str]:
    """`n - 1` records (the site's own seed statement makes n): id -> Markdown."""
    rng = random.Random(seed)
    records = {}
    start = datetime.date(2012, 1, 1)
    for i in range(1, n):
        when = start + datetime.timedelta(days=(i * 7919) % 4700)
        sid = f"{when.isoformat()}-bench-{i:05d}"
        language = rng.choice(mix.languages)
        script = NON_LATIN.get(language)
        kind = rng.choice(mix.types)
        paragraphs_wanted = max(1, rng.choice(mix.paragraphs))
        if script and script in source.scripts:
            meta, units = source.scripts[script]
            title = f"{meta['title']} ({i})"
            language = meta.get("language", language)
            paragraphs = [rng.choice(units) for _ in range(paragraphs_wanted)]
            note_text = units
        else:
            language = "en"  # Latin-script languages of the corpus get the seed's English
            title = f"Statement {i}: " + source.seed_meta["title"].split(": ", 1)[-1]
            paragraphs = []
            for _ in range(paragraphs_wanted):
                k = rng.choice(source.seed_paragraph_sentences)
                at = rng.randrange(len(source.seed_sentences))
                paragraphs.append(" ".join(source.seed_sentences[(at + j) % len(
                    source.seed_sentences)] for j in range(k)))
            note_text = source.seed_sentences
        notes = []
        for k in range(rng.choice(mix.footnotes)):
            urls = rng.choice(mix.urls) if mix.urls else 1
            if urls:
                notes.append("; ".join(f"<https://www.example.org/bench/{i}/{k + 1}/{u}>"
                                       for u in range(urls)))
            else:
                notes.append(rng.choice(note_text)[:200])
        for k in range(len(notes)):
            at = k * len(paragraphs) // len(notes)
            paragraphs[at] = paragraphs[at] + f"[^{k + 1}]"
        endorsers_wanted = min(rng.choice(mix.endorsers), len(source.organisations))
        issuer = rng.choice(("forum-asia", "forum-asia", rng.choice(source.organisations)))
        others = [o for o in source.organisations if o != issuer]
        endorsers = ([issuer, *rng.sample(others, endorsers_wanted - 1)]
                     if endorsers_wanted else [])
        countries = rng.sample(COUNTRIES, rng.choice((1, 1, 1, 2)))
        topics = rng.sample(TOPICS, rng.choice((1, 2, 3)))
        front = (f"---\nid: {sid}\ntype: {kind}\ntitle: {_quoted(title)}\n"
                 f"date: {when.isoformat()}\nplace: Bangkok\nlanguage: {language}\n"
                 f"countries: [{', '.join(countries)}]\ntopics: [{', '.join(topics)}]\n"
                 f"issued_by: {issuer}\nendorsers: [{', '.join(endorsers)}]\n"
                 "state: published\n---\n")
        body = "\n\n".join(paragraphs)
        if notes:
            body += "\n\n" + "\n".join(f"[^{k + 1}]: {t}" for k, t in enumerate(notes))
        records[sid] = front + body + "\n"
    return records


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generated_mix(site, ids: list[str]) -> Mix:
    mix = Mix([], [], [], [], [], [])
    for sid in ids:
        statement = site.load(sid)
        mix.paragraphs.append(len(statement.body.blocks))
        mix.footnotes.append(len(statement.footnotes))
        mix.urls.extend(len(f.urls) for f in statement.footnotes)
        mix.endorsers.append(len(statement.endorsers))
        mix.types.append(str(getattr(statement.type, "value", statement.type)))
        mix.languages.append(statement.language)
    return mix


def make_archive(root: Path, mix: Mix, source: Texts, n: int, seed: int) -> tuple[list[str],
                                                                                 float]:
    """The repository's site with n published statements (the seed and n - 1 generated),
    each adopted by its Manager as a fresh clone's are. Returns the ids, and seconds taken."""
    from conftest import copy_site
    from pressroom.people import acting
    from pressroom.site import load_site
    from pressroom.workflow import Workflow

    started = time.perf_counter()
    copy_site(root)
    site = load_site(root)
    records = generate(mix, source, n, seed)
    for sid, text in records.items():
        site.record_path(sid).write_text(text, encoding="utf-8")
    site = load_site(root)
    flow, who = Workflow(site), acting(site.settings)
    for sid in records:
        flow.perform(who, sid, "adopt", rules=False)
    return [SAMPLE_ID, *records], time.perf_counter() - started


# --- measurements ------------------------------------------------------------------------


def timed_build(root: Path, **kwargs):
    from pressroom.build import build
    from pressroom.site import load_site

    started = time.perf_counter()
    report = build(load_site(root), **kwargs)
    return report, time.perf_counter() - started


def render_floor(root: Path, ids: list[str]) -> tuple[float, dict[str, float],
                                                     dict[str, float]]:
    """Seconds to render every statement in the three formats, in this one process, after
    one warm-up; each statement's own render time; and each format's total."""
    from pressroom import formats
    from pressroom.site import load_site

    site = load_site(root)
    documents = [(sid, site.document(site.load(sid))) for sid in ids]
    renderers = [formats.get_format(f) for f in FORMATS]
    warm = site.document(site.load(SAMPLE_ID))
    for r in renderers:
        r.render(warm, site.templates_dir)
    each, per_format = {}, dict.fromkeys(FORMATS, 0.0)
    for sid, document in documents:
        total = 0.0
        for r in renderers:
            started = time.perf_counter()
            r.render(document, site.templates_dir)
            took = time.perf_counter() - started
            per_format[r.name] += took
            total += took
        each[sid] = total
    return sum(each.values()), each, per_format


def parallel_floor(root: Path, ids: list[str], processes: int = 2) -> float:
    """Statements a second when `processes` processes do nothing but render at once, each
    every `processes`-th statement (a warm-up each, then timed alone): what two cores of
    this machine give two renderers, with no build around them. Their sum over twice the
    one-process floor is the ceiling of the `--jobs 2` ratio here."""
    paths = [str(REPO / "benchmarks"), str(REPO / "tests")]
    code = (f"import sys, json; sys.path[:0] = {paths!r}\n"
            "from pathlib import Path\nimport archive\n"
            "ids = json.loads(sys.stdin.read())\n"
            "took, _each, _per = archive.render_floor(Path(sys.argv[1]), ids)\n"
            "print(len(ids) / took)\n")
    children = [subprocess.Popen([sys.executable, "-c", code, str(root)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, env=subprocess_env())
                for _ in range(processes)]
    for i, child in enumerate(children):
        child.stdin.write(json.dumps(ids[i::processes]))
        child.stdin.close()
    rates = []
    for child in children:
        out = child.stdout.read()
        if child.wait():
            raise RuntimeError("a render-floor process failed")
        rates.append(float(out.split()[-1]))
    return sum(rates)


def pandoc_path() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def pandoc_version(path: str) -> str:
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[0]


def has_typst_writer(path: str) -> bool:
    out = subprocess.run([path, "--list-output-formats"], capture_output=True, text=True)
    return "typst" in out.stdout.split()


TYPST_COMPILE = ("import sys, typst\n"
                 "typst.compile(sys.argv[1], output=sys.argv[2], font_paths=sys.argv[3:])\n")


def pandoc_peer(root: Path, ids: list[str], pandoc: str, work: Path) -> tuple[float, int]:
    """html + docx + a typst PDF per statement with pandoc, a process chain per statement
    (pandoc -> html; pandoc -> docx; pandoc -> typst, then a typst compile process: typst-py,
    as no typst command is installed), two chains at a time. Returns (seconds, failures)."""
    work.mkdir(parents=True, exist_ok=True)
    compile_script = work / "typst_compile.py"
    compile_script.write_text(TYPST_COMPILE, encoding="utf-8")
    fonts = " ".join(FONT_PATHS)

    def chain(sid: str) -> int:
        src = root / "statements" / f"{sid}.md"
        out = work / sid
        command = (f"{pandoc} {src} -f markdown -s -o {out}.html && "
                   f"{pandoc} {src} -f markdown -o {out}.docx && "
                   f"{pandoc} {src} -f markdown -t typst -s -o {out}.typ && "
                   f"{sys.executable} {compile_script} {out}.typ {out}.pdf {fonts}")
        return subprocess.run(["sh", "-c", command], capture_output=True).returncode

    chain(ids[0])  # warm-up (page cache)
    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(chain, ids))
    return time.perf_counter() - started, sum(1 for c in codes if c)


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get(
        "PYTHONPATH") else "")
    return env


def process_times(command: list[str], runs: int, before=None) -> list[float]:
    times = []
    env = subprocess_env()
    for _ in range(runs + 1):  # the first is a warm-up (page cache)
        if before:
            before()
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        elapsed = time.perf_counter() - started
        if done.returncode:
            raise RuntimeError(f"{command[:4]} failed: {done.stderr[-600:]}")
        times.append(elapsed)
    return times[1:]


# --- printing ----------------------------------------------------------------------------

RESULTS: list[str] = []


def row(label: str, value: str, note: str = "") -> None:
    line = f"  {label:<34}{value:>28}"
    if note:
        line += f"  {note}"
    print(line, flush=True)
    RESULTS.append(label)


def target(label: str, measured: float, goal: float, *, at_least: bool, unit: str = "",
           note: str = "") -> None:
    ok = measured >= goal if at_least else measured < goal
    sign = ">=" if at_least else "<"
    row(label, f"{measured:.2f}{unit}", f"target {sign} {goal:g}{unit}  "
        f"{'PASS' if ok else 'MISS'}" + (f"  ({note})" if note else ""))


def mb(n: int) -> float:
    return n / 1e6


def changed_record(root: Path, sid: str):
    """Edit one record, republish it, and rebuild: (report, seconds, republish seconds)."""
    from pressroom.people import acting
    from pressroom.site import load_site
    from pressroom.workflow import Workflow

    site = load_site(root)
    path = site.record_path(sid)
    text = path.read_text("utf-8")
    body_at = text.index("---\n", 4) + 4
    path.write_text(text[:body_at] + "An added first paragraph: the record changed.\n\n"
                    + text[body_at:], encoding="utf-8")
    started = time.perf_counter()
    Workflow(site).perform(acting(site.settings), sid, "republish", rules=False)
    republish = time.perf_counter() - started
    report, seconds = timed_build(root, jobs=2)
    return report, seconds, republish


def one_size(n: int, args, mix: Mix, source: Texts, tmp: Path, pandoc: str | None) -> dict:
    from pressroom.build import build
    from pressroom.site import load_site

    root = tmp / f"site-{n}"
    ids, setup = make_archive(root, mix, source, n, args.seed)
    print(f"\n== N = {n:,}: {len(ids):,} published statements "
          f"(made and adopted in {setup:.1f} s)", flush=True)
    if n == args.sizes[0]:
        print("  generated mix:")
        for name, value in generated_mix(load_site(root), ids).summary().items():
            print(f"    {name:<20}{value}")

    # The host's speed drifts by a quarter within minutes (other tenants): the floor and the
    # --jobs 2 build are measured in alternation, `--rounds` times each, and each side's
    # fastest round is compared (what it costs when the host is not busy elsewhere).
    first, t1 = timed_build(root, jobs=1)
    floors, builds = [], []
    for _ in range(args.rounds):
        floors.append(render_floor(root, ids))
        shutil.rmtree(root / "output")
        builds.append(timed_build(root, jobs=2))
    floor, each, per_format = min(floors, key=lambda f: f[0])
    floor_rate = len(ids) / floor
    second, t2 = min(builds, key=lambda b: b[1])
    for report in (first, *(b[0] for b in builds)):
        if report.failures or report.rendered != len(ids):
            print(f"  !! build: rendered {report.rendered} of {len(ids)}, "
                  f"{len(report.failures)} failures: {report.failures[:3]}")
    rate1, rate2 = len(ids) / t1, len(ids) / t2
    row("build --jobs 1", f"{t1:8.2f} s {rate1:8.1f} st/s", f"({first.files} files)")
    row("build --jobs 2", f"{t2:8.2f} s {rate2:8.1f} st/s", f"({second.files} files)")
    row("render floor (1 process)", f"{floor:8.2f} s {floor_rate:8.1f} st/s",
        f"({floor / len(ids) * 1000:.1f} ms a statement: html "
        f"{per_format['html'] / len(ids) * 1000:.1f}, pdf {per_format['pdf'] / len(ids) * 1000:.1f}"
        f", docx {per_format['docx'] / len(ids) * 1000:.1f})")
    row("scaling (jobs 2 / jobs 1)", f"{rate2 / rate1:.2f}")
    target("jobs 2 / (2 x floor rate)", rate2 / (2 * floor_rate), 0.85, at_least=True,
           note=f"fastest of {args.rounds} rounds each")
    if args.rounds > 1:
        row("  each round (floor, build)", "  ".join(
            f"{f[0] / (2 * b[1]):.2f}" for f, b in zip(floors, builds, strict=True)),
            f"(floors {', '.join(f'{len(ids) / f[0]:.1f}' for f in floors)} st/s; builds "
            f"{', '.join(f'{len(ids) / b[1]:.1f}' for b in builds)} st/s)")
    pair = parallel_floor(root, ids)
    row("two render floors at once", f"{pair:8.1f} st/s",
        f"({pair / (2 * floor_rate):.2f} of 2 x floor: the machine's ceiling for the ratio above)")
    row("jobs 2 / two floors at once", f"{rate2 / pair:.2f}",
        "(the build's own cost, with the machine's parallel loss taken out)")
    row("build overhead at jobs 1", f"{t1 / floor:.2f}x floor",
        f"({(t1 - floor) / len(ids) * 1000:.1f} ms a statement over rendering)")

    noop, tn = timed_build(root, jobs=2)
    row("no-op rebuild", f"{tn:8.2f} s", f"(rendered {noop.rendered}, skipped {noop.skipped})")
    if n >= 10_000:
        target("  no-op rebuild at 10,000", tn * 10_000 / n, 2.0, at_least=False, unit=" s")
    else:
        target("  no-op projected to 10,000", tn * 10_000 / n, 2.0, at_least=False,
               unit=" s", note=f"linear from N = {n:,}")

    # One record changed and republished: one in the seed's script, one not.
    site = load_site(root)
    non_latin = [s for s in ids if site.load(s).language in NON_LATIN]
    latin = [s for s in ids if s not in non_latin]
    picks = [("one record changed: rebuild", latin[len(latin) // 2])]
    if non_latin:
        picks.append(("one non-Latin record changed", non_latin[len(non_latin) // 2]))
    for label, sid in picks:
        rec, tr, republish = changed_record(root, sid)
        row(label, f"{tr:8.2f} s", f"(rendered {rec.rendered}, files {rec.files}; "
            f"republish itself {republish:.2f} s; {site.load(sid).language})")
        target("  rebuild - that statement's render", tr - each[sid], 1.0, at_least=False,
               unit=" s", note=f"its render {each[sid] * 1000:.0f} ms")

    # One template of one format: the PDF's page design.
    typ = root / "templates" / "typst" / "statement.typ"
    typ.write_text(typ.read_text("utf-8") + "\n// a change to the page design\n",
                   encoding="utf-8")
    tpl, tt = timed_build(root, jobs=2)
    row("one template changed (PDF)", f"{tt:8.2f} s {len(ids) / tt:8.1f} st/s",
        f"(rendered {tpl.rendered}, files {tpl.files}: PDFs only if = {len(ids)}; "
        f"{tt / per_format['pdf']:.2f}x the PDF floor)")

    # One organisation shown by a fraction of the statements.
    site = load_site(root)
    shows, shown = collections.Counter(), collections.defaultdict(list)
    for s in ids:
        st = site.load(s)
        for key in {st.issued_by, *st.endorsers}:
            shows[key] += 1
            shown[key].append(s)
    key = min((k for k in shows if k != "forum-asia"),
              key=lambda k: (abs(shows[k] / len(ids) - 0.2), k))
    orgs = site.organisations_path
    name = site.organisations[key].name
    orgs.write_text(orgs.read_text("utf-8").replace(f"name: {name}\n",
                                                    f"name: {name} (renamed)\n", 1),
                    encoding="utf-8")
    org, to = timed_build(root, jobs=2)
    row("one organisation changed", f"{to:8.2f} s",
        f"({key}, shown by {shows[key]} = {shows[key] / len(ids):.0%}; rendered "
        f"{org.rendered}, files {org.files}; "
        f"{to / sum(each[s] for s in shown[key]):.2f}x their render floor)")

    peak = max(second.peak_rss, noop.peak_rss, tpl.peak_rss, org.peak_rss)
    target("peak RSS per worker (jobs 2)", mb(peak), 300, at_least=False, unit=" MB")
    row("peak RSS, jobs 1 (coordinator)", f"{mb(first.peak_rss):.0f} MB",
        "(this benchmark's process: it renders in-process)")
    row("cost per statement (jobs 1)", f"{t1 / len(ids) * 1000:.1f} ms")
    row("cost per statement (jobs 2)", f"{t2 / len(ids) * 1000:.1f} ms")

    if "via" in inspect.signature(build).parameters:
        nb_root = tmp / f"site-{n}-nb"
        shutil.copytree(root, nb_root, symlinks=True)
        shutil.rmtree(nb_root / "output")
        nb, tnb = timed_build(nb_root, jobs=2, via="notebook")
        row("build --jobs 2 --via notebook", f"{tnb:8.2f} s {len(ids) / tnb:8.1f} st/s",
            f"(rendered {nb.rendered}; notebook / direct {tnb / t2:.2f}x)")
    else:
        row("build --jobs 2 --via notebook", "not built", "(build() has no `via` yet)")

    result = {"n": len(ids), "t1": t1, "t2": t2, "rate2": rate2, "root": root, "ids": ids}
    if pandoc:
        sample = ids[: min(len(ids), args.pandoc_sample)]
        tp, failed = pandoc_peer(root, sample, pandoc, tmp / f"pandoc-{n}")
        rate_p = len(sample) / tp
        row("pandoc, 2 chains at a time", f"{tp:8.2f} s {rate_p:8.1f} st/s",
            f"({len(sample)} statements, {failed} chains failed)")
        target("pressroom jobs 2 / pandoc (2 procs)", rate2 / rate_p, 10, at_least=True,
               unit="x")
    else:
        row("pandoc, 2 chains at a time", "not run", "(--no-pandoc)")
    return result


def publish_process(root: Path, runs: int) -> None:
    """`pressroom publish ID --direct` as a whole process, against a process importing the
    rendering libraries and rendering the same statement once."""
    output = root / "output" / SAMPLE_ID

    def clear():  # so that every run renders (an unchanged statement would be skipped)
        shutil.rmtree(output, ignore_errors=True)

    publish = process_times([sys.executable, "-m", "pressroom", "-C", str(root), "publish",
                             SAMPLE_ID, "--direct"], runs, clear)
    bare_code = (
        "import io, json, sys, tempfile, typst, docx, jinja2, ruamel.yaml, markdown_it, click\n"
        "from pathlib import Path\n"
        "text = Path(sys.argv[1]).read_text('utf-8')\n"
        "front, body = text.split('---\\n', 2)[1:]\n"
        "meta = ruamel.yaml.YAML(typ='safe').load(front)\n"
        "html = markdown_it.MarkdownIt().render(body)\n"
        "jinja2.Environment(autoescape=True).from_string('<h1>{{ t }}</h1>{{ b }}').render("
        "t=meta['title'], b=html)\n"
        "paras = [p for p in body.split('\\n\\n') if p.strip()]\n"
        "d = docx.Document()\n"
        "for p in paras:\n    d.add_paragraph(p)\n"
        "d.save(io.BytesIO())\n"
        "t = Path(tempfile.mkdtemp()) / 'floor.typ'\n"
        "t.write_text('#set page(paper: \"a4\")\\n#set text(font: \"Noto Serif\")\\n'\n"
        "  '#let d = json(bytes(sys.inputs.data))\\n= #d.title\\n'\n"
        "  '#for p in d.paras [#p\\n\\n]\\n')\n"
        f"typst.compile(str(t), format='pdf', font_paths={FONT_PATHS!r}, sys_inputs={{'data': "
        "json.dumps({'title': meta['title'], 'paras': paras})})\n")
    bare = process_times([sys.executable, "-c", bare_code,
                          str(root / "statements" / f"{SAMPLE_ID}.md")], runs)
    ours_code = (
        "import sys\nfrom pressroom import formats\nfrom pressroom.site import load_site\n"
        "site = load_site(sys.argv[1])\n"
        "d = site.document(site.load(sys.argv[2]))\n"
        "for f in formats.names():\n    formats.get_format(f).render(d, site.templates_dir)\n")
    ours = process_times([sys.executable, "-c", ours_code, str(root), SAMPLE_ID], runs)
    p, f, o = statistics.median(publish), statistics.median(bare), statistics.median(ours)
    print(f"\n== one statement as a process (median of {runs}; output/{SAMPLE_ID} removed "
          "before each publish so that it renders)", flush=True)
    row("pressroom publish ID --direct", f"{p:8.2f} s")
    row("python: import libraries + 1 render", f"{f:8.2f} s",
        "(typst, python-docx, Jinja2, ruamel.yaml, markdown-it, click; the tools alone, "
        "html + docx + PDF of the seed's text)")
    row("python: our 3 renderers, 1 render", f"{o:8.2f} s",
        "(load_site + pressroom.formats, no publish machinery)")
    target("publish / import-and-render", p / f, 2.0, at_least=False, unit="x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000",
                        help="comma-separated archive sizes (default 100,1000)")
    parser.add_argument("--big", action="store_true", help="also N = 10,000")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-pandoc", action="store_true")
    parser.add_argument("--pandoc-sample", type=int, default=100,
                        help="statements of each archive given to pandoc (default 100)")
    parser.add_argument("--process-runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3,
                        help="floor and --jobs 2 build measured in alternation, this many "
                             "times each; the fastest of each compared (default 3)")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.big and 10_000 not in args.sizes:
        args.sizes.append(10_000)

    print(f"Archive build benchmark; seed {args.seed}; {os.cpu_count()} cores; Python "
          f"{sys.version.split()[0]}. A shared machine: other work runs beside this, so "
          "absolute figures are noisy; compare the ratios of this one run.")
    mix = measured_mix()
    print(f"\nmeasured mix ({mix.sources} records: the tuned corpus's expected records and the "
          f"seed; paragraphs from {mix.paragraphs_measured} of them):")
    for name, value in mix.summary().items():
        print(f"    {name:<20}{value}")
    source = texts()
    print(f"  organisations to draw endorsers from: {len(source.organisations)} (endorser "
          "counts above that are capped)")

    pandoc = None
    if not args.no_pandoc:
        pandoc = pandoc_path()
        if pandoc is None:
            print("pandoc: not installed; the peer is not run")
        elif not has_typst_writer(pandoc):
            print(f"pandoc: {pandoc_version(pandoc)} has no typst writer; the peer is not run")
            pandoc = None
        else:
            print(f"pandoc: {pandoc_version(pandoc)} ({pandoc}); typst compile through "
                  "typst-py in its own process (no typst command installed)")

    results = []
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        for n in args.sizes:
            results.append(one_size(n, args, mix, source, Path(tmp), pandoc))
        if len(results) > 1:
            print("\n== linearity (cost per statement, jobs 1 and jobs 2)")
            base = results[0]
            for r in results[1:]:
                for jobs in ("t1", "t2"):
                    ratio = (r[jobs] / r["n"]) / (base[jobs] / base["n"])
                    target(f"{r['n']:,} / {base['n']:,}, jobs {jobs[1]}", ratio, 1.25,
                           at_least=False, unit="x", note="per-statement cost; 1.00 is linear")
        publish_process(results[0]["root"], args.process_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
