from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case files")

    def ready(self) -> None:
        from cases.demo import seed_cases
        from spip import navigation
        from spip.demo import register
        from spip.models import Role

        navigation.register(
            "cases:list", _("Case files"),
            roles=[Role.ADVISER, Role.DIRECTOR, Role.SECRETARY], order=10,
        )  # fmt: skip
        navigation.register(
            "cases:director_caseloads", _("Allocation"), roles=[Role.DIRECTOR], order=20
        )
        register(seed_cases)
