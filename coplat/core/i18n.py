"""Everything about languages in one place: the interface locale, and content stored
per language (a missing translation is shown as such, never silently replaced)."""

from flask import current_app, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

LANGUAGES = {"es": "Español", "en": "English"}
DEFAULT_LANGUAGE = "es"


def select_locale() -> str:
    """The account's choice, then the session's, then the browser's, then Spanish."""
    if not has_request_context():  # CLI commands
        return DEFAULT_LANGUAGE
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def current_language() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else DEFAULT_LANGUAGE


def content_languages() -> list[str]:
    return list(current_app.config.get("CONTENT_LANGUAGES", LANGUAGES))


def pick(value: dict | None, language: str | None = None) -> tuple[str, str | None]:
    """The text in `language`, else in the first language that has one.
    Returns (text, language of the text); language is None when there is no text."""
    value = value or {}
    language = language or current_language()
    if value.get(language):
        return value[language], language
    for other in [DEFAULT_LANGUAGE, *LANGUAGES]:
        if value.get(other):
            return value[other], other
    return "", None


def missing_languages(value: dict | None, languages=None) -> list[str]:
    value = value or {}
    return [lang for lang in (languages or LANGUAGES) if not (value.get(lang) or "").strip()]


def translated_html(value: dict | None) -> Markup:
    """Content in the reader's language; when only another language has it, show that
    text marked with its language so screen readers and readers both know."""
    text, language = pick(value)
    if language is None:
        return Markup("")
    if language == current_language():
        return escape(text)
    return Markup('<span lang="{0}">{1}</span> <small class="untranslated">({2})</small>').format(
        language, text, _l("not yet translated")
    )


def translated_markup(value: dict | None) -> Markup:
    """Like `tr`, for rich text that was sanitised when it was stored (minutes)."""
    text, language = pick(value)
    if language is None:
        return Markup("")
    if language == current_language():
        return Markup(text)
    return Markup('<div lang="{0}">{1}</div><p class="untranslated">({2})</p>').format(
        language, Markup(text), _l("not yet translated")
    )


def translated_text(value: dict | None) -> str:
    return pick(value)[0]


def local_datetime(value, exercise) -> str:
    """A moment as people in the exercise's place read it, naming the time zone."""
    from babel.dates import format_date, format_time, get_timezone_location
    from flask_babel import get_locale

    if value is None:
        return ""
    locale, zone = get_locale(), exercise.zone
    day = format_date(value.astimezone(zone), "long", locale=locale)
    time = format_time(value, "short", tzinfo=zone, locale=locale)
    return f"{day}, {time} ({get_timezone_location(zone, locale=locale)})"


def init_app(app) -> None:
    app.jinja_env.filters["tr"] = translated_html
    app.jinja_env.filters["tr_text"] = translated_text
    app.jinja_env.filters["tr_markup"] = translated_markup
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
