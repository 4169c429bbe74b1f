from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case files")

    def ready(self) -> None:
        import cases.policy  # noqa: F401 (registers the access rules)
        from cases.demo import seed_cases
        from spip import navigation
        from spip.demo import register

        navigation.register("cases:list", _("Case files"), action="case.list", order=10)
        navigation.register(
            "cases:director_caseloads", _("Allocation"), action="caseload.allocate", order=20
        )
        register(seed_cases)
