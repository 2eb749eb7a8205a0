"""SQLAlchemy 1.4 asyncio with asyncpg and audit_fields: the stack of an async FastAPI service.

The same models.py as the sync example: the `after_begin` listener on Session also runs inside every
AsyncSession (it drives a sync Session under the hood), and the ContextVar follows each asyncio task,
so concurrent requests keep their own actor.

Run by hand against any server with the extension installed (PG* variables select it):
    python3 examples/sqlalchemy/async_example.py -v
It creates the database af_example_sqlalchemy_async and leaves it for inspection.
"""
import asyncio
import unittest

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from models import AUDIT_COLUMNS, Base, Note, acting_as
from scratch_db import create_scratch_database, read_row

DB = "af_example_sqlalchemy_async"


def sqlstate(error):
    """asyncpg's SQLSTATE, under SQLAlchemy's asyncpg adaptation of it."""
    return error.orig.__cause__.sqlstate


class AsyncSQLAlchemy(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        create_scratch_database(DB)

    async def asyncSetUp(self):
        asyncio.get_running_loop().slow_callback_duration = 1  # the test runner's debug mode is chatty
        # One pooled connection, so consecutive requests provably share a server backend.
        self.engine = create_async_engine(f"postgresql+asyncpg:///{DB}", pool_size=1, max_overflow=0)
        async with self.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)  # the after_create DDL event enables the trigger

    async def asyncTearDown(self):
        await self.engine.dispose()

    def request(self):
        # expire_on_commit=False is required with asyncio: an expired attribute would need a lazy load,
        # which AsyncSession cannot do implicitly. eager_defaults (models.py) makes this safe.
        return AsyncSession(self.engine, expire_on_commit=False)

    def assert_object_equals_row(self, note):
        row = read_row(DB, "notes", note.id)
        for column in AUDIT_COLUMNS:
            self.assertEqual(getattr(note, column), row[column], column)

    async def test_actor_lands_and_the_object_equals_the_row(self):
        with acting_as("alice@example.com", "Alice"):
            async with self.request() as session:
                note = Note(title="draft")
                session.add(note)
                await session.commit()  # transaction 1
                self.assert_object_equals_row(note)  # INSERT ... RETURNING, no lazy load needed
                note.title = "final"
                await session.commit()  # transaction 2, autobegun: the listener ran again
                self.assert_object_equals_row(note)  # UPDATE ... RETURNING
        self.assertEqual((note.updated_by, note.updated_by_name), ("alice@example.com", "Alice"))

    async def test_no_actor_leaks_to_the_next_request_on_the_same_connection(self):
        with acting_as("alice@example.com", "Alice"):
            async with self.request() as session:
                first_pid = (await session.execute(select(func.pg_backend_pid()))).scalar_one()
                session.add(Note(title="by alice"))
                await session.commit()
        async with self.request() as session:  # anonymous request, same pooled connection
            self.assertEqual((await session.execute(select(func.pg_backend_pid()))).scalar_one(), first_pid)
            session.add(Note(title="anonymous"))
            with self.assertRaises(IntegrityError) as caught:
                await session.commit()
        self.assertEqual(sqlstate(caught.exception), "23502")
        self.assertIn("notes", str(caught.exception.orig))

    async def test_concurrent_requests_keep_their_own_actor(self):
        await self.engine.dispose()
        self.engine = create_async_engine(f"postgresql+asyncpg:///{DB}", pool_size=4, max_overflow=0)

        async def handle(actor):
            with acting_as(actor, actor.split("@")[0].title()):
                async with self.request() as session:
                    note = Note(title=f"by {actor}")
                    session.add(note)
                    await session.flush()
                    await asyncio.sleep(0.05)  # let the other requests interleave
                    await session.commit()
                    return note

        actors = [f"user{i}@example.com" for i in range(8)]
        notes = await asyncio.gather(*(handle(a) for a in actors))
        for actor, note in zip(actors, notes):
            self.assertEqual(read_row(DB, "notes", note.id)["created_by"], actor)

    async def test_set_local_cannot_take_a_bound_parameter(self):
        # asyncpg sends $1 to the server, where SET is a utility statement without parameters: this is
        # why the listener calls set_actor(:actor, :name) instead.
        async with self.request() as session:
            with self.assertRaises(DBAPIError) as caught:
                await session.execute(text("SET LOCAL audit_fields.actor = :actor"), {"actor": "alice"})
        self.assertEqual(sqlstate(caught.exception), "42601")


if __name__ == "__main__":
    unittest.main()
