"""The deliverables: charts, the client-ready HTML report and its PDF, seller files, CRM files.

Modules (each imported only when used, nothing happens at import time):

* :mod:`.style`  - the one chart style: palette readable in grey, fonts, money axes;
* :mod:`.charts` - the report's charts, each a :class:`matplotlib.figure.Figure`;
* :mod:`.html`   - executed notebook -> one self-contained HTML file (template ``alms_report``);
* :mod:`.report_layout` and :mod:`.report_typst` - that HTML -> the report's PDF, laid out
  by Typst (``templates/alms_report/report.typ``) from the HTML read back as a layout;
* :mod:`.pdf`    - HTML -> PDF with WeasyPrint (the manager's pack, and a report page holding
  what the Typst layout does not know), fetching nothing but data: URIs and the template's
  own files.
"""
