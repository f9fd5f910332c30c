"""The `coplat` command: serve, load the demo, create an administrator, verify the
feedback logs, export an action plan, and the Flask-Migrate `db` commands."""

from contextlib import contextmanager
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from coplat import create_app
from coplat.config import LOCAL_ADDRESS, LOCAL_HOST, LOCAL_PORT, default_base_url


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
@click.option("--host", default=LOCAL_HOST, show_default=True)
@click.option("--port", default=LOCAL_PORT, show_default=True, type=int)
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


@cli.command("bench-seed")
@click.option("--slug", default="estado", show_default=True, help="The exercise's identifier.")
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="1.0: 100,000 citizens, 5,000 topics, 1,000,000 votes, 50 tables, 10,000 log entries.",
)
@click.option("--seed", "seed_value", default=2026, show_default=True, help="Random seed.")
@click.option(
    "--open/--no-open",
    "with_open",
    default=True,
    show_default=True,
    help="Also build SLUG-abierta, a small consultation open for voting.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Build nothing: recount the kept figures of SLUG and exit 1 if any differs.",
)
@with_appcontext
def bench_seed_command(slug: str, scale: float, seed_value: int, with_open: bool, check_only):
    """Build a large exercise for the benchmarks in bench/ (see coplat/bench_seed.py), in
    one transaction, printing how long each part took."""
    from coplat import bench_seed

    if check_only:
        problems = bench_seed.check(slug)
        for problem in problems:
            click.echo(problem)
        if problems:
            raise SystemExit(1)
        click.echo(f"{slug}: every kept figure matches a recount; the log's chain is intact.")
        return
    prepare_database()
    click.echo(f"Building {slug!r} at scale {scale} …")
    try:
        summary = bench_seed.seed(
            slug, scale, seed=seed_value, open_slug="" if with_open else None, report=click.echo
        )
    except bench_seed.SeedError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"  {'total':<46} {summary.total_seconds:8.1f} s")
    click.echo(
        ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in summary.counts.items())
    )
    click.echo(
        f"Built /e/{slug}"
        + (f" and /e/{summary.open_slug} (open for voting)" if summary.open_slug else "")
        + f"; every account's password is {bench_seed.PASSWORD!r}"
        f" (citizens: {bench_seed.citizen_email(1, slug)} …)."
    )


# The keys of coplat.plan.exports.FORMATS, named here so that `coplat --help` does not
# load the exporters (tests/plan/test_exports.py checks the two agree).
EXPORT_FORMATS = ("docx", "pdf", "html", "json", "csv")


@contextmanager
def _request_at(base_url: str | None):
    """A request context at the platform's public address, so that url_for builds
    absolute links to files: --base-url (or COPLAT_BASE_URL), else SERVER_NAME, else
    where `coplat run` serves by default."""
    config = current_app.config
    if not base_url:
        server = config.get("SERVER_NAME")
        scheme = config.get("PREFERRED_URL_SCHEME", "http")
        base_url = f"{scheme}://{server}" if server else default_base_url()
    saved = config.get("SERVER_NAME")
    # url_for takes the host from SERVER_NAME when it is set, whatever the request says.
    config["SERVER_NAME"] = urlsplit(base_url).netloc
    try:
        with current_app.test_request_context(base_url=base_url):
            yield
    finally:
        config["SERVER_NAME"] = saved


@cli.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option(
    "--mark-missing",
    is_flag=True,
    help="Write “[translation missing]” where a text lacks LANG instead of refusing.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True)
@click.option(
    "--base-url",
    envvar="COPLAT_BASE_URL",
    help="The platform's public address, for links to files "
    f"[default: SERVER_NAME, else {LOCAL_ADDRESS}].",
)
@with_appcontext
def export_command(
    slug: str, fmt: str, lang: str, mark_missing: bool, output: str, base_url: str | None
):
    """Write the action plan of the exercise SLUG to OUTPUT in the OGP Local format."""
    import sqlalchemy as sa
    from flask_babel import force_locale

    from coplat.exercises.models import Exercise
    from coplat.extensions import db
    from coplat.plan.document import MissingTranslation
    from coplat.plan.exports import PdfUnavailable, export
    from coplat.plan.models import ActionPlan

    # The command speaks English, as the others do; --lang is the plan's language.
    with _request_at(base_url), force_locale("en"):
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == slug))
        if exercise is None:
            raise click.ClickException(f"No exercise has the identifier {slug!r}.")
        plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.exercise_id == exercise.id))
        if plan is None:
            raise click.ClickException(f"The exercise {slug!r} has no action plan yet.")
        try:
            result = export(plan, fmt, lang, mark_missing)
        except MissingTranslation as error:
            raise click.ClickException(
                f"{error.message} (--mark-missing writes a marker in their place)"
            ) from None
        except PdfUnavailable as error:
            raise click.ClickException(str(error.message)) from None
        finally:
            db.session.rollback()  # exporting writes nothing
    with open(output, "wb") as file:
        file.write(result.data)
    click.echo(f"Wrote {output} ({len(result.data):,} bytes).")


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
