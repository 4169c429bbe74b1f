"""Authentication backend: loads a signed-in user with their place of work (branch and its
département, which the working-day calendar needs) in one query, and derives model
permissions from the role rather than from loose grants."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from spip.models import Role

# The admin role manages reference data and accounts, nothing else; users are deactivated,
# never deleted, and reference rows that records point at are kept.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        f"spip.{action}_{model}"
        for model in ("department", "court", "branch", "partner", "user")
        for action in ("view", "add", "change")
    ),
}


class SpipModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related(
                "branch__department", "court", "partner"
            ).get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(user_obj.role, frozenset()))
