from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("reports/", views.my_reports, name="list"),
    path("reports/validation/", views.validation_queue, name="validation"),
    path("reports/session/", views.session_token, name="session"),
    path("cases/<int:case_id>/reports/new/", views.report_new, name="new"),
    path("reports/<int:report_id>/", views.detail, name="detail"),
    path("reports/<int:report_id>/autosave/", views.autosave, name="autosave"),
    path("reports/<int:report_id>/preview/", views.preview, name="preview"),
    path("reports/<int:report_id>/submit/", views.submit, name="submit"),
    path("reports/<int:report_id>/validate/", views.validate, name="validate"),
    path("reports/<int:report_id>/return/", views.return_to_author, name="return"),
    path("reports/<int:report_id>/retry/", views.retry, name="retry"),
    path("reports/<int:report_id>/delete/", views.discard, name="discard"),
    path("reports/<int:report_id>/pdf/", views.download, name="download"),
    path("clerk/reports/", views.clerk_inbox, name="inbox"),
]
