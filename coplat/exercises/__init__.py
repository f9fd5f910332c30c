"""The exercise, its six INAI steps and steps 1–3 (declaration, awareness, STL)."""

from flask import Blueprint

bp = Blueprint("exercises", __name__)


def init_app(app) -> None:
    from coplat.exercises import views  # noqa: F401  (registers the routes)
    from coplat.exercises.permissions import ExerciseAction
    from coplat.exercises.steps import STEP_TITLES

    app.jinja_env.globals["STEP_TITLES"] = STEP_TITLES
    app.jinja_env.globals["ExerciseAction"] = ExerciseAction
    app.register_blueprint(bp)
