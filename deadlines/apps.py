"""The deadline engine: rules registered by the apps, alerts, the nightly sweep, the weekly
digest and the "my deadlines" pages. It sits above `cases` and below the apps whose rules it
sweeps; it learns of case changes through the `cases.extensions.case_changed` hook."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        import deadlines.case_rules  # noqa: F401 (registers the rules of the case files)
        import deadlines.policy  # noqa: F401 (registers the access rules)
        from cases.extensions import case_changed, register_purge_hook
        from deadlines import engine
        from deadlines.demo import seed_deadlines
        from deadlines.retention import alerts_purge
        from deadlines.selectors import home_panel
        from spip import home, navigation
        from spip.demo import register

        case_changed.connect(engine.case_changed)
        navigation.register("deadlines:list", _("Deadlines"), action="deadline.list", order=11)
        home.register("deadlines", home_panel)
        register_purge_hook(alerts_purge)
        register(seed_deadlines, order=1000)  # after every app's demo data
