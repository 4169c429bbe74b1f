"""The ICS feed of an adviser's interviews.

Events carry the case number and the person's initials, never a name, a note or an
address; home visits carry no place. Each event's UID is stable and its SEQUENCE is the
interview's version, so calendar clients apply moves; cancelled interviews stay in the feed
with STATUS:CANCELLED for 30 days so that clients remove them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import Calendar, Event

from cases.policy import visible_cases
from interviews.models import Interview
from spip.models import User

PAST = timedelta(days=30)
FUTURE = timedelta(days=183)


def calendar_feed(user: User) -> bytes:
    now = timezone.now()
    interviews = (
        Interview.objects.filter(adviser=user, start__gte=now - PAST, start__lt=now + FUTURE)
        .filter(case__in=visible_cases(user).values("pk"))
        .select_related("case__person")
        .only(
            "pk",
            "start",
            "end",
            "kind",
            "place",
            "status",
            "version",
            "updated_at",
            "case__number",
            "case__person__first_names",
            "case__person__birth_name",
            "case__person__usage_name",
        )
        .order_by("start")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//SPIP//Interviews//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    with override(settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("SPIP interviews"))
        for interview in interviews:
            person = interview.case.person
            event = Event()
            event.add("uid", f"interview-{interview.pk}@spip")
            event.add("sequence", interview.version)
            event.add("dtstamp", now)
            event.add("dtstart", interview.start)
            event.add("dtend", interview.end)
            summary = (
                f"{interview.get_kind_display()} — {interview.case.number} ({person.initials})"
            )
            event.add("summary", summary)
            if interview.place and interview.kind != Interview.Kind.HOME_VISIT:
                event.add("location", interview.place)
            status = "CANCELLED" if interview.status == Interview.Status.CANCELLED else "CONFIRMED"
            event.add("status", status)
            event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
            calendar.add_component(event)
    return calendar.to_ical()
