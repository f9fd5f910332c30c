"""The problem tree: one central problem, causes below (a cause may have causes),
effects above; every change kept in the tree's history."""

import pytest

from coplat.accounts.models import User
from coplat.consultation.models import Topic
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.tables import services
from coplat.tables.enums import NodeKind, TreeChangeKind
from coplat.tables.models import TreeChange, TreeNode, WorkingTable
from coplat.tables.services import TableError
from tests.tables.conftest import count, open_table, prioritise

CAUSE, EFFECT, PROBLEM = NodeKind.CAUSE, NodeKind.EFFECT, NodeKind.PROBLEM


def kinds(changes) -> list[TreeChangeKind]:
    return [c.kind for c in changes]


# ----- opening a table --------------------------------------------------------------


def test_opening_a_table_starts_the_tree_with_the_topics_title(tree, prioritised):
    [problem] = tree.nodes()
    assert problem.kind == PROBLEM and problem.parent_id is None
    assert problem.text == {"es": "Fugas de agua", "en": "Water leaks"}
    assert tree.table.topic_id == prioritised.topics["leaks"]
    assert tree.table.name == problem.text
    [change] = tree.changes()
    assert (change.kind, change.node_id, change.user_id) == (
        TreeChangeKind.ADDED,
        problem.id,
        tree.user.id,
    )


def test_only_prioritised_topics_of_the_same_exercise_get_a_table(
    app, prioritised, facilitator_id, make_exercise, make_consultation
):
    other = make_consultation(exercise_id=make_exercise(slug="otro"))
    prioritise(app, other)
    for exercise_id, topic_id in [
        (prioritised.exercise_id, prioritised.topics["potholes"]),  # not prioritised
        (prioritised.exercise_id, other.topics["leaks"]),  # another exercise's topic
        (other.exercise_id, prioritised.topics["leaks"]),
    ]:
        with pytest.raises(TableError, match="topics the STL prioritised"):
            open_table(app, exercise_id, topic_id, facilitator_id)
    with app.app_context():
        assert count(WorkingTable) == 0 and count(TreeNode) == 0


def test_one_table_per_topic(app, tree, prioritised, facilitator_id):
    with pytest.raises(TableError, match="already has its working table"):
        open_table(app, prioritised.exercise_id, prioritised.topics["leaks"], facilitator_id)
    with app.app_context():
        assert count(WorkingTable) == 1 and count(TreeNode) == 1
    # Another prioritised topic gets its own table and its own problem.
    table = open_table(app, prioritised.exercise_id, prioritised.topics["lighting"], None)
    with app.app_context():
        problem = services.problem_of(db.session.get(WorkingTable, table))
        assert problem.text["es"] == "Alumbrado público"


# ----- adding nodes -----------------------------------------------------------------


def test_causes_hang_from_the_problem_or_a_cause_and_effects_from_the_problem_or_an_effect(
    tree,
):
    cause = tree.cause(es="Tuberías viejas")
    deeper = tree.cause(cause, es="Sin presupuesto de mantenimiento")
    deepest = tree.cause(deeper, es="Recaudación baja")
    effect = tree.effect(es="Colonias sin agua")
    further = tree.effect(effect, es="Gasto en pipas")
    parents = {n.text["es"]: (n.kind, n.parent_id) for n in tree.nodes()}
    assert parents == {
        "Fugas de agua": (PROBLEM, None),
        "Tuberías viejas": (CAUSE, tree.problem.id),
        "Sin presupuesto de mantenimiento": (CAUSE, cause.id),
        "Recaudación baja": (CAUSE, deeper.id),
        "Colonias sin agua": (EFFECT, tree.problem.id),
        "Gasto en pipas": (EFFECT, effect.id),
    }
    assert services.descendants(cause, tree.nodes()) == [deeper, deepest]
    assert services.descendants(effect, tree.nodes()) == [further]


