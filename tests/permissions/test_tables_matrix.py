"""The working tables' endpoints against the truth table of test_matrix.py: every role
× every endpoint, with the effect seen only when the role is allowed."""

from datetime import timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.core.models import utcnow
from coplat.core.uploads import Upload
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.feedback.models import FeedbackEntry
from coplat.tables import services
from coplat.tables.enums import NodeKind, SessionKind
from coplat.tables.models import (
    Attendance,
    Invitation,
    Proposal,
    SessionAttachment,
    TableSession,
    TreeNode,
    WorkingTable,
)
from coplat.tables.permissions import TableAction as T
from tests.conftest import english
from tests.permissions.conftest import check_endpoint, fill, for_every_role
from tests.permissions.test_matrix import ALLOWED, count

TABLES = "/e/valle/tables"
TABLE = TABLES + "/{table}"
SESSION = TABLE + "/sessions/{session}"
NODE = TABLE + "/tree/nodes/{leaf}"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def table_ids(app, make_exercise, make_user):
    """In "valle": two prioritised topics, one with its table (a problem, a strategic
    cause with a pending proposal, a leaf cause; a held session with one attendee,
    one invitation and one attachment; an empty session), the call for proposals open."""
    exercise_id = make_exercise()
    clerk_id = make_user(email="relatora@example.mx", name="Relatora")
    now = utcnow()
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        clerk = db.session.get(User, clerk_id)
        consultation = Consultation(
            exercise=exercise,
            question={"es": "¿Qué temas importan?"},
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=10),
            prioritised_at=now - timedelta(days=9),
        )
        water, light = (
            Topic(consultation=consultation, title={"es": t}, state=TopicState.PUBLISHED)
            for t in ("Fugas de agua", "Alumbrado")
        )
        water.prioritised = light.prioritised = True
        db.session.add_all([water, light])
        db.session.flush()
        table = services.open_table(exercise, water, None)
        table.proposals_close_at = now + timedelta(days=5)
        problem = services.problem_of(table)
        strategic = services.add_node(table, problem, NodeKind.CAUSE, {"es": "Tubos"}, None)
        services.set_strategic(strategic, True, None)
        leaf = services.add_node(table, problem, NodeKind.CAUSE, {"es": "Poca lluvia"}, None)
        held, empty = (
            TableSession(
                table=table,
                kind=SessionKind.OPEN_DAY,
                title={"es": title},
                starts_at=now + timedelta(days=days),
                place="Casa de cultura",
            )
            for title, days in (("Jornada abierta", -2), ("Mesa de trabajo", 3))
        )
        db.session.add_all([held, empty])
        actor = Actor(exercise=exercise, name="Colectivo Agua", sector=Sector.CIVIL_SOCIETY)
        services.record_attendance(held, actor)
        services.invite(held, actor)
        upload = Upload(
            exercise=exercise,
            original_name="foto.png",
            stored_name="0" * 32,
            content_type="image/png",
            size=1,
        )
        held.attachments.append(SessionAttachment(upload=upload, kind="photo"))
        proposal = services.enter_proposal(
            table,
            clerk,
            cause=strategic,
            title={"es": "Cambiar tubos"},
            description={},
            proposer_name="Vecinos",
            proposer_sector=Sector.CITIZEN,
        )
        db.session.commit()
        return {
            "exercise": exercise_id,
            "topic": light.id,
            "table": table.id,
            "problem": problem.id,
            "strategic": strategic.id,
            "leaf": leaf.id,
            "session": held.id,
            "empty": empty.id,
            "attendance": held.attendances[0].id,
            "invitation": held.invitations[0].id,
            "attachment": held.attachments[0].id,
            "proposal": proposal.id,
        }


def node_text(node_id) -> str:
    return db.session.get(TreeNode, node_id).text["es"]


def strategic_count() -> int:
    return count(TreeNode, strategic=True)


def nodes() -> int:
    return count(TreeNode)


def table_renamed() -> bool:
    return db.session.scalar(sa.select(WorkingTable.name))["es"] == "Mesa del agua"


def session_renamed() -> bool:
    return bool(count(TableSession, place="Biblioteca"))


def minutes_written() -> bool:
    return any(s.has_minutes for s in db.session.scalars(sa.select(TableSession)))


