"""Every page, download and endpoint, for every role: the answer each one must get.

Add a row here with every new URL: `test_every_url_is_in_the_matrix` fails otherwise. Case
pages are in `test_case_access`, for every situation (own case, same branch, other branch,
restricted, excluded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "adviser",
    "colleague",
    "director",
    "secretary",
    "other_adviser",
    "other_director",
    "clerk",
    "partner",
    "admin",
]
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
TO_LOGIN = 302  # anonymous users are sent to the sign-in page


@dataclass(frozen=True)
class Row:
    method: str
    url_name: str
    expected: dict[str, int]
    kwargs: dict[str, object] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


def everyone(status: int, anonymous: int = TO_LOGIN) -> dict[str, int]:
    return dict.fromkeys(SIGNED_IN, status) | {"anonymous": anonymous}


def admin_only() -> dict[str, int]:
    return dict.fromkeys(SIGNED_IN, 403) | {"admin": 200, "anonymous": TO_LOGIN}


MATRIX = [
    Row("GET", "home", everyone(200)),
    Row("GET", "healthz", everyone(200, anonymous=200)),
    Row("GET", "login", everyone(302, anonymous=200)),
    Row("POST", "logout", everyone(302, anonymous=302)),
    Row("GET", "password_change", everyone(200)),
    Row("GET", "notifications", everyone(200)),
    Row("GET", "notifications_mark_read", everyone(405)),
    Row("POST", "notifications_mark_read", everyone(302)),
    Row("POST", "set_language", everyone(302, anonymous=302), data={"language": "en"}),
    Row("GET", "admin:index", admin_only()),
    Row("GET", "admin:spip_user_changelist", admin_only()),
    Row("GET", "admin:spip_user_add", admin_only()),
    Row("GET", "admin:spip_branch_changelist", admin_only()),
    Row("GET", "admin:spip_court_changelist", admin_only()),
    Row("GET", "admin:spip_department_changelist", admin_only()),
    Row("GET", "admin:spip_partner_changelist", admin_only()),
    # The director's allocation page: staff who may know it exists get 403, clerks and
    # partners 404. Case and adviser ids here match nothing (every director: 404); the
    # answers on real cases are in test_director.
    Row(
        "GET",
        "cases:director_caseloads",
        everyone(403) | {"director": 200, "other_director": 200, "clerk": 404, "partner": 404},
    ),
    Row(
        "GET",
        "cases:director_substitutes",
        everyone(403) | {"director": 200, "other_director": 200, "clerk": 404, "partner": 404},
    ),
    Row(
        "POST",
        "cases:director_substitutes",
        everyone(403) | {"director": 200, "other_director": 200, "clerk": 404, "partner": 404},
    ),
    Row(
        "GET",
        "cases:director_adviser",
        everyone(403) | {"director": 404, "other_director": 404, "clerk": 404, "partner": 404},
        kwargs={"adviser_id": 0},
    ),
    Row(
        "POST",
        "cases:director_assign",
        everyone(403) | {"director": 404, "other_director": 404, "clerk": 404, "partner": 404},
        kwargs={"case_id": 0},
    ),
    Row("GET", "cases:director_assign", everyone(405), kwargs={"case_id": 0}),
    Row(
        "POST",
        "cases:director_close",
        everyone(403) | {"director": 404, "other_director": 404, "clerk": 404, "partner": 404},
        kwargs={"case_id": 0},
    ),
    Row("GET", "cases:director_close", everyone(405), kwargs={"case_id": 0}),
]


def role_failures(
    client,
    world,
    method: str,
    url: str,
    data: dict,
    expected: Callable[[str], int],
    after: Callable[[str, Any], None] | None = None,
) -> list[str]:
    """Ask `url` as each role of the matrix (signed out for "anonymous"): the roles whose
    answer is not `expected(role)`, described. `after(role, response)` may reset state."""
    users = world.users_by_role()
    failures = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        wanted = expected(role)
        response = client.generic(
            method, url, data=_encode(data), content_type="application/x-www-form-urlencoded"
        )
        if response.status_code != wanted:
            failures.append(f"{role}: {response.status_code} (expected {wanted})")
        if after is not None:
            after(role, response)
    return failures


@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method} {row.url_name}")
def test_permission_matrix(client, world, row):
    url = reverse(row.url_name, kwargs=row.kwargs)
    failures = role_failures(client, world, row.method, url, row.data, row.expected.__getitem__)
    assert not failures, f"{row.method} {url}: " + "; ".join(failures)


def test_case_content_is_not_in_the_admin(client, world):
    client.force_login(world.admin)
    assert client.get("/admin/spip/accesslog/").status_code == 404
    assert client.get("/admin/spip/notification/").status_code == 404
    assert client.get("/admin/auth/group/").status_code == 404
    content = client.get(reverse("admin:spip_user_change", args=[world.adviser.pk])).content
    assert b'name="is_superuser"' not in content
    assert b'name="user_permissions"' not in content


def _encode(data: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def _url_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _covered_elsewhere() -> set[str]:
    """URL names covered by the per-app access tests (`tests/test_*_access.py`, each with a
    `COVERED` set)."""
    import importlib
    import pkgutil

    import tests

    covered: set[str] = set()
    for module in pkgutil.iter_modules(tests.__path__):
        if module.name.startswith("test_") and module.name.endswith("_access"):
            covered |= importlib.import_module(f"tests.{module.name}").COVERED
    return covered


def test_every_url_is_in_the_matrix():
    covered = {row.url_name for row in MATRIX} | _covered_elsewhere()
    # The admin's own per-model views (change, delete, history...) share the changelist's
    # checks; the matrix lists one view per registered model and the index.
    project_names = {
        name for name in _url_names(get_resolver().url_patterns) if not name.startswith("admin:")
    }
    assert project_names <= covered, f"URLs missing from the matrix: {project_names - covered}"
