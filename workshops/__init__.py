"""Collective workshops, their sessions, enrolments and attendance."""
