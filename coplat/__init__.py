"""coplat: co-create an open-government action plan with citizens, in the open."""

from pathlib import Path

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """A root folder of the source tree (templates, translations, migrations). A wheel
    carries it inside the package; a checkout (or editable install) has it beside."""
    in_package = PACKAGE_DIR / name
    return in_package if in_package.is_dir() else PACKAGE_DIR.parent / name


def create_app(overrides: dict | None = None) -> Flask:
    from coplat.config import load_settings

    settings = load_settings(overrides)
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_path=settings["INSTANCE_PATH"],
    )
    app.config.update(settings)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(resource_dir("translations"))

    from coplat import errors
    from coplat.core import i18n
    from coplat.core.i18n import select_locale
    from coplat.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            from coplat.core.database import configure_sqlite

            configure_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    htmx.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)

    from coplat import (
        accounts,
        commitments,
        consultation,
        exercises,
        feedback,
        plan,
        site,
        tables,
        tracking,
    )
    from coplat.core import uploads, views

    app.register_blueprint(views.bp)
    app.register_blueprint(uploads.bp)
    accounts.init_app(app)
    exercises.init_app(app)
    consultation.init_app(app)
    tables.init_app(app)
    commitments.init_app(app)
    feedback.init_app(app)
    plan.init_app(app)
    tracking.init_app(app)
    site.init_app(app)

    from coplat.core.permissions import can

    app.jinja_env.globals["can"] = can

    from coplat.core import page_cache

    page_cache.install(app)
    return app
