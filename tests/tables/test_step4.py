"""INAI step 4's requirements: the consultation prioritised, every prioritised topic
worked at a table with minutes, a strategic cause in every such table's tree, every
proposal decided, and commitments approved by the three sectors of the STL with none
left waiting."""

import pytest

from coplat.accounts.models import Role, User
from coplat.commitments import services as commitments
from coplat.commitments.enums import Verdict
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import Exercise
from coplat.exercises.services import assign_role
from coplat.exercises.steps import requirements
from coplat.extensions import db
from coplat.tables import services
from coplat.tables.models import WorkingTable
from tests.tables.conftest import PRIORITISED, Tree, english, open_table, prioritise

UNMET = [False, False, False]
MINUTES = {"es": "Se identificaron las causas."}


def step4(exercise_id) -> list[bool]:
    """[consultation prioritised, minutes everywhere, a strategic cause everywhere]"""
    return [r.met for r in requirements(db.session.get(Exercise, exercise_id), 4)][:3]


def decided(exercise_id) -> list[bool]:
    """[every proposal decided, a commitment approved, no commitment waiting]"""
    return [r.met for r in requirements(db.session.get(Exercise, exercise_id), 4)][3:]


def committed(exercise_id) -> list[tuple[bool, str]]:
    """The commitment requirements: (met, evidence)."""
    found = requirements(db.session.get(Exercise, exercise_id), 4)[4:]
    return [(r.met, str(r.evidence)) for r in found]


def trees(table_ids: dict, user_id) -> dict[str, Tree]:
    user = db.session.get(User, user_id)
    return {key: Tree(db.session.get(WorkingTable, id), user) for key, id in table_ids.items()}


def worked(tree: Tree, minutes=True, strategic=True):
    """A session (with minutes, unless told) and a cause (strategic, unless told)."""
    tree.session(MINUTES if minutes else None)
    return tree.strategic() if strategic else tree.cause()


@pytest.fixture
def tables(app, prioritised, facilitator_id):
    """A table for each prioritised topic, by topic key."""
    return {
        key: open_table(app, prioritised.exercise_id, prioritised.topics[key], facilitator_id)
        for key in PRIORITISED
    }


def test_unmet_without_a_consultation(app, exercise_id):
    with app.app_context():
        assert step4(exercise_id) == UNMET


def test_unmet_until_the_topics_are_prioritised(app, consultation):
    with app.app_context():
        assert step4(consultation.exercise_id) == UNMET


def test_unmet_while_a_prioritised_topic_has_no_table(
    app, prioritised, facilitator_id, exercise_id
):
    with english(app):
        assert step4(exercise_id) == [True, False, False]
    leaks = open_table(app, exercise_id, prioritised.topics["leaks"], facilitator_id)
    with english(app):
        worked(trees({"leaks": leaks}, facilitator_id)["leaks"])
        assert step4(exercise_id) == [True, False, False]


def test_unmet_with_tables_but_no_minutes(app, tables, facilitator_id, exercise_id):
    with english(app):
        for tree in trees(tables, facilitator_id).values():
            worked(tree, minutes=False)
        assert step4(exercise_id) == [True, False, True]


def test_minutes_in_one_table_do_not_cover_another(app, tables, facilitator_id, exercise_id):
    with english(app):
        leaks, lighting = trees(tables, facilitator_id).values()
        worked(leaks)
        worked(lighting, minutes=False)
        leaks.session(MINUTES)  # a second session with minutes at the same table
        assert step4(exercise_id) == [True, False, True]


def test_minutes_met_but_no_strategic_cause(app, tables, facilitator_id, exercise_id):
    with english(app):
        for tree in trees(tables, facilitator_id).values():
            worked(tree, strategic=False)
        assert step4(exercise_id) == [True, True, False]
        # One table choosing its strategic cause is not enough.
        trees(tables, facilitator_id)["leaks"].strategic()
        assert step4(exercise_id) == [True, True, False]


def test_all_met_when_every_prioritised_topic_was_worked(app, tables, facilitator_id, exercise_id):
    with english(app):
        leaks, lighting = trees(tables, facilitator_id).values()
        worked(leaks)
        cause = worked(lighting, strategic=False)
        lighting.session()  # a later session without minutes takes nothing away
        lighting.strategic(cause)  # a strategic cause under a plain one counts too
        assert step4(exercise_id) == [True, True, True]


def test_a_non_prioritised_topics_table_does_not_matter(
    app, consultation, facilitator_id, exercise_id
):
    prioritise(app, consultation, keys=list(consultation.topics))
    tables = {
        key: open_table(app, exercise_id, topic_id, facilitator_id)
        for key, topic_id in consultation.topics.items()
    }
    prioritise(app, consultation)  # potholes dropped; its table stays, unworked
    with english(app):
        loaded = trees(tables, facilitator_id)
        worked(loaded["leaks"])
        worked(loaded["lighting"])
        assert step4(exercise_id) == [True, True, True]
        # Nor does working it make up for a prioritised topic.
        worked(loaded["potholes"])
        loaded["lighting"].table.sessions[0].minutes = {}
        db.session.commit()
        assert step4(exercise_id) == [True, False, True]


