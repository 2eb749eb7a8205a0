"""Django 3.2 with audit_fields: per-request actor, 23502, refresh_from_db, soft delete, migrate.

Run by hand against any server with the extension installed (PG* variables select it):
    python3 examples/django/test_example.py -v
It creates the database af_example_django (migrate builds the tables) and leaves it for inspection.
"""
import os
import sys
import unittest
from types import SimpleNamespace

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings")
DB = os.environ.setdefault("AF_EXAMPLE_DB", "af_example_django")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, connection, transaction  # noqa: E402
from django.db.models.functions import Now  # noqa: E402

from notes.audit_actor import AuditActorMiddleware  # noqa: E402
from notes.models import Document, Note  # noqa: E402

AUDIT_COLUMNS = ["created_at", "updated_at", "deleted_at", "created_by", "created_by_name",
                 "updated_by", "updated_by_name", "deleted_by", "deleted_by_name"]


def create_scratch_database():
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{DB}"')
    admin.close()


def read_row(table, row_id):
    """The row as the database holds it, on a connection of its own (not Django's)."""
    conn = psycopg2.connect(dbname=DB)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT * FROM {table} WHERE id = %s", (row_id,))
            names = [d.name for d in cur.description]
            return dict(zip(names, cur.fetchone()))
    finally:
        conn.close()


def backend_pid():
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return cur.fetchone()[0]


def serve(user, view):
    """One request through the middleware. user: (email, full name), or None for an anonymous one."""
    if user is None:
        request_user = SimpleNamespace(is_authenticated=False)
    else:
        request_user = SimpleNamespace(is_authenticated=True, email=user[0], get_full_name=lambda: user[1])
    return AuditActorMiddleware(view)(SimpleNamespace(user=request_user))


ALICE, BOB, CAROL = ("alice@example.com", "Alice"), ("bob@example.com", "Bob"), ("carol@example.com", "Carol")


