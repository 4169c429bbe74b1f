"""The content types of `Alert` and `DigestClaim` follow the models from `cases` to
`deadlines`: renamed rather than created anew, so that their permissions (and whatever names
them) keep their ids, and no stale `cases` content type is left behind. On a new database
there is nothing to rename yet (content types are created after the migrations)."""

from django.db import migrations

MODELS = ("alert", "digestclaim")


def _move(apps, schema_editor, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.db_manager(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=target, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=target)
    types.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "cases", "deadlines")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "deadlines", "cases")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("deadlines", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
