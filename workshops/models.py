"""Models of the workshops app (none yet: they arrive with the issue that builds it)."""
