"""The feedback log: the fate of every citizen input, recorded as it is decided,
public, chained by hash, corrected only by new entries."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/e/<slug>/feedback")


def init_app(app) -> None:
    from coplat.feedback import (
        tally,  # noqa: F401  (the summary's counts: their table and the events keeping them)
        views,  # noqa: F401  (registers the routes)
    )
    from coplat.feedback.permissions import FeedbackAction

    app.jinja_env.globals["FeedbackAction"] = FeedbackAction
    app.register_blueprint(bp)