SESSION_FORM = {
    "kind": "working_table",
    "title-es": "Mesa de expertos",
    "starts_at": "2027-01-10T17:00",
    "place": "Biblioteca",
}
PERSON = {"name": "Universidad del Valle", "sector": "academia", "is_organisation": "1"}
ENTRY = {
    "entry-cause": "{strategic}",
    "entry-title-es": "Sensores de fugas",
    "entry-proposer_name": "Universidad del Valle",
    "entry-proposer_sector": "academia",
    "entry-session": "{session}",
}

# (label, method, path, form data, action, status when allowed, effect seen when allowed)
TABLE_ENDPOINTS = [
    ("tables", "GET", TABLES, None, T.VIEW, 200, None),
    (
        "open a table",
        "POST",
        TABLES,
        {"topic": "{topic}", "facilitator": "0"},
        T.MANAGE,
        303,
        lambda: count(WorkingTable) == 2,
    ),
    ("table page", "GET", TABLE, None, T.VIEW, 200, None),
    ("settings page", "GET", TABLE + "/settings", None, T.MANAGE, 200, None),
    (
        "save settings",
        "POST",
        TABLE + "/settings",
        {"name-es": "Mesa del agua", "facilitator": "0"},
        T.MANAGE,
        303,
        table_renamed,
    ),
    ("session page", "GET", SESSION, None, T.VIEW, 200, None),
    ("new session form", "GET", TABLE + "/sessions/new", None, T.RUN_SESSION, 200, None),
    (
        "plan a session",
        "POST",
        TABLE + "/sessions/new",
        SESSION_FORM,
        T.RUN_SESSION,
        303,
        lambda: count(TableSession) == 3,
    ),
    ("edit session form", "GET", SESSION + "/edit", None, T.RUN_SESSION, 200, None),
    (
        "edit a session",
        "POST",
        SESSION + "/edit",
        SESSION_FORM,
        T.RUN_SESSION,
        303,
        session_renamed,
    ),
    (
        "delete an empty session",
        "POST",
        TABLE + "/sessions/{empty}/delete",
        {},
        T.RUN_SESSION,
        303,
        lambda: count(TableSession) == 1,
    ),
    (
        "record attendance",
        "POST",
        SESSION + "/attendance",
        {f"attendee-{k}": v for k, v in PERSON.items()},
        T.RUN_SESSION,
        303,
        lambda: count(Attendance) == 2,
    ),
    (
        "remove an attendee",
        "POST",
        SESSION + "/attendance/{attendance}/delete",
        {},
        T.RUN_SESSION,
        303,
        lambda: count(Attendance) == 0,
    ),
    (
        "invite",
        "POST",
        SESSION + "/invitations",
        {f"invitee-{k}": v for k, v in PERSON.items()},
        T.RUN_SESSION,
        303,
        lambda: count(Invitation) == 2,
    ),
    (
        "remove an invitation",
        "POST",
        SESSION + "/invitations/{invitation}/delete",
        {},
        T.RUN_SESSION,
        303,
        lambda: count(Invitation) == 0,
    ),
    ("minutes form", "GET", SESSION + "/minutes", None, T.RUN_SESSION, 200, None),
    (
        "write the minutes",
        "POST",
        SESSION + "/minutes",
        {"minutes-es": "<p>Se hallaron tres causas.</p>"},
        T.RUN_SESSION,
        303,
        minutes_written,
    ),
    (
        "attach evidence",
        "POST",
        SESSION + "/attachments",
        "attachment",  # built per request: a file can be read once
        T.RUN_SESSION,
        303,
        lambda: count(SessionAttachment) == 2,
    ),
    (
        "remove evidence",
        "POST",
        SESSION + "/attachments/{attachment}/delete",
        {},
        T.RUN_SESSION,
        303,
        lambda: count(SessionAttachment) == 0,
    ),
    ("tree page", "GET", TABLE + "/tree", None, T.VIEW, 200, None),
    ("tree diagram", "GET", TABLE + "/tree.svg", None, T.VIEW, 200, None),
    (
        "add a node",
        "POST",
        TABLE + "/tree/nodes",
        {"parent": "{problem}", "kind": "effect", "node-text-es": "Colonias sin agua"},
        T.EDIT_TREE,
        303,
        lambda: nodes() == 4,
    ),
    (
        "edit a node",
        "POST",
        NODE,
        {"node-text-es": "Sequía", "node-parent": "{problem}"},
        T.EDIT_TREE,
        303,
        lambda: count(TreeNode, kind=NodeKind.CAUSE) == 2 and "Sequía" in cause_texts(),
    ),
    (
        "mark strategic",
        "POST",
        NODE + "/strategic",
        {"strategic": "1"},
        T.EDIT_TREE,
        303,
        lambda: strategic_count() == 2,
    ),
    (
        "move a node",
        "POST",
        NODE + "/shift",
        {"direction": "up"},
        T.EDIT_TREE,
        303,
        lambda: cause_texts()[0] == "Poca lluvia",
    ),
    (
        "delete a node",
        "POST",
        NODE + "/delete",
        {},
        T.EDIT_TREE,
        303,
        lambda: nodes() == 2,
    ),
    ("tree history", "GET", TABLE + "/tree/history", None, T.READ_HISTORY, 200, None),
    ("proposal page", "GET", TABLE + "/proposals/{proposal}", None, T.VIEW, 200, None),
    (
        "propose online",
        "POST",
        TABLE + "/proposals",
        {"proposal-cause": "{strategic}", "proposal-title": "Medidores"},
        T.PROPOSE,
        303,
        lambda: count(Proposal) == 2,
    ),
    ("proposal entry form", "GET", TABLE + "/proposals/new", None, T.ENTER_PROPOSAL, 200, None),
    (
        "enter a proposal",
        "POST",
        TABLE + "/proposals/new",
        ENTRY,
        T.ENTER_PROPOSAL,
        303,
        lambda: count(Proposal) == 2,
    ),
    (
        "edit proposal form",
        "GET",
        TABLE + "/proposals/{proposal}/edit",
        None,
        T.ENTER_PROPOSAL,
        200,
        None,
    ),
    (
        "edit a proposal",
        "POST",
        TABLE + "/proposals/{proposal}/edit",
        ENTRY,
        T.ENTER_PROPOSAL,
        303,
        lambda: count(Proposal, proposer_name="Universidad del Valle") == 1,
    ),
    (
        "reject a proposal",
        "POST",
        TABLE + "/proposals/{proposal}/reject",
        {"reject-reason-es": "Ya existe un programa estatal."},
        T.DECIDE_PROPOSAL,
        303,
        lambda: count(FeedbackEntry) == 1,
    ),
]


