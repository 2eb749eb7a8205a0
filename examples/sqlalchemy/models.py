"""The audit mixin, one model and the per-request actor, shared by the sync and asyncio examples.

Three pieces make SQLAlchemy 1.4 and audit_fields agree:

1. The actor lives in a ContextVar set per request (a FastAPI dependency or middleware would set it;
   here `acting_as()` does). ContextVars follow asyncio tasks, so concurrent requests never see each
   other's actor.
2. An `after_begin` listener on every Session runs `SELECT audit_fields.set_actor(:actor, :name)` as
   the first statement of every transaction the Session opens, the implicit ones included (autobegin
   on first use, and again after each commit). set_actor takes bound parameters; `SET LOCAL ... = $1`
   cannot, which matters for asyncpg and its server-side prepared statements.
3. The audit columns are `FetchedValue()` (the database writes them) and the mapper has
   `eager_defaults`, so INSERT and UPDATE fetch them back with RETURNING: the object equals the row
   without a second query, which the asyncio extension needs (a lazy load there raises MissingGreenlet).
"""
import contextlib
import contextvars

from sqlalchemy import DDL, Column, DateTime, FetchedValue, Integer, Text, event, text
from sqlalchemy.orm import Session, declarative_base

current_actor = contextvars.ContextVar("current_actor", default=None)


@contextlib.contextmanager
def acting_as(actor, name=None):
    """What a per-request dependency does: remember who is acting for the rest of this request."""
    token = current_actor.set((actor, name))
    try:
        yield
    finally:
        current_actor.reset(token)


# On the Session class, so it covers every Session, including the one inside each AsyncSession.
@event.listens_for(Session, "after_begin")
def bind_actor(session, transaction, connection):
    actor = current_actor.get()
    if actor is not None:
        connection.execute(text("SELECT audit_fields.set_actor(:actor, :name)"),
                           {"actor": actor[0], "name": actor[1]})


Base = declarative_base()


def written_by_database(**kwargs):
    """A column the trigger writes on INSERT and UPDATE: never sent unless the application sets it, and
    fetched back (RETURNING, thanks to eager_defaults) after every flush that touches the row."""
    return Column(server_default=FetchedValue(), server_onupdate=FetchedValue(), **kwargs)


class AuditMixin:
    created_at = written_by_database(type_=DateTime(timezone=True), nullable=False)
    updated_at = written_by_database(type_=DateTime(timezone=True), nullable=False)
    deleted_at = written_by_database(type_=DateTime(timezone=True))
    created_by = written_by_database(type_=Text, nullable=False)
    created_by_name = written_by_database(type_=Text)
    updated_by = written_by_database(type_=Text, nullable=False)
    updated_by_name = written_by_database(type_=Text)
    deleted_by = written_by_database(type_=Text)
    deleted_by_name = written_by_database(type_=Text)
    # eager_defaults: RETURNING brings the stamps back. confirm_deleted_rows=False: with soft_delete the
    # trigger keeps the row, so a DELETE reports 0 rows, which SQLAlchemy would otherwise warn about.
    __mapper_args__ = {"eager_defaults": True, "confirm_deleted_rows": False}


class Note(AuditMixin, Base):
    __tablename__ = "notes"
    id = Column(Integer, primary_key=True)
    title = Column(Text, nullable=False)


# metadata.create_all() creates the table and, in the same transaction, hands it to audit_fields.
# soft_delete: session.delete(note) becomes an UPDATE that records deleted_at/deleted_by.
event.listen(Note.__table__, "after_create",
             DDL("SELECT audit_fields.enable('%(fullname)s', soft_delete => true)"))

AUDIT_COLUMNS = [c.name for c in Note.__table__.columns]
