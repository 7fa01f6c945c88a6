"""The client report's PDF, laid out by Typst from the report's HTML.

WeasyPrint lays the report's HTML out in about 3 s of CPU (half a millisecond a word: the
end of every audit's critical path, issue 16); Typst lays the same pages out in a few
tenths of a second. :func:`write_report_pdf` reads the HTML back as a layout
(:func:`~.report_layout.report_layout`: the cover, the contents, then every heading,
paragraph, table, KPI row, callout and chart of the cells) and has
``templates/alms_report/report.typ`` print it in the report's visual language, in the
shipped "ALMS Sans" faces. A page holding anything outside the layout's vocabulary (a
firm's own markdown with a block quote, an image loaded from a file, a helper's own
classes) is printed from the HTML by WeasyPrint (:func:`~.pdf.html_to_pdf`) instead, the
way every report was before, so nothing is ever printed in a guessed layout; which one
printed it, and why, is logged at INFO on this module's logger.

Client text is never Typst markup: it reaches the template as JSON strings, printed as text.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from pathlib import Path

from ...atomic import write_bytes
from ...errors import ReportError
from .html import TEMPLATE_NAME
from .page_templates import pack_template_dir
from .report_layout import NotInLayout, report_layout
from .typst_faces import typst_fonts

__all__ = ["write_report_pdf", "report_pdf_bytes", "warm_up", "TEMPLATE_FILE", "report_logger"]

TEMPLATE_FILE = "report.typ"
report_logger = logging.getLogger("alms_toolkit.report.writers.report_typst")


class _TypstFailed(ReportError):
    """Typst refused the layout (what it says is in the message)."""


def warm_up() -> None:
    """Load Typst and find its faces now (the machine's fonts are listed once, a few tenths of
    a second), so the report's PDF starts at once (the audit runner calls it while the
    notebook runs)."""
    typst_fonts()


def report_pdf_bytes(html: str) -> bytes:
    """The report page ``html`` as PDF bytes laid out by Typst; raises
    :class:`~.report_layout.NotInLayout` when the page holds what the layout does not know,
    and a :class:`~alms_toolkit.errors.ReportError` when Typst cannot lay it out."""
    import typst

    layout = report_layout(html)
    template = pack_template_dir(TEMPLATE_NAME) / TEMPLATE_FILE
    with tempfile.TemporaryDirectory(prefix="alms-report-") as folder:
        root = Path(folder)
        shutil.copyfile(template, root / TEMPLATE_FILE)
        for name, data in layout.images.items():
            (root / name).write_bytes(data)
        try:
            pdf = typst.compile(str(root / TEMPLATE_FILE), root=str(root), font_paths=typst_fonts(),
                                sys_inputs={"data": json.dumps(layout.data, ensure_ascii=False)})
        except typst.TypstError as exc:  # an image Typst cannot read (an SVG of its own), say
            raise _TypstFailed(f"Typst could not lay the page out ({exc.message})") from exc
    return bytes(pdf)


def write_report_pdf(html: str, out_path: Path | str) -> Path:
    """The report page ``html`` as a PDF at ``out_path`` (written atomically): laid out by
    Typst, or by WeasyPrint from the HTML when the page holds what Typst's layout does not
    know (see the module docstring)."""
    out = Path(out_path)
    try:
        pdf = report_pdf_bytes(html)
    except (NotInLayout, _TypstFailed) as exc:
        from .pdf import html_to_pdf

        report_logger.info("%s: printed from the HTML (WeasyPrint): %s", out, exc)
        return Path(html_to_pdf(html, out))
    report_logger.info("%s: laid out by Typst", out)
    return write_bytes(out, pdf)
