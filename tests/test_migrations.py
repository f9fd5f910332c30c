"""The migration chain builds, from an empty database, exactly the schema the models
describe (on SQLite, and on PostgreSQL when DATABASE_URL points there)."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coplat.extensions import db


def test_migrations_match_the_models(app):
    # The session fixture built the schema with `upgrade` from an empty database.
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrade_reaches_the_latest_revision(app):
    from alembic.script import ScriptDirectory
    from flask_migrate import Config

    from coplat import resource_dir

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, "the migration chain has branched; merge the heads"
    with app.app_context(), db.engine.connect() as connection:
        current = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert current == heads[0]


def test_downgrade_to_empty_and_back(app, tmp_path):
    """Every migration can be undone, so a bad deploy can roll back."""
    from flask_migrate import downgrade, upgrade

    from coplat import create_app, resource_dir

    other = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'roundtrip.db'}", "SECRET_KEY": "t"}
    )
    directory = str(resource_dir("migrations"))
    with other.app_context():
        upgrade(directory=directory)
        downgrade(directory=directory, revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(directory=directory)
        assert "exercise" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
