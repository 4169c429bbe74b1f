"""`{% can "case.assign" case as may_assign %}`: templates ask the access policy, never
compare roles."""

from __future__ import annotations

from typing import Any

from django import template

from spip import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: template.Context, action: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return policy.can(user, action, obj)
