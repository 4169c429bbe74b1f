from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Case files")

    def ready(self) -> None:
        import cases.deadline_rules  # noqa: F401 (registers the rules)
        import cases.policy  # noqa: F401 (registers the access rules)
        from cases.alerts import home_panel, seed_deadlines
        from cases.demo import seed_cases
        from spip import home, navigation
        from spip.demo import register

        navigation.register("cases:list", _("Case files"), action="case.list", order=10)
        navigation.register(
            "cases:director_caseloads", _("Allocation"), action="caseload.allocate", order=20
        )
        navigation.register("cases:deadlines", _("Deadlines"), action="deadline.list", order=11)
        home.register("deadlines", home_panel)
        register(seed_cases)
        register(seed_deadlines, order=1000)  # after every app's demo data
