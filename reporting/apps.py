from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports to the judge")

    def ready(self) -> None:
        import reporting.deadlines  # noqa: F401 (registers the rules)
        import reporting.policy  # noqa: F401 (registers the access rules)
        from cases.extensions import CaseSection, register_purge_hook, register_section
        from reporting.demo import seed_reports
        from reporting.extensions import case_section, home_panel
        from reporting.retention import reports_purge
        from spip import home, navigation
        from spip.demo import register

        navigation.register("reporting:list", _("Reports"), action="report.list", order=30)
        navigation.register(
            "reporting:validation", _("Validation"), action="report.validation_queue", order=32
        )
        navigation.register(
            "reporting:inbox", _("Reports received"), action="report.inbox", order=10
        )
        register_section(CaseSection(key="reports", build=case_section, order=60))
        home.register("reports", home_panel)
        register(seed_reports)
        register_purge_hook(reports_purge)
