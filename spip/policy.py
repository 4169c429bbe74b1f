"""The access policy: one vocabulary of actions, one place that answers, every door asks it.

    can(user, action, obj=None) -> bool        may the user do it?
    require(user, action, obj=None)            views: 404 to those for whom `obj` does not
                                               exist, 403 to those who see it but may not act
    check(user, action, obj=None)              services: the same question, NotAllowed if not
    visible(user, Model) -> QuerySet           the objects that may appear in the user's lists

The actions are listed below with a sentence each. Each app registers the rules of its
actions in its own `policy.py` (`@rule("case.edit")`), imported by its `AppConfig.ready()`,
so that the kernel never imports the apps above it. Views, services, forms, templates (the
`{% can %}` tag) and the navigation ask here and never compare roles themselves; a test scans
the code for role comparisons outside the `policy.py` files.

Within a request each question is answered once: the answer is kept for the rest of the
request (a view's `require` and its service's `check` cost one evaluation). Services that
grant or revoke call `forget()`, so that a page rendered after the change in the same
request sees it; revocations apply to other users at their next request.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from spip.exceptions import NotAllowed

ACTIONS: dict[str, str] = {
    # --- Kernel
    "admin.site": "Open the administration of accounts, branches, courts and reference "
    "tables: administrators.",
    # --- Cases
    "case.list": "Open the caseload and search pages: advisers, directors and secretaries "
    "(administrators are refused, 403; clerks and partners never see them, 404).",
    "case.open": "Open a new case (intake) at a branch (obj: the branch; without one: at any "
    "branch): the branch's advisers and directors.",
    "case.identity": "See a case's identity, contact details and agenda (obj: the case): "
    "whoever the case exists for, secretaries of its branch included.",
    "case.view": "Read the whole case file, its assessments and proof files (obj: the case): "
    "those who follow or direct it, and colleagues of its branch once they have stated a "
    "reason this session (403 before).",
    "case.state_reason": "State the reason for opening a case outside one's caseload (obj: "
    "the case): advisers of its branch who do not follow it.",
    "case.edit": "Change a case and its records — measures, obligations, proofs, TIG, "
    "incidents, assessments (obj: the case): its assigned adviser, co-advisers and "
    "substitutes, and the directors of its branch.",
    "case.assign": "Give the case to an adviser (obj: the case): directors of its branch.",
    "case.restrict": "Restrict the case or exclude named staff (obj: the case): directors of "
    "its branch.",
    "case.transfer": "Transfer the case to another branch (obj: the case): directors of its "
    "branch.",
    "case.close": "Close the case (obj: the case): directors of its branch.",
    "caseload.allocate": "Open the allocation page (loads, cases waiting for an adviser, "
    "substitutes): directors.",
    "adviser.substitute": "Give an absent adviser's cases to a substitute (obj: the absent "
    "adviser; without one: someone's): directors of the adviser's branch.",
    # --- Deadlines
    "deadline.list": "See one's deadlines: advisers and directors (secretaries and "
    "administrators 403; clerks and partners 404).",
    "deadline.team": "See the deadlines of a branch's advisers (obj: an adviser; without one: "
    "the team's table): directors of their branch.",
    "deadline.snooze": "Snooze or note a deadline (obj: the alert): those who may change its case.",
    # --- Interviews
    "agenda.view": "Open the agenda: advisers, directors and secretaries.",
    "interview.view": "Open an interview (obj: the interview): whoever may see its case's "
    "identity and agenda.",
    "interview.schedule": "Plan, move or cancel an interview, print its convocation (obj: the "
    "case, or the interview; without one: some case's): those who may change the case, and "
    "secretaries of its branch.",
    "interview.outcome": "Log the outcome and notes of an interview (obj: the interview): "
    "those who may change its case.",
    "interview.outcomes": "See the interviews whose outcome is to be logged, and the calendar "
    "feed: advisers and directors.",
    # --- Workshops
    "workshop.list": "See workshops: advisers, directors and partners (administrators and "
    "secretaries 403; clerks 404).",
    "workshop.create": "Create a workshop: directors.",
    "workshop.view": "Open a workshop (obj: the workshop): staff of its branch and its "
    "facilitators; partners who contribute to it, on their own pages.",
    "workshop.manage": "Change a workshop, its sessions and enrolments (obj: the workshop): "
    "directors of its branch and its facilitators.",
    "workshop.attendance": "Record attendance at a workshop's sessions (obj: the workshop): "
    "those who manage it, and its partner contributors.",
    "workshop.edit": "Change a workshop itself — title, places, status, facilitators and "
    "partners (obj: the workshop): directors of its branch.",
    "workshop.enrol": "Propose or enrol one's people in a workshop (obj: the workshop, the "
    "person's case, or a proposed enrolment to confirm): advisers and directors who may open "
    "the workshop and change the case.",
    "workshop.withdraw": "Withdraw a person from a workshop (obj: the enrolment): those who "
    "may change its case, and those who manage the workshop.",
    "workshop.attestation": "Download a completed enrolment's attestation (obj: the "
    "enrolment): those who may change its case.",
    "workshop.absence_incident": "Turn a workshop absence into an incident on the measure "
    "(obj: the attendance): those who may change its case.",
    # --- Reports
    "report.list": "See one's reports by status: advisers and directors.",
    "report.draft": "Start, write, submit or discard a report (obj: the report, or the case "
    "for a new one): its author and the advisers who may change its case.",
    "report.view": "Read a report and its preview, ask for a failed issue to be tried again "
    "(obj: the report): those who may change its case.",
    "report.validate": "Validate (countersign) or return a submitted report (obj: the "
    "report): directors of its case's branch.",
    "report.validation_queue": "See the reports waiting for validation: directors.",
    "report.inbox": "See the reports issued to one's court: clerks.",
    "report.download": "Download an issued report (obj: the report): clerks of its court, and "
    "those who may change its case.",
}


class Decision(enum.IntEnum):
    """The answer to one question, from the least to the most."""

    HIDDEN = 0  # 404: the object (or the page) does not exist for this user
    FORBIDDEN = 1  # 403: they know it exists but may not do this
    ALLOWED = 2


Rule = Callable[[Any, Any], Decision]
_rules: dict[str, Rule] = {}
_querysets: dict[type[Model], Callable[[Any], QuerySet[Any]]] = {}


def rule(*actions: str) -> Callable[[Rule], Rule]:
    """Register a function `(user, obj) -> Decision` as the rule of `actions`."""

    def register(function: Rule) -> Rule:
        for action in actions:
            if action not in ACTIONS:
                raise LookupError(f"{action!r} is not in the policy's vocabulary")
            if _rules.get(action, function) is not function:
                raise LookupError(f"{action!r} has a rule already")
            _rules[action] = function
        return function

    return register


def visible_for(model: type[Model]) -> Callable[[Callable[[Any], QuerySet[Any]]], Any]:
    """Register the function that lists a model's objects a user may see in lists."""

    def register(function: Callable[[Any], QuerySet[Any]]) -> Callable[[Any], QuerySet[Any]]:
        _querysets[model] = function
        return function

    return register


