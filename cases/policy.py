"""The access policy for case files, in one place (DESIGN.md, "Access policy").

| who       | case                                                        | answer             |
|-----------|-------------------------------------------------------------|--------------------|
| adviser   | assigned, co-adviser, or substitute until a date            | read and write     |
| adviser   | another case of their branch (not restricted, not excluded) | read-only, reason  |
| adviser   | other branch, restricted without being named, or excluded   | 404                |
| director  | case of a branch they direct, unless excluded               | read and write     |
| director  | any other case                                              | 404                |
| secretary | case of their branch, unless restricted or excluded         | identity & agenda  |
| clerk, partner | any case                                               | 404                |
| admin     | any case                                                    | 403                |

Views call `case_for_user`; lists and search start from `visible_cases`. Grants (assigned
adviser, co-advisers, substitutes, staff named on a restricted case) are guardian rows in
`CaseUserObjectPermission`, written only by `cases.services`.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Exists, Lookup, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, CaseUserObjectPermission
from spip.models import Role, User

GRANT = "change_case"


class Access(enum.IntEnum):
    """What a user may do with one case, from nothing to everything."""

    NONE = 0  # 404: the case does not exist for them
    FORBIDDEN = 1  # 403: they know it exists but may not open it
    IDENTITY = 2  # identity, contact and agenda only (secretary)
    READ_WITH_REASON = 3  # read-only, after stating a reason that is logged
    WRITE = 4


def _grants(user: User, today: date) -> QuerySet[CaseUserObjectPermission]:
    return CaseUserObjectPermission.objects.filter(user=user, permission__codename=GRANT).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _granted(user: User, today: date) -> Q:
    """Cases the user holds a live grant on. Every assigned adviser holds one (the services
    grant on assignment), so this also covers `adviser=user`; the caseload starts from the
    grants table's index instead of scanning every case."""
    return Q(pk__in=_grants(user, today).values("content_object_id"))


@BigIntegerField.register_lookup
class AnyOf(Lookup):
    """`id__any_of=ArraySubquery(…)`: `id = ANY(ARRAY(subquery))`. The subquery runs once and
    its ids drive the primary-key index, even OR'ed with another indexed condition (where an
    `IN (subquery)` makes PostgreSQL check every case of the country)."""

    lookup_name = "any_of"
    prepare_rhs = False  # an array expression, not one value of the field

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _granted_or(user: User, today: date, other: Q) -> Q:
    return Q(pk__any_of=ArraySubquery(_grants(user, today).values("content_object_id"))) | other


# A case anonymised by the retention purge is kept for statistics only: it is nobody's file.
_LIVE = Q(anonymised_on__isnull=True)


def _not_excluded(user: User) -> Q:
    return ~Q(Exists(Case.excluded_staff.through.objects.filter(case=OuterRef("pk"), user=user)))


def own_cases(user: User, *, today: date | None = None) -> QuerySet[Case]:
    """The user's caseload: cases they follow (assigned, co-adviser, substitute) or direct."""
    today = today or timezone.localdate()
    if user.role == Role.ADVISER:
        return Case.objects.filter(_granted(user, today), _LIVE).filter(_not_excluded(user))
    if user.role == Role.DIRECTOR:
        return Case.objects.filter(_LIVE, branch__in=user.directed_branches.all()).filter(
            _not_excluded(user)
        )
    return Case.objects.none()


def visible_cases(user: User, *, today: date | None = None) -> QuerySet[Case]:
    """Every case that may appear in the user's lists and search results."""
    today = today or timezone.localdate()
    if user.role == Role.ADVISER:
        colleagues = Q(branch_id=user.branch_id, restricted=False)
        return Case.objects.filter(_granted_or(user, today, colleagues), _LIVE).filter(
            _not_excluded(user)
        )
    if user.role == Role.SECRETARY:
        return Case.objects.filter(_LIVE, branch_id=user.branch_id, restricted=False).filter(
            _not_excluded(user)
        )
    return own_cases(user, today=today)


def case_access(user: User, case: Case, *, today: date | None = None) -> Access:
    """How far `user` may go with `case` (see the table above)."""
    today = today or timezone.localdate()
    if not user.is_authenticated or not user.is_active or case.anonymised_on:
        return Access.NONE
    if user.role == Role.ADMIN:
        return Access.FORBIDDEN
    if user.role not in (Role.ADVISER, Role.DIRECTOR, Role.SECRETARY):
        return Access.NONE
    if case.excluded_staff.filter(pk=user.pk).exists():
        return Access.NONE
    if user.role == Role.DIRECTOR:
        directs = user.directed_branches.filter(pk=case.branch_id).exists()
        return Access.WRITE if directs else Access.NONE
    follows = case.adviser_id == user.pk or (
        CaseUserObjectPermission.objects.filter(
            content_object=case, user=user, permission__codename=GRANT
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )
    if user.role == Role.ADVISER and follows:
        return Access.WRITE
    if case.branch_id != user.branch_id or case.restricted:
        return Access.NONE
    return Access.READ_WITH_REASON if user.role == Role.ADVISER else Access.IDENTITY


def case_for_user(user: User, case_id: int, needed: Access) -> tuple[Case, Access]:
    """Fetch a case for this user, or answer 404 to strangers and 403 to those who may see it
    but not do what is asked."""
    case = (
        Case.objects.select_related("person", "branch__department", "adviser", "intensity")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    access = case_access(user, case)
    if access == Access.NONE:
        raise Http404
    if access < needed:
        raise PermissionDenied
    return case, access
