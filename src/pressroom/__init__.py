"""Pressroom: publish human-rights statements as Word, web page and archival PDF.

The public API; everything else is reached through its module. The names load on first use,
so `pressroom check` does not pay for importing nbconvert and the renderers.
"""

from importlib import import_module
from typing import Any

_PUBLIC = {
    "load_site": "site",
    "init_site": "site",
    "read_record": "records",
    "load_record": "records",
    "import_paths": "importer",
    "run_publication": "runner",
    "PressroomError": "errors",
    "RecordError": "errors",
    "ConfigError": "errors",
    "ImportRefused": "errors",
    "RenderError": "errors",
    "NotebookError": "errors",
    "WorkflowError": "errors",
    "UsageError": "errors",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'pressroom' has no attribute {name!r}")
    return getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
