"""Forms of implementation tracking: the launch event, the public contact details,
milestone updates, quarterly reports, comments and their moderation, and the
monitoring body's assessments. The services check the rules; the forms check shapes."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, SelectField, StringField, TextAreaField
from wtforms.fields import DateField, SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from coplat.commitments.enums import MilestoneStatus, OgpValue
from coplat.commitments.forms import checkboxes
from coplat.core.forms import FlaskForm, translated
from coplat.exercises.forms import document_field, optional_url
from coplat.tracking.enums import CompletionLevel, EvidenceType, PotentialImpact
from coplat.tracking.services import COMMENT_MAX_LENGTH


class LaunchForm(FlaskForm):
    launched_on = DateField(
        _l("Date of the launch event"),
        validators=[DataRequired(message=_l("Enter a valid date."))],
    )
    place = StringField(_l("Place"), validators=[Length(max=300)])
    link = StringField(_l("Link (recording, announcement)"), validators=optional_url())
    notes = translated(_l("Notes"), multiline=True, required=False, max_length=4000)
    evidence = document_field(_l("Evidence of the event (optional)"))
    evidence_kind = SelectField(
        _l("Kind of evidence"),
        choices=EvidenceType.choices(),
        default=EvidenceType.PHOTOS.value,
    )


class ContactForm(FlaskForm):
    institution = StringField(
        _l("Responsible institution"),
        validators=[DataRequired(message=_l("Name the responsible institution.")), Length(max=200)],
    )
    name = StringField(_l("Point of contact"), validators=[Length(max=160)])
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    phone = StringField(_l("Telephone"), validators=[Length(max=60)])


class MilestoneUpdateForm(FlaskForm):
    """One per milestone, prefixed with its id so a page holds them all."""

    status = SelectField(_l("Status"), choices=MilestoneStatus.choices())
    progress = translated(_l("Progress"), multiline=True, max_length=2000)


class ReportForm(FlaskForm):
    # "2027-2": the year and the quarter's number; the choices are set per request.
    quarter = SelectField(
        _l("Quarter"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose the quarter the report covers."))],
    )
    progress = translated(_l("Progress in the quarter"), multiline=True, max_length=4000)
    delays = translated(
        _l("Delays and their reasons"), multiline=True, required=False, max_length=4000
    )
    next_steps = translated(_l("Next steps"), multiline=True, required=False, max_length=4000)


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(message=_l("Write your comment.")),
            Length(
                max=COMMENT_MAX_LENGTH,
                message=_l("Keep your comment under %(max)s characters.", max=COMMENT_MAX_LENGTH),
            ),
        ],
    )


class ModerationForm(FlaskForm):
    """One per pending comment; its two buttons send decision=publish or reject."""

    note = StringField(_l("Why it is not published"), validators=[Length(max=500)])


class AssessmentForm(FlaskForm):
    """Every kind's fields; the page shows those of its kind. Nothing is required to
    save a draft: publishing checks what each kind needs."""

    summary = translated(_l("Findings"), multiline=True, required=False)
    co_creation = translated(
        _l("Co-creation requirements and recommended practices"), multiline=True, required=False
    )
    completion = SelectField(
        _l("Level of completion"),
        choices=[SelectChoice("", "—"), *CompletionLevel.choices()],
        default="",
    )
    early_results = translated(_l("Early results"), multiline=True, required=False)
    lessons = translated(_l("Lessons learned and next steps"), multiline=True, required=False)


class RatingForm(Form):
    """The initial assessment's judgement of one commitment (prefixed with its id)."""

    relevant_values = checkboxes(_l("OGP values it advances"), OgpValue.choices())
    verifiable = BooleanField(_l("Verifiable"))
    potential_impact = SelectField(
        _l("Potential impact"),
        choices=[SelectChoice("", "—"), *PotentialImpact.choices()],
        default="",
    )
    note = translated(_l("Note"), multiline=True, required=False, max_length=2000)

    def rating(self) -> dict | None:
        """The rating the service stores; None while the commitment is not rated."""
        if not self.potential_impact.data:
            return None
        return {
            "relevant_values": list(self.relevant_values.data or []),
            "verifiable": bool(self.verifiable.data),
            "potential_impact": self.potential_impact.data,
            "note": self.note.texts,
        }

    def started(self) -> bool:
        return bool(self.relevant_values.data or self.verifiable.data or self.note.texts)
