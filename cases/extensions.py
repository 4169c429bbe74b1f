"""What the apps above `cases` add to a case file, without `cases` importing them.

An app registers, in its `AppConfig.ready()`, a `CaseSection`: a template shown on the case
file and a function that builds its context in a fixed number of queries. The function may
return timeline entries, which join the case's timeline. Sections marked `identity=True` are
also shown on the identity-and-agenda page that secretaries see; their function receives the
viewer's access and must leave out whatever that access does not allow.

Hooks let those apps act on case events in the same transaction: a transfer, a closing, and
the retention purge (`register_purge_hook`, see `cases.retention`). `case_changed` is sent
with a case's id after any change that may move its deadlines (a `spip.hooks.Hook`: the
deadline engine connects its recompute in `DeadlinesConfig.ready()`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from spip.hooks import Hook

if TYPE_CHECKING:
    from cases.models import Case
    from cases.policy import Access
    from cases.selectors import TimelineEntry
    from spip.models import User


@dataclass
class SectionContent:
    """What one section shows on one case file."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)


SectionBuilder = Callable[["Case", "User", "Access", date], SectionContent | None]


@dataclass(frozen=True)
class CaseSection:
    key: str
    build: SectionBuilder
    order: int
    identity: bool = False


_sections: dict[str, CaseSection] = {}


def register_section(section: CaseSection) -> None:
    _sections[section.key] = section


def case_sections(
    case: Case, user: User, access: Access, today: date, *, identity_only: bool = False
) -> list[SectionContent]:
    contents = []
    for section in sorted(_sections.values(), key=lambda entry: entry.order):
        if identity_only and not section.identity:
            continue
        content = section.build(case, user, access, today)
        if content is not None:
            contents.append(content)
    return contents


# --- Hooks on case events ------------------------------------------------------------------

# Sent (with the case's id) inside the transaction of any change that may move the case's
# deadlines: its measures, obligations, proofs, TIG hours, interviews, reports, its closing…
# The apps above `cases` send it too. The receiver (the deadline engine) defers its work
# until the transaction commits; `case_changed.muted()` silences it for bulk work.
case_changed: Hook[[int]] = Hook("case_changed")

TransferHook = Callable[["Case", "User"], None]
_transfer_hooks: list[TransferHook] = []


def register_transfer_hook(hook: TransferHook) -> None:
    """`hook(case, acting_user)` runs inside the transaction that moves a case to another
    branch (e.g. to cancel what the old branch had planned)."""
    if hook not in _transfer_hooks:
        _transfer_hooks.append(hook)


def case_transferred(case: Case, acting_user: User) -> None:
    for hook in _transfer_hooks:
        hook(case, acting_user)


CloseHook = Callable[["Case", "User"], None]
_close_hooks: list[CloseHook] = []


def register_close_hook(hook: CloseHook) -> None:
    """`hook(case, acting_user)` runs inside the transaction that closes a case (e.g. to
    withdraw the person from what they were still expected at)."""
    if hook not in _close_hooks:
        _close_hooks.append(hook)


def case_closed(case: Case, acting_user: User) -> None:
    for hook in _close_hooks:
        hook(case, acting_user)


# --- Retention purge ----------------------------------------------------------------------------

PurgeHook = Callable[[list[int]], Mapping[str, int]]
_purge_hooks: list[PurgeHook] = []


def register_purge_hook(hook: PurgeHook) -> None:
    """`hook(case_ids)` runs inside the transaction in which the retention purge
    (`cases.retention`) anonymises a batch of cases past their retention period, after the
    case's own tables: it deletes or anonymises what its app holds about those cases (change
    history and stored files included) and returns how many rows of each kind it changed,
    by a key such as "interviews_anonymised" — counts only, never ids or names."""
    if hook not in _purge_hooks:
        _purge_hooks.append(hook)


def cases_purged(case_ids: list[int]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for hook in _purge_hooks:
        counts.update(hook(case_ids))
    return counts
