"""LibreOffice as a test client: convert documents with `soffice --headless --convert-to`.

Each call runs one soffice process with a new, throw-away profile (so runs never share a lock
file or a crashed profile) and a timeout; pass several files to one call, since starting
LibreOffice costs most of the time. Raises `ConversionFailed` with soffice's own output when a
file does not come out.

    pdfs = convert([a_docx, b_docx], "pdf", out_dir)   # [out_dir/a.pdf, out_dir/b.pdf]
    text = pdf_text(pdfs[0])                           # pdftotext's text, pages split by \f
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


class ConversionFailed(AssertionError):
    """soffice did not produce every file asked for."""


def convert(sources: Sequence[Path], fmt: str = "pdf", out_dir: Path | None = None, *,
            timeout: float = 180) -> list[Path]:
    """Convert `sources` to `fmt` ('pdf', 'txt', 'docx', 'odt', ...) in one soffice run;
    returns the converted files in the order of `sources`. Files with the same stem would
    overwrite each other in `out_dir`, so that is refused."""
    if SOFFICE is None:
        raise ConversionFailed("LibreOffice (soffice) is not installed: "
                               "run scripts/system-packages.sh test")
    sources = [Path(s).resolve() for s in sources]
    stems = [s.stem for s in sources]
    if len(set(stems)) != len(stems):
        raise ValueError(f"two sources share a file name stem: {stems}")
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="lo-out-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    extension = fmt.split(":", 1)[0]  # "txt:Text (encoded):UTF8" writes .txt
    targets = [out_dir / f"{s.stem}.{extension}" for s in sources]
    for target in targets:
        target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        env = {**os.environ, "SAL_ENABLE_FILE_LOCKING": "0", "TZ": "UTC"}
        for var in ("PYTHONPATH", "PYTHONHOME"):  # soffice's own Python must not see ours
            env.pop(var, None)
        cmd = [SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--norestore", "--nologo", "--convert-to", fmt, "--outdir", str(out_dir),
               *map(str, sources)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env=env, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionFailed(f"soffice took over {timeout:.0f} s converting "
                                   f"{len(sources)} file(s)") from exc
    missing = [t for t in targets if not t.is_file() or t.stat().st_size == 0]
    if proc.returncode != 0 or missing:
        raise ConversionFailed(
            f"soffice exited {proc.returncode}; not converted: {[m.name for m in missing]}\n"
            f"stdout: {proc.stdout}\nstderr: {proc.stderr}")
    return targets


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (UTF-8, pages separated by form feeds)."""
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True, timeout=60)
    return proc.stdout.decode("utf-8")


def pdf_fonts(pdf: Path) -> set[str]:
    """The fonts a PDF embeds, as poppler's pdffonts names them, subset prefix removed
    ('NotoSerifThai-Regular')."""
    proc = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, timeout=60)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()[2:]
    return {line.split()[0].split("+", 1)[-1] for line in lines if line.strip()}


def libreoffice_review(draft: Path, out: Path, plan: dict) -> dict:
    """LibreOffice as a reviewer: tests/uno_reviewer.py carries out `plan` on `draft` under
    Debian's Python with its uno module and saves `out`; returns what it reports."""
    import json

    plan_path = out.with_suffix(".json")
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(TZ="UTC", SAL_ENABLE_FILE_LOCKING="0")
    script = Path(__file__).resolve().parent / "uno_reviewer.py"
    done = subprocess.run(["/usr/bin/python3", str(script), str(draft), str(out),
                           str(plan_path)], capture_output=True, text=True, env=env,
                          timeout=180, check=False)
    assert done.returncode == 0 and out.is_file(), done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
