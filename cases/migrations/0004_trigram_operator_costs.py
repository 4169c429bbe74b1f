"""Tell the planner what trigram comparisons cost.

pg_trgm declares its operator functions with the default cost of 1, as cheap as an integer
comparison, so on a few thousand people the planner prefers a sequential scan that runs
word_similarity() on every row (measured: 15 ms) to the trigram index (4 ms). A cost of 100
matches what the functions do (extract and compare trigrams).
"""

from django.db import migrations

FUNCTIONS = ["similarity_op", "word_similarity_op", "word_similarity_commutator_op"]


def _alter(cost: int) -> str:
    # Only the extension's owner may alter its functions: where the application's role is
    # not (extensions created by a DBA), skip with a notice instead of failing the migration.
    statements = " ".join(f"ALTER FUNCTION {name}(text, text) COST {cost};" for name in FUNCTIONS)
    return f"""
    DO $$
    BEGIN
        {statements}
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm operator costs left unchanged: run this migration''s SQL as the extension owner';
    END
    $$;
    """


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_reference_data")]

    operations = [migrations.RunSQL(_alter(100), _alter(1))]
