"""The demo, seeded once for a test module inside a transaction that is rolled back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import django.apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from cases.reference import load_reference_data


@contextmanager
def seeded_demo(django_db_blocker, files_root) -> Iterator[str]:
    """`seed_demo` run against the test database, its files under `files_root` and plain
    static files (PDFs read them); yields what the command printed."""
    test_settings = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": files_root},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with django_db_blocker.unblock(), test_settings, transaction.atomic():
        # Transactional tests elsewhere empty the reference tables the migration filled.
        load_reference_data(django.apps.apps)
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
