from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        import interviews.deadlines  # noqa: F401 (registers the rules)
        import interviews.policy  # noqa: F401 (registers the access rules)
        from cases.extensions import (
            CaseSection,
            register_purge_hook,
            register_section,
            register_transfer_hook,
        )
        from interviews.demo import seed_interviews
        from interviews.retention import interviews_purge
        from interviews.sections import home_panel, interviews_section
        from interviews.services import cancel_planned_on_transfer
        from spip import home, navigation
        from spip.demo import register

        navigation.register("interviews:agenda", _("Agenda"), action="agenda.view", order=12)
        navigation.register(
            "interviews:outcomes", _("Outcomes to log"), action="interview.outcomes", order=14
        )
        register_section(
            CaseSection(key="interviews", build=interviews_section, order=10, identity=True)
        )
        home.register("interviews", home_panel)
        register_transfer_hook(cancel_planned_on_transfer)
        register_purge_hook(interviews_purge)
        register(seed_interviews)