@pytest.mark.parametrize(
    "kind, parent, message",
    [
        (EFFECT, "cause", "A cause hangs from the problem"),
        (CAUSE, "effect", "A cause hangs from the problem"),
        (PROBLEM, None, "one central problem"),
        (PROBLEM, "problem", "one central problem"),
        (CAUSE, None, "Choose where this goes"),
    ],
)
def test_misplaced_nodes_are_refused(tree, kind, parent, message):
    nodes = {"cause": tree.cause(), "effect": tree.effect(), "problem": tree.problem}
    before = (len(tree.nodes()), len(tree.changes()))
    with pytest.raises(TableError, match=message):
        services.add_node(tree.table, nodes.get(parent), kind, {"es": "Otro"}, tree.user)
    assert (len(tree.nodes()), len(tree.changes())) == before


@pytest.fixture
def other_table_id(app, prioritised):
    return open_table(app, prioritised.exercise_id, prioritised.topics["lighting"], None)


def test_a_node_of_another_table_is_no_parent(other_table_id, tree):
    other = db.session.get(WorkingTable, other_table_id)
    with pytest.raises(TableError, match="Choose where this goes"):
        services.add_node(other, tree.problem, CAUSE, {"es": "Otro"}, tree.user)


def test_nodes_are_written_in_spanish(tree):
    with pytest.raises(TableError, match="Spanish"):
        services.add_node(tree.table, tree.problem, CAUSE, {"en": "Old pipes"}, tree.user)
    assert len(tree.nodes()) == 1


def test_positions_increase_among_siblings(tree):
    first, second, third = tree.cause(es="A"), tree.cause(es="B"), tree.cause(es="C")
    assert first.position < second.position < third.position
    assert tree.children(tree.problem) == ["A", "B", "C"]
    # Children of a cause keep their own order; a later cause still goes last.
    tree.cause(first, es="A1")
    tree.cause(first, es="A2")
    tree.cause(es="D")
    assert tree.children(first) == ["A1", "A2"]
    assert tree.children(tree.problem) == ["A", "B", "C", "D"]


# ----- rearranging ------------------------------------------------------------------


def side(tree, node, kind) -> list[str]:
    """The texts of the node's children of that kind, in their order."""
    return [n.text["es"] for n in tree.nodes() if n.parent_id == node.id and n.kind == kind]


def test_shift_node_reorders_siblings(tree):
    a, _, c = tree.cause(es="A"), tree.cause(es="B"), tree.cause(es="C")
    services.shift_node(c, -1, tree.user)
    db.session.commit()
    assert tree.children(tree.problem) == ["A", "C", "B"]
    services.shift_node(a, +1, tree.user)
    db.session.commit()
    assert tree.children(tree.problem) == ["C", "A", "B"]
    assert kinds(tree.changes()[:2]) == [TreeChangeKind.REORDERED] * 2
    assert tree.changes()[0].node_id == a.id


def test_shift_node_is_a_no_op_at_the_ends(tree):
    a, b = tree.cause(es="A"), tree.cause(es="B")
    logged = len(tree.changes())
    services.shift_node(a, -1, tree.user)
    services.shift_node(b, +1, tree.user)
    services.shift_node(tree.problem, +1, tree.user)
    db.session.commit()
    assert tree.children(tree.problem) == ["A", "B"]
    assert len(tree.changes()) == logged


def test_shifting_a_cause_passes_over_the_effects(tree):
    tree.cause(es="A")
    tree.effect(es="E")
    b = tree.cause(es="B")
    services.shift_node(b, -1, tree.user)
    db.session.commit()
    assert side(tree, tree.problem, CAUSE) == ["B", "A"]


def test_shifting_is_a_no_op_at_the_end_of_its_side(tree):
    tree.cause(es="A")
    b = tree.cause(es="B")
    e = tree.effect(es="E")
    logged = len(tree.changes())
    services.shift_node(b, +1, tree.user)
    services.shift_node(e, -1, tree.user)
    db.session.commit()
    assert len(tree.changes()) == logged


