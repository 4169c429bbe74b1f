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

The rules of the case actions (`case.view`, `case.edit`, `case.assign`…, listed with a
sentence each in `spip.policy.ACTIONS`) are registered below with the kernel's policy: views
ask `require(user, "case.edit", case)`, lists start from `visible(user, Case)`. Grants
(assigned adviser, co-advisers, substitutes, staff named on a restricted case) are guardian
rows in `CaseUserObjectPermission`, written only by `cases.services`.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BigIntegerField, Exists, Lookup, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, CaseUserObjectPermission
from spip import policy
from spip.models import Branch, Role, User
from spip.policy import Decision, rule, visible_for

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


@visible_for(Case)
def visible_cases(user: User, *, today: date | None = None) -> QuerySet[Case]:
    """Every case that may appear in the user's lists and search results."""
    today = today or timezone.localdate()
    if user.role == Role.ADVISER:
        colleagues = Q(branch_id=user.branch_id, restricted=False)
        return Case.objects.filter(_granted_or(user, today, colleagues), _LIVE).filter(
            _not_excluded(user)
        )
    if user.role == Role.SECRETARY:
        return Case.objects.filter(_LIVE, Q(branch_id=user.branch_id), restricted=False).filter(
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


def access_of(user: User, case: Case) -> Access:
    """`case_access`, evaluated once per request for a user and a case."""
    return policy.memo(("case_access", user.pk, case.pk), lambda: case_access(user, case))


def case_for(user: User, case_id: int, action: str) -> Case:
    """Fetch a case and `require` the action on it: 404 to those for whom it does not exist
    (a missing id included), 403 to those who may see it but not do this."""
    case = (
        Case.objects.select_related("person", "branch__department", "adviser", "intensity")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    policy.require(user, action, case)
    return case


def stated_reason(case: Case) -> str:
    """The reason the signed-in user stated, this session, for opening a case outside their
    caseload ("" outside a request or before they stated one)."""
    session = policy.session()
    if session is None:
        return ""
    return session.get(REASONS_KEY, {}).get(str(case.pk), "")


def remember_reason(session: Any, case: Case, reason: str) -> None:
    reasons = session.get(REASONS_KEY, {})
    reasons[str(case.pk)] = reason
    session[REASONS_KEY] = reasons


def assignable_advisers(branches: Any) -> QuerySet[User]:
    """Who may be given cases at `branches` (a branch, or a queryset of branches): its
    active advisers."""
    if isinstance(branches, Branch):
        return User.objects.filter(role=Role.ADVISER, branch=branches, is_active=True)
    return User.objects.filter(role=Role.ADVISER, branch__in=branches, is_active=True)


def openable_branches(user: User) -> QuerySet[Branch]:
    """The branches where the user may open a case: their own branch for an adviser, the
    branches they direct for a director, none otherwise."""
    if user.role == Role.DIRECTOR:
        return user.directed_branches.all()
    if user.role == Role.ADVISER and user.branch_id:
        return Branch.objects.filter(pk=user.branch_id)
    return Branch.objects.none()


def is_adviser(user: User) -> bool:
    """Whether `user` follows cases as an adviser (who may be given cases or substitute)."""
    return user.role == Role.ADVISER


def works_as_adviser_at(user: User, branch_id: int | None) -> bool:
    """Whether `user` may be given the cases of the branch `branch_id`: one of its advisers
    (active or not: the services say so separately)."""
    return is_adviser(user) and branch_id is not None and user.branch_id == branch_id


def default_adviser(user: User) -> User | None:
    """Who a case opened by `user` goes to when no adviser is chosen: an adviser keeps the
    cases they open; a director's wait in the allocation queue."""
    return user if user.role == Role.ADVISER else None


def caseload_cases(user: User) -> QuerySet[Case]:
    """The cases of the caseload page: an adviser's own cases, the branches a director
    directs, the branch whose agenda a secretary keeps."""
    return visible_cases(user) if user.role == Role.SECRETARY else own_cases(user)


REASONS_KEY = "case_access_reasons"


# --- Rules ----------------------------------------------------------------------------------

_FOLLOW_ROLES = (Role.ADVISER, Role.DIRECTOR, Role.SECRETARY)


def _at_least(access: Access, needed: Access) -> Decision:
    if access == Access.NONE:
        return Decision.HIDDEN
    return Decision.ALLOWED if access >= needed else Decision.FORBIDDEN


@rule("case.list")
def _case_list(user: User, obj: Any) -> Decision:
    if user.role in _FOLLOW_ROLES:
        return Decision.ALLOWED
    return Decision.FORBIDDEN if user.role == Role.ADMIN else Decision.HIDDEN


@rule("case.open")
def _case_open(user: User, branch: Branch | None) -> Decision:
    base = _case_list(user, None)
    if base != Decision.ALLOWED:
        return base
    if user.role not in (Role.ADVISER, Role.DIRECTOR):
        return Decision.FORBIDDEN  # secretaries keep identity and agendas
    if branch is None or openable_branches(user).filter(pk=branch.pk).exists():
        return Decision.ALLOWED
    return Decision.FORBIDDEN


@rule("case.identity")
def _case_identity(user: User, case: Case) -> Decision:
    return _at_least(access_of(user, case), Access.IDENTITY)


@rule("case.view")
def _case_view(user: User, case: Case) -> Decision:
    access = access_of(user, case)
    if access == Access.READ_WITH_REASON:
        return Decision.ALLOWED if stated_reason(case) else Decision.FORBIDDEN
    return _at_least(access, Access.READ_WITH_REASON)


@rule("case.state_reason")
def _case_state_reason(user: User, case: Case) -> Decision:
    access = access_of(user, case)
    if access == Access.READ_WITH_REASON:
        return Decision.ALLOWED
    return Decision.HIDDEN if access == Access.NONE else Decision.FORBIDDEN


@rule("case.edit")
def _case_edit(user: User, case: Case) -> Decision:
    return _at_least(access_of(user, case), Access.WRITE)


@rule("case.assign", "case.restrict", "case.transfer", "case.close")
def _case_direct(user: User, case: Case) -> Decision:
    decision = _at_least(access_of(user, case), Access.WRITE)
    if decision == Decision.ALLOWED and user.role != Role.DIRECTOR:
        return Decision.FORBIDDEN  # allocation decisions are the directors'
    return decision


@rule("caseload.allocate")
def _caseload_allocate(user: User, obj: Any) -> Decision:
    if user.role == Role.DIRECTOR:
        return Decision.ALLOWED
    return Decision.HIDDEN if user.role in (Role.CLERK, Role.PARTNER) else Decision.FORBIDDEN


@rule("adviser.substitute")
def _adviser_substitute(user: User, absent: User | None) -> Decision:
    decision = _caseload_allocate(user, None)
    if decision != Decision.ALLOWED or absent is None:
        return decision
    if absent.branch_id and user.directed_branches.filter(pk=absent.branch_id).exists():
        return Decision.ALLOWED
    return Decision.FORBIDDEN
