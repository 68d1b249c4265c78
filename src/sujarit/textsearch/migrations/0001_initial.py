from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

# SQLite: a contentless FTS5 table over the segmented words (rowid = case id), with Thai marks
# kept inside words (unicode61's default treats combining marks as separators and breaks Thai
# words apart), and the list of indexed words, used to find those that contain a query (FTS5's
# own fts5vocab table reads every posting list to answer, which takes seconds at a million).
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE textsearch_fts USING fts5("
    "words, content='', tokenize=\"unicode61 categories 'L* N* Co M*' remove_diacritics 0\")",
    "CREATE TABLE textsearch_fts_words (word TEXT PRIMARY KEY) WITHOUT ROWID",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS textsearch_fts_words",
    "DROP TABLE IF EXISTS textsearch_fts",
]
# PostgreSQL: full-text search over the segmented words ('simple': no stemming, no stop
# words), and trigrams over the words without spaces for substring matches the segmentation
# splits differently.
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX textsearch_casetext_tsv ON textsearch_casetext "
    "USING gin (to_tsvector('simple', words))",
    "CREATE INDEX textsearch_casetext_trgm ON textsearch_casetext "
    "USING gin ((replace(words, ' ', '')) gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS textsearch_casetext_trgm",
    "DROP INDEX IF EXISTS textsearch_casetext_tsv",
]


def _run(statements_by_vendor: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseText",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.case",
                        verbose_name="case",
                    ),
                ),
                ("words", models.TextField(verbose_name="segmented words")),
                ("created_at", models.DateTimeField(verbose_name="case received")),
            ],
            options={
                "verbose_name": "case search text",
                "verbose_name_plural": "case search texts",
            },
        ),
        migrations.CreateModel(
            name="IndexChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("case_id", models.BigIntegerField(verbose_name="case")),
            ],
            options={
                "verbose_name": "pending index change",
                "verbose_name_plural": "pending index changes",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
