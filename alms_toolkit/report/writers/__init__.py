"""The files a run hands over: HTML and PDF report, CSV/CRM lists, seller workbooks and PDFs."""
