"""National-scale benchmark (`make bench`): a generator of national-size data
(`spip.bench.national`), the measurements (`spip.bench.measure`), the load test
(`spip.bench.load`) and the runner that prints the table (`python -m spip.bench`)."""
