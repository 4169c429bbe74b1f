"""`Alert` and `DigestClaim` move to the `deadlines` app (`deadlines/migrations/0001_initial`).

State only: the tables stay as they are, with every row (`cases_alert`, `cases_digestclaim`
keep their names, which the sweep's raw SQL uses), and `cases` merely forgets the models.
Nothing references them but the deadlines app itself.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0013_word_similarity_cost")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Alert"),
                migrations.DeleteModel(name="DigestClaim"),
            ],
            database_operations=[],
        ),
    ]
