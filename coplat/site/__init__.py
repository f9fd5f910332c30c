"""The exercise's open-government micro-site (OGP Local Annex 4): its public home
(`exercises.show`, built by `home.py`), the tracking board with its downloads, the
evidence repository (Annexes 4 and 5), the news of each step and one search across
all of it."""

import sqlalchemy as sa
from flask import Blueprint

bp = Blueprint("site", __name__, url_prefix="/e/<slug>")


def tracking_open(exercise) -> bool:
    """Once the plan is submitted, the board, the evidence and the assessments have
    their place in the exercise's navigation (one query)."""
    from coplat.extensions import db
    from coplat.plan.enums import PlanStatus
    from coplat.plan.models import ActionPlan

    plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.exercise_id == exercise.id))
    return plan is not None and (plan.status == PlanStatus.SUBMITTED or plan.is_launched)


def init_app(app) -> None:
    from coplat.site import views  # noqa: F401  (registers the routes)

    app.jinja_env.globals["tracking_open"] = tracking_open
    app.register_blueprint(bp)
