from django.db import migrations, models


class Migration(migrations.Migration):
    """Every event has its place in the chain from now on, and no two share one."""

    dependencies = [
        ("audit", "0003_backfill_audit_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(unique=True, verbose_name="sequence"),
        ),
    ]
