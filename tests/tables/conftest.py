"""Working-table fixtures: the consultation of tests/consultation with "leaks" and
"lighting" prioritised ("potholes" not), a facilitator, and a table opened for
"leaks" through the service.

Fixtures hand records around by id; `tree` opens an app context for the whole test
and hands the loaded records, with helpers that call the services. Records another
context writes must exist before `tree` starts: SQLite refuses a write from a
transaction that read before another connection's write."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from coplat.accounts.models import User
from coplat.consultation.models import Consultation, Topic
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.tables import services
from coplat.tables.enums import NodeKind, SessionKind
from coplat.tables.models import TableSession, TreeChange, TreeNode, WorkingTable
from tests.consultation.conftest import consultation, make_consultation  # noqa: F401

PRIORITISED = ("leaks", "lighting")


@contextmanager
def english(app):
    """An app context whose messages (TableError's among them) are in English."""
    with app.app_context(), force_locale("en"):
        yield


def prioritise(app, setup, keys=PRIORITISED) -> None:
    """The STL's choice, stored directly: those topics prioritised, the rest not."""
    with app.app_context():
        for key, topic_id in setup.topics.items():
            topic = db.session.get(Topic, topic_id)
            topic.prioritised = key in keys
            topic.decision = Decision.ADOPTED if topic.prioritised else Decision.REJECTED
        db.session.get(Consultation, setup.id).prioritised_at = utcnow()
        db.session.commit()


def open_table(app, exercise_id: int, topic_id: int, user_id: int | None) -> int:
    with english(app):
        user = db.session.get(User, user_id) if user_id else None
        table = services.open_table(
            db.session.get(Exercise, exercise_id), db.session.get(Topic, topic_id), user
        )
        db.session.commit()
        return table.id


@pytest.fixture
def facilitator_id(user_with_role, exercise_id):
    return user_with_role("facilitator", exercise_id)


@pytest.fixture
def prioritised(app, consultation):  # noqa: F811
    prioritise(app, consultation)
    return consultation


@pytest.fixture
def table_id(app, prioritised, facilitator_id):
    return open_table(app, prioritised.exercise_id, prioritised.topics["leaks"], facilitator_id)


@dataclass
class Tree:
    """A table loaded in the test's app context, and its facilitator."""

    table: WorkingTable
    user: User

    @property
    def problem(self) -> TreeNode:
        return services.problem_of(self.table)

    def add(self, kind: NodeKind, parent: TreeNode | None = None, es: str = "Texto"):
        node = services.add_node(self.table, parent or self.problem, kind, {"es": es}, self.user)
        db.session.commit()
        return node

    def cause(self, parent=None, es="Tuberías viejas"):
        return self.add(NodeKind.CAUSE, parent, es)

    def effect(self, parent=None, es="Colonias sin agua"):
        return self.add(NodeKind.EFFECT, parent, es)

    def strategic(self, parent=None, es="Falta de mantenimiento"):
        node = self.cause(parent, es)
        services.set_strategic(node, True, self.user)
        db.session.commit()
        return node

    def nodes(self) -> list[TreeNode]:
        return services.tree_nodes(self.table)

    def children(self, node: TreeNode) -> list[str]:
        """The texts (es) hanging from the node, in their order."""
        return [n.text["es"] for n in services.children_of(self.nodes()).get(node.id, [])]

    def changes(self) -> list[TreeChange]:
        return services.history(self.table)

    def session(self, minutes: dict | None = None, **fields) -> TableSession:
        return add_session(self.table, minutes, **fields)

    def actor(self, name="Colectivo Agua Limpia", sector=Sector.CIVIL_SOCIETY, exercise=None):
        actor = Actor(exercise=exercise or self.table.exercise, name=name, sector=sector)
        db.session.add(actor)
        db.session.commit()
        return actor


def add_session(table: WorkingTable, minutes: dict | None = None, **fields) -> TableSession:
    session = TableSession(
        table=table,
        kind=fields.pop("kind", SessionKind.OPEN_DAY),
        title={"es": "Jornada abierta"},
        starts_at=fields.pop("starts_at", utcnow() - timedelta(days=1)),
        **fields,
    )
    db.session.add(session)
    if minutes:
        services.set_minutes(session, minutes)
    db.session.commit()
    return session


def count(model, **where) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(model)
        .where(*[getattr(model, k) == v for k, v in where.items()])
    )


@pytest.fixture
def tree(app, table_id, facilitator_id):
    with english(app):
        yield Tree(db.session.get(WorkingTable, table_id), db.session.get(User, facilitator_id))
