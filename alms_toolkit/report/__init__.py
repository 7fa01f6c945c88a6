"""The deliverables: charts, the client-ready HTML report and its PDF, seller files, CRM files.

Modules (each imported only when used, nothing happens at import time):

* :mod:`.style`  - the one chart style: palette readable in grey, fonts, money axes;
* :mod:`.charts` - the report's charts, each a :class:`matplotlib.figure.Figure`;
* :mod:`.html`   - executed notebook -> one self-contained HTML file (template ``alms_report``);
* :mod:`.pdf`    - that HTML -> PDF with WeasyPrint, fetching nothing but data: URIs and
  the template's own files.
"""
