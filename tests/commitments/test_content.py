"""A commitment's content travels as one dict: `apply_content` writes it to the columns,
`content_of` reads it back, each revision stores it, and `compare` names the fields two
contents differ in."""

import pytest
import sqlalchemy as sa

from coplat.commitments import services
from coplat.commitments.enums import ImplementerKind
from coplat.commitments.models import Commitment, Milestone
from coplat.commitments.services import CommitmentError
from coplat.extensions import db
from tests.commitments.conftest import full_content


def reloaded(commitment: Commitment) -> Commitment:
    """The commitment as the database holds it, not as this session remembers it."""
    db.session.expire_all()
    return db.session.get(Commitment, commitment.id)


def test_content_round_trips_through_the_columns(desk):
    content = desk.content()
    commitment = desk.draft()

    assert services.content_of(reloaded(commitment)) == content
    assert commitment.latest_revision.content == content


def test_the_columns_hold_what_the_content_says(desk):
    commitment = reloaded(desk.draft())

    assert commitment.topic == desk.topic
    assert commitment.causes == desk.causes
    assert str(commitment.budget_amount) == "1500000.50"
    assert [(i.kind, i.position, i.institution) for i in commitment.implementers] == [
        (ImplementerKind.GOVERNMENT, 0, "Comisión de Agua Potable"),
        (ImplementerKind.GOVERNMENT, 1, "Cabildo"),
        (ImplementerKind.NON_GOVERNMENTAL, 0, "Colectivo Agua Limpia"),
        (ImplementerKind.OTHER, 0, "Universidad del Valle"),
    ]
    assert [m.output["es"] for m in commitment.milestones] == [
        "Mapa de fugas publicado",
        "Fugas reparadas",
    ]


def test_a_sparse_content_round_trips_too(desk):
    content = {
        **full_content(None, []),
        "title": {"es": "Borrador"},
        **dict.fromkeys(["starts_on", "ends_on", "budget_amount", "staff", "months"]),
        **dict.fromkeys(["resources_available", "ambition"]),
        **dict.fromkeys(["policy_areas", "sdgs", "government", "other", "milestones"], []),
    }
    commitment = services.create(desk.exercise, content, desk.facilitator)
    db.session.commit()
    assert services.content_of(reloaded(commitment)) == content


def test_saving_again_replaces_the_rows(desk):
    commitment = desk.draft()
    first, second = desk.content()["milestones"]
    desk.save(commitment, milestones=[second, first], non_governmental=[])

    commitment = reloaded(commitment)
    assert [m.output["es"] for m in commitment.milestones] == [
        "Fugas reparadas",
        "Mapa de fugas publicado",
    ]
    assert commitment.implementers_of(ImplementerKind.NON_GOVERNMENTAL) == []
    # The rows of the first save are gone, not orphaned.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Milestone)) == 2


def plain_cause(desk):
    return desk.plain_cause


def other_tables_cause(desk):
    [cause] = services.strategic_causes_by_topic(desk.exercise)[desk.other_table.topic_id]
    return cause


@pytest.mark.parametrize(
    "cause",
    [plain_cause, other_tables_cause],
    ids=["not-strategic", "another-tables-cause"],
)
def test_causes_are_strategic_causes_of_the_topics_table(desk, cause):
    commitment = desk.draft()
    content = desk.content(causes=[desk.causes[0].id, cause(desk).id])
    with pytest.raises(CommitmentError, match="Choose strategic causes of the chosen topic's"):
        services.save(commitment, content, desk.facilitator)


def test_causes_need_a_topic(desk):
    with pytest.raises(CommitmentError, match="Choose strategic causes"):
        services.create(desk.exercise, desk.content(topic=None), desk.facilitator)


def test_a_commitment_may_move_to_another_topic_with_its_causes(desk):
    commitment = desk.draft()
    cause = other_tables_cause(desk)
    desk.save(commitment, topic=desk.other_table.topic_id, causes=[cause.id])
    assert (commitment.topic, commitment.causes) == (desk.other_table.topic, [cause])


# ----- compare ------------------------------------------------------------------------


def test_identical_contents_have_no_changes(desk):
    assert services.compare(desk.content(), desk.content()) == []


def test_compare_names_exactly_the_changed_fields_in_the_templates_order(desk):
    before = desk.content()
    after = desk.content(sdgs=[6], ends_on="2028-01-31", title={"es": "Otra red"})
    after["government"][1]["email"] = "cabildo@valle.gob.mx"
    after["other_resources"] = {"es": "Sensores prestados."}

    changes = services.compare(before, after)

    assert [c.field.key for c in changes] == ["title", "dates", "government", "resources", "sdgs"]
    assert [c.field.number for c in changes] == ["1", "2", "3", "14", ""]
    dates = changes[1]
    assert dates.before == {"starts_on": "2027-01-01", "ends_on": "2027-12-31"}
    assert dates.after == {"starts_on": "2027-01-01", "ends_on": "2028-01-31"}
    assert (changes[-1].before, changes[-1].after) == ([6, 16], [6])


@pytest.mark.parametrize(
    "key, value, field",
    [
        ("topic", None, "topic"),
        ("causes", [], "causes"),
        ("budget_currency", "USD", "resources"),
        ("staff", 5, "resources"),
        ("milestones", [], "milestones"),
        ("withdrawn", True, "withdrawn"),
        ("ambition", "innovative", "ambition"),
        ("gender_perspective", {}, "gender_perspective"),
    ],
)
def test_compare_sees_each_kind_of_field(desk, key, value, field):
    changes = services.compare(desk.content(), desk.content(**{key: value}))
    assert [c.field.key for c in changes] == [field]


def test_revisions_compare_as_saved(desk):
    commitment = desk.draft()
    desk.save(commitment, problem={"es": "Se pierde la mitad del agua."})
    first, second = commitment.revisions
    changes = services.compare(first.content, second.content)
    assert [(c.field.key, c.after) for c in changes] == [
        ("problem", {"es": "Se pierde la mitad del agua."})
    ]
