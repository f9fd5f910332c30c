"""The `coplat` command: serve, load the demo, create an administrator, verify the
feedback logs, and the Flask-Migrate `db` commands."""

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from coplat import create_app


@click.group(cls=FlaskGroup, create_app=lambda: create_app())
def cli():
    """coplat: open-government co-creation platform."""


def main():
    cli(prog_name="coplat")


def prepare_database() -> None:
    """Create or upgrade the schema to the latest migration."""
    from flask_migrate import upgrade

    from coplat import resource_dir

    upgrade(directory=str(resource_dir("migrations")))


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Load the demo exercise if the database is empty.")
@with_appcontext
def run_command(host: str, port: int, threads: int, demo: bool):
    """Serve the platform with waitress, a production WSGI server."""
    import logging

    from waitress import serve

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    from coplat.demo import database_is_empty, load_demo

    prepare_database()
    if demo and database_is_empty():
        load_demo()
        click.echo("Loaded the demo exercise: /e/demo (accounts in README.md).")
    click.echo(f"coplat is serving http://{host}:{port}/  (Ctrl+C stops it)")
    serve(current_app._get_current_object(), host=host, port=port, threads=threads, ident="coplat")


@cli.command("demo")
@with_appcontext
def demo_command():
    """Load the demo exercise (identifier `demo`) into the configured database."""
    from coplat.demo import DemoExists, load_demo

    prepare_database()
    try:
        load_demo()
    except DemoExists:
        raise click.ClickException("The database already holds the demo exercise.") from None
    click.echo("Loaded the demo exercise: /e/demo")


@cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
@with_appcontext
def create_admin_command(email: str, name: str, password: str):
    """Create an administrator account, or make an existing account administrator."""
    from coplat.accounts.services import create_user, find_by_email
    from coplat.extensions import db

    prepare_database()
    user = find_by_email(email)
    if user:
        user.is_admin = True
        click.echo(f"{user.email} is now an administrator.")
    else:
        from coplat.accounts.forms import MIN_PASSWORD

        if len(password) < MIN_PASSWORD:
            raise click.BadParameter(
                f"use at least {MIN_PASSWORD} characters", param_hint="--password"
            )
        user = create_user(name=name, email=email, password=password, is_admin=True)
        click.echo(f"Created administrator {user.email}.")
    db.session.commit()


# What each problem `feedback.chain.verify` reports means, for the person reading.
CHAIN_PROBLEMS = {
    "content": "its content is not what its hash sealed",
    "link": "it does not link to the hash of the entry before it",
    "sequence": "an entry before it is missing or out of order",
}


@cli.command("verify-log")
@click.argument("slug", required=False)
@with_appcontext
def verify_log_command(slug: str | None):
    """Recompute the feedback log's hash chain of the exercise SLUG (of every exercise
    without one); exit with status 1 if any chain is broken."""
    import sqlalchemy as sa

    from coplat.exercises.models import Exercise
    from coplat.extensions import db
    from coplat.feedback.chain import verify

    if not sa.inspect(db.engine).has_table(Exercise.__tablename__):
        raise click.ClickException("The database has no schema yet: run `coplat db upgrade`.")
    query = sa.select(Exercise.id, Exercise.slug).order_by(Exercise.slug)
    if slug is not None:
        query = query.where(Exercise.slug == slug)
    exercises = db.session.execute(query).all()
    if slug is not None and not exercises:
        raise click.ClickException(f"No exercise has the identifier {slug!r}.")
    if not exercises:
        click.echo("No exercises to verify.")
    broken = False
    for exercise_id, exercise_slug in exercises:
        result = verify(exercise_id)
        if result.intact:
            noun = "entry" if result.checked == 1 else "entries"
            click.echo(f"{exercise_slug}: {result.checked} {noun}, chain intact")
            continue
        broken = True
        entry = result.broken
        click.echo(
            f"{exercise_slug}: entry {entry.sequence} (id {entry.id}) does not match "
            f"({result.problem}): {CHAIN_PROBLEMS.get(result.problem, result.problem)}"
        )
    db.session.rollback()
    if broken:
        raise SystemExit(1)


@cli.group("translations")
def translations_group():
    """Keep the Spanish and English catalogues in step with the source."""


@translations_group.command("update")
def translations_update():
    """Extract the source's messages and merge them into both catalogues."""
    from coplat.core.catalogues import update

    for language, missing in update().items():
        click.echo(f"{language}: {missing} messages without translation")


@translations_group.command("compile")
def translations_compile():
    """Compile the catalogues (.po) into the .mo files the platform reads."""
    from coplat.core.catalogues import compile_all

    compile_all()
    click.echo("Compiled the catalogues.")
