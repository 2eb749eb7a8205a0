from django.apps import AppConfig
from django.db.backends.signals import connection_created


class NotesConfig(AppConfig):
    name = "notes"
    default = True

    def ready(self):
        from .audit_actor import install_actor_wrapper

        # Every database connection Django opens gets the wrapper that binds the request's actor.
        connection_created.connect(install_actor_wrapper)
