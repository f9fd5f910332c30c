"""Implementation in the open (INAI steps 5–6, NOSC stage 8): the launch, milestone
updates and quarterly progress reports with the public's comments, the evidence
repository (Annexes 4 and 5), the monitoring body's assessments (§3.5), the rules the
platform watches (`rules.py`) and the tracking board."""

from flask import Blueprint

bp = Blueprint("tracking", __name__, url_prefix="/e/<slug>")


def init_app(app) -> None:
    from coplat.tracking import models, views  # noqa: F401  (registers the tables, the routes)
    from coplat.tracking.permissions import TrackingAction

    app.jinja_env.globals["TrackingAction"] = TrackingAction
    app.register_blueprint(bp)
