"""Form pieces shared by every area."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as FlaskWTFForm
from wtforms import Form, StringField, TextAreaField
from wtforms.fields import FormField
from wtforms.validators import DataRequired, Length, Optional

from coplat.core.i18n import DEFAULT_LANGUAGE, LANGUAGES


class LazyTokenCSRF(FlaskWTFForm.Meta.csrf_class):
    """Flask-WTF's CSRF check, with the token made when the form is shown rather than
    when it is built. Views build forms that a visitor without the right to use them
    never sees; made early, their token would start a session for nothing and keep the
    page from being shared by the page cache (coplat/core/page_cache.py)."""

    def generate_csrf_token(self, csrf_token_field):
        return LazyString(super().generate_csrf_token, csrf_token_field)


class FlaskForm(FlaskWTFForm):
    """Every form of the platform: Flask-WTF's, with the token made on demand."""

    class Meta(FlaskWTFForm.Meta):
        csrf_class = LazyTokenCSRF


class TranslatedField(FormField):
    """One input per content language, side by side (name-es, name-en). Its data is
    the {"es": ..., "en": ...} dict the models store; blank languages are left out so
    the missing translation stays visible."""

    @property
    def texts(self) -> dict:
        return {lang: text.strip() for lang, text in self.data.items() if text and text.strip()}

    def populate_obj(self, obj, name):
        setattr(obj, name, self.texts)


def translated(label, *, multiline: bool = False, required: bool = True, max_length: int = 0):
    input_class = TextAreaField if multiline else StringField

    class PerLanguage(Form):
        pass

    for language, language_name in LANGUAGES.items():
        validators = []
        if required and language == DEFAULT_LANGUAGE:
            validators.append(DataRequired(message=_l("Write this in Spanish.")))
        else:
            validators.append(Optional())
        if max_length:
            validators.append(Length(max=max_length))
        setattr(PerLanguage, language, input_class(language_name, validators=validators))
    return TranslatedField(PerLanguage, label=label)


class RefusedInput(ValueError):
    """A service's refusal of what was typed; `field` names the form field the message
    belongs beside, if any (see show_error)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def show_error(form, field_name: str | None, message) -> bool:
    """Put a service's refusal beside the field it concerns (a translated field's
    Spanish input); False when the form has no such field."""
    field = getattr(form, field_name, None) if field_name else None
    if field is None:
        return False
    if isinstance(field, TranslatedField):
        field = field.form.es
    field.errors = [*field.errors, str(message)]
    return True
