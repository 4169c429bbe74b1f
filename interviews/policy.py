"""Who may do what with interviews, in one place (registered with `spip.policy`).

An interview follows its case (`cases.policy`): whoever may see the case's identity and
agenda opens it; whoever may change the case logs its outcome; secretaries of the case's
branch plan interviews and print convocations (their work) but never read notes.

| action             | allowed                                           | refused               |
|--------------------|---------------------------------------------------|-----------------------|
| agenda.view        | advisers, directors, secretaries (`case.list`)    | admin 403, others 404 |
| interview.view     | `case.identity` on its case                       | as the case: 404, 403 |
| interview.schedule | `case.edit` on the case; secretaries:             | as the case: 404, 403 |
|                    | `case.identity`; without an object: `agenda.view` |                       |
| interview.outcome  | `case.edit` on its case                           | as the case: 404, 403 |
| interview.outcomes | advisers, directors (outcomes to log, calendar)   | secretary, admin 403; |
|                    |                                                   | others 404            |

Whose agendas and which interviews a user's lists show are decided here too
(`agenda_advisers`, `visible_interviews`, `home_agenda`, `schedulable_cases`), so that the
selectors and views never compare roles.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Case
from cases.policy import own_cases, visible_cases
from interviews.models import Interview
from spip import policy
from spip.models import Role, User
from spip.policy import Decision, rule, visible_for


def _case_of(obj: Case | Interview) -> Case:
    return obj.case if isinstance(obj, Interview) else obj


@rule("agenda.view")
def _agenda_view(user: User, obj: Any) -> Decision:
    """The agenda exists for those for whom the case pages exist."""
    return policy.decide(user, "case.list")


@rule("interview.view")
def _interview_view(user: User, interview: Interview) -> Decision:
    """An interview is part of its case's agenda: it exists for whoever sees that."""
    return policy.decide(user, "case.identity", interview.case)


@rule("interview.schedule")
def _interview_schedule(user: User, obj: Case | Interview | None) -> Decision:
    """Planning follows the case; without an object: whether the user plans any at all."""
    if obj is None:
        return _agenda_view(user, None)
    case = _case_of(obj)
    if user.role == Role.SECRETARY:  # convocations are their work, notes are not
        return policy.decide(user, "case.identity", case)
    return policy.decide(user, "case.edit", case)


@rule("interview.outcome")
def _interview_outcome(user: User, interview: Interview) -> Decision:
    """Outcomes and notes are part of the case file: whoever may change the case."""
    return policy.decide(user, "case.edit", interview.case)


@rule("interview.outcomes")
def _interview_outcomes(user: User, obj: Any) -> Decision:
    """Those who hold interviews log them and subscribe to their calendar."""
    decision = policy.decide(user, "case.list")
    if decision == Decision.ALLOWED and user.role not in (Role.ADVISER, Role.DIRECTOR):
        return Decision.FORBIDDEN  # secretaries plan interviews but never log them
    return decision


# --- What the lists show ------------------------------------------------------------------


@visible_for(Interview)
def visible_interviews(user: User) -> QuerySet[Interview]:
    """Interviews that may appear on the user's agendas and lists: an adviser's own, and for
    directors and secretaries those of the cases they may open (never a restricted case they
    are not named on, nor one they are excluded from, nor one transferred away)."""
    if user.role == Role.ADVISER:
        return Interview.objects.filter(adviser=user, case__in=visible_cases(user).values("pk"))
    cases = own_cases(user) if user.role == Role.DIRECTOR else visible_cases(user)
    return Interview.objects.filter(case__in=cases.values("pk"))


def agenda_advisers(user: User) -> list[User]:
    """Whose agenda the user may open: their own (adviser); the active advisers of the
    branches they direct (director) or of their branch (secretary)."""
    if user.role == Role.ADVISER:
        return [user]
    if user.role == Role.DIRECTOR:
        branches = Q(branch__in=user.directed_branches.all())
    elif user.role == Role.SECRETARY:
        branches = Q(branch_id=user.branch_id)
    else:
        return []
    return list(
        User.objects.filter(branches, role=Role.ADVISER, is_active=True).order_by(
            "last_name", "first_name"
        )
    )


def home_agenda(user: User) -> list[User]:
    """Whose interviews the home page lists: an adviser's own; directors and secretaries
    open the branch's agendas instead (no query for them)."""
    return [user] if user.role == Role.ADVISER else []


def oversees_agendas(user: User) -> bool:
    """A director's lists hold several advisers' interviews: each names its adviser."""
    return user.role == Role.DIRECTOR


def schedulable_cases(user: User) -> QuerySet[Case]:
    """The cases the user may plan interviews for from the agenda: those they follow or
    direct; for a secretary, those of their branch they see."""
    return visible_cases(user) if user.role == Role.SECRETARY else own_cases(user)


def may_hold(adviser: User, case: Case) -> bool:
    """Whether `adviser` may hold the case's interviews: an active user who may change the
    case (follows it or directs its branch), so that whoever holds the interview may also
    log its outcome, and nobody excluded from or not named on a restricted case ever has it
    on their agenda."""
    return policy.can(adviser, "case.edit", case)
