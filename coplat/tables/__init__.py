"""Working tables (INAI step 4, NOSC stages 4–5): for each prioritised topic, sessions
with their attendance and minutes, a problem tree of causes and effects, and the
solutions proposed for its strategic causes."""

from flask import Blueprint

bp = Blueprint("tables", __name__, url_prefix="/e/<slug>/tables")


def init_app(app) -> None:
    from coplat.tables import views  # noqa: F401  (registers the routes)
    from coplat.tables.enums import NodeKind
    from coplat.tables.permissions import TableAction

    app.jinja_env.globals["TableAction"] = TableAction
    app.jinja_env.globals["NodeKind"] = NodeKind
    app.register_blueprint(bp)
