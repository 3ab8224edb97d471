"""The house logo as the Word file takes it: the SVG itself and a PNG of it drawn by typst.

python-docx embeds only raster pictures, and only Word 2016 and later read an SVG
(`asvg:svgBlip`); older Word and LibreOffice 7.4 show the PNG that every picture must carry
as its main blip. typst draws the PNG from the same SVG the PDF draws, so the two agree.
The PNG is drawn once per logo and size in a process (about 90 ms), at print resolution.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .. import design as house
from ..errors import RenderError
from ..model import Design

PPI = 300  # print resolution: the logo is about 1 cm tall
# A page exactly the size of the picture, transparent; the SVG and its height come in as
# data (sys.inputs), never spliced into markup.
_DOCUMENT = b"""#set page(width: auto, height: auto, margin: 0pt, fill: none)
#image(bytes(sys.inputs.logo), format: "svg", height: float(sys.inputs.height) * 1pt)
"""
_drawn: dict[tuple[str, float], bytes] = {}


@dataclass(frozen=True)
class Logo:
    svg: bytes
    png: bytes
    width: float  # points, at `height`
    height: float


def word_logo(design: Design, templates_dir: Path) -> Logo | None:
    """The site's logo sized as the PDF sizes it (design.logo_height), or None without one.
    RenderError, naming the file and what typst said, when typst cannot draw it."""
    svg = house.logo_svg(design, templates_dir)
    if svg is None:
        return None
    height = house.logo_height(design)
    png = _png(svg, height, Path(templates_dir) / str(design.logo))
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return Logo(svg.encode("utf-8"), png, height * width_px / height_px, height)


def _png(svg: str, height: float, path: Path) -> bytes:
    key = (hashlib.sha256(svg.encode("utf-8")).hexdigest(), height)
    if key not in _drawn:
        import typst

        from .glyphs import FONT_DIRS  # an SVG's text is set in the PDF's fonts

        try:
            png = typst.compile(_DOCUMENT, format="png", ppi=PPI,
                                sys_inputs={"logo": svg, "height": f"{height:g}"},
                                font_paths=[str(d) for d in FONT_DIRS if d.is_dir()],
                                ignore_system_fonts=True)
        except typst.TypstError as exc:
            raise RenderError(
                f"{path}: the logo cannot be drawn for the Word file: {exc.message}. Open "
                "it in a drawing program and save it again as plain SVG, or take "
                "organisation.logo out of templates/design.toml.") from None
        if not isinstance(png, bytes) or png[:8] != b"\x89PNG\r\n\x1a\n":
            raise RenderError(f"{path}: the logo drew as more than one picture; an SVG "
                              "file holds one.")
        if len(_drawn) > 16:
            _drawn.clear()
        _drawn[key] = png
    return _drawn[key]
