"""Tell the planner what `word_similarity()` costs, as 0004 did for the trigram operators.

Search now computes the similarity of the names of the user's visible cases (a branch's
worth) instead of asking the national trigram index. Declared with the default cost of 1,
the function looked free, and for a large branch the planner preferred to run it on every
person of the country (a sequential scan) rather than on the branch's few hundred.
"""

from django.db import migrations


def _alter(cost: int) -> str:
    # Only the extension's owner may alter its functions (see 0004).
    return f"""
    DO $$
    BEGIN
        ALTER FUNCTION word_similarity(text, text) COST {cost};
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'word_similarity cost left unchanged: run this migration''s SQL as the extension owner';
    END
    $$;
    """


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_alert_notified_at")]

    operations = [migrations.RunSQL(_alter(100), _alter(1))]
