from datetime import timedelta
from zoneinfo import available_timezones

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import Form, FormField, IntegerField, SelectField, StringField
from wtforms.fields import DateField, FieldList, RadioField, SelectChoice, SelectMultipleField
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from coplat.accounts.models import Role
from coplat.commitments.services import add_months
from coplat.core.forms import FlaskForm, translated
from coplat.core.i18n import LANGUAGES
from coplat.core.uploads import ACCEPT_ATTRIBUTE
from coplat.exercises.enums import STL_SECTORS, ExerciseKind, Seat, Sector
from coplat.exercises.models import DEFAULT_TIMEZONE

MAX_JURISDICTIONS = 4


def optional_url():
    return [
        Optional(),
        URL(message=_l("Enter a full web address, starting with https://")),
        Length(max=500),
    ]


def document_field(label):
    return FileField(label, render_kw={"accept": ACCEPT_ATTRIBUTE})


class JurisdictionForm(Form):
    name = StringField(_l("Jurisdiction"), validators=[Optional(), Length(max=160)])
    state = StringField(_l("State"), validators=[Optional(), Length(max=80)])


class ExerciseForm(FlaskForm):
    name = translated(_l("Name of the exercise"), max_length=200)
    description = translated(_l("Description"), multiline=True, required=False)
    slug = StringField(
        _l("Identifier in addresses"),
        validators=[
            DataRequired(message=_l("Choose an identifier.")),
            Length(max=60),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message=_l("Use lower-case letters, digits and hyphens."),
            ),
        ],
    )
    kind = RadioField(
        _l("Kind"), choices=ExerciseKind.choices(), default=ExerciseKind.MUNICIPAL.value
    )
    administration_ends = DateField(
        _l("End of the current administration"),
        validators=[DataRequired(message=_l("Enter a valid date."))],
    )
    # OGP Local §3.2: a plan of at least one year that ends at least two months before
    # the administration does. Optional until the STL agrees it.
    plan_starts_on = DateField(
        _l("Action plan starts on"),
        validators=[Optional()],
        invalid_value_message=_l("Enter a valid date."),
    )
    plan_ends_on = DateField(
        _l("Action plan ends on"),
        validators=[Optional()],
        invalid_value_message=_l("Enter a valid date."),
    )
    timezone = SelectField(
        _l("Time zone"),
        choices=sorted(zone for zone in available_timezones() if "/" in zone),
        default=DEFAULT_TIMEZONE,
    )
    jurisdictions = FieldList(
        FormField(JurisdictionForm), min_entries=MAX_JURISDICTIONS, max_entries=MAX_JURISDICTIONS
    )
    content_languages = SelectMultipleField(
        _l("Content languages"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default=list(LANGUAGES),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )

    def validate_jurisdictions(self, field):
        named = [entry.form.name.data for entry in field if (entry.form.name.data or "").strip()]
        if not named:
            raise ValidationError(_l("Name at least one jurisdiction."))

    def validate_content_languages(self, field):
        if "es" not in (field.data or []):
            raise ValidationError(_l("Spanish is always a content language."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # The plan's dates are checked together, once each is a valid date or blank
        # (Optional() would stop a field's own validate_ method on a blank).
        start, end = self.plan_starts_on, self.plan_ends_on
        if start.errors or end.errors:
            return valid
        error = plan_period_error(start.data, end.data, self.administration_ends.data)
        if error is not None:
            field, message = error
            {"start": start, "end": end}[field].errors.append(message)
            return False
        return valid


def plan_period_error(start, end, administration_ends):
    """The first rule the plan's period breaks, as (which date, message); None if none."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        return (
            "start" if start is None else "end",
            _l("Give both dates of the action plan, or leave both blank."),
        )
    if end <= start:
        return "end", _l("The action plan must end after it starts.")
    shortest = add_months(start, 12) - timedelta(days=1)
    if end < shortest:
        return "end", _l(
            "An action plan lasts at least one year: end it on %(date)s or later.",
            date=format_date(shortest, "long"),
        )
    if administration_ends is not None:
        latest = add_months(administration_ends, -2)
        if end > latest:
            return "end", _l(
                "The action plan must end at least two months before the administration"
                " does: on %(date)s at the latest.",
                date=format_date(latest, "long"),
            )
    return None


class DeclarationForm(FlaskForm):
    signed_on = DateField(_l("Date signed"), validators=[Optional()])
    link = StringField(_l("Link to the signed declaration"), validators=optional_url())
    document = document_field(_l("Signed declaration (PDF)"))


class SignatoryForm(FlaskForm):
    actor_id = SelectField(
        _l("Signing organisation"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose an actor."))],
    )
    representative = StringField(
        _l("Representative's name"),
        validators=[
            DataRequired(message=_l("Write the name of the person who signed.")),
            Length(max=160),
        ],
    )
    position = StringField(_l("Position"), validators=[Optional(), Length(max=160)])


def _counts_form() -> type[Form]:
    """An attendee count per sector."""
    fields = {
        sector.value: IntegerField(
            label,
            default=0,
            validators=[
                Optional(),
                NumberRange(min=0, max=1_000_000, message=_l("Enter a number from 0.")),
            ],
        )
        for sector, label in Sector._labels().items()
    }
    return type("CountsForm", (Form,), fields)


CountsForm = _counts_form()


class AwarenessEventForm(FlaskForm):
    title = translated(_l("Event"), max_length=200)
    description = translated(_l("What was presented"), multiline=True, required=False)
    held_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter a valid date."))])
    # No Optional() here: it would stop the chain before validate_place runs.
    place = StringField(_l("Place"), validators=[Length(max=300)])
    link = StringField(_l("Online link"), validators=optional_url())
    counts = FormField(CountsForm, label=_l("Attendees by sector"))

    def validate_place(self, field):
        if not (field.data or "").strip() and not (self.link.data or "").strip():
            raise ValidationError(_l("Give the place or the online link."))


class ActorForm(FlaskForm):
    name = StringField(
        _l("Organisation or person"),
        validators=[DataRequired(message=_l("Write the name.")), Length(max=200)],
    )
    is_organisation = RadioField(
        _l("Kind of actor"),
        choices=[SelectChoice("1", _l("Organisation")), SelectChoice("0", _l("Person"))],
        default="1",
    )
    sector = SelectField(_l("Sector"), choices=Sector.choices())
    contact = StringField(_l("Contact (not public)"), validators=[Optional(), Length(max=300)])
    joined_on = DateField(_l("Joined on"), validators=[Optional()])


class CharterForm(FlaskForm):
    rules = translated(_l("Minimum rules of operation"), multiline=True)
    installed_on = DateField(_l("Date the STL was installed"), validators=[Optional()])
    document = document_field(_l("Signed rules or installation minutes"))


class AgendaItemForm(FlaskForm):
    title = translated(_l("Activity"), max_length=300)
    starts_on = DateField(_l("From"), validators=[DataRequired(message=_l("Enter a valid date."))])
    ends_on = DateField(_l("Until"), validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end cannot come before the start."))


class RoleForm(FlaskForm):
    email = StringField(
        _l("Account email"),
        validators=[DataRequired(message=_l("Enter the email of an existing account."))],
    )
    role = SelectField(_l("Role"), choices=Role.choices())
    # Blank is a valid choice; Optional() would skip validate_sector and validate_seat.
    sector = SelectField(
        _l("STL sector"), choices=[SelectChoice("", "—"), *Sector.choices(STL_SECTORS)], default=""
    )
    seat = SelectField(_l("STL seat"), choices=[SelectChoice("", "—"), *Seat.choices()], default="")
    actor_id = SelectField(
        _l("Represents"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )
    # The commitment an implementer answers for (DESIGN §2); the choices are set per
    # request. Blank is a valid choice, so Optional() would skip validate_commitment_id.
    commitment_id = SelectField(_l("Commitment"), coerce=lambda v: int(v) if v else None)

    def validate_commitment_id(self, field):
        if self.role.data == Role.IMPLEMENTER and not field.data:
            raise ValidationError(_l("An implementer answers for one commitment: choose it."))

    def validate_sector(self, field):
        if self.role.data == Role.STL_MEMBER and not field.data:
            raise ValidationError(_l("An STL member sits for a sector."))

    def validate_seat(self, field):
        if self.role.data == Role.STL_MEMBER and not field.data:
            raise ValidationError(_l("Choose titular or alternate."))
