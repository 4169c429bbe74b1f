"""An issued report never changes: only the date of its first download by the court may be
set. Deleting one is refused too, except by the retention purge, which declares itself with
`SET LOCAL spip.case_purge = 'on'`."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION reporting_report_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'issued' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF current_setting('spip.case_purge', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'an issued report cannot be deleted' USING ERRCODE = 'check_violation';
    END IF;
    IF (to_jsonb(NEW) - 'downloaded_at') IS DISTINCT FROM (to_jsonb(OLD) - 'downloaded_at') THEN
        RAISE EXCEPTION 'an issued report cannot be changed' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reporting_report_immutable
BEFORE UPDATE OR DELETE ON reporting_report
FOR EACH ROW EXECUTE FUNCTION reporting_report_immutable();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS reporting_report_immutable ON reporting_report;
DROP FUNCTION IF EXISTS reporting_report_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
