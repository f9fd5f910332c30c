"""Pages that belong to no area: home, language switch, privacy notice."""

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, session
from flask_login import current_user

from coplat.core.i18n import LANGUAGES
from coplat.core.rendering import back_or
from coplat.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    from coplat.exercises.models import Exercise

    exercises = db.session.scalars(sa.select(Exercise).order_by(Exercise.created_at.desc())).all()
    return render_template("core/home.html", exercises=exercises)


# A GET form: the choice only changes how pages read, and a switch without a CSRF token
# lets the pages of visitors without cookies be shared (coplat/core/page_cache.py).
@bp.get("/language")
def set_language():
    language = request.args.get("lang", "")
    if language not in LANGUAGES:
        abort(400)
    session["lang"] = language
    if current_user.is_authenticated:
        current_user.locale = language
        db.session.commit()
    return redirect(back_or("/"), code=303)


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")


@bp.get("/healthz")
def health():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}, {"Cache-Control": "no-store"}
