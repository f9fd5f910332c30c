"""The commitment form turns what was posted into a content dict; rows left blank are
dropped, and fields 11 and 12 take two choices at most."""

from contextlib import contextmanager

from flask_babel import force_locale

from coplat.commitments.forms import CommitmentForm, form_data
from tests.commitments.conftest import full_content

# One filled row and one blank row in each repeated table, as the page posts them.
POSTED = {
    "topic": "0",
    "title-es": "Red de agua sin fugas",
    "title-en": "",
    "starts_on": "2027-01-01",
    "ends_on": "2027-12-31",
    "government-0-institution": " Comisión de Agua Potable ",
    "government-0-branch": "executive",
    "government-0-contact_name": "Ing. Rosa Méndez",
    "government-0-contact_title-es": "Directora",
    "government-0-email": "rosa.mendez@agua.gob.mx",
    "government-0-role-es": "Repara la red.",
    "government-1-institution": "",
    "government-1-branch": "",
    "government-1-contact_name": "  ",
    "government-1-contact_title-es": "",
    "government-1-email": "",
    "government-1-role-es": "",
    "milestones-0-output-es": "Mapa de fugas publicado",
    "milestones-0-output-en": "Leak map published",
    "milestones-0-starts_on": "2027-01-01",
    "milestones-0-ends_on": "2027-06-30",
    "milestones-0-status": "in_progress",
    "milestones-1-output-es": "",
    "milestones-1-starts_on": "",
    "milestones-1-ends_on": "",
    "milestones-1-institution": "",
    "milestones-1-status": "not_started",
    "policy_areas": ["open_data", "social_accountability"],
    "ogp_values": ["access_to_information"],
    "budget_amount": "1500.5",
    "budget_currency": "mxn",
    "sdgs": ["16", "6"],
}


@contextmanager
def posted(app, **changes):
    """The form, in an English request that posted POSTED with those changes."""
    data = {**POSTED, **changes}
    with app.test_request_context(method="POST", data=data), force_locale("en"):
        form = CommitmentForm()
        form.topic.choices = [(0, "—")]
        form.causes.choices = []
        yield form


def test_the_posted_commitment_becomes_content_without_blank_rows(app):
    with posted(app) as form:
        assert form.validate(), form.errors
        content = form.content()

    assert content["title"] == {"es": "Red de agua sin fugas"}
    assert content["government"] == [
        {
            "institution": "Comisión de Agua Potable",
            "branch": "executive",
            "contact_name": "Ing. Rosa Méndez",
            "contact_title": {"es": "Directora"},
            "email": "rosa.mendez@agua.gob.mx",
            "role": {"es": "Repara la red."},
        }
    ]
    assert content["non_governmental"] == [] and content["other"] == []
    assert content["milestones"] == [
        {
            "output": {"es": "Mapa de fugas publicado", "en": "Leak map published"},
            "starts_on": "2027-01-01",
            "ends_on": "2027-06-30",
            "institution": "",
            "contact": "",
            "status": "in_progress",
            "indicator": {},
        }
    ]
    assert (content["topic"], content["causes"]) == (None, [])
    assert (content["budget_amount"], content["budget_currency"]) == ("1500.5", "MXN")
    assert content["sdgs"] == [6, 16]
    assert content["withdrawn"] is False


def test_a_row_with_only_a_date_is_kept(app):
    with posted(app, **{"milestones-1-ends_on": "2027-12-31"}) as form:
        assert [row["ends_on"] for row in form.content()["milestones"]] == [
            "2027-06-30",
            "2027-12-31",
        ]


def test_policy_areas_and_sectors_take_two_at_most(app):
    three_areas = ["open_data", "social_accountability", "civic_space"]
    three_sectors = ["water", "health", "justice"]
    with posted(app, policy_areas=three_areas, policy_sectors=three_sectors) as form:
        assert not form.validate()
        assert form.errors == {
            "policy_areas": ["Choose two at most."],
            "policy_sectors": ["Choose two at most."],
        }


def test_a_saved_commitment_comes_back_from_the_form_unchanged(app):
    """Otherwise every save of an untouched form would make a revision."""
    content = full_content(7, [3, 4])
    with app.test_request_context(), force_locale("en"):
        form = CommitmentForm(data=form_data(content))
        form.topic.choices = [(7, "Fugas de agua")]
        form.causes.choices = [(3, "Falta de mantenimiento"), (4, "Nadie reporta las fugas")]
        assert form.content() == content


def test_a_milestone_row_sends_the_id_of_its_saved_milestone(app):
    """The hidden id travels in the row's content so the edit keeps each milestone's row;
    a blank row is still dropped, id or not, and anything but a number is no id."""
    with posted(
        app, **{"milestones-0-id": "41", "milestones-1-id": "42", "milestones-2-id": "x"}
    ) as form:
        assert [row.get("id") for row in form.content()["milestones"]] == [41]
    with posted(app, **{"milestones-0-id": "4²", "milestones-1-ends_on": "2027-12-31"}) as form:
        assert [row.get("id", "none") for row in form.content()["milestones"]] == [
            "none",
            "none",
        ]


def test_a_saved_commitment_comes_back_from_the_form_with_its_milestone_ids(app):
    content = full_content(7, [3, 4])
    rows = zip(content["milestones"], [8, 9], strict=True)
    with_ids = {
        **content,
        "milestones": [{**row, "id": milestone_id} for row, milestone_id in rows],
    }
    with app.test_request_context(), force_locale("en"):
        form = CommitmentForm(data=form_data(with_ids))
        form.topic.choices = [(7, "Fugas de agua")]
        form.causes.choices = [(3, "Falta de mantenimiento"), (4, "Nadie reporta las fugas")]
        assert form.content() == with_ids
