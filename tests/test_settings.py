"""Settings come from the environment and a bad value stops start-up with its name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from spip.config import Env, read_env_file

ROOT = Path(__file__).resolve().parent.parent


def _start(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "spip.settings"} | overrides
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://somewhere/spip"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("SESSION_IDLE_MINUTES", "half an hour"),
        ("LOGIN_FAILURE_LIMIT", "0"),
        ("SECRET_KEY", "too-short"),
    ],
)
def test_bad_setting_stops_start_up_with_its_name(name, value):
    result = _start(**{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"The setting {name} " in result.stderr


def test_good_settings_start():
    result = _start()
    assert result.returncode == 0, result.stderr


def test_error_message_hides_the_database_password():
    result = _start(DATABASE_URL="mysql://spip:s3cret@db/spip")
    assert "DATABASE_URL" in result.stderr
    assert "s3cret" not in result.stderr


def test_env_sources_in_order(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nexport A=from-file\nB='quoted value'\n\nC=3\n")
    env = Env({"A": "from-process"}, read_env_file(dotenv))
    assert env.str("A") == "from-process"
    assert env.str("B") == "quoted value"
    assert env.int("C", 0) == 3
    assert env.str("MISSING", "default") == "default"
    # A blank value does not hide a later source's value.
    assert Env({"A": ""}, {"A": "later"}).str("A") == "later"
    with pytest.raises(ImproperlyConfigured, match="The setting MISSING is missing"):
        env.str("MISSING")


def test_malformed_env_file_line_is_reported(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("GOOD=1\nthis is not a setting\n")
    with pytest.raises(ImproperlyConfigured, match="line 2"):
        read_env_file(dotenv)


def test_production_settings_pass_the_deploy_check():
    """With DEBUG off and HTTPS on, Django's own deployment checklist has nothing to say."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "spip.justice.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_lists_every_variable():
    import re

    used = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', (ROOT / "spip" / "settings.py").read_text()))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used, "no variables found in settings"
    assert used <= listed, f"missing from .env.example: {sorted(used - listed)}"
