"""`Alert` and `DigestClaim`, moved from `cases` (created there by 0010, `notified_at` added by
0012): state only, on the existing tables `cases_alert` and `cases_digestclaim`, with the
same constraints and index names, so that an existing database keeps every alert and claim.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0014_move_alerts_to_deadlines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Alert",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("rule", models.CharField(max_length=40, verbose_name="rule")),
                        ("object_id", models.BigIntegerField()),
                        ("due_on", models.DateField(verbose_name="due on")),
                        ("detail", models.JSONField(blank=True, default=dict)),
                        ("status", models.CharField(choices=[("open", "open"), ("closed", "closed")], default="open", max_length=8, verbose_name="status")),
                        ("created_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name="raised at")),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                        ("snoozed_until", models.DateField(blank=True, null=True, verbose_name="snoozed until")),
                        ("snooze_reason", models.CharField(blank=True, db_default="", max_length=300, verbose_name="reason for snoozing")),
                        ("notified_at", models.DateTimeField(blank=True, null=True, verbose_name="notified at")),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at")),
                        ("acknowledged_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="alerts", to="cases.case", verbose_name="case")),
                        ("snoozed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "deadline alert",
                        "verbose_name_plural": "deadline alerts",
                        "db_table": "cases_alert",
                        "ordering": ["due_on", "id"],
                        "indexes": [
                            models.Index(condition=models.Q(("status", "open")), fields=["case", "due_on"], name="alert_open_case"),
                            models.Index(fields=["rule", "case"], name="alert_rule_case"),
                        ],
                        "constraints": [
                            models.UniqueConstraint(fields=("rule", "object_id", "due_on"), name="alert_once"),
                            models.CheckConstraint(condition=models.Q(("snoozed_until__isnull", True), models.Q(("snooze_reason", ""), _negated=True), _connector="OR"), name="alert_snooze_has_reason"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DigestClaim",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("week", models.DateField(verbose_name="week starting")),
                        ("claimed_at", models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "cases_digestclaim",
                        "constraints": [
                            models.UniqueConstraint(fields=("recipient", "week"), name="digest_once_a_week"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
