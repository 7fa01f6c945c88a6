"""The report's charts (matplotlib) and their style."""
