"""The deadline engine, its alerts and pages (see `deadlines.apps`)."""
