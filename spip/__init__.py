"""Project configuration and the core app: organisation, accounts, access log, notifications."""

from spip.celery import app as celery_app

__all__ = ["celery_app"]
