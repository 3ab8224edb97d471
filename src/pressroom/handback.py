"""The publication notebook in a build (`pressroom build --via notebook`): it renders and
hands its bytes back to the build instead of writing into the site.

The worker writes the job (the statement's published version and the keys of what is there)
into a folder of its own and runs the notebook with `build` set to that folder. The
notebook's cells run as always (the record's problems, the preview, the PDF's first page,
the Word outline), but "publish" writes the rendered files and their input keys into that
folder; the build's coordinator alone writes `output/` and the ledger, in this mode too.
"""

from __future__ import annotations

import json
from pathlib import Path

JOB = "job.json"
RECORD = "record.md"
KEYS = "keys.json"
ERROR = "error.txt"


def write_job(folder: Path, site, job) -> None:
    (folder / RECORD).write_bytes(job.record)
    (folder / JOB).write_text(json.dumps({
        "statement": job.statement_id, "version": job.version, "current": job.current,
        "force": job.force, "site": str(site.root),
        "alternates": [[a.language, a.statement_id, a.original, a.version]
                       for a in job.alternates]}), encoding="utf-8")


def read_back(folder: Path) -> tuple[dict[str, bytes], dict[str, str]]:
    """What the notebook handed back: the rendered files by format, and every key."""
    from .errors import PressroomError

    if (folder / ERROR).is_file():
        raise PressroomError((folder / ERROR).read_text(encoding="utf-8"))
    if not (folder / KEYS).is_file():
        raise PressroomError("the notebook ended without handing its files back")
    handed = json.loads((folder / KEYS).read_text(encoding="utf-8"))
    outputs = {fmt: (folder / f"out.{fmt}").read_bytes() for fmt in handed["rendered"]}
    return outputs, handed["keys"]


class _HandBackRun:
    """Stands in for the run context: in a build the coordinator records the run."""

    run_id = ""
    actor = ""
    target = None

    def __init__(self, folder: Path):
        self.folder = folder

    def fail(self, error, cell=None, notebook=None) -> None:
        (self.folder / ERROR).write_text(str(error), encoding="utf-8")

    def succeed(self) -> None:
        pass

    def record(self, published) -> None:
        pass


def start(folder: Path):
    """The notebook's run in a build (what `PublicationRun.start(..., build=folder)` gives)."""
    from .build import Job, prepare
    from .display import show
    from .inputs import Inputs
    from .model import Alternate
    from .notebook import BuildRun, diagnostics_table
    from .publish import Plan
    from .site import load_site

    spec = json.loads((folder / JOB).read_text(encoding="utf-8"))
    site = load_site(Path(spec["site"]))
    record = (folder / RECORD).read_bytes()
    job = Job(spec["statement"], record, spec["version"], spec["current"], spec["force"],
              alternates=tuple(Alternate(*a) for a in spec.get("alternates", ())))
    run = _HandBackRun(folder)
    _, diagnostics = site.read(folder / RECORD)
    show(diagnostics_table(diagnostics, site.record_path(job.statement_id)))
    prepared = prepare(site, Inputs(site), job)
    if isinstance(prepared, str):
        run.fail(prepared)
        from .errors import PressroomError

        raise PressroomError(prepared)
    document, keys, wanted = prepared
    plan = Plan(document, site.output_dir / job.statement_id, wanted, {}, None, keys)
    return BuildRun(site, plan, diagnostics, run)


def hand_back(folder: Path, rendered: dict[str, bytes], keys: dict[str, str]) -> None:
    for fmt, data in rendered.items():
        (folder / f"out.{fmt}").write_bytes(data)
    (folder / KEYS).write_text(json.dumps({"rendered": sorted(rendered), "keys": keys}),
                               encoding="utf-8")
