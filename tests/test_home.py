"""Home page per role, the header's notification counter, notifications."""

from __future__ import annotations

import pytest
from django.urls import reverse

from spip.models import Notification
from spip.services import notification_send

pytestmark = [pytest.mark.django_db, pytest.mark.date_sensitive]


@pytest.mark.parametrize(
    ("who", "role_label", "place"),
    [
        ("adviser", "conseiller pénitentiaire d’insertion et de probation (CPIP)", "branch"),
        ("director", "directeur pénitentiaire d’insertion et de probation (DPIP)", "branch"),
        ("secretary", "agent administratif", "branch"),
        ("clerk", "greffier", "court"),
        ("partner", "intervenant partenaire", "partner"),
        ("admin", "administrateur", None),
    ],
)
def test_home_page_names_user_role_and_place(client, world, who, role_label, place):
    user = getattr(world, who)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Bienvenue, {user.get_full_name()}" in content
    assert f'<dd id="home-role">{role_label}</dd>' in content
    if place == "branch":
        assert f'<dd id="home-place">{world.branch.name}</dd>' in content
    elif place == "court":
        assert f'<dd id="home-place">{world.branch.court.name}</dd>' in content
    elif place == "partner":
        assert f'<dd id="home-place">{user.partner.name}</dd>' in content
    else:
        assert "home-place" not in content


def test_director_home_lists_directed_branches(client, world):
    client.force_login(world.director)
    content = client.get(reverse("home")).content.decode()
    assert f'<dd id="home-directed">{world.branch.name}</dd>' in content


def test_navigation_follows_the_role(client, world):
    client.force_login(world.admin)
    assert 'href="/admin/"' in client.get(reverse("home")).content.decode()
    client.force_login(world.adviser)
    assert 'href="/admin/"' not in client.get(reverse("home")).content.decode()


def test_notification_counter_and_mark_read(client, world):
    notification_send(recipient=world.adviser, message="Dossier n° 12 réaffecté", link="/")
    notification_send(recipient=world.adviser, message="Rapport validé")
    notification_send(recipient=world.colleague, message="Pas pour vous")
    client.force_login(world.adviser)
    home = client.get(reverse("home")).content.decode()
    assert "2 notifications non lues" in home
    page = client.get(reverse("notifications")).content.decode()
    assert "Rapport validé" in page and "Pas pour vous" not in page
    client.post(reverse("notifications_mark_read"))
    assert "0 notification non lue" in client.get(reverse("home")).content.decode()
    assert Notification.objects.filter(recipient=world.colleague, read_at__isnull=True).count() == 1


def test_home_page_query_count(client, world, django_assert_num_queries):
    client.force_login(world.director)
    # session, user with their place, directed branches, unread count, session save (3),
    # the interviews panel: outcomes to log, reminders to check (2); the reports panel (1);
    # the deadlines per adviser (1)
    with django_assert_num_queries(11):
        client.get(reverse("home"))


def test_pages_carry_security_headers(client, world):
    client.force_login(world.adviser)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "img-src 'self' data:" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()
    assert ' style="' not in response.content.decode()
