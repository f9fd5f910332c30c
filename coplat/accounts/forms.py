from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from coplat.core.forms import FlaskForm
from coplat.core.i18n import LANGUAGES

MIN_PASSWORD = 10


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l("Use at least %(n)s characters.", n=MIN_PASSWORD),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords do not match."))],
    )
    return password, confirm


class RegisterForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Tell us your name.")), Length(max=120)]
    )
    email = StringField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password, confirm = new_password_fields()
    accept_privacy = BooleanField(
        _l("I have read and accept the privacy notice"),
        validators=[DataRequired(message=_l("You must accept the privacy notice to register."))],
    )


class LoginForm(FlaskForm):
    email = StringField(
        _l("Email"), validators=[DataRequired(message=_l("Enter your email address."))]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    remember = BooleanField(_l("Keep me logged in on this device"))


class PreferencesForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Tell us your name.")), Length(max=120)]
    )
    locale = SelectField(
        _l("Interface language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )
    password, confirm = new_password_fields()
