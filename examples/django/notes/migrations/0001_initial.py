from django.db import migrations, models

AUDIT_FIELDS = [
    ("created_at", models.DateTimeField(editable=False)),
    ("updated_at", models.DateTimeField(editable=False)),
    ("deleted_at", models.DateTimeField(editable=False, null=True)),
    ("created_by", models.TextField(default=None, editable=False)),
    ("created_by_name", models.TextField(editable=False, null=True)),
    ("updated_by", models.TextField(default=None, editable=False)),
    ("updated_by_name", models.TextField(editable=False, null=True)),
    ("deleted_by", models.TextField(editable=False, null=True)),
    ("deleted_by_name", models.TextField(editable=False, null=True)),
]


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                               verbose_name="ID"))]
            + [(name, field.clone()) for name, field in AUDIT_FIELDS]
            + [("title", models.TextField())],
            options={"abstract": False},
        ),
        migrations.CreateModel(
            name="Document",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                               verbose_name="ID"))]
            + [(name, field.clone()) for name, field in AUDIT_FIELDS]
            + [("title", models.TextField())],
            options={"abstract": False},
        ),
    ]
