"""PDF helpers shared by the council summary and the meeting minutes (fpdf2): the Unicode font when it is
installed, the cp1252 fallback for the core font, and the page's ink colours.

Font: DejaVu Sans Condensed (regular and bold; Debian/Ubuntu package ``fonts-dejavu-core``, also looked for in
the usual Fedora, Arch, macOS and user font folders). Without it a PDF falls back to the core font Helvetica in
its WinAnsi (cp1252) encoding: ``to_cp1252`` keeps what cp1252 has, maps the status symbols to ASCII and any
other character to its base letter or "?".
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

# -- fonts ---------------------------------------------------------------------------------------------------
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
    Path.home() / "Library" / "Fonts",
    Path("/Library/Fonts"),
)
FONT_FILES = (("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"), ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
FAMILY = "KSSans"
# Replacements for the core-font fallback (cp1252 has ë, é, –, ’ but not these).
ASCII_SYMBOLS = {"✔": "+", "↗": "/", "✖": "x", "↘": "\\", "•": "-", "≥": ">=", "≤": "<=", "−": "-"}


def unicode_font_files() -> tuple[Path, Path] | None:
    """Regular and bold DejaVu Sans (Condensed preferred) when installed, else ``None``."""
    for regular, bold in FONT_FILES:
        for folder in FONT_DIRS:
            if (folder / regular).is_file() and (folder / bold).is_file():
                return folder / regular, folder / bold
    return None


def to_cp1252(text: str) -> str:
    """Text for the core font: keep what cp1252 has, map the status symbols, strip other accents, else '?'."""
    out = []
    for ch in text:
        ch = ASCII_SYMBOLS.get(ch, ch)
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("cp1252", errors="ignore").decode("cp1252")
            out.append(base or "?")
    return "".join(out)


# -- colours (RGB) -------------------------------------------------------------------------------------------
INK, GREY, LIGHT = (26, 26, 26), (85, 85, 85), (242, 242, 242)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#D55E00' -> (213, 94, 0)."""
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
