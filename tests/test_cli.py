"""The `coplat` command, run as a user would, on its own SQLite database."""

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from coplat.cli import cli


def run(tmp_path, *args, input=None):
    env = {"COPLAT_INSTANCE": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


def count(tmp_path, table):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with engine.connect() as connection:
        value = connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
    engine.dispose()
    return value


def test_demo_loads_once(tmp_path):
    first = run(tmp_path, "demo")
    assert first.exit_code == 0, first.output
    assert count(tmp_path, "exercise") == 1
    users = count(tmp_path, "account")
    second = run(tmp_path, "demo")
    assert second.exit_code != 0
    assert "already holds the demo" in second.output
    assert count(tmp_path, "account") == users


def test_create_admin_then_promote_existing(tmp_path):
    result = run(
        tmp_path,
        "create-admin",
        "--email",
        "Jefa@Example.mx",
        "--name",
        "Jefa",
        "--password",
        "una clave segura",
    )
    assert result.exit_code == 0, result.output
    assert "Created administrator jefa@example.mx" in result.output
    again = run(
        tmp_path,
        "create-admin",
        "--email",
        "jefa@example.mx",
        "--name",
        "x",
        "--password",
        "y" * 12,
    )
    assert "is now an administrator" in again.output
    assert count(tmp_path, "account") == 1


def test_create_admin_refuses_a_short_password(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["create-admin", "--email", "a@b.mx", "--name", "A", "--password", "short"],
        env={"COPLAT_INSTANCE": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"},
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output


def test_db_commands_are_there(tmp_path):
    result = run(tmp_path, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "current" in run(tmp_path, "db", "--help").output
    assert count(tmp_path, "exercise") == 0


def test_run_offers_host_port_and_demo(tmp_path):
    help_text = run(tmp_path, "run", "--help").output
    for option in ("--host", "--port", "--demo"):
        assert option in help_text


def serve_once(tmp_path, port):
    """Start `coplat run --demo`, read two pages, stop it; return (output, pages)."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    env = {**os.environ, "COPLAT_INSTANCE": str(tmp_path), "DATABASE_URL": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "coplat", "run", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    pages = {}
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not pages:
            try:
                for path in ("/healthz", "/e/demo"):
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}{path}", timeout=2
                    ) as response:
                        pages[path] = (
                            response.status,
                            response.headers.get("Server"),
                            response.read().decode(),
                        )
            except OSError:
                pages.clear()
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=10)[0]
    return output, pages


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_serves_the_demo_with_waitress_and_keeps_the_data(tmp_path):
    output, pages = serve_once(tmp_path, free_port())
    assert "Loaded the demo exercise" in output
    status, server, page = pages["/e/demo"]
    assert status == 200
    assert server == "coplat"  # waitress, named by `ident`
    assert "Santa Lucía del Valle" in page
    # A second run finds the database already migrated and populated.
    output, pages = serve_once(tmp_path, free_port())
    assert "Loaded the demo exercise" not in output
    assert pages["/e/demo"][0] == 200
    assert count_exercises(tmp_path) == 1


def count_exercises(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'coplat.db'}")
    with engine.connect() as connection:
        value = connection.execute(sa.text("SELECT count(*) FROM exercise")).scalar()
    engine.dispose()
    return value


# ----- verify-log ---------------------------------------------------------------


@pytest.fixture
def demo_log(app):
    """The demo loaded into the suite's database; returns how many entries its log has."""
    from coplat.demo import load_demo
    from coplat.extensions import db

    with app.app_context():
        load_demo()
        db.session.commit()
        return db.session.scalar(sa.text("SELECT count(*) FROM feedback_entry"))


def verify_log(app, *args):
    """`coplat verify-log`, run against the suite's app and database."""
    return app.test_cli_runner().invoke(cli, ["verify-log", *args])


def tamper(app, *statements: str) -> None:
    """Change the stored log behind the application's back, with plain SQL."""
    from coplat.extensions import db

    with app.app_context():
        for statement in statements:
            db.session.execute(sa.text(statement))
        db.session.commit()


def entry_id(app, sequence: int) -> int:
    from coplat.extensions import db

    with app.app_context():
        return db.session.scalar(
            sa.text("SELECT id FROM feedback_entry WHERE sequence = :s"), {"s": sequence}
        )


def test_verify_log_passes_on_the_demo(app, demo_log):
    result = verify_log(app)
    assert result.exit_code == 0, result.output
    assert result.output == f"demo: {demo_log} entries, chain intact\n"
    assert demo_log >= 30
    assert verify_log(app, "demo").output == result.output


def sql(column: str, value: str, sequence: int) -> str:
    return f"UPDATE feedback_entry SET {column} = '{value}' WHERE sequence = {sequence}"


@pytest.mark.parametrize(
    ("statements", "shown", "row", "problem"),
    [
        ([sql("reason", '{"es": "Otra razón"}', 5)], 5, 5, "content"),
        ([sql("decision", "adopted", 1)], 1, 1, "content"),
        ([sql("decided_at", "2020-01-01 00:00:00.000000", 12)], 12, 12, "content"),
        # A forged hash does not match the entry's content.
        ([sql("hash", "f" * 64, 7)], 7, 7, "content"),
        ([sql("previous_hash", "0" * 64, 9)], 9, 9, "link"),
        # Removing an entry shows at the next one, whose number no longer follows.
        (["DELETE FROM feedback_entry WHERE sequence = 5"], 6, 6, "sequence"),
        # Swapping two entries' places: the one now fifth links to the wrong entry.
        (
            [sql("sequence", "-1", 5), sql("sequence", "5", 6), sql("sequence", "6", -1)],
            5,
            6,
            "link",
        ),
    ],
    ids=["reason", "decision", "decided_at", "hash", "link", "deleted", "swapped"],
)
def test_verify_log_names_the_first_broken_entry(app, demo_log, statements, shown, row, problem):
    """`shown`: the sequence the report names; `row`: the sequence that row had."""
    expected_id = entry_id(app, row)
    tamper(app, *statements)
    result = verify_log(app)
    assert result.exit_code == 1
    assert result.output.startswith(
        f"demo: entry {shown} (id {expected_id}) does not match ({problem}): "
    ), result.output
    assert "chain intact" not in result.output


def test_verify_log_checks_every_exercise_or_the_one_named(app, demo_log, make_exercise):
    make_exercise("valle")
    tamper(app, sql("reason", '{"es": "x"}', 3))
    result = verify_log(app)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("demo: entry 3 ")
    assert lines[1] == "valle: 0 entries, chain intact"
    alone = verify_log(app, "valle")
    assert alone.exit_code == 0 and alone.output == "valle: 0 entries, chain intact\n"
    assert verify_log(app, "demo").exit_code == 1


def test_verify_log_refuses_an_unknown_exercise(app, make_exercise):
    make_exercise("valle")
    result = verify_log(app, "nowhere")
    assert result.exit_code == 1
    assert "No exercise has the identifier 'nowhere'" in result.output
