"""Coverage-guided fuzzing of the record loader and the importer with atheris.

Run as a program: `python fuzz.py records|import SECONDS CRASH_DIR`. Each input is a record's
bytes (or a file to import); anything but diagnostics, a record, or a clear refusal is a
crash, which atheris reports on stderr and saves under CRASH_DIR; its last lines say how many
inputs it ran ("Done N runs").
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from pressroom.errors import PressroomError
    from pressroom.importer.core import import_text
    from pressroom.importer.sources import decode
    from pressroom.records import read_record

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from conftest import REPO  # noqa: E402

ORGS: dict = {}
WORK = Path(tempfile.mkdtemp(prefix="pressroom-fuzz-"))
RECORD = WORK / "2022-02-10-kazakhstan-crackdown.md"


def records(data: bytes) -> None:
    RECORD.write_bytes(data)
    read_record(RECORD, ORGS)


def imports(data: bytes) -> None:
    name = "page.html" if data[:1] == b"<" else "statement.txt"
    with contextlib.suppress(PressroomError):  # a clear refusal
        import_text(decode(data, name), name, ORGS, "forum-asia")


def main() -> None:
    target, seconds, crashes = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    from pressroom.site import load_site

    site = load_site(REPO)
    ORGS.update(site.organisations)
    seeds = WORK / "seeds"
    seeds.mkdir()
    sample = (REPO / "statements" / "2022-02-10-kazakhstan-crackdown.md").read_bytes()
    (seeds / "sample.md").write_bytes(sample)
    for n, path in enumerate(sorted((TESTS / "fixtures" / "records").glob("*.md"))):
        (seeds / f"r{n}.md").write_bytes(path.read_bytes()[:100_000])
    if target == "import":
        for n, path in enumerate(sorted((TESTS / "fixtures" / "archive").iterdir())):
            (seeds / f"a{n}").write_bytes(path.read_bytes())
    fn = records if target == "records" else imports
    crashes.mkdir(parents=True, exist_ok=True)
    atheris.Setup([sys.argv[0], f"-max_total_time={seconds}", "-rss_limit_mb=2048",
                   "-timeout=30", "-report_slow_units=1", "-max_len=65536", "-seed=1",
                   f"-artifact_prefix={crashes}/", str(seeds)], fn)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
