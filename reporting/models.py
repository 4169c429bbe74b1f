"""Models of the reporting app (none yet: they arrive with the issue that builds it)."""
