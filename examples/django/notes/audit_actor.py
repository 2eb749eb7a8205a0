"""The request's actor, bound to every transaction Django runs.

Django has no "transaction began" hook, and runs each statement outside atomic() as a transaction of
its own (autocommit), so a `SELECT audit_fields.set_actor(...)` issued on its own would end with its
own implicit transaction and stamp nothing. Instead, a connection.execute_wrapper sees every query:

- inside atomic() (or ATOMIC_REQUESTS), before the first statement of the transaction (psycopg2 reports
  the connection idle: it is about to send BEGIN), it runs set_actor first, once per transaction;
- in autocommit, it wraps the statement in atomic() so that set_actor and the statement share one
  transaction. (ATOMIC_REQUESTS = True saves those extra BEGIN/COMMIT round trips.)

set_actor is transaction-local, so nothing is left on the persistent connection for the next request.
"""
import contextlib
import contextvars

from django.db import transaction
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

current_actor = contextvars.ContextVar("current_actor", default=None)


@contextlib.contextmanager
def acting_as(actor, name=None):
    token = current_actor.set((actor, name))
    try:
        yield
    finally:
        current_actor.reset(token)


class AuditActorMiddleware:
    """Per request: the authenticated user is the actor; an anonymous request has none, so its writes
    are rejected (SQLSTATE 23502) instead of being stamped with a stale or made-up identity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        with acting_as(user.email, user.get_full_name() or None):
            return self.get_response(request)


def bind_actor(execute, sql, params, many, context):
    actor = current_actor.get()
    if actor is None:
        return execute(sql, params, many, context)
    connection = context["connection"]
    if connection.get_autocommit():
        with transaction.atomic(using=connection.alias):
            return bind_actor(execute, sql, params, many, context)
    if connection.connection.info.transaction_status == TRANSACTION_STATUS_IDLE:
        # The raw psycopg2 cursor: bound parameters, and no trip back through this wrapper.
        context["cursor"].cursor.execute("SELECT audit_fields.set_actor(%s, %s)", actor)
    return execute(sql, params, many, context)


def install_actor_wrapper(sender, connection, **kwargs):
    if bind_actor not in connection.execute_wrappers:
        connection.execute_wrappers.append(bind_actor)
