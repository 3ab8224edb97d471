"""Importing statements from the old web archive (text exports and saved pages) as records.

`import_paths` is what `pressroom import` calls; `import_text` is its pure core.
"""

from .core import Imported, import_text
from .write import ImportReport, import_paths

__all__ = ["ImportReport", "Imported", "import_paths", "import_text"]
