"""National-scale benchmark (`make bench`): a generator of national-size data
(`bench.national`), the measurements (`bench.measure`), the load test (`bench.load`) and the
runner that prints the table (`python -m bench`).

Tooling, not shipped (see DESIGN.md): nothing in the product imports it. It is also a small
Django app, installed by `bench.settings` only, for its `seed_national` command."""
