"""Commitment fixtures: the working table of tests/tables ("leaks") with two strategic
causes and a plain one, a second table ("lighting"), its facilitator, and an STL with a
titular and a suplente in each of its three sectors; the action plan runs from
2026-09-01 to 2028-06-30.

`desk` opens an English app context for the whole test and hands the loaded records,
with helpers that call the services and commit. Every account is made before it opens
(SQLite refuses a write from a transaction that read before another connection's
write)."""

from copy import deepcopy
from dataclasses import dataclass
from datetime import date

import pytest

from coplat.accounts.models import Role, User
from coplat.accounts.services import create_user
from coplat.commitments import services
from coplat.commitments.enums import Verdict
from coplat.commitments.models import Commitment
from coplat.consultation.models import Topic
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import Exercise
from coplat.exercises.services import assign_role
from coplat.extensions import db
from coplat.tables import services as tables
from coplat.tables.enums import NodeKind
from coplat.tables.models import TreeNode, WorkingTable
from tests.conftest import PASSWORD
from tests.consultation.conftest import consultation, make_consultation  # noqa: F401
from tests.tables.conftest import (  # noqa: F401
    english,
    facilitator_id,
    open_table,
    prioritised,
    table_id,
)

PLAN_STARTS, PLAN_ENDS = date(2026, 9, 1), date(2028, 6, 30)

# Two people per STL sector; the keys name them in the tests.
MEMBERS = {
    (Sector.GOVERNMENT, Seat.TITULAR): "Gabriela Gómez",
    (Sector.GOVERNMENT, Seat.SUPLENTE): "Gerardo Galindo",
    (Sector.CIVIL_SOCIETY, Seat.TITULAR): "Sofía Salas",
    (Sector.CIVIL_SOCIETY, Seat.SUPLENTE): "Saúl Serrano",
    (Sector.GUARANTOR, Seat.TITULAR): "Gloria Garza",
    (Sector.GUARANTOR, Seat.SUPLENTE): "Gustavo Gil",
}


def full_content(topic_id: int | None, causes: list[int]) -> dict:
    """A commitment that meets the five characteristics, translated, every field set:
    what `services.content_of` returns for it."""
    return {
        "topic": topic_id,
        "causes": sorted(causes),
        "title": {"es": "Red de agua sin fugas", "en": "A water network without leaks"},
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "problem": {"es": "Se pierde el 40 % del agua.", "en": "40% of the water is lost."},
        "status_quo": {"es": "Nadie mide las fugas.", "en": "Nobody measures the leaks."},
        "action": {"es": "Publicar un mapa de fugas.", "en": "Publish a map of leaks."},
        "contribution": {"es": "Prioriza reparaciones.", "en": "It ranks repairs."},
        "vision_objective": {"es": "Agua para todos.", "en": "Water for everyone."},
        "policy_areas": ["open_data", "social_accountability"],
        "policy_sectors": ["water"],
        "ogp_values": ["access_to_information", "civic_participation"],
        "budget_amount": "1500000.50",
        "budget_currency": "MXN",
        "staff": 4,
        "months": 12,
        "other_resources": {"es": "Sensores donados.", "en": "Donated sensors."},
        "resources_available": "partial",
        "additional_information": {"es": "Piloto en el centro.", "en": "Pilot downtown."},
        "ambition": "proactive",
        "sdgs": [6, 16],
        "gender_perspective": {"es": "Encuestas por sexo.", "en": "Surveys by sex."},
        "withdrawn": False,
        "government": [
            {
                "institution": "Comisión de Agua Potable",
                "branch": "executive",
                "contact_name": "Ing. Rosa Méndez",
                "contact_title": {"es": "Directora", "en": "Director"},
                "email": "rosa.mendez@agua.gob.mx",
                "role": {"es": "Repara la red.", "en": "Repairs the network."},
            },
            {
                "institution": "Cabildo",
                "branch": "legislative",
                "contact_name": "Regidor Luis Paz",
                "contact_title": {"es": "Regidor", "en": "Councillor"},
                "email": "luis.paz@valle.gob.mx",
                "role": {"es": "Aprueba el presupuesto.", "en": "Approves the budget."},
            },
        ],
        "non_governmental": [
            {
                "institution": "Colectivo Agua Limpia",
                "branch": None,
                "contact_name": "Marta Ruiz",
                "contact_title": {"es": "Coordinadora", "en": "Coordinator"},
                "email": "marta@agualimpia.org",
                "role": {"es": "Reporta fugas.", "en": "Reports leaks."},
            }
        ],
        "other": [
            {
                "institution": "Universidad del Valle",
                "branch": None,
                "contact_name": "Dr. Iván Cruz",
                "contact_title": {"es": "Investigador", "en": "Researcher"},
                "email": "ivan.cruz@uv.edu.mx",
                "role": {"es": "Evalúa el mapa.", "en": "Evaluates the map."},
            }
        ],
        "milestones": [
            {
                "output": {"es": "Mapa de fugas publicado", "en": "Leak map published"},
                "starts_on": "2027-01-01",
                "ends_on": "2027-06-30",
                "institution": "Comisión de Agua Potable",
                "contact": "Ing. Rosa Méndez",
                "status": "not_started",
                "indicator": {"es": "Mapa en línea", "en": "Map online"},
            },
            {
                "output": {"es": "Fugas reparadas", "en": "Leaks repaired"},
                "starts_on": "2027-07-01",
                "ends_on": "2027-12-31",
                "institution": "Comisión de Agua Potable",
                "contact": "Ing. Rosa Méndez",
                "status": "not_started",
                "indicator": {"es": "Fugas por mes", "en": "Leaks per month"},
            },
        ],
    }


