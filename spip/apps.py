from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SpipConfig(AppConfig):
    name = "spip"
    verbose_name = _("Organisation and accounts")

    def ready(self) -> None:
        from spip import navigation

        navigation.register("home", _("Home"), action=None, order=0)
        navigation.register("admin:index", _("Administration"), action="admin.site", order=90)


class SpipAdminConfig(AdminConfig):
    default_site = "spip.admin_site.SpipAdminSite"
