from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from spip import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("language/", login_not_required(set_language), name="set_language"),
    path("", include("cases.urls")),
    path("", include("deadlines.urls")),
    path("", include("interviews.urls")),
    path("", include("workshops.urls")),
    path("", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
