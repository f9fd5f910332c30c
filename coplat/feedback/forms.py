from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from coplat.core.forms import FlaskForm, translated


class CorrectionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"), invalid_choice_message=_l("Choose the corrected decision.")
    )
    reason = translated(_l("Reason for the decision"), multiline=True, max_length=2000)
    correction_reason = translated(
        _l("Why the earlier entry is corrected"), multiline=True, max_length=2000
    )
