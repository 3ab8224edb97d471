"""The user's cache folder: what a process can make again, kept to save the next one time
(each font file's coverage, compiled Jinja templates). Never a site's data: deleting it
costs time only, and nothing in it changes a byte of any output.

$XDG_CACHE_HOME/pressroom (by default ~/.cache/pressroom); a folder that cannot be written
is no error: the work is done again each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import types
from functools import cache
from itertools import islice
from pathlib import Path

JINJA_LIMIT = 1000  # compiled templates kept in one folder before it is emptied


def cache_dir(name: str) -> Path | None:
    """The folder for one kind of kept work (it may not exist, and may not be writable);
    None when PRESSROOM_NO_CACHE is set: then nothing is kept, and nothing is written
    outside the site at all."""
    if os.environ.get("PRESSROOM_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pressroom" / name


@cache
def _jinja_cache(folder: Path | None):
    if folder is None:
        return None
    import jinja2
    import jinja2.bccache

    class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
        """Jinja's own bytecode cache (it checks each template's source and the Python
        version), for which a folder it cannot read or write is no error."""

        def load_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError, ValueError, EOFError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

        def get_bucket(self, environment, name, filename, source):
            # Keyed by the template's name and source, not by its file's path as Jinja's
            # own key is: a build's workers copy the site into a new temporary folder
            # each, and would otherwise compile every template again (80 ms a worker).
            checksum = self.get_source_checksum(source)
            key = hashlib.sha1(f"{name}\0{checksum}".encode()).hexdigest()
            bucket = jinja2.bccache.Bucket(environment, key, checksum)
            self.load_bytecode(bucket)
            if bucket.code is not None and filename and bucket.code.co_filename != filename:
                # Compiled from another folder's copy: a template's error names its file
                # from the code, so the code is told the file it now comes from.
                bucket.code = _refiled(bucket.code, filename)
            return bucket

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        kept = QuietBytecodeCache(str(folder))
        # Every edit of a template adds an entry: kept bounded.
        with os.scandir(folder) as entries:
            full = sum(1 for _ in islice(entries, JINJA_LIMIT + 1)) > JINJA_LIMIT
        if full:
            kept.clear()
    except OSError:
        return None
    return kept


def _refiled(code: types.CodeType, filename: str) -> types.CodeType:
    consts = tuple(_refiled(c, filename) if isinstance(c, types.CodeType) else c
                   for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def jinja_bytecode_cache(kind: str):
    """A bytecode cache for one kind of Jinja Environment (`kind`: one folder for each set of
    Environment options, which the compiled code depends on and Jinja's cache key does not
    name): a process then loads each template compiled instead of compiling it (60 ms for a
    statement's page); None where there is no folder."""
    return _jinja_cache(cache_dir(f"jinja-{kind}"))
