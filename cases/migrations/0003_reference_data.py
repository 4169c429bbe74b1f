"""Obligation types and follow-up intensities (cases.reference)."""

from django.db import migrations

from cases.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_person_search")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
