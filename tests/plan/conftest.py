"""Action-plan fixtures, built through the services in one English app context.

`build_plan(...)` makes an exercise ("valle" unless told) whose STL seats a titular of
each of its three sectors, each representing an actor of that sector; an academia actor
nobody represents; a facilitator and a point of contact; a consultation whose one topic
is prioritised and decided, its working table (stored directly: no problem tree yet) and
one session held yesterday, attended by the government's and civil
society's actors; N commitments approved by the three titulars (through
`coplat.commitments.services`) held by the plan; and the strategic vision (Annex 1)
filled in Spanish and English through `plan.services.save_vision`. `endorsed=True`
adds the civil-society representative's endorsement last, so the plan is ready.

The records stay loaded for the whole test (the fixture keeps the app context open);
the helpers of `PlanDesk` call the services and commit. `PLAN_STARTS`, `PLAN_ENDS` and
`ADMINISTRATION_ENDS` are the period the vision saves."""

import uuid
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from coplat.accounts.models import Role, User
from coplat.accounts.services import create_user
from coplat.commitments import services as commitments
from coplat.commitments.enums import Verdict
from coplat.commitments.models import Commitment
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.core.models import utcnow
from coplat.core.uploads import Upload
from coplat.exercises.enums import STL_SECTORS, ExerciseKind, Seat, Sector
from coplat.exercises.models import Actor, Exercise
from coplat.exercises.services import assign_role, create_exercise, set_jurisdictions
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.plan import services
from coplat.plan.models import ActionPlan
from coplat.plan.readiness import Readiness, readiness
from coplat.tables import services as tables
from coplat.tables.enums import SessionKind
from coplat.tables.models import TableSession, WorkingTable
from tests.commitments.conftest import full_content
from tests.conftest import PASSWORD
from tests.tables.conftest import english

ADMINISTRATION_ENDS = date(2028, 10, 31)
PLAN_STARTS, PLAN_ENDS = date(2026, 9, 1), date(2028, 6, 30)
REASON = {"es": "La Comisión pidió otra fecha.", "en": "The Commission asked for another date."}

# The STL's titulars and the actor each one represents.
STL = {
    Sector.GOVERNMENT: ("Gabriela Gómez", "Ayuntamiento de Valle Verde"),
    Sector.CIVIL_SOCIETY: ("Sofía Salas", "Colectivo Agua Limpia"),
    Sector.GUARANTOR: ("Gloria Garza", "Instituto de Transparencia"),
}
ACADEMIA = "Universidad del Valle"


def vision_values(**changes) -> dict:
    """What the Annex 1 form sends: every field filled, in Spanish and English."""
    values = {
        "administration_ends": ADMINISTRATION_ENDS,
        "plan_starts_on": PLAN_STARTS,
        "plan_ends_on": PLAN_ENDS,
        "foreword": {"es": "Un plan hecho con la gente.", "en": "A plan made with people."},
        "vision": {"es": "Un gobierno que rinde cuentas.", "en": "An accountable government."},
        "achievements": {"es": "Portal de datos abiertos.", "en": "An open data portal."},
        "challenges": {"es": "Poca participación.", "en": "Little participation."},
        "goals": {"es": "Duplicar la participación.", "en": "Double participation."},
        "plan_contribution": {"es": "Abre el agua.", "en": "It opens water data."},
        "administration_contribution": {"es": "Gobierno cercano.", "en": "A close government."},
        "institutions": {"es": "Comisión de Agua.", "en": "The Water Commission."},
        "coordination": {"es": "Un comité mensual.", "en": "A monthly committee."},
        "spaces": {"es": "Mesas de trabajo.", "en": "Working tables."},
        "diversity": {"es": "Sedes en cada colonia.", "en": "Venues in every neighbourhood."},
        "participants": {"es": "Colectivos y academia.", "en": "Collectives and academia."},
        "group_count": 3,
        "meeting_count": 1,
        "continued_collaboration": {"es": "El STL sigue.", "en": "The STL goes on."},
        "monitoring_body": {"es": "Universidad del Valle.", "en": "Universidad del Valle."},
        "monitoring_contact": "monitoreo@uv.edu.mx",
        "progress_discussions": {"es": "Reuniones trimestrales.", "en": "Quarterly meetings."},
        "implementer_consultation": {"es": "Informes.", "en": "Reports."},
        "results_sharing": {"es": "Un tablero público.", "en": "A public board."},
        "consultation_link": "https://valle.example/consulta",
    }
    return {**values, **deepcopy(changes)}


