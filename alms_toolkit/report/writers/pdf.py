"""HTML -> PDF with WeasyPrint (no LaTeX, no browser), fetching nothing from outside.

The URL fetcher allows ``data:`` URIs and files inside one folder (the template's own
folder by default); anything else - ``file:///etc/passwd``, ``http://...``, a path that
climbs out of the folder - is refused: the fetcher raises, WeasyPrint leaves that
resource out, and the refusal is recorded (``SafeFetcher.refused``) and logged at INFO on
the ``alms_toolkit.report.writers.pdf`` logger. WeasyPrint's and fontTools' own warnings are kept
off the console.

Every PDF is set in the toolkit's own font family, "ALMS Sans" (:mod:`alms_toolkit.fonts`):
a page that does not declare its faces itself (the report's HTML does) gets them as a user
stylesheet of ``data:`` URIs, so no PDF depends on the fonts of the machine that made it.
The PDF is written to a temporary file and renamed, so an interrupted run never leaves a
half-written PDF under the final name.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ...atomic import atomic_path
from ...errors import ReportError
from ...fonts import font_face_css

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

__all__ = ["html_to_pdf", "SafeFetcher", "FetchRefused", "default_base_dir", "pdf_logger", "warm_up"]

pdf_logger = logging.getLogger("alms_toolkit.report.writers.pdf")
_NOISY_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset",
                  "fontTools.ttLib")


class FetchRefused(ValueError):
    """A resource outside the allowed folder (or not a data: URI) was asked for."""


def default_base_dir() -> Path:
    """The ``alms_report`` template folder: the only files a report may load."""
    from .html import TEMPLATE_NAME, find_template_dir

    return find_template_dir() / TEMPLATE_NAME


def _fetcher_base() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher

    return URLFetcher


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


class SafeFetcher:
    """WeasyPrint URL fetcher allowing only ``data:`` URIs and files under ``allowed_dir``.

    Built lazily on WeasyPrint's :class:`weasyprint.urls.URLFetcher` (see :meth:`create`).
    """

    allowed_dir: Path
    refused: list[str]

    @classmethod
    def create(cls, allowed_dir: Path | str) -> SafeFetcher:
        base = _fetcher_base()

        class _Fetcher(cls, base):  # type: ignore[misc, valid-type]
            def __init__(self, root: Path) -> None:
                base.__init__(self, allowed_protocols=("data", "file"), allow_redirects=False)
                self.allowed_dir = root
                self.refused: list[str] = []

            def fetch(self, url: str, headers: dict | None = None):  # noqa: ANN202
                self.check(url)
                return base.fetch(self, url, headers)

        return _Fetcher(Path(allowed_dir).resolve())

    def check(self, url: str) -> None:
        """Raise :class:`FetchRefused` unless ``url`` is a data: URI or a file in the folder."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return
        if scheme == "file":
            parts = urlsplit(url)
            if parts.netloc in ("", "localhost"):
                target = Path(unquote(parts.path)).resolve()
                if _inside(target, self.allowed_dir) and target.is_file():
                    return
        self.refused.append(url)
        pdf_logger.info("refused to fetch %s (only data: URIs and files in %s)", url, self.allowed_dir)
        raise FetchRefused(f"not allowed in a report: {url}")


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    """Keep WeasyPrint/fontTools warnings off the console (and out of a notebook's stderr)."""
    saved = []
    for name in _NOISY_LOGGERS:
        log = logging.getLogger(name)
        saved.append((log, log.level, log.propagate))
        log.setLevel(logging.CRITICAL)
        log.propagate = False
    try:
        yield
    finally:
        for log, level, propagate in saved:
            log.setLevel(level)
            log.propagate = propagate


def warm_up() -> None:
    """Import WeasyPrint and read the PDF faces now, so the first PDF starts at once (the
    audit runner calls it while the notebook runs)."""
    import weasyprint  # noqa: F401

    font_face_css("ttf")


@contextlib.contextmanager
def _font_configuration() -> Iterator[Any]:
    """WeasyPrint's font configuration for one PDF. WeasyPrint copies the page's font files
    into a temporary folder and removes it only when this object is garbage-collected, which
    never happens in a process that ends without a last collection (the ``alms`` command,
    :func:`alms_toolkit.cli.run`): the folder is removed here, once the PDF is written."""
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    try:
        yield config
    finally:
        folder = getattr(config, "_folder", None)  # WeasyPrint's own name for it (tests/test_pdf.py)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None


def _with_faces(html: str, base_uri: str, fetch: SafeFetcher, config: Any) -> tuple[str, list[Any]]:
    """``html`` set in the shipped faces, read as TrueType (:func:`~alms_toolkit.fonts.font_face_css`),
    and the stylesheets that give them: the page's own WOFF2 faces (the report's) are
    replaced; a page declaring none gets them as a stylesheet (read with ``config``)."""
    woff2 = font_face_css()
    if woff2 in html:
        return html.replace(woff2, font_face_css("ttf"), 1), []
    if font_face_css("ttf") in html:
        return html, []
    from weasyprint import CSS

    return html, [CSS(string=font_face_css("ttf"), base_url=base_uri, url_fetcher=fetch, font_config=config)]


def html_to_pdf(
    html: str,
    out_path: Path | str,
    *,
    base_url: Path | str | None = None,
    fetcher: SafeFetcher | None = None,
) -> Path:
    """Render ``html`` to a PDF at ``out_path`` (written atomically); return the path.

    ``base_url``: the folder relative URLs resolve against and the only folder files may be
    loaded from (default: the ``alms_report`` template folder). ``fetcher``: pass a
    :meth:`SafeFetcher.create` instance to inspect what was refused.
    """
    from weasyprint import HTML

    out = Path(out_path)
    base = Path(base_url) if base_url is not None else default_base_dir()
    if not base.is_dir():
        raise ReportError(f"{base}: the PDF's base folder does not exist")
    fetch = fetcher if fetcher is not None else SafeFetcher.create(base)
    try:
        with _quiet_libraries(), _font_configuration() as config, atomic_path(out) as tmp:
            base_uri = base.resolve().as_uri() + "/"
            page, sheets = _with_faces(html, base_uri, fetch, config)
            HTML(string=page, base_url=base_uri, url_fetcher=fetch).write_pdf(
                tmp, stylesheets=sheets, font_config=config)
    except Exception as exc:
        raise ReportError(f"{out}: the PDF could not be written ({exc})") from exc
    return out
