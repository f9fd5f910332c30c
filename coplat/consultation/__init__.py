"""The public topic consultation (NOSC stage 2): citizens propose and vote on the
problems that matter, online and through offline channels; the STL prioritises."""

from flask import Blueprint

bp = Blueprint("consultation", __name__, url_prefix="/e/<slug>/consultation")


def init_app(app) -> None:
    from coplat.consultation import views  # noqa: F401  (registers the routes)
    from coplat.consultation.enums import TopicState
    from coplat.consultation.permissions import ConsultationAction
    from coplat.consultation.results import RANKING_SHOWN

    app.jinja_env.globals["ConsultationAction"] = ConsultationAction
    app.jinja_env.globals["TopicState"] = TopicState
    app.jinja_env.globals["RANKING_SHOWN"] = RANKING_SHOWN
    app.register_blueprint(bp)