@dataclass
class PlanDesk:
    """The records a plan is built from, loaded in the test's app context."""

    exercise: Exercise
    plan: ActionPlan
    facilitator: User
    point_of_contact: User
    members: dict[Sector, User]  # the STL titular of each sector
    actors: dict[Sector, Actor]  # government, civil society, guarantor, academia
    table: WorkingTable | None
    sessions: list[TableSession] = field(default_factory=list)

    @property
    def representative(self) -> User:
        """Civil society's titular, who represents "Colectivo Agua Limpia"."""
        return self.members[Sector.CIVIL_SOCIETY]

    @property
    def commitments(self) -> list[Commitment]:
        return self.plan.commitments

    # ----- people and actors ---------------------------------------------------------

    def actor(self, name: str, sector: Sector) -> Actor:
        actor = Actor(exercise=self.exercise, name=name, sector=sector)
        db.session.add(actor)
        db.session.commit()
        return actor

    def person(self, email: str, role: Role | None = None, **details) -> User:
        """Another account, holding `role` in the exercise (details: sector, seat, actor)."""
        user = create_user(name=email.split("@")[0].title(), email=email, password=PASSWORD)
        if role is not None:
            assign_role(self.exercise, user, role, **details)
        db.session.commit()
        return user

    def document(self, name: str = "endorsement.pdf") -> Upload:
        upload = Upload(
            exercise=self.exercise,
            original_name=name,
            stored_name=uuid.uuid4().hex,
            content_type="application/pdf",
            size=1024,
        )
        db.session.add(upload)
        db.session.commit()
        return upload

    # ----- commitments ---------------------------------------------------------------

    def content(self, **changes) -> dict:
        """A complete, translated commitment (tests/commitments' `full_content`)."""
        return {**full_content(None, []), **deepcopy(changes)}

    def draft(self, **changes) -> Commitment:
        commitment = commitments.create(self.exercise, self.content(**changes), self.facilitator)
        db.session.commit()
        return commitment

    def in_review(self, **changes) -> Commitment:
        commitment = self.draft(**changes)
        commitments.submit_for_review(commitment, self.facilitator)
        db.session.commit()
        return commitment

    def approve(self, commitment: Commitment) -> Commitment:
        """The titular of each STL sector approves the revision in review."""
        for sector in STL_SECTORS:
            commitments.decide(commitment, self.members[sector], Verdict.APPROVE, "")
        db.session.commit()
        return commitment

    def approved(self, **changes) -> Commitment:
        """A new commitment the three sectors approved (not yet in the plan)."""
        return self.approve(self.in_review(**changes))

    def change(self, commitment: Commitment, approve: bool = True, **changes) -> Commitment:
        """An approved commitment changed (with a reason) and, unless told, approved again."""
        content = {**commitments.content_of(commitment), **deepcopy(changes)}
        commitments.save(commitment, content, self.facilitator, reason=REASON)
        db.session.commit()
        return self.approve(commitment) if approve else commitment

    def withdraw(self, commitment: Commitment, approve: bool = True) -> Commitment:
        commitments.withdraw(commitment, self.facilitator, REASON)
        db.session.commit()
        return self.approve(commitment) if approve else commitment

    def add(self, *items: Commitment) -> None:
        for commitment in items:
            services.add_commitment(self.plan, commitment)
        db.session.commit()

    def remove(self, commitment: Commitment) -> None:
        services.remove_commitment(self.plan, commitment)
        db.session.commit()

    def held(self, count: int = 1, **changes) -> list[Commitment]:
        """`count` new approved commitments, added to the plan."""
        made = [self.approved(**changes) for _ in range(count)]
        self.add(*made)
        return made

    # ----- the vision, the tables and the log -----------------------------------------

    def save_vision(self, user: User | None = None, **changes) -> bool:
        changed = services.save_vision(
            self.plan, vision_values(**changes), user or self.point_of_contact
        )
        db.session.commit()
        return changed

    def session(
        self, attendees: list[Actor] = (), starts_at: datetime | None = None
    ) -> TableSession:
        """A session of the table (held yesterday unless told), with who attended."""
        session = TableSession(
            table=self.table,
            kind=SessionKind.WORKING_TABLE,
            title={"es": "Mesa de trabajo", "en": "Working table"},
            starts_at=starts_at or utcnow() - timedelta(days=1),
        )
        db.session.add(session)
        for actor in attendees:
            tables.record_attendance(session, actor)
        db.session.commit()
        self.sessions.append(session)
        return session

    def pending_input(self, title: str = "Baches") -> Topic:
        """A published topic of the consultation with no decision in the feedback log."""
        topic = Topic(
            consultation=self.exercise.consultation,
            title={"es": title},
            state=TopicState.PUBLISHED,
            moderated_at=utcnow(),
        )
        db.session.add(topic)
        db.session.commit()
        return topic

    def set_jurisdictions(self, count: int) -> None:
        set_jurisdictions(self.exercise, [(f"Municipio {n}", "Hidalgo") for n in range(count)])
        db.session.commit()

    # ----- endorsements and readiness --------------------------------------------------

    def endorse(self, user: User | None = None, position: str = "Coordinadora"):
        endorsement = services.endorse(self.plan, user or self.representative, position)
        db.session.commit()
        return endorsement

    def record(self, actor: Actor | None = None, representative: str = "Dra. Inés Ramos"):
        """The facilitator records a signed endorsement (academia's unless told)."""
        endorsement = services.record_endorsement(
            self.plan,
            actor or self.actors[Sector.ACADEMIA],
            representative,
            "Rectora",
            self.document(),
            self.facilitator,
        )
        db.session.commit()
        return endorsement

    def needs_renewal(self) -> dict[str, bool]:
        """Each endorsing actor's name and whether its endorsement needs renewing."""
        return {
            s.endorsement.actor.name: s.needs_renewal for s in services.endorsements_of(self.plan)
        }

    def readiness(self, now: datetime | None = None) -> Readiness:
        return readiness(self.plan, now)


