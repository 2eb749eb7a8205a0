"""Hands the tables to audit_fields. A migration of its own, so `migrate` on a fresh database and on
production do the same, and `migrate notes 0001` takes the trigger away again. enable() is idempotent:
re-running it with other options changes them."""
from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]
    operations = [
        CreateExtension("audit_fields"),  # IF NOT EXISTS: a no-op where it is installed already
        migrations.RunSQL(
            "SELECT audit_fields.enable('notes_note', soft_delete => true)",
            reverse_sql="SELECT audit_fields.disable('notes_note')",
        ),
        migrations.RunSQL(
            "SELECT audit_fields.enable('notes_document', stamp_mode => 'fill')",
            reverse_sql="SELECT audit_fields.disable('notes_document')",
        ),
    ]
