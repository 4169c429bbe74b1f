from django.urls import path

from deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("deadlines/", views.deadlines, name="list"),
    path("deadlines/advisers/<int:adviser_id>/", views.adviser_deadlines, name="adviser"),
    path("deadlines/<int:alert_id>/snooze/", views.snooze, name="snooze"),
    path("deadlines/<int:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("deadlines/<int:alert_id>/restore/", views.restore, name="restore"),
]
