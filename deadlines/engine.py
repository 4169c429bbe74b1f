"""The deadline engine: rules registered by each app, swept into `Alert` rows.

A rule is one set-based SELECT (no Python loop over measures) that lists, for the Paris
date it is given (`%(as_of)s`, never `now()`), the objects whose deadline is open:
`case_id, object_id, due_on, detail`. The sweep runs each rule in one statement that
inserts the new alerts (the unique key rule + object + due date makes a second run create
nothing), refreshes their detail, reopens one whose condition came back, and closes the
open alerts the rule no longer lists (report issued, proof received, interview held,
measure ended…). It runs nightly from the beat schedule (`deadlines.tasks`) and for one
case right after a change that may move its deadlines: `case_changed` is connected, in
`DeadlinesConfig.ready()`, to the `cases.extensions.case_changed` hook that `cases` and the
apps above it send.

Dependencies keep pointing down: the rules of the case files (`deadlines.case_rules`) are
registered by this app, those of `interviews` and `reporting` by theirs in
`AppConfig.ready()`; this module never imports them. The alerts keep the table `cases_alert`
they had when the engine lived in `cases`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """One deadline the law or practice sets.

    `sql` selects `case_id, object_id, due_on, detail` (jsonb) for the open deadlines as of
    `%(as_of)s`, limited to one case when `%(case_id)s` is not NULL; each (object_id, due_on)
    at most once. A `stage` in the detail (the measure-end windows) raises the alert again
    when it changes: an acknowledgement holds for one stage. `params` adds the rule's own
    parameters. `link` gives the page where the
    alert is resolved. An `informative` rule calls for no action that would close it: its
    alert may be acknowledged."""

    code: str
    label: str | Promise
    source: str | Promise
    sql: str
    link: Callable[[Any], str]
    params: Callable[[], dict[str, Any]] = dict
    informative: bool = False
    describe: Callable[[Any], str] = field(default=lambda alert: "")
    order: int = 100


_rules: dict[str, Rule] = {}
DEADLOCK_DETECTED = "40P01"
# Room for the rule's rows to be looked up by hash (the closing half's NOT IN) at national
# volumes; for the sweep's own transaction only.
SWEEP_SETTINGS = "SET LOCAL work_mem = '64MB'"
# Before sweeping every case: the planner's picture of the alerts table, which the rules and
# the closing half read, may date from before the last sweep wrote tens of thousands of rows
# (autovacuum lags); planned on it, a correlated lookup of the alerts became a scan of the
# whole index per case (minutes per rule at national scale). Sampling costs ~0.1 s.
SWEEP_PREPARE = "ANALYZE cases_alert"


def register(rule: Rule) -> Rule:
    if rule.code in _rules and _rules[rule.code] != rule:
        raise ValueError(f"A deadline rule named {rule.code!r} is already registered.")
    _rules[rule.code] = rule
    return rule


def rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: (rule.order, rule.code))


def rule_for(code: str) -> Rule | None:
    return _rules.get(code)


# Columns are named by the rule's SELECT; `current` holds its rows for both halves.
_SWEEP = """
WITH current AS ({sql}),
raised AS (
    INSERT INTO cases_alert (rule, case_id, object_id, due_on, detail, status, created_at)
    SELECT %(rule)s, case_id, object_id, due_on, detail, 'open', %(now)s FROM current
    ON CONFLICT (rule, object_id, due_on) DO UPDATE
        SET detail = EXCLUDED.detail, status = 'open', closed_at = NULL,
            notified_at = CASE WHEN cases_alert.status = 'closed' THEN NULL
                               ELSE cases_alert.notified_at END,
            acknowledged_at = CASE WHEN {same_stage} THEN cases_alert.acknowledged_at END,
            acknowledged_by_id = CASE WHEN {same_stage} THEN cases_alert.acknowledged_by_id END
        WHERE cases_alert.status = 'closed' OR cases_alert.detail <> EXCLUDED.detail
    RETURNING (xmax = 0) AS created
),
resolved AS (
    UPDATE cases_alert AS alert SET status = 'closed', closed_at = %(now)s
    WHERE alert.rule = %(rule)s AND alert.status = 'open'
      AND (%(case_id)s::bigint IS NULL OR alert.case_id = %(case_id)s)
      -- A hashed lookup in the rule's rows whatever the planner believes the alerts table
      -- holds: a NOT EXISTS here became, on statistics older than the last sweep, a nested
      -- loop comparing every open alert with every row (minutes per rule at national scale).
      -- The rows are never NULL (the INSERT above would fail first).
      AND (alert.object_id, alert.due_on) NOT IN (SELECT object_id, due_on FROM current)
    RETURNING 1
)
SELECT (SELECT count(*) FROM raised WHERE created),
       (SELECT count(*) FROM raised WHERE NOT created),
       (SELECT count(*) FROM resolved)
"""


@dataclass(frozen=True)
class RuleCounts:
    created: int
    updated: int
    closed: int


_SAME_STAGE = (
    "(EXCLUDED.detail -> 'stage' IS NULL"
    " OR cases_alert.detail -> 'stage' = EXCLUDED.detail -> 'stage')"
)


def statement(rule: Rule) -> str:
    """The one statement that sweeps `rule` (also what the benchmark runs raw)."""
    return _SWEEP.format(sql=rule.sql, same_stage=_SAME_STAGE)


def parameters(rule: Rule, *, as_of: date, case_id: int | None, now: datetime) -> dict[str, Any]:
    return {"rule": rule.code, "as_of": as_of, "case_id": case_id, "now": now} | rule.params()


def sweep(*, as_of: date, case_id: int | None = None) -> dict[str, RuleCounts]:
    """Bring the alerts in line with every rule as of `as_of` (for one case or all); return
    what changed per rule. Each rule commits on its own (a long nightly sweep holds no lock
    on every alert at once) and is tried again if it loses a deadlock to a case recompute.
    Safe to run twice: the second run changes nothing."""
    now = timezone.now()
    if case_id is None:
        with connection.cursor() as cursor:
            cursor.execute(SWEEP_PREPARE)
    return {
        rule.code: _sweep_rule(rule, parameters(rule, as_of=as_of, case_id=case_id, now=now))
        for rule in rules()
    }


def _sweep_rule(rule: Rule, params: dict[str, Any], attempts: int = 3) -> RuleCounts:
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(SWEEP_SETTINGS)
                cursor.execute(statement(rule), params)
                return RuleCounts(*cursor.fetchone())
        except OperationalError as error:
            deadlock = getattr(error.__cause__, "pgcode", None) == DEADLOCK_DETECTED
            if not deadlock or attempt == attempts:
                raise
            logger.warning("Deadline rule %s lost a deadlock; trying again", rule.code)
    raise AssertionError("unreachable")


def case_refresh(case_id: int, *, as_of: date | None = None) -> dict[str, RuleCounts]:
    """Recompute one case's alerts (after a change that may move its deadlines)."""
    return sweep(as_of=as_of or timezone.localdate(), case_id=case_id)


def _refresh_after_commit(case_id: int) -> None:
    try:
        case_refresh(case_id)
    except Exception:  # the change is saved; the nightly sweep will catch up
        logger.exception("Deadline recompute failed for a case; the nightly sweep redoes it")


def case_changed(case_id: int) -> None:
    """Recompute the case's alerts once the caller's transaction has committed: the page the
    user lands on already shows the alert the change resolved gone. A failure is logged and
    left to the nightly sweep, never undoing the change. The receiver of the
    `cases.extensions.case_changed` hook (bulk work mutes the hook, then sweeps once)."""
    transaction.on_commit(partial(_refresh_after_commit, case_id))
