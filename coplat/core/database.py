"""SQLite settings for a web server with several threads.

SQLite lets one writer in at a time. A transaction that reads first and writes
later (every vote does) would fail with "database is locked" when another writer
got in between, instead of waiting. So a request that may write (any POST) starts
its transaction with BEGIN IMMEDIATE and waits its turn for the write lock; pages
that only read start a plain BEGIN and, in WAL mode, never wait for writers."""

import sqlalchemy as sa
from flask import has_request_context, request

READ_ONLY_METHODS = {"GET", "HEAD", "OPTIONS"}
# POSTs that never write to the database. Logging in reads the account, then spends some
# 100 ms checking the password hash: holding the write lock meanwhile would queue every
# vote behind every login. A write added to one of these must take it off the list.
READ_ONLY_ENDPOINTS = {"accounts.login", "accounts.logout"}
BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event below open transactions, not pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection):
        writes = (
            has_request_context()
            and request.method not in READ_ONLY_METHODS
            and request.endpoint not in READ_ONLY_ENDPOINTS
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
