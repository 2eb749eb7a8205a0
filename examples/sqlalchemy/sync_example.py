"""SQLAlchemy 1.4 (sync, psycopg2) with audit_fields, as a web application uses it.

Run by hand against any server with the extension installed (PG* variables select it):
    python3 examples/sqlalchemy/sync_example.py -v
It creates the database af_example_sqlalchemy_sync and leaves it for inspection.
"""
import unittest

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import AUDIT_COLUMNS, Base, Note, acting_as
from scratch_db import create_scratch_database, read_row

DB = "af_example_sqlalchemy_sync"


class SyncSQLAlchemy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        create_scratch_database(DB)
        # One pooled connection, so consecutive requests provably share a server backend.
        cls.engine = create_engine(f"postgresql+psycopg2:///{DB}", future=True, pool_size=1, max_overflow=0)
        Base.metadata.create_all(cls.engine)  # the after_create DDL event enables the trigger

    @classmethod
    def tearDownClass(cls):
        cls.engine.dispose()

    def request(self):
        """One request's unit of work. expire_on_commit=False as in most web apps: the object keeps what
        the flush's RETURNING brought back instead of reloading it lazily."""
        return Session(self.engine, expire_on_commit=False)

    def assert_object_equals_row(self, note):
        row = read_row(DB, "notes", note.id)
        for column in AUDIT_COLUMNS:
            self.assertEqual(getattr(note, column), row[column], column)

    def test_create_all_enabled_the_table(self):
        with self.engine.connect() as conn:
            soft_delete = conn.execute(text(
                "SELECT soft_delete FROM audit_fields.tables WHERE table_name = 'notes'")).scalar_one()
        self.assertTrue(soft_delete)

    def test_actor_lands_in_every_transaction_the_session_opens(self):
        with acting_as("alice@example.com", "Alice"), self.request() as session:
            note = Note(title="draft")
            session.add(note)
            session.commit()  # transaction 1 (autobegun on add/flush)
            note.title = "final"
            session.commit()  # transaction 2, autobegun again: after_begin ran again
            session.execute(text("UPDATE notes SET title = 'bulk' WHERE id = :id"), {"id": note.id})
            session.commit()  # transaction 3, a Core statement through the same Session
        row = read_row(DB, "notes", note.id)
        self.assertEqual((row["created_by"], row["created_by_name"]), ("alice@example.com", "Alice"))
        self.assertEqual((row["updated_by"], row["updated_by_name"]), ("alice@example.com", "Alice"))
        self.assertEqual(row["title"], "bulk")

    def test_no_actor_leaks_to_the_next_request_on_the_same_connection(self):
        with acting_as("alice@example.com", "Alice"), self.request() as session:
            first_pid = session.execute(select(func.pg_backend_pid())).scalar_one()
            session.add(Note(title="by alice"))
            session.commit()
        with self.request() as session:  # the next request, anonymous, same pooled connection
            second_pid = session.execute(select(func.pg_backend_pid())).scalar_one()
            self.assertEqual(first_pid, second_pid)
            self.assertEqual(session.execute(text("SELECT audit_fields.current_actor()")).scalar(), None)
            session.add(Note(title="anonymous"))
            with self.assertRaises(IntegrityError) as caught:
                session.commit()
        self.assertEqual(caught.exception.orig.pgcode, "23502")
        self.assertIn("notes", str(caught.exception.orig))
        with acting_as("bob@example.com", "Bob"), self.request() as session:
            self.assertEqual(session.execute(select(func.pg_backend_pid())).scalar_one(), first_pid)
            note = Note(title="by bob")
            session.add(note)
            session.commit()
        self.assertEqual(note.created_by, "bob@example.com")
        self.assertEqual(read_row(DB, "notes", note.id)["created_by"], "bob@example.com")

    def test_refreshed_object_equals_the_row(self):
        with acting_as("alice@example.com", "Alice"), self.request() as session:
            note = Note(title="draft")
            session.add(note)
            session.commit()
            self.assert_object_equals_row(note)  # INSERT ... RETURNING filled every audit column
        with acting_as("bob@example.com", "Bob"), self.request() as session:
            note = session.merge(note)
            note.title = "edited"
            session.commit()
            self.assert_object_equals_row(note)  # UPDATE ... RETURNING
        self.assertEqual((note.created_by, note.updated_by), ("alice@example.com", "bob@example.com"))

    def test_an_assigned_audit_attribute_is_stale_until_refresh(self):
        with acting_as("alice@example.com", "Alice"), self.request() as session:
            note = Note(title="draft")
            session.add(note)
            session.commit()
            note.created_by = "mallory@example.com"  # the trigger restores created_by on UPDATE...
            session.commit()
            self.assertEqual(note.created_by, "mallory@example.com")  # ...but a sent value is not fetched
            self.assertEqual(read_row(DB, "notes", note.id)["created_by"], "alice@example.com")
            session.refresh(note)
            self.assert_object_equals_row(note)

    def test_soft_delete(self):
        with acting_as("alice@example.com", "Alice"), self.request() as session:
            kept, deleted = Note(title="kept"), Note(title="deleted")
            session.add_all([kept, deleted])
            session.commit()
        with acting_as("bob@example.com", "Bob"), self.request() as session:
            # The manual soft delete: any value; the trigger stamps its own clock and the actor.
            kept = session.merge(kept)
            kept.deleted_at = func.now()
            session.commit()
            self.assert_object_equals_row(kept)
            self.assertEqual((kept.deleted_by, kept.deleted_by_name), ("bob@example.com", "Bob"))
            # session.delete(): the trigger (soft_delete => true) keeps the row and records who deleted.
            session.delete(session.merge(deleted))
            session.commit()
        row = read_row(DB, "notes", deleted.id)
        self.assertIsNotNone(row["deleted_at"])
        self.assertEqual(row["deleted_by"], "bob@example.com")


if __name__ == "__main__":
    unittest.main()