def test_move_node_moves_the_branch_with_its_children(tree):
    a, b = tree.cause(es="A"), tree.cause(es="B")
    a1 = tree.cause(a, es="A1")
    a11 = tree.cause(a1, es="A11")
    services.move_node(a1, b, tree.user)
    db.session.commit()
    assert tree.children(a) == [] and tree.children(b) == ["A1"]
    assert a11.parent_id == a1.id
    change = tree.changes()[0]
    assert (change.kind, change.node_id, change.user_id) == (
        TreeChangeKind.MOVED,
        a1.id,
        tree.user.id,
    )
    # The history says from where to where.
    assert (change.before, change.after) == ({"es": "A"}, {"es": "B"})
    # Where it already hangs: nothing moves, nothing is logged.
    logged = len(tree.changes())
    services.move_node(a1, b, tree.user)
    db.session.commit()
    assert len(tree.changes()) == logged
    # Back to the problem: it goes last among the problem's children.
    services.move_node(a1, tree.problem, tree.user)
    db.session.commit()
    assert tree.children(tree.problem) == ["A", "B", "A1"]


def test_effects_move_among_effects(tree):
    e, f = tree.effect(es="E"), tree.effect(es="F")
    services.move_node(f, e, tree.user)
    db.session.commit()
    assert tree.children(e) == ["F"]


@pytest.mark.parametrize(
    "moving, to, message",
    [
        ("a", "a", "its own branch"),
        ("a", "a1", "its own branch"),
        ("a", "a11", "its own branch"),
        ("a", "effect", "A cause hangs from the problem"),
        ("effect", "a", "A cause hangs from the problem"),
        ("problem", "a", "stays in the middle"),
    ],
)
def test_move_node_refusals(tree, moving, to, message):
    a = tree.cause(es="A")
    a1 = tree.cause(a, es="A1")
    nodes = {
        "a": a,
        "a1": a1,
        "a11": tree.cause(a1, es="A11"),
        "effect": tree.effect(),
        "problem": tree.problem,
    }
    placed = {n.id: n.parent_id for n in tree.nodes()}
    logged = len(tree.changes())
    with pytest.raises(TableError, match=message):
        services.move_node(nodes[moving], nodes[to], tree.user)
    db.session.rollback()
    assert {n.id: n.parent_id for n in tree.nodes()} == placed
    assert len(tree.changes()) == logged


# ----- strategic causes ---------------------------------------------------------------


def test_only_causes_are_strategic(tree):
    cause = tree.cause()
    deeper = tree.cause(cause, es="Recaudación baja")
    services.set_strategic(deeper, True, tree.user)
    services.set_strategic(deeper, True, tree.user)  # already: nothing logged
    db.session.commit()
    assert deeper.strategic and not cause.strategic
    assert services.strategic_causes(tree.table) == [deeper]
    services.set_strategic(deeper, False, tree.user)
    db.session.commit()
    assert kinds(tree.changes()[:2]) == [
        TreeChangeKind.UNMARKED_STRATEGIC,
        TreeChangeKind.MARKED_STRATEGIC,
    ]
    assert services.strategic_causes(tree.table) == []
    for node in (tree.effect(), tree.problem):
        with pytest.raises(TableError, match="Only causes"):
            services.set_strategic(node, True, tree.user)
        assert not node.strategic


# ----- deleting and editing -------------------------------------------------------------


def test_delete_node_deletes_the_branch_and_logs_each_node(tree):
    a, b = tree.cause(es="A"), tree.cause(es="B")
    a1 = tree.cause(a, es="A1")
    tree.cause(a1, es="A11")
    tree.cause(a, es="A2")
    added = len(tree.changes())
    services.delete_node(a, tree.user)
    db.session.commit()
    assert [n.text["es"] for n in tree.nodes()] == ["Fugas de agua", "B"]
    deleted = tree.changes()[: len(tree.changes()) - added]
    assert kinds(deleted) == [TreeChangeKind.DELETED] * 4
    assert {c.before["es"] for c in deleted} == {"A", "A1", "A11", "A2"}
    assert {c.node_id for c in deleted} == {None}
    assert {c.user_id for c in deleted} == {tree.user.id}
    assert {c.node_kind for c in deleted} == {CAUSE}
    assert b in tree.nodes()


def test_the_problem_cannot_be_deleted(tree):
    with pytest.raises(TableError, match="central problem cannot be deleted"):
        services.delete_node(tree.problem, tree.user)
    assert len(tree.nodes()) == 1


