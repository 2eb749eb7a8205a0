from django.db import models


class AuditFields(models.Model):
    """The audit mixin. The database writes these columns (audit_fields' trigger), so they are not
    editable, and NOT NULL columns need no default: Django sends NULL and the trigger, which runs
    before constraints are checked, fills them. No auto_now/auto_now_add: that is the application's
    clock, which the trigger overrides anyway. default=None on the NOT NULL text columns: otherwise
    Django sends '' for them, which stamp_mode 'fill' would keep as a client-supplied value."""

    created_at = models.DateTimeField(editable=False)
    updated_at = models.DateTimeField(editable=False)
    deleted_at = models.DateTimeField(null=True, editable=False)
    created_by = models.TextField(editable=False, default=None)
    created_by_name = models.TextField(null=True, editable=False)
    updated_by = models.TextField(editable=False, default=None)
    updated_by_name = models.TextField(null=True, editable=False)
    deleted_by = models.TextField(null=True, editable=False)
    deleted_by_name = models.TextField(null=True, editable=False)

    class Meta:
        abstract = True


class LiveManager(models.Manager):
    """Hides soft-deleted rows (the trigger turns DELETE into a soft delete on these tables)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Note(AuditFields):
    """Enabled with the default stamp_mode (force) and soft_delete (migration 0002)."""

    title = models.TextField()
    objects = models.Manager()
    live = LiveManager()


class Document(AuditFields):
    """Enabled with stamp_mode => 'fill' (migration 0002), to show what save() does to it."""

    title = models.TextField()
