"""Sign-in, sign-out, lockout, session expiry and the login requirement (test client)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visit_redirects_to_login(client):
    for path in ["/", "/notifications/", "/password/", "/admin/"]:
        response = client.get(path, follow=True)
        final_url = response.redirect_chain[-1][0]
        assert final_url.startswith(reverse("login") + "?next="), path
        assert response.status_code == 200


def test_healthz_needs_no_login(client):
    assert client.get("/healthz").status_code in (200, 503)


def test_login_page_is_french_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert "Se connecter" in content
    assert "Mot de passe" in content


def test_login_page_in_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en"' in content
    assert "Sign in" in content
    assert "Se connecter" not in content


def test_login_then_logout(client, world):
    response = client.post(
        reverse("login"), {"username": world.adviser.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_french_error(client, world):
    response = client.post(
        reverse("login"), {"username": world.adviser.username, "password": "wrong password"}
    )
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_repeated_failures_lock_the_username_from_this_address(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": world.adviser.username, "password": "nope"})
    # Even the right password is refused while locked, with a French explanation.
    response = client.post(
        reverse("login"), {"username": world.adviser.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    content = response.content.decode()
    assert "Compte temporairement bloqué" in content
    assert f"réessayez dans {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in content
    assert client.get(reverse("home")).status_code == 302
    # Another user from the same address is not locked out.
    response = client.post(
        reverse("login"), {"username": world.colleague.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_session_expires_after_inactivity(client, world, settings):
    client.force_login(world.adviser)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_SAVE_EVERY_REQUEST
    session = client.session
    session.set_expiry(-1)
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_password_change_in_french(client, world):
    client.force_login(world.adviser)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()
    new = "un-nouveau-mot-de-passe-solide"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    assert "Votre mot de passe a été modifié." in response.content.decode()
    world.adviser.refresh_from_db()
    assert world.adviser.check_password(new)
