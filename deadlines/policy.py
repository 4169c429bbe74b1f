"""The access rules of the deadline pages (`deadline.*` in `spip.policy.ACTIONS`), registered
with the kernel's policy when `DeadlinesConfig.ready()` imports this module.

Advisers and directors follow deadlines; secretaries and administrators are told no (403),
clerks and partners never learn the pages exist (404). An adviser's list is their own
caseload's; a director reads the table of the advisers of the branches they direct. An alert
may be snoozed by those whose caseload holds its case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from cases.models import Case
from cases.policy import own_cases
from deadlines.models import Alert
from spip.models import Role, User
from spip.policy import Decision, rule


def deadline_cases(user: User, *, today: date | None = None) -> QuerySet[Case]:
    """The cases whose deadlines make the user's own list: an adviser's caseload (directors
    read their team's table instead, `deadline.team`)."""
    return own_cases(user, today=today) if user.role == Role.ADVISER else Case.objects.none()


def _followers(user: User) -> Decision:
    if user.role in (Role.ADVISER, Role.DIRECTOR):
        return Decision.ALLOWED
    return Decision.HIDDEN if user.role in (Role.CLERK, Role.PARTNER) else Decision.FORBIDDEN


@rule("deadline.list")
def _deadline_list(user: User, obj: Any) -> Decision:
    return _followers(user)


@rule("deadline.team")
def _deadline_team(user: User, adviser: User | None) -> Decision:
    decision = _followers(user)
    if decision != Decision.ALLOWED:
        return decision
    if user.role != Role.DIRECTOR:
        return Decision.FORBIDDEN
    if adviser is None:
        return Decision.ALLOWED
    if (
        adviser.role == Role.ADVISER
        and adviser.branch_id
        and user.directed_branches.filter(pk=adviser.branch_id).exists()
    ):
        return Decision.ALLOWED
    return Decision.HIDDEN


@rule("deadline.snooze")
def _deadline_snooze(user: User, alert: Alert) -> Decision:
    if _followers(user) != Decision.ALLOWED:
        return Decision.HIDDEN
    if own_cases(user).filter(pk=alert.case_id).exists():
        return Decision.ALLOWED
    return Decision.HIDDEN
