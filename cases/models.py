"""Models of the cases app (none yet: they arrive with the issue that builds it)."""