def test_effects_are_deleted_too(tree):
    e = tree.effect(es="E")
    tree.effect(e, es="F")
    services.delete_node(e, tree.user)
    db.session.commit()
    assert tree.nodes() == [tree.problem]
    assert {c.node_kind for c in tree.changes()[:2]} == {EFFECT}


@pytest.mark.parametrize("targeted", ["branch", "descendant"])
def test_delete_is_refused_when_a_proposal_targets_the_branch(tree, targeted):
    branch = tree.cause(es="A")
    deeper = tree.strategic(branch, es="A1")
    if targeted == "branch":
        services.set_strategic(branch, True, tree.user)
    services.enter_proposal(
        tree.table,
        tree.user,
        cause=branch if targeted == "branch" else deeper,
        title={"es": "Sustituir la red"},
        description={},
        proposer_name="Vecinos del Centro",
        proposer_sector=Sector.CITIZEN,
    )
    db.session.commit()
    logged = len(tree.changes())
    with pytest.raises(TableError, match="Proposals target this cause"):
        services.delete_node(branch, tree.user)
    db.session.rollback()
    assert len(tree.nodes()) == 3 and len(tree.changes()) == logged


def test_edit_node_needs_spanish_and_records_before_and_after(tree):
    cause = tree.cause(es="Tuberías viejas")
    for text in ({"en": "Old pipes"}, {"es": "", "en": "Old pipes"}):
        with pytest.raises(TableError, match="Spanish"):
            services.edit_node(cause, text, tree.user)
    assert cause.text == {"es": "Tuberías viejas"}
    services.edit_node(cause, {"es": "Red de más de 40 años", "en": "Network over 40"}, tree.user)
    db.session.commit()
    change = tree.changes()[0]
    assert (change.kind, change.node_id, change.node_kind) == (
        TreeChangeKind.EDITED,
        cause.id,
        CAUSE,
    )
    assert change.before == {"es": "Tuberías viejas"}
    assert change.after == {"es": "Red de más de 40 años", "en": "Network over 40"}
    assert cause.text == change.after
    # The same text again changes nothing and logs nothing.
    services.edit_node(cause, dict(cause.text), tree.user)
    db.session.commit()
    assert len(tree.changes()) == 3


@pytest.fixture
def beto_id(make_user):
    return make_user(email="beto@example.mx", name="Beto")


def test_every_change_writes_one_entry_newest_first(beto_id, tree):
    other = db.session.get(User, beto_id)
    cause = tree.cause()
    effect = services.add_node(tree.table, tree.problem, EFFECT, {"es": "Sin agua"}, other)
    services.set_strategic(cause, True, tree.user)
    services.edit_node(effect, {"es": "Colonias sin agua"}, other)
    services.move_node(tree.cause(es="B"), cause, tree.user)
    services.delete_node(effect, other)
    db.session.commit()
    changes = tree.changes()
    assert [(c.kind, c.user_id) for c in changes] == [
        (TreeChangeKind.DELETED, other.id),
        (TreeChangeKind.MOVED, tree.user.id),
        (TreeChangeKind.ADDED, tree.user.id),
        (TreeChangeKind.EDITED, other.id),
        (TreeChangeKind.MARKED_STRATEGIC, tree.user.id),
        (TreeChangeKind.ADDED, other.id),
        (TreeChangeKind.ADDED, tree.user.id),
        (TreeChangeKind.ADDED, tree.user.id),  # the problem, when the table opened
    ]
    assert count(TreeChange, table_id=tree.table.id) == len(changes)
    assert [c.node_kind for c in changes[-3:]] == [EFFECT, CAUSE, PROBLEM]
    assert services.history(tree.table, limit=2) == changes[:2]


def test_a_topic_keeps_its_title_when_the_problem_is_edited(tree, prioritised):
    services.edit_node(tree.problem, {"es": "Pérdida de agua en la red"}, tree.user)
    db.session.commit()
    assert db.session.get(Topic, prioritised.topics["leaks"]).title["es"] == "Fugas de agua"
    assert tree.problem.text == {"es": "Pérdida de agua en la red"}
