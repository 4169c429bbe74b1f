from django.urls import include, path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", include("cases.director_urls")),
    path("cases/", views.case_list, name="list"),
    path("cases/new/", views.case_open, name="open"),
    path("cases/<int:case_id>/", views.case_detail, name="detail"),
    path("cases/<int:case_id>/reason/", views.case_access_reason, name="reason"),
    path("cases/<int:case_id>/assign/", views.case_assign, name="assign"),
    path("cases/<int:case_id>/restrict/", views.case_restrict, name="restrict"),
    path("cases/<int:case_id>/transfer/", views.case_transfer, name="transfer"),
    path("cases/<int:case_id>/edit/", views.case_update, name="update"),
    path(
        "obligations/<int:obligation_id>/edit/", views.obligation_update, name="obligation_update"
    ),
    path(
        "assessments/<int:assessment_id>/edit/", views.assessment_update, name="assessment_update"
    ),
    path("cases/<int:case_id>/measures/new/", views.measure_add, name="measure_add"),
    path("measures/<int:measure_id>/events/new/", views.measure_event, name="measure_event"),
    path("measures/<int:measure_id>/edit/", views.measure_update, name="measure_update"),
    path("measures/<int:measure_id>/obligations/new/", views.obligation_add, name="obligation_add"),
    path("obligations/<int:obligation_id>/lift/", views.obligation_lift, name="obligation_lift"),
    path("obligations/<int:obligation_id>/proofs/new/", views.proof_add, name="proof_add"),
    path("proofs/<int:proof_id>/file/", views.proof_file, name="proof_file"),
    path("measures/<int:measure_id>/placements/new/", views.placement_add, name="placement_add"),
    path("placements/<int:placement_id>/hours/new/", views.work_hours_add, name="work_hours_add"),
    path("measures/<int:measure_id>/incidents/new/", views.incident_add, name="incident_add"),
    path("cases/<int:case_id>/assessments/new/", views.assessment_add, name="assessment_add"),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="assessment_detail"),
]
