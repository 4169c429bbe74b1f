"""PostgreSQL extensions used for search (accent- and case-insensitive, trigram), and the
trigger that makes the access log append-only.

UPDATE is always rejected. DELETE is rejected unless the transaction has set
`spip.access_log_purge` to 'on' with SET LOCAL, which only the retention purge does.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

CREATE_TRIGGER = """
CREATE FUNCTION spip_accesslog_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('spip.access_log_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'spip_accesslog is append-only: % rejected', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER spip_accesslog_append_only
    BEFORE UPDATE OR DELETE ON spip_accesslog
    FOR EACH ROW EXECUTE FUNCTION spip_accesslog_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS spip_accesslog_append_only ON spip_accesslog;
DROP FUNCTION IF EXISTS spip_accesslog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("spip", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunSQL(CREATE_TRIGGER, DROP_TRIGGER),
    ]
