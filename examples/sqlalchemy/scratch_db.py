"""A fresh database with the extension for one example, on the server the PG* variables point at."""
import psycopg2


def create_scratch_database(name):
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = psycopg2.connect(dbname=name)
    with conn, conn.cursor() as cur:
        cur.execute("CREATE EXTENSION audit_fields")
    conn.close()


def read_row(dbname, table, row_id):
    """The row as the database holds it, read on a connection of its own (no ORM involved)."""
    conn = psycopg2.connect(dbname=dbname)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT * FROM {table} WHERE id = %s", (row_id,))
            names = [d.name for d in cur.description]
            values = cur.fetchone()
        conn.rollback()
        return dict(zip(names, values)) if values is not None else None
    finally:
        conn.close()
