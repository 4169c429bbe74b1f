"""French is the default language and its catalogue is complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_french_entry_is_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOGUE)):
        for placeholder in ("%(", "{"):
            if placeholder in entry.msgid:
                translations = [entry.msgstr] if entry.msgstr else entry.msgstr_plural.values()
                for translation in translations:
                    assert translation.count(placeholder) == entry.msgid.count(placeholder), (
                        entry.msgid
                    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogue_has_every_string_of_the_code(tmp_path):
    """Run makemessages on a copy and compare: a string added to the code without a French
    translation fails here."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", ".data", "staticfiles", "node_modules", "__pycache__", "tests", "*.mo"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
            "--ignore=staticfiles",
            "--ignore=.venv",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "spip.settings"},
    )
    fresh = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    missing = sorted(
        entry.msgid for entry in fresh if not entry.obsolete and not entry.translated()
    )
    assert not missing, f"strings without a French translation: {missing}"
