from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SpipConfig(AppConfig):
    name = "spip"
    verbose_name = _("Organisation and accounts")


class SpipAdminConfig(AdminConfig):
    default_site = "spip.admin_site.SpipAdminSite"
