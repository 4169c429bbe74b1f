"""The product's URLs plus the benchmark's two reference pages (never deployed)."""

from django.urls import path

from bench import views
from spip.urls import urlpatterns as product

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("bench/admin/", views.admin_site.urls),
    *product,
]
