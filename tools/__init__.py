"""Development tooling (`make demo` / `make test`: `python -m tools.devenv`). Not shipped:
nothing in the product imports it (see DESIGN.md)."""
