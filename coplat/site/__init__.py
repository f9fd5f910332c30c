"""The exercise's open-government micro-site (OGP Local Annex 4): its public home
(`exercises.show`, built by `home.py`), the tracking board with its downloads, the
evidence repository (Annexes 4 and 5), the news of each step and one search across
all of it."""

import sqlalchemy as sa
from flask import Blueprint

bp = Blueprint("site", __name__, url_prefix="/e/<slug>")


def tracking_open(exercise) -> bool:
    """Once the plan is submitted, the board, the evidence and the assessments have
    their place in the exercise's navigation (one small query)."""
    from coplat.extensions import db
    from coplat.plan.enums import PlanStatus
    from coplat.plan.models import ActionPlan

    status = db.session.scalar(
        sa.select(ActionPlan.status).where(ActionPlan.exercise_id == exercise.id)
    )
    return status in (PlanStatus.SUBMITTED, PlanStatus.LAUNCHED, PlanStatus.CLOSED)


def init_app(app) -> None:
    from coplat.site import views  # noqa: F401  (registers the routes)

    app.jinja_env.globals["tracking_open"] = tracking_open
    app.register_blueprint(bp)
