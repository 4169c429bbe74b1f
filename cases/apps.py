from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case files")

    def ready(self) -> None:
        import cases.deadline_rules  # noqa: F401 (registers the rules)
        from cases.alerts import home_panel, seed_deadlines
        from cases.demo import seed_cases
        from spip import home, navigation
        from spip.demo import register
        from spip.models import Role

        navigation.register(
            "cases:list", _("Case files"),
            roles=[Role.ADVISER, Role.DIRECTOR, Role.SECRETARY], order=10,
        )  # fmt: skip
        navigation.register(
            "cases:director_caseloads", _("Allocation"), roles=[Role.DIRECTOR], order=20
        )
        navigation.register(
            "cases:deadlines", _("Deadlines"), roles=[Role.ADVISER, Role.DIRECTOR], order=11
        )
        home.register("deadlines", home_panel)
        register(seed_cases)
        register(seed_deadlines, order=1000)  # after every app's demo data
