from django.db import migrations, models


class Migration(migrations.Migration):
    """The adult taking the patient home may not be the one driving (migration 0005)."""

    dependencies = [
        ("treatment", "0005_discharge_ride"),
    ]

    operations = [
        migrations.RenameField("discharge", "driver_name", "escort_name"),
        migrations.RenameField("discharge", "driver_phone", "escort_phone"),
        migrations.AlterField(
            model_name="discharge",
            name="escort_name",
            field=models.CharField(
                max_length=120, verbose_name="name of the adult taking them home"
            ),
        ),
        migrations.AlterField(
            model_name="discharge",
            name="escort_phone",
            field=models.CharField(
                max_length=40, verbose_name="phone of the adult taking them home"
            ),
        ),
    ]
