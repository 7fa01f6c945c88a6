"""The run service: a run's folder (built aside, published whole), the stored audit, `alms audit`."""
