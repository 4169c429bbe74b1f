"""The director's allocation page and its actions (names in the `cases` namespace)."""

from django.urls import path

from cases import director_views as views

urlpatterns = [
    path("director/caseloads/", views.caseloads, name="director_caseloads"),
    path("director/caseloads/<int:adviser_id>/", views.adviser_caseload, name="director_adviser"),
    path("director/cases/<int:case_id>/assign/", views.queue_assign, name="director_assign"),
    path("director/cases/<int:case_id>/close/", views.case_close, name="director_close"),
    path("director/substitutes/", views.substitutes, name="director_substitutes"),
]
