"""The form that files a piece of evidence in the repository (Annexes 4 and 5)."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Optional

from coplat.core.forms import FlaskForm, translated
from coplat.exercises.forms import document_field, optional_url
from coplat.tracking.enums import EvidenceSection, EvidenceType


def optional_id(value):
    """A select's chosen id, or None for the empty choice."""
    if value in (None, "", "None"):
        return None
    return int(value)


def evidence_types() -> dict:
    """Annex 5's types under their section's heading (an <optgroup> each)."""
    return {
        section.label: [(t.value, t.label) for t in EvidenceType if t.section == section]
        for section in EvidenceSection
    }


class EvidenceForm(FlaskForm):
    kind = SelectField(_l("Type of evidence (OGP Local Annex 5)"))
    title = translated(_l("Title"), max_length=300)
    description = translated(_l("Description"), multiline=True, required=False)
    document = document_field(_l("File"))
    link = StringField(_l("Or a link to it"), validators=optional_url())
    dated_on = DateField(
        _l("Date of what it shows"),
        validators=[Optional()],
        invalid_value_message=_l("Enter a valid date."),
    )
    step_number = SelectField(_l("Step of the exercise"), coerce=optional_id)
    session = SelectField(_l("Session"), coerce=optional_id)
    commitment = SelectField(_l("Commitment"), coerce=optional_id)
    milestone = SelectField(_l("Milestone"), coerce=optional_id)
