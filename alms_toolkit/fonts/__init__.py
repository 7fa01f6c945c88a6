"""The font family shipped with the toolkit ("ALMS Sans"): see :mod:`.faces`."""

from .faces import (
    FACES,
    FAMILY,
    FONT_DIR,
    LICENCE_FILE,
    Face,
    font_face_css,
    font_files,
)

__all__ = ["FAMILY", "FONT_DIR", "LICENCE_FILE", "Face", "FACES", "font_files", "font_face_css"]
