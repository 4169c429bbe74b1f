"""The deployed settings, with the benchmark's own pages added to the URLs (the one-query
floor view and a Django admin changelist over people) and the bench app installed (its
`seed_national` command). Only `make bench` uses them."""

from spip.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.apps.BenchConfig"]  # noqa: F405
ROOT_URLCONF = "bench.urls"

# The bench resets alerts and writes reports: never against another database than its own.
if not DATABASES["default"]["NAME"].startswith(("spip_bench", "test_")):  # noqa: F405
    raise RuntimeError("bench.settings only runs against a spip_bench_* or test_* database")

# The tiny-scale test of the bench runs without `collectstatic`, like the other tests.
if env.bool("BENCH_PLAIN_STATIC", False):  # noqa: F405
    STORAGES = STORAGES | {  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
