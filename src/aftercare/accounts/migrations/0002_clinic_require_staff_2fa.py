from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="require_staff_2fa",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Clinicians and admins enter a code from an authenticator app after their"
                    " password."
                ),
                verbose_name="staff sign in with a one-time code",
            ),
        ),
    ]
