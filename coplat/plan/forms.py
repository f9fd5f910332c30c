"""The strategic vision form follows Annex 1 field by field; its data becomes the values
`services.save_vision` writes."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from coplat.core.forms import FlaskForm, translated
from coplat.exercises.forms import document_field, optional_url
from coplat.plan.vision import FIELDS, TEXT_KEYS

# Each field's label opens with its Annex 1 number ("4.2. What open government …").
LABELS = {f.key: LazyString(lambda f=f: f"{f.number}. {f.label}") for f in FIELDS}


class VisionForm(FlaskForm):
    administration_ends = DateField(
        LABELS["administration_ends"],
        validators=[DataRequired(message=_l("Enter a valid date."))],
    )
    plan_starts_on = DateField(
        _l("Start of the action plan period"),
        validators=[Optional()],
        invalid_value_message=_l("Enter a valid date."),
    )
    plan_ends_on = DateField(
        LABELS["plan_ends_on"],
        validators=[Optional()],
        invalid_value_message=_l("Enter a valid date."),
    )
    group_count = IntegerField(
        LABELS["group_count"], validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    meeting_count = IntegerField(
        LABELS["meeting_count"], validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    monitoring_contact = StringField(
        LABELS["monitoring_contact"], validators=[Optional(), Length(max=500)]
    )
    consultation_link = StringField(LABELS["consultation_link"], validators=optional_url())
    letter = document_field(LABELS["letter"])

    def values(self) -> dict:
        values = {key: getattr(self, key).texts for key in TEXT_KEYS}
        for name in (
            "administration_ends",
            "plan_starts_on",
            "plan_ends_on",
            "group_count",
            "meeting_count",
            "monitoring_contact",
            "consultation_link",
        ):
            values[name] = getattr(self, name).data
        return values


for _key in TEXT_KEYS:
    # Annex 1's questions are long answers, and none is required to save a draft: the
    # readiness check lists what is still empty.
    setattr(VisionForm, _key, translated(LABELS[_key], multiline=True, required=False))


class AttachmentForm(FlaskForm):
    title = translated(_l("Title of the document"), max_length=300)
    document = document_field(_l("Document"))


class CommitmentChoiceForm(FlaskForm):
    commitment_id = SelectField(
        _l("Approved commitment"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose a commitment."))],
    )


class EndorseForm(FlaskForm):
    position = StringField(_l("Your position in the organisation"), validators=[Length(max=160)])


class RecordEndorsementForm(FlaskForm):
    actor_id = SelectField(
        _l("Endorsing organisation"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose an actor."))],
    )
    representative = StringField(
        _l("Name of the person who signed"),
        validators=[DataRequired(message=_l("Write the signer's name.")), Length(max=160)],
    )
    position = StringField(_l("Position"), validators=[Length(max=160)])
    document = document_field(_l("Signed endorsement (PDF or image)"))
