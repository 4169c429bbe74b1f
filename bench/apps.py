from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Only `bench.settings` installs it: its one command is `seed_national`."""

    name = "bench"
    verbose_name = "Benchmark"
