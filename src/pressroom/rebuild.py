"""What the cells of `notebooks/rebuild_archive.ipynb` call: run a build, show its progress,
its summary and failures as tables, and the archive by year and by country.
The notebook holds no logic."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from .build import BuildReport, build
from .display import Table
from .people import acting
from .site import Site, load_site


def run_build(force: bool = False, jobs: int = 0, only: str = "", site: str = "",
              via: str = "direct") -> BuildReport:
    """Build the archive as `pressroom build` does, as whoever is logged in (a Manager)."""
    from .errors import UsageError
    from .model import Role

    the_site = load_site(Path(site) if site else None)
    who = acting(the_site.settings)
    who.require_person(the_site.settings, "build the archive")
    if not who.has(Role.MANAGER):
        raise UsageError(f"Building the archive needs the role Manager; {who.name} does not "
                         "have it.")
    bar = _Bar()
    ids = [i.strip() for i in only.split(",") if i.strip()]
    report = build(the_site, jobs=jobs or None, force=force, only=ids, actor=who.name,
                   progress=bar, via=via)
    bar.done(report)
    return report


class _Bar:
    """A progress line updated in place in the notebook."""

    def __init__(self):
        self.handle = None

    def __call__(self, done: int, total: int, statement_id: str) -> None:
        text = f"{done} of {total} rendered (last: {statement_id})"
        try:
            from IPython.display import HTML, display
        except ImportError:
            return
        shown = HTML(f"<progress value='{done}' max='{total}'></progress> "
                     f"{html.escape(text)}")
        if self.handle is None:
            self.handle = display(shown, display_id=True)
        elif done == total or done % max(1, total // 50) == 0:
            self.handle.update(shown)

    def done(self, report: BuildReport) -> None:
        if self.handle is not None:
            from IPython.display import HTML

            self.handle.update(HTML(f"Rendered {report.rendered} of {report.total}."))


def summary(report: BuildReport) -> Table:
    rate = report.rendered / report.seconds if report.seconds else 0.0
    rows = [("build", report.build_id), ("public statements", report.total),
            ("rendered", report.rendered), ("files written", report.files),
            ("unchanged, skipped", report.skipped), ("failed", len(report.failures)),
            ("archive pages written", report.pages), ("seconds", f"{report.seconds:.1f}"),
            ("statements per second", f"{rate:.1f}"),
            ("peak memory of a worker", f"{report.peak_rss / 2**20:.0f} MB")]
    return Table(f"Build {report.build_id}: every run is in the ledger (pressroom log)",
                 ("", "value"), rows)


def failures(report: BuildReport):
    """The failures as a table, or one plain sentence when there are none."""
    if not report.failures:
        from IPython.display import Markdown

        return Markdown("No statement failed.")
    return Table(f"{len(report.failures)} statement(s) failed: fix the record (or the "
                 "organisation it names) and build again", ("statement", "why"),
                 [(f.statement_id, f.error) for f in report.failures])


def counts(site: Site) -> tuple[Counter, Counter]:
    """Public statements by year and by country, from their published versions."""
    from .gate import statement_from_bytes
    from .versions import Versions

    versions = Versions(site.runs_dir)
    states = versions.record_states()
    years: Counter = Counter()
    countries: Counter = Counter()
    for sid, version in sorted(versions.latest_published_all().items()):
        if states.get(sid, "published") != "published":
            continue
        statement, _ = statement_from_bytes(site, site.record_path(sid), versions.data(version))
        if statement is None:
            continue
        years[statement.date.year] += 1
        for country in statement.countries or ("(none given)",):
            countries[country] += 1
    return years, countries


def chart(site: str = "", top: int = 15):
    """The archive by year and by country: two bar charts, inline SVG (no plotting library
    needed in the kernel)."""
    from IPython.display import HTML

    years, countries = counts(load_site(Path(site) if site else None))
    return HTML("<div>" + bars("Statements by year", [(str(y), n) for y, n in sorted(
        years.items())]) + bars(f"Statements by country (the {top} with most)",
                                countries.most_common(top)) + "</div>")


def bars(title: str, items: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as SVG, labelled for screen readers."""
    row, label_w, bar_w = 18, 170, 360
    height = 24 + row * max(len(items), 1) + 8
    most = max((n for _, n in items), default=1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
             f'height="{height}" role="img" aria-label="{html.escape(title)}" '
             'font-family="sans-serif" font-size="12">',
             f'<text x="0" y="14" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, n) in enumerate(items):
        y = 24 + i * row
        width = max(1, round(bar_w * n / most))
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">'
                     f'{html.escape(label[:28])}</text>'
                     f'<rect x="{label_w}" y="{y + 2}" width="{width}" height="{row - 5}" '
                     f'fill="#3b6ea5"><title>{html.escape(label)}: {n}</title></rect>'
                     f'<text x="{label_w + width + 4}" y="{y + 12}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)
