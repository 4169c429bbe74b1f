"""The retention purge (DOMAIN.md, "Data protection").

Case data are kept `CASE_RETENTION_YEARS` (5) years after the end of the case's last measure;
then the nightly task (`cases.tasks.retention_purge`) deletes what only describes the person
and anonymises the rows that statistics count. The same task purges the access log after
`ACCESS_LOG_RETENTION_DAYS` through `spip.services.access_log_purge`, the only code that may
delete access-log rows (the log itself is left to that rule: it names objects by id only).

A case is due, as of a Paris date, when it is not anonymised yet and
- none of its measures is pending, in progress or suspended, and every one has an end date
  (a measure without one — no fixed length, an open suspension — keeps the case until a
  decision ends it);
- its last measure ended more than `CASE_RETENTION_YEARS` before that date; a case without
  measures counts from its closing date (an open case without measures is never due).
A status left "in progress" past its end date keeps the case too: the nightly status refresh
(00:20) ends the measure first, and the next purge takes the case.

What happens to a due case (the apps above `cases` do their part through
`cases.extensions.register_purge_hook`):

Deleted — they hold nothing but personal content, or only serve to follow the person:
- proofs and their files, assessments, the case's access grants;
- deadline alerts (deadlines);
- reports to the judge, whatever their status, and their PDFs (reporting);
- workshop attestation files (workshops);
- notifications that name the case's number or link to its page;
- the change history (pghistory `<Model>History` rows) of every row of the case, deleted
  ones included, and of an anonymised person: it holds copies of all that is blanked here.

Kept with their free text blanked — the rows are what statistics count (measures by kind
and length, obligations by type, incidents by response, interviews by kind and status,
community-work hours, enrolments and attendance, transfers between branches):
- case: its number becomes "X-<id>" (the old number is printed on letters and reports held
  elsewhere, so it would lead back to the person), the intensity reason is blanked; branch,
  adviser, environment, dates and intensity stay; `anonymised_on` records the purge date;
- measures: unchanged (structured: kind, court, dates, durations, status);
- measure events: the note and the JAP decision reference (it names a court file);
- obligations: details and reason for lifting; community-work placements: post and tutor
  (a third party); incidents: the description; transfers: the reason;
- interviews: place, private notes, outcome and reminder result (interviews);
- enrolments: the reason, and the attestation file is deleted (workshops).

The person loses their identity with the last of their cases: names become "X", the birth
date the 1st of January of the birth year, birth place, aliases, address, phone and e-mail
are blanked and the text-message opt-out reset; sex and nationality stay (statistics by age,
sex and nationality). While another case of theirs is kept, that case needs the identity.

Not touched: pghistory's context rows (who changed something through which URL; URLs never
carry personal data), the digest claims (per adviser), workshops and sessions (not about
one person), and staff accounts.

Cases are processed in batches, one transaction each: the batch re-checks that its cases
are due under a row lock, so a second run at the same time, or a measure added meanwhile,
cannot anonymise a case twice or by mistake, and a run cut short by its time budget leaves
whole batches done. A second run finds nothing to do. Stored files are deleted once their
batch has committed (a rolled-back batch leaves them in place); a failed deletion is logged,
by count only. Everything reported is a count: never an id, a number or a name.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, TruncYear

from cases.extensions import cases_purged
from cases.models import (
    Assessment,
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Incident,
    Measure,
    MeasureEvent,
    Obligation,
    Person,
    Proof,
    Transfer,
    WorkHours,
    WorkPlacement,
)
from spip.models import Notification
from spip.services import access_log_purge

logger = logging.getLogger(__name__)

# What an anonymised person is called: "X", as in the French "plainte contre X".
ANONYMOUS = "X"
BATCH_SIZE = 200
RUNNING = (Measure.Status.PENDING, Measure.Status.ACTIVE, Measure.Status.SUSPENDED)


def retention_cutoff(as_of: date) -> date:
    """Cases whose last measure ended before this date are due: `as_of` less the retention
    period, in calendar years (29 February gives 28 February)."""
    years = settings.CASE_RETENTION_YEARS
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:
        return as_of.replace(year=as_of.year - years, day=28)


def cases_due(*, as_of: date) -> QuerySet[Case]:
    """The cases whose retention period is over as of `as_of` (a Paris date): one query."""
    cutoff = retention_cutoff(as_of)
    measures = Measure.objects.filter(case=OuterRef("pk"))
    keeping = measures.filter(
        Q(status__in=RUNNING) | Q(end_date__isnull=True) | Q(end_date__gte=cutoff)
    )
    return Case.objects.filter(
        ~Exists(keeping), Q(Exists(measures)) | Q(closed_on__lt=cutoff), anonymised_on=None
    )


def retention_purge(*, as_of: date, stop_after: float | None = None) -> dict[str, int]:
    """The nightly purge: access-log rows past their period, then every case due as of
    `as_of` (see the module's docstring). Returns and logs counts only. With `stop_after`
    (seconds), no batch starts once that time is spent; the next run does the rest."""
    started = time.monotonic()
    counts: Counter[str] = Counter(access_log_deleted=access_log_purge())
    due = list(cases_due(as_of=as_of).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(due), BATCH_SIZE):
        if stop_after is not None and time.monotonic() - started > stop_after:
            counts["cases_left_for_next_run"] = len(due) - start
            break
        counts.update(_purge_batch(due[start : start + BATCH_SIZE], as_of=as_of))
    result = {key: value for key, value in sorted(counts.items()) if value}
    logger.info("retention purge as of %s: %s", as_of.isoformat(), result or "nothing due")
    return result


@transaction.atomic
def _purge_batch(candidates: list[int], *, as_of: date) -> Counter[str]:
    ids = list(
        cases_due(as_of=as_of)
        .filter(pk__in=candidates)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not ids:
        return Counter()
    counts: Counter[str] = Counter(cases_anonymised=len(ids))
    cases = Case.objects.filter(pk__in=ids)
    measures = Measure.objects.filter(case_id__in=ids).values("pk")
    obligations = Obligation.objects.filter(measure__case_id__in=ids).values("pk")

    counts["notifications_deleted"] = delete(_notifications_about(cases))
    proofs = Proof.objects.filter(obligation__in=obligations)
    files = list(proofs.exclude(file="").values_list("file", flat=True))
    counts["proofs_deleted"] = delete(proofs)
    counts["files_deleted"] += delete_files_on_commit(Proof.file.field.storage, files)
    counts["assessments_deleted"] = delete(Assessment.objects.filter(case_id__in=ids))
    counts["access_grants_deleted"] = delete(
        CaseUserObjectPermission.objects.filter(content_object_id__in=ids)
    ) + delete(CaseGroupObjectPermission.objects.filter(content_object_id__in=ids))

    MeasureEvent.objects.filter(measure__in=measures).update(note="", decision_reference="")
    Obligation.objects.filter(pk__in=obligations).update(details="", lift_reason="")
    WorkPlacement.objects.filter(measure__in=measures).update(post="", tutor="")
    Incident.objects.filter(measure__in=measures).update(description="")
    Transfer.objects.filter(case_id__in=ids).update(reason="")
    cases.update(
        number=Concat(Value(f"{ANONYMOUS}-"), Cast("pk", models.CharField())),
        intensity_reason="",
        anonymised_on=as_of,
        version=F("version") + 1,
    )
    people = _anonymise_people(ids)
    counts["people_anonymised"] = len(people)

    counts.update(cases_purged(ids))

    placements = WorkPlacement.objects.filter(measure__in=measures).values("pk")
    counts["history_rows_deleted"] += sum(
        history_delete(model, **lookup)
        for model, lookup in [
            (Case, {"pgh_obj_id__in": ids}),
            (Measure, {"case_id__in": ids}),
            (MeasureEvent, {"measure_id__in": measures}),
            (Obligation, {"measure_id__in": measures}),
            (Proof, {"obligation_id__in": obligations}),
            (WorkPlacement, {"measure_id__in": measures}),
            (WorkHours, {"placement_id__in": placements}),
            (Incident, {"measure_id__in": measures}),
            (Assessment, {"case_id__in": ids}),
            (Transfer, {"case_id__in": ids}),
            (Person, {"pgh_obj_id__in": people}),
        ]
    )
    return counts


def _anonymise_people(case_ids: list[int]) -> list[int]:
    """Anonymise the people of these (just anonymised) cases who have no other case left;
    return their ids. Their rows are locked first, then their cases counted in a second
    statement, so that a case opened for one of them meanwhile is seen."""
    locked = list(
        Person.objects.filter(pk__in=Case.objects.filter(pk__in=case_ids).values("person_id"))
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    kept = Case.objects.filter(person=OuterRef("pk"), anonymised_on=None)
    people = list(
        Person.objects.filter(pk__in=locked).exclude(Exists(kept)).values_list("pk", flat=True)
    )
    Person.objects.filter(pk__in=people).update(
        birth_name=ANONYMOUS,
        usage_name="",
        first_names=ANONYMOUS,
        birth_date=TruncYear("birth_date"),
        birth_place="",
        aliases="",
        address="",
        phone="",
        email="",
        sms_opt_out=False,
    )
    return people


def _notifications_about(cases: QuerySet[Case]) -> QuerySet[Notification]:
    """Notifications naming one of these cases by number (as a whole word) or linking to one
    of their pages. Read before the numbers change."""
    pairs = list(cases.values_list("pk", "number"))
    numbers = "|".join(re.escape(number) for _, number in pairs)
    pks = "|".join(str(pk) for pk, _ in pairs)
    return Notification.objects.filter(
        Q(message__regex=rf"\m({numbers})\M") | Q(link__regex=rf"^/cases/({pks})/")
    )


def history_delete(model: type[models.Model], **lookups: object) -> int:
    """Delete the change-history rows (pghistory, see `spip.history.tracked`) of `model` that
    match `lookups` (on the history table: `pgh_obj_id` or a copied column such as
    `case_id`, which also finds the history of rows deleted since); return how many."""
    history = model._meta.get_field("history").related_model
    return delete(history.objects.filter(**lookups))


def delete(queryset: QuerySet[Any]) -> int:
    """Delete the rows of `queryset`; return how many of its own model went (rows that
    cascade from them, or that are set to NULL, are not counted)."""
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


def delete_files_on_commit(storage: Storage, names: Iterable[str]) -> int:
    """Delete these stored files once the current transaction commits (a rollback keeps
    them, as the rows still point to them); return how many are due to go. A file that
    cannot be deleted stays as an orphan and is logged, by count only."""
    names = [name for name in names if name]

    def remove() -> None:
        failed = 0
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # noqa: BLE001 — one file must not keep the others
                failed += 1
        if failed:
            logger.warning("retention purge: %d stored file(s) could not be deleted", failed)

    if names:
        transaction.on_commit(remove)
    return len(names)
