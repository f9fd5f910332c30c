"""Accounts: registration, login, preferences; roles held per exercise."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/account")


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from coplat.accounts import views  # noqa: F401  (registers the routes)
    from coplat.accounts.forms import MIN_PASSWORD
    from coplat.accounts.models import User
    from coplat.extensions import db, login_manager

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in to continue.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))

    app.jinja_env.globals["min_password"] = MIN_PASSWORD
    app.register_blueprint(bp)
