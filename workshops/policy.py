"""Who may do what with a workshop, in one place.

| who       | workshop                                          | answer                        |
|-----------|---------------------------------------------------|-------------------------------|
| director  | of a branch they direct                           | manage (sessions, attendance) |
| adviser   | one of its facilitators                           | manage                        |
| adviser   | another workshop of their branch                  | read, enrol their people      |
| partner   | one they are named a contributor of               | sessions, names, attendance   |
| secretary | of their branch                                   | 403                           |
| admin     | any                                               | 403                           |
| anyone    | other branch; clerk; partner not a contributor    | 404                           |

Partners never reach a case, a measure, an obligation or anything else about a person but
their first and last name and attendance: their pages are separate templates fed by
separate selectors.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from spip.models import Role, User
from workshops.models import Workshop


class WorkshopAccess(enum.IntEnum):
    NONE = 0  # 404
    FORBIDDEN = 1  # 403
    PARTNER = 2  # sessions, names and attendance of the workshops they contribute to
    READ = 3  # staff of the branch: the workshop page, enrolling their own people
    MANAGE = 4  # directors of the branch and facilitators: sessions and attendance


def workshops_for(user: User) -> QuerySet[Workshop]:
    """Workshops that may appear in the user's lists."""
    if user.role == Role.PARTNER:
        return Workshop.objects.filter(contributors=user)
    if user.role == Role.DIRECTOR:
        return Workshop.objects.filter(branch__in=user.directed_branches.all())
    if user.role == Role.ADVISER:
        return Workshop.objects.filter(Q(branch_id=user.branch_id) | Q(facilitators=user))
    return Workshop.objects.none()


def workshop_access(user: User, workshop: Workshop) -> WorkshopAccess:
    if not user.is_authenticated or not user.is_active:
        return WorkshopAccess.NONE
    if user.role == Role.ADMIN:
        return WorkshopAccess.FORBIDDEN
    if user.role == Role.PARTNER:
        if workshop.contributors.filter(pk=user.pk).exists():
            return WorkshopAccess.PARTNER
        return WorkshopAccess.NONE
    if user.role == Role.DIRECTOR:
        if user.directed_branches.filter(pk=workshop.branch_id).exists():
            return WorkshopAccess.MANAGE
        return WorkshopAccess.NONE
    if user.role == Role.ADVISER:
        if workshop.facilitators.filter(pk=user.pk).exists():
            return WorkshopAccess.MANAGE
        if workshop.branch_id == user.branch_id:
            return WorkshopAccess.READ
        return WorkshopAccess.NONE
    if user.role == Role.SECRETARY and workshop.branch_id == user.branch_id:
        return WorkshopAccess.FORBIDDEN
    return WorkshopAccess.NONE


def require_workshop_roles(user: User) -> None:
    """Workshop pages exist for advisers, directors and partners; admins and secretaries
    are refused, clerks never see them."""
    if user.role in (Role.ADMIN, Role.SECRETARY):
        raise PermissionDenied
    if user.role not in (Role.ADVISER, Role.DIRECTOR, Role.PARTNER):
        raise Http404


def workshop_for_user(
    user: User, workshop_id: int, needed: WorkshopAccess
) -> tuple[Workshop, WorkshopAccess]:
    """Fetch a workshop for this user: 404 to strangers, 403 to those who may not do what
    is asked. A partner may only ever get PARTNER access, whatever is asked."""
    workshop = Workshop.objects.select_related("branch").filter(pk=workshop_id).first()
    if workshop is None:
        raise Http404
    access = workshop_access(user, workshop)
    if access == WorkshopAccess.NONE:
        raise Http404
    if access == WorkshopAccess.PARTNER and needed != WorkshopAccess.PARTNER:
        raise Http404
    if access < needed:
        raise PermissionDenied
    return workshop, access


def can_record_attendance(access: WorkshopAccess) -> bool:
    return access in (WorkshopAccess.MANAGE, WorkshopAccess.PARTNER)


def can_create_workshop(user: User) -> bool:
    return user.role == Role.DIRECTOR