def _build(
    *,
    slug: str = "valle",
    jurisdictions: int = 1,
    commitments: int = 1,
    vision: bool = True,
    session: bool = True,
    stl: bool = True,
    consultation: bool = True,
    endorsed: bool = False,
    languages: str = "es,en",
) -> PlanDesk:
    exercise = create_exercise(
        slug=slug,
        jurisdictions=[(f"Municipio {n}", "Hidalgo") for n in range(jurisdictions)],
        name={"es": "Ejercicio Valle Verde", "en": "Valle Verde exercise"},
        kind=ExerciseKind.MUNICIPAL,
        administration_ends=ADMINISTRATION_ENDS,
        plan_starts_on=PLAN_STARTS,
        plan_ends_on=PLAN_ENDS,
        content_languages=languages,
    )
    actors = {
        sector: Actor(exercise=exercise, name=name, sector=sector)
        for sector, (_p, name) in STL.items()
    }
    actors[Sector.ACADEMIA] = Actor(exercise=exercise, name=ACADEMIA, sector=Sector.ACADEMIA)
    db.session.add_all(actors.values())
    db.session.flush()

    def account(email: str, name: str, role: Role, **details) -> User:
        user = create_user(name=name, email=f"{email}.{slug}@example.mx", password=PASSWORD)
        assign_role(exercise, user, role, **details)
        return user

    members = {}
    if stl:
        for sector, (person, _actor) in STL.items():
            members[sector] = account(
                sector.value,
                person,
                Role.STL_MEMBER,
                sector=sector,
                seat=Seat.TITULAR,
                actor=actors[sector],
            )
    facilitator = account("facilitator", "Fernanda Flores", Role.FACILITATOR)
    point_of_contact = account("contact", "Pablo Ortiz", Role.POINT_OF_CONTACT)

    table = None
    if consultation:
        record = Consultation(
            exercise=exercise,
            question={"es": "¿Qué resolvemos?", "en": "What shall we solve?"},
            opens_at=utcnow() - timedelta(days=30),
            closes_at=utcnow() - timedelta(days=20),
            prioritised_at=utcnow() - timedelta(days=19),
        )
        topic = Topic(
            consultation=record,
            title={"es": "Fugas de agua", "en": "Water leaks"},
            state=TopicState.PUBLISHED,
            moderated_at=utcnow(),
            prioritised=True,
            decision=Decision.ADOPTED,
        )
        table = WorkingTable(exercise=exercise, topic=topic, name=dict(topic.title))
        db.session.add_all([record, topic, table])
    plan = services.plan_of(exercise)
    db.session.commit()

    desk = PlanDesk(
        exercise=exercise,
        plan=plan,
        facilitator=facilitator,
        point_of_contact=point_of_contact,
        members=members,
        actors=actors,
        table=table,
    )
    if session and table is not None:
        desk.session([actors[Sector.GOVERNMENT], actors[Sector.CIVIL_SOCIETY]])
    if commitments:
        desk.held(commitments)
    if vision:
        desk.save_vision()
    if endorsed:
        desk.endorse()
    return desk


@pytest.fixture
def build_plan(app):
    """build_plan(**options) -> PlanDesk. Options and defaults: slug="valle",
    jurisdictions=1, commitments=1 (approved and held), vision=True (Annex 1 saved in es
    and en), session=True (held yesterday, government and civil society attending),
    stl=True (a titular per STL sector), consultation=False leaves out the consultation,
    its topic and the working table (and so the session), endorsed=False,
    languages="es,en". The app context, in English, lasts the test; call it again
    with another slug for a second exercise."""
    with english(app):
        yield _build


@pytest.fixture
def ready_plan(build_plan) -> PlanDesk:
    """A plan with nothing missing: one commitment, the vision, a held session with civil
    society and civil society's endorsement."""
    return build_plan(endorsed=True)