def cause_texts() -> list[str]:
    """The causes' texts, in the tree's order."""
    table = db.session.scalar(sa.select(WorkingTable))
    return [n.text["es"] for n in services.tree_nodes(table) if n.kind == NodeKind.CAUSE]


def with_attachment(data):
    """The form data, or an attendance list's upload where it says "attachment"."""
    if data != "attachment":
        return data
    return {
        "attachment-document": (BytesIO(PDF), "lista.pdf"),
        "attachment-kind": "attendance_list",
        "attachment-is_public": "0",
    }


@for_every_role(TABLE_ENDPOINTS)
def test_tables_http_matrix(app, client, table_ids, user_with_role, login, role, endpoint):
    login(client, user_with_role(role, table_ids["exercise"]))
    english(client)
    check_endpoint(
        client,
        role,
        ALLOWED[role],
        endpoint,
        table_ids,
        files=with_attachment,
        reading=app.app_context,
    )


@pytest.mark.parametrize("role", ["facilitator", "stl_member"])
def test_staff_of_another_exercise_cannot_run_this_table(
    app, client, table_ids, make_exercise, user_with_role, login, role
):
    other = make_exercise(slug="sierra")
    login(client, user_with_role(role, other))
    english(client)
    path = fill(NODE + "/delete", table_ids)
    assert client.post(path).status_code == 403
    with app.app_context():
        assert nodes() == 3


def test_a_node_of_another_table_is_not_found(app, client, table_ids, user_with_role, login):
    login(client, user_with_role("facilitator", table_ids["exercise"]))
    with app.app_context():
        exercise = db.session.get(Exercise, table_ids["exercise"])
        light = db.session.get(Topic, table_ids["topic"])
        other = services.open_table(exercise, light, None)
        db.session.commit()
        other_problem = services.problem_of(other).id
    path = fill(TABLE + f"/tree/nodes/{other_problem}", table_ids)
    assert client.post(path, data={"node-text-es": "Otro"}).status_code == 404