def test_every_proposal_needs_its_decision(app, tables, facilitator_id, exercise_id):
    with english(app):
        tree = trees(tables, facilitator_id)["leaks"]
        proposal = services.enter_proposal(
            tree.table,
            tree.user,
            cause=worked(tree),
            title={"es": "Sensores de fugas"},
            description={},
            proposer_name="Vecinos",
            proposer_sector=Sector.CITIZEN,
        )
        db.session.commit()
        assert decided(exercise_id) == [False, False, True]
        services.reject_proposal(proposal, tree.user, {"es": "Ya existe un programa."})
        db.session.commit()
        # The commitments are drafted and approved in the next part of the step; with
        # none yet, none waits either.
        assert decided(exercise_id) == [True, False, True]


# ----- commitments ------------------------------------------------------------------


@pytest.fixture
def stl(app, exercise_id, make_user) -> dict[Sector, int]:
    """A titular per STL sector, by sector."""
    ids = {}
    for sector in STL_SECTORS:
        ids[sector] = make_user(email=f"{sector.value}@stl.example.mx", name=sector.label)
        with app.app_context():
            assign_role(
                db.session.get(Exercise, exercise_id),
                db.session.get(User, ids[sector]),
                Role.STL_MEMBER,
                sector=sector,
                seat=Seat.TITULAR,
            )
            db.session.commit()
    return ids


def draft(exercise_id, user, title="Mapa público de fugas"):
    commitment = commitments.create(
        db.session.get(Exercise, exercise_id), {"title": {"es": title}}, user
    )
    db.session.commit()
    return commitment


def approve(commitment, stl, sectors=STL_SECTORS):
    for sector in sectors:
        commitments.decide(commitment, db.session.get(User, stl[sector]), Verdict.APPROVE, "")
    db.session.commit()


def test_commitments_must_be_approved_by_the_three_sectors(app, exercise_id, facilitator_id, stl):
    with english(app):
        user = db.session.get(User, facilitator_id)
        assert committed(exercise_id) == [
            (False, "0 commitments approved"),
            (True, "0 commitments in draft or in review"),
        ]
        commitment = draft(exercise_id, user)
        assert committed(exercise_id) == [
            (False, "0 commitments approved"),
            (False, "1 commitment in draft or in review"),
        ]
        commitments.submit_for_review(commitment, user)
        db.session.commit()
        approve(commitment, stl, STL_SECTORS[:2])
        # Two sectors are not enough, nor is a rejection an approval.
        commitments.decide(
            commitment,
            db.session.get(User, stl[STL_SECTORS[2]]),
            Verdict.REJECT,
            "Falta el indicador.",
        )
        db.session.commit()
        assert [met for met, _ in committed(exercise_id)] == [False, False]
        commitments.return_to_draft(commitment, user, "Añadimos el indicador.")
        commitments.save(
            commitment, {"title": {"es": "Mapa público de fugas, con indicador"}}, user
        )
        commitments.submit_for_review(commitment, user)
        db.session.commit()
        approve(commitment, stl)
        assert committed(exercise_id) == [
            (True, "1 commitment approved"),
            (True, "0 commitments in draft or in review"),
        ]


def test_a_draft_left_keeps_the_step_open_until_withdrawn(app, exercise_id, facilitator_id, stl):
    with english(app):
        user = db.session.get(User, facilitator_id)
        first = draft(exercise_id, user)
        commitments.submit_for_review(first, user)
        approve(first, stl)
        second = draft(exercise_id, user, "Tandeo publicado")
        third = draft(exercise_id, user, "Tablero de reparaciones")
        commitments.submit_for_review(third, user)
        db.session.commit()
        assert committed(exercise_id) == [
            (True, "1 commitment approved"),
            (False, "2 commitments in draft or in review"),
        ]
        commitments.withdraw(second, user, {"es": "Se integra al primer compromiso."})
        commitments.withdraw(third, user, {"es": "Lo atiende el programa estatal."})
        db.session.commit()
        # A withdrawn commitment neither counts as approved nor waits.
        assert committed(exercise_id) == [
            (True, "1 commitment approved"),
            (True, "0 commitments in draft or in review"),
        ]


def test_the_step_page_links_the_evidence_to_the_commitments(
    app, client, exercise_id, facilitator_id, stl
):
    with english(app):
        user = db.session.get(User, facilitator_id)
        draft(exercise_id, user)
    client.get("/language", query_string={"lang": "en"})
    text = client.get("/e/valle/steps/4").get_data(as_text=True)
    assert (
        '<li class="unmet">No commitment left in draft or in STL review'
        '<span class="visually-hidden"> — missing</span>: <span class="muted">'
        '<a href="/e/valle/commitments">1 commitment in draft or in review</a>'
    ) in text
    assert '<a href="/e/valle/commitments">0 commitments approved</a>' in text
