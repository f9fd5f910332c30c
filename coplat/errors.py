"""Translated error pages: never a traceback."""

from flask import current_app, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from coplat.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have permission to do this.")),
    404: (_l("Page not found"), _l("There is nothing at this address. It may have moved.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (
        _l("This record is closed"),
        _l("Its step is closed, so this record can no longer change."),
    ),
    413: (_l("File too large"), None),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a minute and try again."),
    ),
    500: (_l("Something went wrong"), _l("The error was recorded. Try again in a moment.")),
}


def render_error(code: int, message=None):
    title, default = MESSAGES[code]
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default
    ), code


def init_app(app) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(413)
    def too_large(error):
        limit_mb = format_decimal(
            round(current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024), 1)
        )
        message = _(
            "The file is larger than the limit of %(mb)s MB. Go back and choose a smaller file.",
            mb=limit_mb,
        )
        return render_error(413, message)

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_error(
            400,
            _l(
                "The form expired or was sent from another page. Reload the page and send it again."
            ),
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
