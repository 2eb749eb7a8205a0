"""The smallest Django 3.2 project for the audit_fields example: one app, PostgreSQL through psycopg2.

The connection comes from the PG* environment (libpq reads PGHOST, PGPORT, PGUSER when HOST and PORT
are empty); the database is the example's own.
"""
import os

SECRET_KEY = "example-only"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = ["notes"]
MIDDLEWARE = ["notes.audit_actor.AuditActorMiddleware"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("AF_EXAMPLE_DB", "af_example_django"),
        "HOST": "",
        "PORT": "",
        # One persistent connection per thread: consecutive requests share a server backend, as behind
        # any pool, which is what makes transaction-local actors matter.
        "CONN_MAX_AGE": None,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
