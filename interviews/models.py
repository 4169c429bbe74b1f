"""Models of the interviews app (none yet: they arrive with the issue that builds it)."""
