"""Build src/pressroom/templates/word/reference.docx from the package's design.toml.

The same as `pressroom styles --force` run in a site whose templates are the package's own
(the library's `wordstyles` module does the work); the output is byte-identical run after
run:

    .venv/bin/python scripts/make_reference_docx.py
"""

from __future__ import annotations

import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "pressroom" / "templates"


def main() -> int:
    from pressroom.wordstyles import write_styles

    written = write_styles(TEMPLATES, force=True)
    print(f"wrote {written.path}" if written.changed else f"{written.path} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