@pytest.fixture
def member_ids(app, exercise_id, make_user) -> dict[tuple[Sector, Seat], int]:
    """The STL's six members, by (sector, seat)."""
    ids = {}
    for (sector, seat), name in MEMBERS.items():
        user_id = make_user(email=f"{sector.value}.{seat.value}@example.mx", name=name)
        with app.app_context():
            assign_role(
                db.session.get(Exercise, exercise_id),
                db.session.get(User, user_id),
                Role.STL_MEMBER,
                sector=sector,
                seat=seat,
            )
            db.session.commit()
        ids[sector, seat] = user_id
    return ids


@pytest.fixture
def other_table_id(app, prioritised):  # noqa: F811
    return open_table(app, prioritised.exercise_id, prioritised.topics["lighting"], None)


@dataclass
class Desk:
    """The records a commitment is drafted with, loaded in the test's app context."""

    exercise: Exercise
    table: WorkingTable
    other_table: WorkingTable
    facilitator: User
    members: dict[tuple[Sector, Seat], User]
    causes: list[TreeNode]  # the table's strategic causes
    plain_cause: TreeNode  # a cause nobody marked strategic

    @property
    def topic(self) -> Topic:
        return self.table.topic

    def content(self, **changes) -> dict:
        """The full content (see `full_content`) for this table, with some fields changed."""
        content = full_content(self.topic.id, [cause.id for cause in self.causes])
        return {**content, **deepcopy(changes)}

    def member(self, sector: Sector, seat: Seat = Seat.TITULAR) -> User:
        return self.members[sector, seat]

    def person(self, email: str, role: Role | None = None, **details) -> User:
        """Another account, holding `role` in the exercise (with `details`: sector, seat)."""
        user = create_user(name=email.split("@")[0].title(), email=email, password=PASSWORD)
        if role is not None:
            assign_role(self.exercise, user, role, **details)
        db.session.commit()
        return user

    def draft(self, **changes) -> Commitment:
        commitment = services.create(self.exercise, self.content(**changes), self.facilitator)
        db.session.commit()
        return commitment

    def save(self, commitment: Commitment, reason: dict | None = None, **changes):
        """Save the commitment's current content with some fields changed."""
        content = {**services.content_of(commitment), **deepcopy(changes)}
        revision = services.save(commitment, content, self.facilitator, reason=reason)
        db.session.commit()
        return revision

    def submit(self, commitment: Commitment) -> None:
        services.submit_for_review(commitment, self.facilitator)
        db.session.commit()

    def in_review(self, **changes) -> Commitment:
        commitment = self.draft(**changes)
        self.submit(commitment)
        return commitment

    def decide(
        self,
        commitment: Commitment,
        sector: Sector,
        seat: Seat = Seat.TITULAR,
        verdict: Verdict = Verdict.APPROVE,
        comment: str = "",
    ):
        decision = services.decide(commitment, self.member(sector, seat), verdict, comment)
        db.session.commit()
        return decision

    def approve(self, commitment: Commitment, seat: Seat = Seat.TITULAR) -> None:
        """Each STL sector approves, from that seat."""
        for sector in STL_SECTORS:
            self.decide(commitment, sector, seat)

    def approved(self, **changes) -> Commitment:
        commitment = self.in_review(**changes)
        self.approve(commitment)
        return commitment

    def proposal(self, table: WorkingTable | None = None, title="Sensores en la red"):
        """A proposal the facilitator wrote down at a session, for a strategic cause."""
        table = table or self.table
        cause = next(n for n in tables.tree_nodes(table) if n.strategic)
        proposal = tables.enter_proposal(
            table,
            self.facilitator,
            cause=cause,
            title={"es": title},
            description={"es": "Que avisen de cada fuga."},
            proposer_name="Vecinos del Centro",
            proposer_sector=Sector.CITIZEN,
        )
        db.session.commit()
        return proposal


def _strategic_cause(table: WorkingTable, user: User, es: str) -> TreeNode:
    node = tables.add_node(table, tables.problem_of(table), NodeKind.CAUSE, {"es": es}, user)
    tables.set_strategic(node, True, user)
    return node


@pytest.fixture
def desk(app, table_id, other_table_id, facilitator_id, member_ids):  # noqa: F811
    with english(app):
        table = db.session.get(WorkingTable, table_id)
        other_table = db.session.get(WorkingTable, other_table_id)
        facilitator = db.session.get(User, facilitator_id)
        exercise = table.exercise
        exercise.plan_starts_on, exercise.plan_ends_on = PLAN_STARTS, PLAN_ENDS
        causes = [
            _strategic_cause(table, facilitator, "Falta de mantenimiento"),
            _strategic_cause(table, facilitator, "Nadie reporta las fugas"),
        ]
        plain_cause = tables.add_node(
            table, tables.problem_of(table), NodeKind.CAUSE, {"es": "Lluvias"}, facilitator
        )
        _strategic_cause(other_table, facilitator, "Lámparas fundidas")
        db.session.commit()
        yield Desk(
            exercise=exercise,
            table=table,
            other_table=other_table,
            facilitator=facilitator,
            members={key: db.session.get(User, i) for key, i in member_ids.items()},
            causes=causes,
            plain_cause=plain_cause,
        )
