from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import DateField, DateTimeLocalField, SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coplat.consultation.enums import OFFLINE_CHANNELS, AgeBand, Answer, Channel, Gender
from coplat.core.forms import FlaskForm, translated

MAX_VOTE_BUDGET = 50
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def local_datetime(label):
    return DateTimeLocalField(
        label,
        format=DATETIME_FORMAT,
        validators=[DataRequired(message=_l("Enter a date and time."))],
    )


def vote_count(label, required=False):
    return IntegerField(
        label,
        default=0,
        validators=[
            InputRequired(message=_l("Enter a number from 0.")) if required else Optional(),
            NumberRange(min=0, max=10_000_000, message=_l("Enter a number from 0.")),
        ],
    )


class ConsultationForm(FlaskForm):
    question = translated(_l("Question"), max_length=300)
    explanation = translated(_l("Explanation"), multiline=True, required=False)
    opens_at = local_datetime(_l("Opens on"))
    closes_at = local_datetime(_l("Closes on"))
    accepts_topics = BooleanField(_l("Citizens may propose topics"), default=True)
    vote_budget = IntegerField(
        _l("Votes per citizen"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_VOTE_BUDGET,
                message=_l("Enter a number from 1 to %(max)s.", max=MAX_VOTE_BUDGET),
            ),
        ],
    )
    regions = TextAreaField(
        _l("Regions or municipalities for the participation profile"),
        validators=[Optional(), Length(max=5000)],
    )


class CategoryForm(FlaskForm):
    name = translated(_l("Category"), max_length=80)


def category_field():
    return SelectField(_l("Category"), coerce=int, validators=[Optional()])


class TopicForm(FlaskForm):
    """A citizen's topic, in the language they write in."""

    title = StringField(
        _l("Topic"),
        validators=[DataRequired(message=_l("Name the problem in a few words.")), Length(max=160)],
    )
    description = TextAreaField(_l("Why it matters"), validators=[Optional(), Length(max=2000)])
    category = category_field()


class StaffTopicForm(FlaskForm):
    """The facilitator completes a topic's translation or corrects its category."""

    title = translated(_l("Topic"), max_length=160)
    description = translated(_l("Why it matters"), multiline=True, required=False, max_length=2000)
    category = category_field()


class RejectForm(FlaskForm):
    reason = translated(
        _l("Reason, for the author and the public"), multiline=True, max_length=1000
    )


class MergeForm(FlaskForm):
    # A number, suggested from a list of published topics: a select of thousands
    # of topics per card would not scale.
    target = IntegerField(
        _l("Number of the topic that says the same"),
        validators=[InputRequired(message=_l("Enter the number of a published topic."))],
    )


class OfflineInputForm(FlaskForm):
    channel = SelectField(_l("Channel"), choices=Channel.choices(OFFLINE_CHANNELS))
    place = StringField(
        _l("Place"),
        validators=[DataRequired(message=_l("Say where the input was gathered.")), Length(max=200)],
    )
    held_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter a valid date."))])
    participants = vote_count(_l("People who took part"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class OfflineTopicForm(FlaskForm):
    title = translated(_l("Topic"), max_length=160)
    description = translated(_l("Why it matters"), multiline=True, required=False, max_length=2000)
    category = category_field()
    votes = vote_count(_l("Votes it received through this channel"))


class TallyForm(FlaskForm):
    topic = SelectField(
        _l("Topic"), coerce=int, validators=[DataRequired(message=_l("Choose a topic."))]
    )
    votes = vote_count(_l("Votes"), required=True)


class PrioritiseForm(FlaskForm):
    topics = SelectMultipleField(
        _l("Topics that go to working tables"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(message=_l("Choose at least one topic."))],
    )
    reason = translated(
        _l("Reason for the topics not prioritised"), multiline=True, max_length=1000
    )


def answer_field(label, enum_cls):
    return RadioField(label, choices=enum_cls.choices(), default=enum_cls.UNSTATED.value)


class ProfileForm(FlaskForm):
    age_band = answer_field(_l("Age"), AgeBand)
    gender = answer_field(_l("Gender"), Gender)
    region = SelectField(_l("Where you live"), default="unstated")
    indigenous = answer_field(_l("Do you belong to an indigenous community?"), Answer)
    disability = answer_field(_l("Do you live with a disability?"), Answer)

    def set_regions(self, regions: list[str]) -> None:
        self.region.choices = [
            SelectChoice("unstated", _l("Prefer not to say")),
            *[SelectChoice(region, region) for region in regions],
            SelectChoice("other", _l("Somewhere else")),
        ]
