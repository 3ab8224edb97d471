"""Reviews: reading the comments and tracked changes reviewers put in a Word file.

`read_review(path)` is the reader (reader.py) over a hostile-file guard (safezip.py); the
types it returns are in model.py; accept/reject text rules in ooxml.py.
"""

from .model import Change, ChangeKind, Comment, Paragraph, Place, Review, StoryKind
from .reader import read_review

__all__ = ["Change", "ChangeKind", "Comment", "Paragraph", "Place", "Review", "StoryKind",
           "read_review"]
