"""Compile every `.po` file under LOCALE_PATHS into its `.mo`, in pure Python.

Django's `compilemessages` needs GNU gettext's msgfmt, which a fresh machine may lack; the
bootstrap must not. Fuzzy entries are left out, as msgfmt does.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's translations (.po to .mo) without GNU gettext."

    def handle(self, *args: object, **options: object) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalogue = polib.pofile(str(po_path))
                for entry in catalogue.fuzzy_entries():
                    catalogue.remove(entry)
                catalogue.save_as_mofile(str(mo_path))
                count += 1
        self.stdout.write(f"{count} translation catalogue(s) compiled.")
