from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import DateTimeLocalField, SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from coplat.consultation.forms import DATETIME_FORMAT, local_datetime
from coplat.core.forms import FlaskForm, translated
from coplat.exercises.enums import Sector
from coplat.exercises.forms import document_field, optional_url
from coplat.tables.enums import AttachmentKind, SessionKind


def sector_field(label, blank):
    return SelectField(label, choices=[SelectChoice("", blank), *Sector.choices()], default="")


class OpenTableForm(FlaskForm):
    topic = SelectField(_l("Prioritised topic"), coerce=int)
    facilitator = SelectField(_l("Facilitator"), coerce=int)


class TableForm(FlaskForm):
    name = translated(_l("Name of the table"), max_length=300)
    facilitator = SelectField(_l("Facilitator"), coerce=int)
    proposals_close_at = DateTimeLocalField(
        _l("Online proposals close on"),
        format=DATETIME_FORMAT,
        validators=[Optional()],
        description=_l("Leave empty while the table takes no proposals online."),
    )


class SessionForm(FlaskForm):
    kind = RadioField(_l("Kind of session"), choices=SessionKind.choices(), default="open_day")
    title = translated(_l("Title"), max_length=300)
    starts_at = local_datetime(_l("Starts on"))
    ends_at = DateTimeLocalField(_l("Ends on"), format=DATETIME_FORMAT, validators=[Optional()])
    # No Optional() here: it would stop the chain before validate_place runs.
    place = StringField(_l("Place"), validators=[Length(max=300)])
    link = StringField(_l("Online link"), validators=optional_url())
    agenda = translated(_l("Call and agenda"), multiline=True, required=False)

    def validate_place(self, field):
        if not (field.data or "").strip() and not (self.link.data or "").strip():
            raise ValidationError(_l("Give the place or the online link."))


class MinutesForm(FlaskForm):
    minutes = translated(_l("Minutes"), multiline=True, required=False)


class PersonForm(FlaskForm):
    """One attendee or invitee, typed quickly: an actor of the exercise by name, or a
    new one."""

    name = StringField(
        _l("Organisation or person"),
        validators=[DataRequired(message=_l("Write the name.")), Length(max=200)],
    )
    sector = sector_field(_l("Sector"), _l("The actor's own sector"))
    is_organisation = RadioField(
        _l("If new, it is"),
        choices=[SelectChoice("1", _l("An organisation")), SelectChoice("0", _l("A person"))],
        default="1",
    )


class AttachmentForm(FlaskForm):
    document = document_field(_l("File"))
    kind = SelectField(_l("Kind"), choices=AttachmentKind.choices())
    caption = StringField(_l("Caption"), validators=[Optional(), Length(max=300)])
    is_public = RadioField(
        _l("Who may see it"),
        choices=[
            SelectChoice("1", _l("Everyone")),
            SelectChoice("0", _l("Only the facilitator and the STL (it shows personal data)")),
        ],
        default="1",
    )

    def validate_document(self, field):
        if not field.data:
            raise ValidationError(_l("Choose a file."))


class NodeForm(FlaskForm):
    text = translated(_l("Text"), max_length=500)
    parent = SelectField(_l("Hangs from"), coerce=int, validate_choice=False)


class ProposalForm(FlaskForm):
    cause = SelectField(_l("Strategic cause it attacks"), coerce=int, validate_choice=False)
    title = StringField(
        _l("Your proposal"),
        validators=[DataRequired(message=_l("Write your proposal.")), Length(max=300)],
    )
    description = TextAreaField(_l("How it would work"), validators=[Optional(), Length(max=4000)])
    organisation = StringField(
        _l("On behalf of an organisation (optional)"), validators=[Optional(), Length(max=200)]
    )


class StaffProposalForm(FlaskForm):
    cause = SelectField(_l("Strategic cause it attacks"), coerce=int, validate_choice=False)
    title = translated(_l("Proposal"), max_length=300)
    description = translated(_l("How it would work"), multiline=True, required=False)
    proposer_name = StringField(
        _l("Proposed by (person or organisation)"),
        validators=[DataRequired(message=_l("Write who proposed it.")), Length(max=200)],
    )
    proposer_sector = SelectField(_l("Their sector"), choices=Sector.choices())
    session = SelectField(_l("At the session"), coerce=int, validate_choice=False)


class RejectProposalForm(FlaskForm):
    reason = translated(_l("Why it is not taken up"), multiline=True, max_length=2000)
