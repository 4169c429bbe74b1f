"""Collective workshops, their sessions, enrolments and attendance."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Collective workshops")

    def ready(self) -> None:
        import workshops.policy  # noqa: F401 (registers the access rules)
        from cases.extensions import (
            CaseSection,
            register_close_hook,
            register_purge_hook,
            register_section,
            register_transfer_hook,
        )
        from spip import home, navigation
        from spip.demo import register
        from workshops.demo import seed_workshops
        from workshops.extensions import case_section, facilitator_panel, partner_panel
        from workshops.retention import enrollments_purge
        from workshops.services import withdraw_on_close, withdraw_on_transfer

        navigation.register("workshops:list", _("Workshops"), action="workshop.list", order=40)
        register_section(CaseSection(key="workshops", build=case_section, order=50))
        home.register("workshops_partner", partner_panel)
        home.register("workshops_facilitator", facilitator_panel)
        register(seed_workshops)
        register_transfer_hook(withdraw_on_transfer)
        register_close_hook(withdraw_on_close)
        register_purge_hook(enrollments_purge)
