"""One exception root; every message is written for the staff who will read it."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Diagnostic


class PressroomError(Exception):
    """Anything Pressroom refuses to do, said plainly. The CLI shows it without a traceback."""

    exit_code = 1

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: in a notebook, staff read the message.
        return str(self).splitlines()


class UsageError(PressroomError):
    """The command was asked for something that cannot be: a wrong option, an unknown id."""

    exit_code = 2


class ConfigError(PressroomError):
    """pressroom.toml or organisations.yaml is missing or invalid."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic] = ()):
        self.diagnostics = tuple(diagnostics)
        lines = [message, *(str(d) for d in self.diagnostics)]
        super().__init__("\n".join(lines))


class RecordError(PressroomError):
    """A statement record has errors; `diagnostics` says each one with its path and line."""

    def __init__(self, path: str, diagnostics: Sequence[Diagnostic]):
        self.path = path
        self.diagnostics = tuple(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error]
        head = f"{path}: {len(errors)} error(s); fix them and run again."
        super().__init__("\n".join([head, *(str(d) for d in errors)]))


class ImportRefused(PressroomError):
    """An input file is not a statement we can import (binary, empty, no body)."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: not imported: {reason}")


class RenderError(PressroomError):
    """A renderer failed: a template error (with file and line) or a missing glyph."""


class NotebookError(PressroomError):
    """The publication notebook failed; names the cell and keeps the executed notebook."""

    def __init__(self, message: str, cell: int | None = None, notebook: str | None = None):
        self.cell = cell
        self.notebook = notebook
        super().__init__(message)


def cell_name(index: int, source: str) -> str:
    """How every message names a notebook cell: its index in the kept notebook (the ledger's
    `failed_cell`) and its first line of code, never a second number (its execution count,
    which is another count of the same cell)."""
    lines = [line.strip() for line in source.splitlines()
             if line.strip() and not line.lstrip().startswith(("from ", "import ", "#"))]
    code = f"`{lines[0]}{'…' if len(lines) > 1 else ''}`" if lines else "an empty cell"
    return f"cell {index} ({code})"


class WorkflowError(PressroomError):
    """A workflow transition that the state or the actor's role does not allow."""


class BackupError(PressroomError):
    """A backup could not be made, or is incomplete or damaged and is not restored."""


class ReviewFileError(PressroomError):
    """A Word file handed back by a reviewer cannot be read safely: not a zip, too big once
    unpacked, a part missing or twice, XML with a DTD or nested past reason. Names the file and
    the part."""

    def __init__(self, path: str, reason: str, part: str | None = None):
        self.path = path
        self.part = part
        self.reason = reason
        where = f"{path} ({part})" if part else path
        super().__init__(f"{where}: not read: {reason}")
