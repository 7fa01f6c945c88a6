"""What the report and the notebooks show: tables shaped for display, the narrative, display helpers, the notebook's audit."""
