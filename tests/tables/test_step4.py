"""INAI step 4's requirements: the consultation prioritised, every prioritised topic
worked at a table with minutes, and a strategic cause in every such table's tree."""

import pytest

from coplat.accounts.models import User
from coplat.exercises.enums import Sector
from coplat.exercises.models import Exercise
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
    """[every proposal decided, commitments approved]"""
    return [r.met for r in requirements(db.session.get(Exercise, exercise_id), 4)][3:]


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
        assert decided(exercise_id) == [False, False]
        services.reject_proposal(proposal, tree.user, {"es": "Ya existe un programa."})
        db.session.commit()
        # The commitments are drafted and approved in the next part of the step.
        assert decided(exercise_id) == [True, False]
