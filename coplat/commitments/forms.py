"""The commitment form follows the OGP Local template (Annex 2) field by field. Its data
becomes the content dict of `services.content_of`; rows left blank are dropped."""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import FieldList, FormField, SelectChoice
from wtforms.validators import Email, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coplat.commitments.enums import (
    SDG_NUMBERS,
    AmbitionLevel,
    Branch,
    MilestoneStatus,
    OgpValue,
    PolicyArea,
    PolicySector,
    ResourcesAvailable,
    Verdict,
    sdg_label,
)
from coplat.commitments.services import IMPLEMENTER_LISTS, MAX_ROWS, TEXT_FIELDS
from coplat.core.forms import FlaskForm, translated
from coplat.feedback.enums import Decision


def checkboxes(label, choices, coerce=str, description=None):
    return SelectMultipleField(
        label,
        choices=choices,
        coerce=coerce,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        description=description,
    )


def at_most_two(form, field):
    if len(field.data or []) > 2:
        raise ValidationError(_l("Choose two at most."))


class ImplementerRow(Form):
    """A row of the template's tables 3, 4 and 5."""

    institution = StringField(_l("Office, institution or organisation"), [Length(max=200)])
    branch = SelectField(
        _l("Branch of government"),
        choices=[SelectChoice("", _l("Choose…")), *Branch.choices()],
        default="",
    )
    contact_name = StringField(_l("Contact name"), [Length(max=160)])
    contact_title = translated(_l("Title"), required=False, max_length=160)
    email = StringField(
        _l("Email"),
        [
            Optional(),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    role = translated(_l("Role in implementation"), required=False, max_length=300)

    def is_blank(self) -> bool:
        return not any(
            [
                (self.institution.data or "").strip(),
                (self.contact_name.data or "").strip(),
                (self.email.data or "").strip(),
                self.contact_title.texts,
                self.role.texts,
            ]
        )

    def validate_institution(self, field):
        if not self.is_blank() and not (field.data or "").strip():
            raise ValidationError(_l("Name the institution or organisation."))

    def content(self) -> dict:
        return {
            "institution": self.institution.data.strip(),
            "branch": self.branch.data or None,
            "contact_name": (self.contact_name.data or "").strip(),
            "contact_title": self.contact_title.texts,
            "email": (self.email.data or "").strip(),
            "role": self.role.texts,
        }


class MilestoneRow(Form):
    # The saved milestone this row edits (none for a new row): `apply_content` gives it
    # back its own row, with its updates and evidence, whatever else moved.
    id = HiddenField()
    output = translated(_l("Output"), multiline=True, required=False, max_length=1000)
    starts_on = DateField(_l("Start date"), [Optional()])
    ends_on = DateField(_l("End date"), [Optional()])
    institution = StringField(_l("Responsible institution"), [Length(max=200)])
    contact = StringField(_l("Contact person"), [Length(max=160)])
    status = SelectField(
        _l("Status"), choices=MilestoneStatus.choices(), default=MilestoneStatus.NOT_STARTED
    )
    indicator = translated(_l("Result indicator"), multiline=True, required=False, max_length=1000)

    def is_blank(self) -> bool:
        typed_dates = [*(self.starts_on.raw_data or []), *(self.ends_on.raw_data or [])]
        return not any(
            [
                self.output.texts,
                any((text or "").strip() for text in typed_dates),
                (self.institution.data or "").strip(),
                (self.contact.data or "").strip(),
                self.indicator.texts,
            ]
        )

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end comes after the start."))

    def content(self) -> dict:
        """The row as a content dict's milestone, with its saved milestone's `id` when it
        has one (`content_of` has none: revisions hold no ids)."""
        row = {
            "output": self.output.texts,
            "starts_on": self.starts_on.data.isoformat() if self.starts_on.data else None,
            "ends_on": self.ends_on.data.isoformat() if self.ends_on.data else None,
            "institution": (self.institution.data or "").strip(),
            "contact": (self.contact.data or "").strip(),
            "status": self.status.data,
            "indicator": self.indicator.texts,
        }
        milestone_id = str(self.id.data or "").strip()
        if milestone_id.isascii() and milestone_id.isdigit():
            row["id"] = int(milestone_id)
        return row


def rows(row_form, label, min_entries=0):
    return FieldList(
        FormField(row_form), label=label, min_entries=min_entries, max_entries=MAX_ROWS
    )


class CommitmentForm(FlaskForm):
    topic = SelectField(_l("Topic"), coerce=int)
    causes = checkboxes(_l("Strategic causes it attacks"), [], coerce=int)
    title = translated(_l("1. Title"), max_length=300)
    starts_on = DateField(_l("Start date"), [Optional()])
    ends_on = DateField(_l("End date"), [Optional()])
    government = rows(ImplementerRow, _l("3. Implementing government institutions"), 1)
    non_governmental = rows(ImplementerRow, _l("4. Non-governmental implementing actors"))
    other = rows(ImplementerRow, _l("5. Other actors involved in implementation"))
    problem = translated(_l("6. Problem"), multiline=True, required=False)
    status_quo = translated(_l("7. Status quo"), multiline=True, required=False)
    action = translated(_l("8. Action"), multiline=True, required=False)
    contribution = translated(
        _l("9. How does the commitment contribute to solving the public problem?"),
        multiline=True,
        required=False,
    )
    vision_objective = translated(
        _l("10. Which long-term objective of the strategic vision does it relate to?"),
        multiline=True,
        required=False,
    )
    policy_areas = checkboxes(
        _l("11. Policy areas"), PolicyArea.choices(), description=_l("Up to two.")
    )
    policy_sectors = checkboxes(
        _l("12. Sectors"), PolicySector.choices(), description=_l("Up to two.")
    )
    ogp_values = checkboxes(_l("13. OGP values it is relevant to"), OgpValue.choices())
    budget_amount = DecimalField(
        _l("Budget"), [Optional(), NumberRange(min=0)], places=2, rounding=None
    )
    budget_currency = StringField(
        _l("Currency"),
        [Optional(), Regexp(r"^[A-Za-z]{3}$", message=_l("Use a three-letter code, e.g. MXN."))],
        default="MXN",
    )
    staff = IntegerField(_l("Staff (people)"), [Optional(), NumberRange(min=0, max=100000)])
    months = IntegerField(_l("Time (months)"), [Optional(), NumberRange(min=0, max=120)])
    other_resources = translated(_l("Other resources"), multiline=True, required=False)
    resources_available = RadioField(
        _l("15. Do you have the resources needed to implement it?"),
        choices=ResourcesAvailable.choices(),
        validators=[Optional()],
    )
    additional_information = translated(
        _l("16. Additional information"), multiline=True, required=False
    )
    milestones = rows(MilestoneRow, _l("17. Milestones"), 1)
    ambition = RadioField(
        _l("Ambition level"), choices=AmbitionLevel.choices(), validators=[Optional()]
    )
    sdgs = checkboxes(
        _l("2030 Agenda goals"),
        [SelectChoice(n, f"{n}. {sdg_label(n)}") for n in SDG_NUMBERS],
        coerce=int,
    )
    gender_perspective = translated(_l("Gender perspective"), multiline=True, required=False)
    change_reason = translated(
        _l("Why does the approved commitment change?"),
        multiline=True,
        required=False,
        max_length=2000,
    )

    def validate_policy_areas(self, field):
        at_most_two(self, field)

    def validate_policy_sectors(self, field):
        at_most_two(self, field)

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end comes after the start."))

    def content(self) -> dict:
        """The typed commitment as a content dict (see services.content_of)."""
        content = {name: getattr(self, name).texts for name in TEXT_FIELDS}
        content.update(
            topic=self.topic.data or None,
            causes=sorted(self.causes.data or []),
            starts_on=self.starts_on.data.isoformat() if self.starts_on.data else None,
            ends_on=self.ends_on.data.isoformat() if self.ends_on.data else None,
            policy_areas=list(self.policy_areas.data or []),
            policy_sectors=list(self.policy_sectors.data or []),
            ogp_values=list(self.ogp_values.data or []),
            budget_amount=str(self.budget_amount.data)
            if self.budget_amount.data is not None
            else None,
            budget_currency=(self.budget_currency.data or "").strip().upper(),
            staff=self.staff.data,
            months=self.months.data,
            resources_available=self.resources_available.data or None,
            ambition=self.ambition.data or None,
            sdgs=sorted(self.sdgs.data or []),
            withdrawn=False,
            milestones=[e.form.content() for e in self.milestones if not e.form.is_blank()],
        )
        for name in IMPLEMENTER_LISTS:
            content[name] = [e.form.content() for e in getattr(self, name) if not e.form.is_blank()]
        return content


def form_data(content: dict) -> dict:
    """A content dict as the form's initial data (dates and numbers as objects)."""

    def day(text):
        return date.fromisoformat(text) if text else None

    data = dict(content)
    data["topic"] = content.get("topic") or 0
    data["starts_on"], data["ends_on"] = day(content.get("starts_on")), day(content.get("ends_on"))
    amount = content.get("budget_amount")
    data["budget_amount"] = Decimal(amount) if amount else None
    data["milestones"] = [
        {**row, "starts_on": day(row.get("starts_on")), "ends_on": day(row.get("ends_on"))}
        for row in content.get("milestones") or []
    ]
    return data


class ReviewForm(FlaskForm):
    verdict = RadioField(
        _l("Your decision"),
        choices=Verdict.choices(),
        invalid_choice_message=_l("Choose whether you approve or reject it."),
    )
    comment = TextAreaField(
        _l("Comment"),
        [Length(max=4000)],
        description=_l("Required when you reject it: say what must change."),
    )


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), [Length(max=4000)])


class ReasonForm(FlaskForm):
    reason = translated(_l("Reason"), multiline=True, max_length=2000)


class ReturnForm(FlaskForm):
    note = TextAreaField(
        _l("Note for the record"),
        [Length(max=4000)],
        description=_l("Optional: the reviewers' reasons stay with their decisions."),
    )


class TakeProposalForm(FlaskForm):
    proposal = SelectField(_l("Proposal"), coerce=int)
    decision = RadioField(
        _l("The commitment"),
        choices=[
            SelectChoice(Decision.ADOPTED.value, _l("adopts it as it was")),
            SelectChoice(Decision.MODIFIED.value, _l("adapts it")),
        ],
        default=Decision.ADOPTED.value,
    )
    change = translated(
        _l("What changed from the proposal"), multiline=True, required=False, max_length=2000
    )
