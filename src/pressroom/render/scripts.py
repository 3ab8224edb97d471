"""Scripts of the region: which font, direction and line height a language needs.

One table for all three formats, so the web page, the PDF and the Word file pick the same
Noto family for a record's language (fonts from Debian's fonts-noto-core and fonts-noto-cjk).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    name: str  # ISO 15924 code
    font: str  # the Noto family that covers it (plus Latin, which every Noto face has)
    direction: str = "ltr"
    line_height: float = 1.4  # Burmese stacks are tall and Nastaliq lines collide at 1.4
    # Word keeps three font slots: ascii/hAnsi (Latin), eastAsia (CJK), cs (complex scripts)
    word_slot: str = "ascii"
    # How much larger the script's letters are set than Latin ones of the same nominal size,
    # so that both read alike (SIZE_NOTE below says how these were found). Applied to the
    # script's own letters only: Latin names and URLs inside stay at the Latin size.
    size: float = 1.0
    # Set when the font's files misreport their weights (fontconfig sees Noto Serif
    # Myanmar's Regular and Bold as one weight, so Chromium and typst may draw body text
    # with the Bold file): the (Regular, Bold) faces by full name, chosen explicitly.
    faces: tuple[str, str] | None = None

    @property
    def face_names(self) -> tuple[str, str]:
        """The full names of the (Regular, Bold) faces, as CSS local() and fontconfig know
        them."""
        return self.faces or (f"{self.font} Regular", f"{self.font} Bold")

    @property
    def own_faces(self) -> bool:
        """Whether the formats name this script's faces themselves (to size them, or to
        choose a weight the font files misreport) rather than leave it to the family."""
        return self.faces is not None or self.size != 1.0


# SIZE_NOTE: each script's sample sentence (tests/fixtures/scripts) set at 40 pt beside Latin
# text and compared by the height of its dense band of ink (the rows carrying at least a
# quarter of the busiest row's ink: Latin's x-height band) and by eye on page images. Naskh
# Arabic's band is about two thirds of Latin's; Thai, Bengali and Devanagari a little less
# than Latin's; Burmese, Khmer, Nastaliq and CJK already read as large as Latin.
LATIN = Script("Latn", "Noto Serif")

SCRIPTS: dict[str, Script] = {
    "Latn": LATIN,
    "Cyrl": Script("Cyrl", "Noto Serif"),
    "Thai": Script("Thai", "Noto Serif Thai", line_height=1.6, word_slot="cs", size=1.1),
    "Mymr": Script("Mymr", "Noto Serif Myanmar", line_height=2.0, word_slot="cs",
                   faces=("Noto Serif Myanmar Regular", "Noto Serif Myanmar Bold")),
    "Khmr": Script("Khmr", "Noto Serif Khmer", line_height=1.7, word_slot="cs"),
    "Beng": Script("Beng", "Noto Serif Bengali", line_height=1.6, word_slot="cs", size=1.1),
    "Deva": Script("Deva", "Noto Serif Devanagari", line_height=1.6, word_slot="cs", size=1.1),
    "Sinh": Script("Sinh", "Noto Serif Sinhala", line_height=1.6, word_slot="cs"),
    "Taml": Script("Taml", "Noto Serif Tamil", line_height=1.6, word_slot="cs"),
    "Hans": Script("Hans", "Noto Serif CJK SC", line_height=1.6, word_slot="eastAsia"),
    "Hant": Script("Hant", "Noto Serif CJK TC", line_height=1.6, word_slot="eastAsia"),
    "Jpan": Script("Jpan", "Noto Serif CJK JP", line_height=1.6, word_slot="eastAsia"),
    "Kore": Script("Kore", "Noto Serif CJK KR", line_height=1.6, word_slot="eastAsia"),
    "Arab": Script("Arab", "Noto Naskh Arabic", "rtl", line_height=1.8, word_slot="cs",
                   size=1.25),
    "Aran": Script("Aran", "Noto Nastaliq Urdu", "rtl", line_height=2.2, word_slot="cs"),
}

# BCP 47 primary language -> script, for the languages the network publishes in.
LANGUAGE_SCRIPTS: dict[str, str] = {
    "en": "Latn", "fr": "Latn", "id": "Latn", "ms": "Latn", "tl": "Latn", "vi": "Latn",
    "ru": "Cyrl", "kk": "Cyrl", "ky": "Cyrl", "mn": "Cyrl", "tg": "Cyrl",
    "th": "Thai", "my": "Mymr", "km": "Khmr", "bn": "Beng", "hi": "Deva", "ne": "Deva",
    "si": "Sinh", "ta": "Taml", "zh": "Hans", "ja": "Jpan", "ko": "Kore",
    "ar": "Arab", "fa": "Arab", "ps": "Arab", "ur": "Aran",
}


def script_for(language: str) -> Script:
    """The script of a BCP 47 tag: an explicit script subtag wins (zh-Hant), then the
    language's usual script, then Latin."""
    parts = language.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.title() in SCRIPTS:
            return SCRIPTS[part.title()]
    return SCRIPTS.get(LANGUAGE_SCRIPTS.get(parts[0].lower(), "Latn"), LATIN)
