"""The OGP Local action plan (INAI step 5): the strategic vision (Annex 1), the approved
commitments it holds (Annex 2), the endorsements of non-governmental actors, the
readiness check before submission and the export in the OGP Local format."""

from flask import Blueprint

bp = Blueprint("plan", __name__, url_prefix="/e/<slug>/plan")


def init_app(app) -> None:
    from coplat.plan import views  # noqa: F401  (registers the routes)
    from coplat.plan.permissions import PlanAction

    app.jinja_env.globals["PlanAction"] = PlanAction
    app.register_blueprint(bp)
