from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpipConfig(AppConfig):
    name = "spip"
    verbose_name = _("Organisation and accounts")
