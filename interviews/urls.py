from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("interviews/agenda/", views.agenda, name="agenda"),
    path("interviews/outcomes/", views.outcomes, name="outcomes"),
    path("interviews/new/", views.schedule_from_agenda, name="schedule"),
    path("interviews/calendar/", views.calendar_settings, name="calendar"),
    path("cases/<int:case_id>/interviews/new/", views.schedule_for_case, name="schedule_for_case"),
    path("interviews/<int:interview_id>/", views.detail, name="detail"),
    path("interviews/<int:interview_id>/move/", views.reschedule, name="reschedule"),
    path("interviews/<int:interview_id>/cancel/", views.cancel, name="cancel"),
    path("interviews/<int:interview_id>/outcome/", views.outcome, name="outcome"),
    path("interviews/<int:interview_id>/incident/", views.incident, name="incident"),
    path("interviews/<int:interview_id>/convocation/", views.convocation, name="convocation"),
    path(
        "interviews/<int:interview_id>/convocation/sent/",
        views.convocation_sent,
        name="convocation_sent",
    ),
    path(
        "interviews/<int:interview_id>/reminder/retry/",
        views.reminder_retry,
        name="reminder_retry",
    ),
    path("calendar/<str:token>/interviews.ics", views.calendar_feed, name="calendar_feed"),
]
