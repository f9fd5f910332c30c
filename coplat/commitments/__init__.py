"""Commitments (NOSC stages 6–7, OGP Local §3.2.1.2–3 and Annex 2): drafted from the
working tables' proposals, reviewed revision by revision and approved by the three
sectors of the STL."""

from flask import Blueprint

bp = Blueprint("commitments", __name__, url_prefix="/e/<slug>/commitments")


def init_app(app) -> None:
    from datetime import date

    from coplat.commitments import services, views  # noqa: F401  (registers the routes)
    from coplat.commitments.permissions import CommitmentAction

    app.jinja_env.globals["CommitmentAction"] = CommitmentAction
    app.jinja_env.globals["commitment_labels"] = services.labels_of
    app.jinja_env.globals["commitment_value"] = services.value_of
    # Content dicts keep dates as ISO text.
    app.jinja_env.filters["iso_date"] = date.fromisoformat
    app.register_blueprint(bp)
