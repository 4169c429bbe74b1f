from django.urls import path

from workshops import views

app_name = "workshops"

urlpatterns = [
    path("workshops/", views.workshop_list, name="list"),
    path("workshops/new/", views.workshop_create, name="create"),
    path("workshops/<int:workshop_id>/", views.workshop_detail, name="detail"),
    path("workshops/<int:workshop_id>/edit/", views.workshop_update, name="update"),
    path("workshops/<int:workshop_id>/sessions/new/", views.session_add, name="session_add"),
    path("workshops/<int:workshop_id>/enrol/", views.enrol_from_workshop, name="enrol"),
    path("workshops/sessions/<int:session_id>/", views.session_detail, name="session"),
    path(
        "workshops/sessions/<int:session_id>/attendance/<int:enrollment_id>/",
        views.attendance_set,
        name="attendance",
    ),
    path("cases/<int:case_id>/workshops/enrol/", views.enrol_from_case, name="enrol_case"),
    path("workshops/enrolments/<int:enrollment_id>/drop/", views.enrollment_drop, name="drop"),
    path(
        "workshops/enrolments/<int:enrollment_id>/confirm/",
        views.enrollment_confirm,
        name="confirm",
    ),
    path(
        "workshops/enrolments/<int:enrollment_id>/attestation/",
        views.attestation,
        name="attestation",
    ),
    path(
        "workshops/absences/<int:attendance_id>/incident/",
        views.absence_incident,
        name="absence_incident",
    ),
]