def registered_actions() -> set[str]:
    return set(_rules)


# --- Per-request state ----------------------------------------------------------------------


@dataclass
class RequestState:
    """What the policy keeps for one request: its answers and the session (a rule may read
    what the user stated there, such as the reason for opening a case)."""

    session: Any = None
    answers: dict[tuple[Any, ...], Any] = field(default_factory=dict)


_state: ContextVar[RequestState | None] = ContextVar("spip_policy_state", default=None)
_tracking: ContextVar[Counter[str] | None] = ContextVar("spip_policy_tracking", default=None)


def session() -> Any:
    """The current request's session (None outside a request)."""
    state = _state.get()
    return state.session if state else None


def memo(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """What a rule reads (a case's access level, a membership), computed once per request
    under `key` (every time outside a request)."""
    state = _state.get()
    if state is None:
        return compute()
    full_key = ("memo", *key)
    if full_key not in state.answers:
        state.answers[full_key] = compute()
    return state.answers[full_key]


def forget() -> None:
    """Drop the answers kept for this request (after a grant or a revocation)."""
    state = _state.get()
    if state is not None:
        state.answers.clear()


class PolicyMiddleware:
    """Keeps the policy's answers for the duration of one request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _state.set(RequestState(session=getattr(request, "session", None)))
        try:
            return self.get_response(request)
        finally:
            _state.reset(token)


@contextmanager
def track() -> Iterator[Counter[str]]:
    """Count the rules evaluated (not the answers reused) inside the block, by action."""
    counter: Counter[str] = Counter()
    token = _tracking.set(counter)
    try:
        yield counter
    finally:
        _tracking.reset(token)


# --- The questions --------------------------------------------------------------------------


def decide(user: Any, action: str, obj: Any = None) -> Decision:
    """The decision of `action`'s rule for `user` (and `obj`), kept for the request."""
    if action not in _rules:
        raise LookupError(f"no rule is registered for {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return Decision.HIDDEN
    state = _state.get()
    key = None
    if state is not None and (obj is None or getattr(obj, "pk", None) is not None):
        label = obj._meta.label if obj is not None else None
        key = (action, user.pk, label, getattr(obj, "pk", None))
        if key in state.answers:
            return state.answers[key]
    decision = Decision(_rules[action](user, obj))
    counter = _tracking.get()
    if counter is not None:
        counter[action] += 1
    if key is not None and state is not None:
        state.answers[key] = decision
    return decision


def can(user: Any, action: str, obj: Any = None) -> bool:
    return decide(user, action, obj) == Decision.ALLOWED


def require(user: Any, action: str, obj: Any = None) -> None:
    """For views: 404 when the object (or page) does not exist for the user, 403 when they
    see it but may not do this."""
    decision = decide(user, action, obj)
    if decision == Decision.HIDDEN:
        raise Http404
    if decision == Decision.FORBIDDEN:
        raise PermissionDenied


def check(user: Any, action: str, obj: Any = None) -> None:
    """For services: the same question as the view asked, `NotAllowed` when refused."""
    if not can(user, action, obj):
        raise NotAllowed()


def can_map(user: Any, obj: Any, *actions: str) -> dict[str, bool]:
    """`{"case_edit": True, …}` for a template: the answers for one object."""
    return {action.replace(".", "_"): can(user, action, obj) for action in actions}


def visible(user: Any, model: type[Model]) -> QuerySet[Any]:
    """The objects of `model` that may appear in the user's lists and searches."""
    if user is None or not user.is_authenticated or not user.is_active:
        return model._default_manager.none()
    return _querysets[model](user)


# --- The kernel's own rules -----------------------------------------------------------------


@rule("admin.site")
def _admin_site(user: Any, obj: Any) -> Decision:
    from spip.models import Role

    return Decision.ALLOWED if user.role == Role.ADMIN else Decision.HIDDEN
