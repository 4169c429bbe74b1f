"""Convocations, interviews and their outcomes, agendas and reminders."""