class DjangoExample(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        connection.close()
        create_scratch_database()
        call_command("migrate", verbosity=0)  # creates the tables and runs 0002: enable()

    def assert_object_equals_row(self, obj):
        row = read_row(obj._meta.db_table, obj.pk)
        for column in AUDIT_COLUMNS:
            self.assertEqual(getattr(obj, column), row[column], column)

    def test_migrate_enabled_both_tables(self):
        with connection.cursor() as cur:
            cur.execute("SELECT table_name, stamp_mode, soft_delete FROM audit_fields.tables ORDER BY 1")
            self.assertEqual(cur.fetchall(), [("notes_document", "fill", False), ("notes_note", "force", True)])

    def test_actor_lands_in_autocommit_and_in_atomic(self):
        def view(request):
            autocommitted = Note.objects.create(title="autocommit")  # a transaction of its own
            with transaction.atomic():
                first = Note.objects.create(title="atomic 1")
                with transaction.atomic():  # a savepoint inside the same transaction
                    second = Note.objects.create(title="atomic 2")
            return [autocommitted, first, second]

        for note in serve(ALICE, view):
            row = read_row("notes_note", note.pk)
            self.assertEqual((row["created_by"], row["created_by_name"]), ALICE)
            self.assertEqual((row["updated_by"], row["updated_by_name"]), ALICE)

    def test_set_actor_on_its_own_in_autocommit_does_nothing(self):
        # The pitfall the wrapper avoids: in autocommit the SELECT is a transaction of its own, and the
        # transaction-local actor ends with it, before the INSERT.
        with connection.cursor() as cur:
            cur.execute("SELECT audit_fields.set_actor(%s, %s)", ALICE)
        with self.assertRaises(IntegrityError) as caught:
            Note.objects.create(title="no actor after all")
        self.assertEqual(caught.exception.__cause__.pgcode, "23502")

    def test_no_actor_leaks_to_the_next_request_on_the_same_connection(self):
        first_pid = serve(ALICE, lambda request: (Note.objects.create(title="by alice"), backend_pid())[1])

        def anonymous_view(request):
            self.assertEqual(backend_pid(), first_pid)
            Note.objects.create(title="anonymous")

        with self.assertRaises(IntegrityError) as caught:
            serve(None, anonymous_view)
        self.assertEqual(caught.exception.__cause__.pgcode, "23502")
        self.assertIn("notes_note", str(caught.exception))

        note = serve(BOB, lambda request: (self.assertEqual(backend_pid(), first_pid),
                                           Note.objects.create(title="by bob"))[1])
        self.assertEqual(read_row("notes_note", note.pk)["created_by"], BOB[0])

    def test_refresh_from_db_makes_the_object_equal_the_row(self):
        def view(request):
            note = Note.objects.create(title="draft")
            self.assertIsNone(note.created_at)  # Django does not read back what the trigger wrote...
            note.refresh_from_db()  # ...until asked
            self.assert_object_equals_row(note)
            return note

        note = serve(ALICE, view)

        def edit(request):
            note.title = "edited"
            note.save()
            note.refresh_from_db(fields=AUDIT_COLUMNS)
            self.assert_object_equals_row(note)

        serve(BOB, edit)
        self.assertEqual((note.created_by, note.updated_by), (ALICE[0], BOB[0]))

    def test_fill_mode_and_a_stale_save_name_the_wrong_editor(self):
        document = serve(ALICE, lambda request: Document.objects.create(title="v1"))
        stale = Document.objects.get(pk=document.pk)  # bob opens the edit form

        def carol_edits(request):
            fresh = Document.objects.get(pk=document.pk)
            fresh.title = "v2"
            fresh.save()

        serve(CAROL, carol_edits)

        def bob_saves_the_stale_copy(request):
            stale.title = "v3"
            stale.save()  # re-sends every column, updated_by = alice among them

        serve(BOB, bob_saves_the_stale_copy)
        row = read_row("notes_document", document.pk)
        # fill keeps a client value that differs from the row's: bob's edit is attributed to alice.
        self.assertEqual((row["title"], row["updated_by"]), ("v3", ALICE[0]))

        def bob_saves_only_what_he_changed(request):
            stale.title = "v4"
            stale.save(update_fields=["title"])

        serve(BOB, bob_saves_only_what_he_changed)
        self.assertEqual(read_row("notes_document", document.pk)["updated_by"], BOB[0])

    def test_fill_on_insert_fixes_the_stale_save(self):
        with connection.cursor() as cur:
            try:
                with transaction.atomic():
                    cur.execute("SELECT audit_fields.enable('notes_document', stamp_mode => 'fill_on_insert')")
            except django.db.DataError as error:
                self.skipTest(f"this build of audit_fields has no fill_on_insert: {error}")
        try:
            document = serve(ALICE, lambda request: Document.objects.create(title="v1"))
            stale = Document.objects.get(pk=document.pk)
            serve(CAROL, lambda request: Document.objects.filter(pk=document.pk).update(title="v2"))
            stale.title = "v3"
            serve(BOB, lambda request: stale.save())
            self.assertEqual(read_row("notes_document", document.pk)["updated_by"], BOB[0])
        finally:
            with connection.cursor() as cur:
                cur.execute("SELECT audit_fields.enable('notes_document', stamp_mode => 'fill')")

    def test_soft_delete(self):
        keep, gone = serve(ALICE, lambda request: (Note.objects.create(title="kept"),
                                                  Note.objects.create(title="deleted")))

        def view(request):
            # Manual soft delete: an UPDATE; the trigger stamps its clock and the actor.
            Note.objects.filter(pk=keep.pk).update(deleted_at=Now())
            # delete(): the trigger keeps the row (soft_delete => true); Django counts 0 rows deleted.
            return gone.delete()

        keep_id, gone_id = keep.pk, gone.pk  # delete() sets gone.pk to None
        deleted_count, _ = serve(BOB, view)
        self.assertEqual(deleted_count, 0)
        for pk in (keep_id, gone_id):
            row = read_row("notes_note", pk)
            self.assertIsNotNone(row["deleted_at"])
            self.assertEqual((row["deleted_by"], row["deleted_by_name"]), BOB)
        self.assertFalse(Note.live.filter(pk__in=[keep_id, gone_id]).exists())
        self.assertEqual(Note.objects.filter(pk__in=[keep_id, gone_id]).count(), 2)


if __name__ == "__main__":
    unittest.main()
