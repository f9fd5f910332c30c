"""A state-wide exercise at the size of a real closing week, for the benchmarks of
`bench/` (issue 9): `coplat bench-seed --scale 1.0` builds 100,000 citizens (30% with a
participation profile), 5,000 topics, 1,000,000 online votes and the offline tallies of
200 regional inputs, 50 working tables each with a 60-node problem tree and 40
proposals, 10,000 entries of the feedback log sealed in one valid hash chain, 12
commitments of 20 milestones approved by the STL in a plan that is submitted and
launched, and two years of quarterly reports with milestone updates, comments and
evidence. A smaller --scale shrinks the counts that grow with a consultation (citizens,
topics, votes, tables, log entries), never below what the story needs.

Its dates follow the day it is built, as the demo's do: the plan started eight calendar
quarters before today's and lasts three years, so two years of implementation have
been reported and the board is live.

The volumes go in as bulk inserts (SQLAlchemy Core `insert()` with lists of rows, and
COPY for the votes on PostgreSQL) with ids chosen here, so the log's hash chain can be
computed before its rows are written; every kept counter (`Topic.online_votes` and
`offline_votes`, `Participant.votes_cast`, `Consultation.participant_count`,
`ProfileTally`, each input's `decision`) is computed from the generated rows, as the
services would have left it. The few records with rules of their own (commitments and
their review, the plan, its submission and launch, milestone updates, reports,
comments, the assessment, closing the steps) go through the services, on the platform's
clock set to the day they happened, so the readiness check and the steps' requirements
vouch for the result. `check` recounts everything from the rows.

Every account shares one password (PASSWORD), hashed once: the hash is computed for
the first staff account and copied to all the others, since a deliberately slow hash
100,000 times over would take hours and prove nothing.

A second, small exercise (`<slug>-abierta`) holds a consultation open for a year from
the day it is built, with published topics and no votes yet, for the voting benchmark:
the exercise above is closed (its plan is launched), so it takes no more votes."""

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from coplat.accounts.models import Role, User
from coplat.commitments import services as commitments
from coplat.commitments.enums import MilestoneStatus, Verdict
from coplat.commitments.models import Commitment
from coplat.consultation.enums import AgeBand, Answer, Channel, Gender, TopicState
from coplat.consultation.models import (
    Consultation,
    OfflineInput,
    OfflineTally,
    Participant,
    ProfileTally,
    Topic,
    TopicCategory,
    Vote,
)
from coplat.consultation.services import PRIORITISED_REASON, PROFILE_DIMENSIONS
from coplat.core import clock
from coplat.demo import person
from coplat.exercises import steps
from coplat.exercises.enums import ExerciseKind, Seat, Sector
from coplat.exercises.models import (
    Actor,
    AgendaItem,
    AttendanceCount,
    AwarenessEvent,
    Declaration,
    Exercise,
    Signatory,
    StlCharter,
)
from coplat.exercises.services import assign_role, create_exercise
from coplat.extensions import db
from coplat.feedback import chain, tally
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
from coplat.plan import readiness
from coplat.plan import services as plan_services
from coplat.plan.vision import TEXT_KEYS
from coplat.tables.enums import NodeKind, ProposalChannel, SessionKind, TreeChangeKind
from coplat.tables.models import (
    Attendance,
    Invitation,
    Proposal,
    TableSession,
    TreeChange,
    TreeNode,
    WorkingTable,
)
from coplat.tracking import rules
from coplat.tracking import services as tracking
from coplat.tracking.enums import AssessmentKind, CommentStatus, EvidenceType
from coplat.tracking.models import Evidence, MilestoneUpdate, ProgressComment, ProgressReport

DEFAULT_SLUG = "estado"
PASSWORD = "coplat-bench"
ZONE = ZoneInfo("America/Mexico_City")
# Rows per INSERT … VALUES batch (and per COPY flush of the votes).
CHUNK = 10_000
# A participant's row without the participation profile.
NO_PROFILE = dict.fromkeys(("profile_given_at", *PROFILE_DIMENSIONS))


# ----- sizes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    citizens: int
    topics: int
    votes: int
    tables: int
    entries: int
    offline_inputs: int
    open_topics: int
    # Fixed whatever the scale: what a page of the plan, a tree or a table shows.
    nodes_per_table: int = 60
    proposals_per_table: int = 40
    commitments: int = 12
    milestones: int = 20
    report_quarters: int = 8
    vote_budget: int = 20

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        """The issue's sizes at scale 1.0; each count scales, above a floor."""
        if scale <= 0:
            raise ValueError("the scale must be positive")
        return cls(
            citizens=max(100, round(100_000 * scale)),
            topics=max(24, round(5_000 * scale)),
            votes=max(1, round(1_000_000 * scale)),
            tables=max(2, round(50 * scale)),
            entries=round(10_000 * scale),
            offline_inputs=max(4, round(200 * scale)),
            open_topics=max(20, round(500 * scale)),
        )


# ----- texts ---------------------------------------------------------------------------

CATEGORIES = [
    ("Agua", "Water"),
    ("Salud", "Health"),
    ("Seguridad", "Safety"),
    ("Transporte", "Transport"),
    ("Corrupción", "Corruption"),
    ("Derechos humanos", "Human rights"),
    ("Educación", "Education"),
    ("Medio ambiente", "Environment"),
    ("Obra pública", "Public works"),
    ("Trámites", "Public services"),
]

# (category index, problem in Spanish, in English)
PROBLEMS = [
    (0, "Cortes de agua sin aviso", "Water cuts without notice"),
    (0, "Fugas que tardan semanas en repararse", "Leaks that take weeks to repair"),
    (0, "Pipas de agua con cobros irregulares", "Water trucks charging irregular fees"),
    (0, "Aguas negras en el río", "Sewage in the river"),
    (
        1,
        "Centro de salud sin médico en fin de semana",
        "Health centre without a doctor at weekends",
    ),
    (1, "Falta de medicamentos en la clínica", "Medicines missing at the clinic"),
    (1, "Ambulancia que tarda más de una hora", "An ambulance that takes over an hour"),
    (2, "Calles sin alumbrado público", "Streets without public lighting"),
    (2, "Denuncias que nadie atiende", "Complaints nobody follows up"),
    (2, "Patrullas que no llegan de noche", "Patrols that do not come at night"),
    (3, "Pocas corridas de transporte público", "Few public transport runs"),
    (3, "Baches en la carretera", "Potholes on the road"),
    (3, "Tarifas de transporte sin explicación", "Transport fares nobody explains"),
    (4, "Cobros sin recibo en ventanilla", "Payments without a receipt at the counter"),
    (4, "Contratos de obra que no se publican", "Public works contracts that are not published"),
    (4, "Compras sin licitación", "Purchases without a tender"),
    (5, "Oficinas sin accesibilidad", "Offices without accessibility"),
    (5, "Atención a mujeres que viven violencia", "Support for women facing violence"),
    (
        5,
        "Trámites sin intérprete de lengua indígena",
        "Procedures without an indigenous-language interpreter",
    ),
    (6, "Escuelas sin agua ni sanitarios", "Schools without water or toilets"),
    (6, "Becas que llegan tarde", "Grants that arrive late"),
    (7, "Tiraderos de basura a cielo abierto", "Open-air rubbish dumps"),
    (7, "Tala en la zona protegida", "Logging in the protected area"),
    (8, "Obras abandonadas a medio construir", "Works abandoned half-built"),
    (8, "Puentes peatonales en mal estado", "Footbridges in poor repair"),
    (9, "Trámites que sólo se hacen en la capital", "Procedures only available in the capital"),
    (9, "Citas del registro civil que nunca hay", "Civil-registry appointments never available"),
]

REGIONS = [
    "Capital",
    "Sierra Norte",
    "Sierra Sur",
    "Huasteca",
    "Valle Central",
    "Altiplano",
    "Costa",
    "Cañada",
    "Mixteca",
    "Región Minera",
    "Llanos",
    "Frontera Sur",
]

PLACES = [
    "San Miguel de la Sierra", "Villa de Álamos", "Puerto Nuevo", "Santa Cruz", "El Mirador",
    "La Loma", "San Isidro", "Tlachichilco", "Río Chico", "Las Palmas", "San Juan Bautista",
    "Los Reyes", "Santa Ana", "El Progreso", "Cerro Gordo", "La Esperanza", "San Pedro",
    "Tres Ríos", "Agua Blanca", "El Carmen", "San Bartolo", "La Providencia", "Ojo de Agua",
    "San Lucas", "Buenavista", "El Rosario", "Santa Rosa", "Colonia Centro", "Las Flores",
    "San Antonio", "Loma Bonita", "Tierra Blanca", "El Paraíso", "San Felipe", "Guadalupe",
    "La Cañada", "Zaragoza", "Morelos", "Juárez", "Hidalgo",
]  # fmt: skip

REJECTION_REASONS = [
    {
        "es": "No es un problema público que el gobierno estatal o los municipios puedan atender; "
        "lo canalizamos a la dependencia federal que corresponde.",
        "en": "It is not a public problem the state or the municipalities can address; we "
        "passed it on to the federal agency in charge.",
    },
    {
        "es": "Es una queja sobre una persona en particular; la canalizamos al área de atención "
        "ciudadana, que atiende estos reportes.",
        "en": "It is a complaint about one particular person; we passed it on to the citizen "
        "service office, which handles such reports.",
    },
]

PRIORITISATION_REASON = {
    "es": "El STL priorizó los temas con más votos, sumando la plataforma y los canales "
    "presenciales. Este tema queda en el registro público de la consulta para el siguiente "
    "plan de acción.",
    "en": "The STL prioritised the topics with the most votes, the platform and the offline "
    "channels together. This topic stays on the consultation's public record for the next "
    "action plan.",
}
CORRECTION_REASON = {
    "es": "El STL acordó responder a cada tema no priorizado con la dependencia que lo atiende, "
    "en lugar de la respuesta general.",
    "en": "The STL agreed to answer each topic it did not prioritise with the office that deals "
    "with it, instead of the general answer.",
}
PROPOSAL_REJECTION = {
    "es": "La mesa no la incluyó en un compromiso: el plan admite doce compromisos y el STL "
    "eligió las propuestas con más respaldo en las sesiones.",
    "en": "The table did not take it into a commitment: the plan holds twelve commitments and "
    "the STL chose the proposals with the most support at the sessions.",
}
PROPOSAL_CHANGE = {
    "es": "Se adaptó al presupuesto disponible: la meta se alcanza en dos etapas.",
    "en": "Adapted to the available budget: the target is reached in two stages.",
}


def es_en(es: str, en: str) -> dict:
    return {"es": es, "en": en}


def citizen_email(number: int, slug: str = DEFAULT_SLUG) -> str:
    """The generated citizens' addresses, numbered from 1 (all share PASSWORD)."""
    return f"ciudadano{number:06}@{slug}.bench.example.org"


def staff_email(key: str, slug: str = DEFAULT_SLUG) -> str:
    return f"{key}@{slug}.bench.example.org"


# ----- reporting -----------------------------------------------------------------------


@dataclass
class Summary:
    slug: str
    open_slug: str | None
    sizes: Sizes
    counts: dict
    timings: list[tuple[str, float]]

    @property
    def total_seconds(self) -> float:
        return sum(seconds for _name, seconds in self.timings)


class SeedError(RuntimeError):
    pass


# ----- bulk writing ----------------------------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _insert(model, rows: list[dict]) -> None:
    """Insert rows in batches, in the caller's transaction; on PostgreSQL the table's
    sequence then moves past the ids given here, so later inserts do not collide."""
    table = model.__table__
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[start : start + CHUNK])
    if rows and "id" in rows[0]:
        _sync_sequence(model)


def _sync_sequence(model) -> None:
    if _dialect() != "postgresql":
        return
    name = model.__table__.name
    db.session.execute(
        sa.text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
            f" (SELECT COALESCE(MAX(id), 1) FROM {name}))"
        )
    )


def _update(model, rows: list[dict]) -> None:
    """UPDATE model SET … WHERE id = row["id"], for many rows at once (every row has
    the same keys)."""
    if not rows:
        return
    table = model.__table__
    keys = [key for key in rows[0] if key != "id"]
    statement = (
        table.update()
        .where(table.c.id == sa.bindparam("row_id"))
        .values({key: sa.bindparam(f"new_{key}") for key in keys})
    )
    renamed = [{"row_id": row["id"], **{f"new_{key}": row[key] for key in keys}} for row in rows]
    for start in range(0, len(renamed), CHUNK):
        db.session.execute(statement, renamed[start : start + CHUNK])


class VoteWriter:
    """Streams vote rows to the database: COPY on PostgreSQL, batched INSERTs elsewhere."""

    def __init__(self):
        self.buffer: list[tuple[int, int, datetime]] = []
        self.written = 0
        self.postgresql = _dialect() == "postgresql"

    def add(self, topic_id: int, user_id: int, created_at: datetime) -> None:
        self.buffer.append((topic_id, user_id, created_at))
        if len(self.buffer) >= 5 * CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        if self.postgresql:
            raw = db.session.connection().connection.dbapi_connection
            with (
                raw.cursor() as cursor,
                cursor.copy("COPY vote (topic_id, user_id, created_at) FROM STDIN") as copy,
            ):
                for row in self.buffer:
                    copy.write_row(row)
        else:
            table = Vote.__table__
            rows = [{"topic_id": t, "user_id": u, "created_at": c} for t, u, c in self.buffer]
            for start in range(0, len(rows), CHUNK):
                db.session.execute(sa.insert(table), rows[start : start + CHUNK])
        self.written += len(self.buffer)
        self.buffer = []


# ----- the generator -------------------------------------------------------------------


class Generator:
    def __init__(
        self,
        slug: str,
        sizes: Sizes,
        seed: int,
        open_slug: str | None,
        report: Callable[[str], None],
    ):
        self.slug = slug
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.open_slug = open_slug
        self.report = report
        self.timings: list[tuple[str, float]] = []
        self.counts: dict[str, int] = {}
        # The plan starts on the first day of the quarter eight before today's.
        quarter = rules.Quarter.of(clock.today(ZONE))
        for _ in range(sizes.report_quarters):
            quarter = quarter.previous
        self.plan_starts_on = quarter.starts_on
        self.first_quarter = quarter
        self.plan_ends_on = commitments.add_months(self.plan_starts_on, 36) - timedelta(days=1)
        self.now = clock.now()

    # --- time --------------------------------------------------------------------------

    def at(self, day: float, hour: int = 12, minute: int = 0) -> datetime:
        """That local time on that day counted from the plan's start (negative days
        come before it), in UTC."""
        whole = int(day // 1)
        on = self.plan_starts_on + timedelta(days=whole)
        local = datetime.combine(on, clock_time(hour, minute), tzinfo=ZONE)
        return (local + timedelta(days=day - whole)).astimezone(UTC)

    def _local(self, day: date, hour: int, days: int = 0) -> datetime:
        """That local hour on that date (moved by `days`), in UTC."""
        local = datetime.combine(day + timedelta(days=days), clock_time(hour), tzinfo=ZONE)
        return local.astimezone(UTC)

    def on(self, day: int) -> date:
        return self.plan_starts_on + timedelta(days=day)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        db.session.flush()
        seconds = time.perf_counter() - started
        self.timings.append((name, seconds))
        self.report(f"  {name:<46} {seconds:8.1f} s")

    # --- the run -----------------------------------------------------------------------

    def run(self) -> Summary:
        for slug in filter(None, (self.slug, self.open_slug)):
            if db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == slug)):
                raise SeedError(f"The database already holds an exercise {slug!r}.")
        with self.phase("accounts, exercise, steps 1-3"):
            self.setup()
        with self.phase(f"{self.sizes.citizens:,} citizens"):
            self.citizens()
        with self.phase(f"{self.sizes.topics:,} topics, offline inputs"):
            self.topics()
        with self.phase(f"{self.sizes.votes:,} votes"):
            self.votes()
        with self.phase("participants, profiles, tallies, counters"):
            self.participants()
            self.topic_counters()
        with self.phase(f"{self.sizes.tables} tables: sessions, trees"):
            self.tables()
        with self.phase(f"{self.sizes.commitments} commitments, reviews"):
            self.commitments()
        with self.phase("proposals"):
            self.proposals()
        with self.phase("feedback log (hash chain)"):
            self.feedback_log()
        with self.phase("plan: vision, endorsement, submission, launch"):
            self.plan()
        with self.phase("tracking: updates, reports, comments, evidence"):
            self.tracking()
        if self.open_slug:
            with self.phase(f"open consultation {self.open_slug!r}"):
                self.open_consultation()
        with self.phase("commit"):
            # The log's summary counts, from the rows loaded past the ORM.
            for exercise_id in db.session.scalars(
                sa.select(Exercise.id).where(Exercise.slug.in_([self.slug, self.open_slug]))
            ).all():
                tally.rebuild(exercise_id)
            db.session.commit()
        if _dialect() == "postgresql":
            # What autovacuum would soon do after such a load: the planner's statistics.
            with self.phase("analyze"):
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
        return Summary(self.slug, self.open_slug, self.sizes, self.counts, self.timings)

    # --- accounts, the exercise, steps 1-3 ---------------------------------------------

    def setup(self) -> None:
        with clock.set_to(self.at(-330, 9)):
            self._setup()

    def _setup(self) -> None:
        slug = self.slug
        staff = [
            ("admin", "Administración de la plataforma", True),
            ("facilitadora", "Mariana Ortega Ruiz", False),
            ("stl.gobierno", "Jorge Ramírez Solís", False),
            ("stl.sociedad", "Rosa Hernández Cruz", False),
            ("stl.garante", "Alberto Méndez Ochoa", False),
            ("enlace", "Daniel Torres Aguilar", False),
            ("monitoreo", "Ernesto Villalobos Paz", False),
        ] + [
            (f"implementador{n:02}", f"Persona implementadora {n}", False)
            for n in range(1, self.sizes.commitments + 1)
        ]
        first = User(name=staff[0][1], email=staff_email(staff[0][0], slug), is_admin=True)
        first.set_password(PASSWORD)
        self.password_hash = first.password_hash
        self.users = {}
        for key, name, admin in staff:
            user = first if key == "admin" else User(name=name, email=staff_email(key, slug))
            user.password_hash = self.password_hash
            user.is_admin = admin
            user.locale = "es"
            user.privacy_accepted_at = clock.now()
            db.session.add(user)
            self.users[key] = user
        db.session.flush()

        exercise = create_exercise(
            slug=slug,
            jurisdictions=[
                ("Gobierno del Estado de Sierra Alta", "Sierra Alta"),
                ("San Miguel de la Sierra", "Sierra Alta"),
                ("Villa de Álamos", "Sierra Alta"),
                ("Puerto Nuevo", "Sierra Alta"),
            ],
            name=es_en(
                "Gobierno Abierto Sierra Alta (ejercicio de prueba de carga)",
                "Sierra Alta Open Government (load-test exercise)",
            ),
            description=es_en(
                "Ejercicio estatal conjunto, ficticio, generado para medir la plataforma con "
                "cien mil participantes.",
                "A fictional joint state exercise, generated to measure the platform with a "
                "hundred thousand participants.",
            ),
            kind=ExerciseKind.STATE,
            administration_ends=commitments.add_months(self.plan_ends_on, 3),
            plan_starts_on=self.plan_starts_on,
            plan_ends_on=self.plan_ends_on,
            content_languages="es,en",
        )
        self.exercise = exercise
        actors = {
            key: Actor(
                exercise=exercise, name=name, sector=sector, contact="", joined_on=self.on(-320)
            )
            for key, name, sector in [
                ("gobierno", "Secretaría de la Función Pública del Estado", Sector.GOVERNMENT),
                ("municipios", "Asociación de Municipios de Sierra Alta", Sector.GOVERNMENT),
                ("colectivo", "Colectivo Sierra Alta Transparente, A.C.", Sector.CIVIL_SOCIETY),
                ("mujeres", "Red de Mujeres de la Sierra", Sector.CIVIL_SOCIETY),
                ("observatorio", "Observatorio Ciudadano Estatal", Sector.CIVIL_SOCIETY),
                ("garante", "Instituto de Transparencia de Sierra Alta", Sector.GUARANTOR),
                ("universidad", "Universidad Autónoma de Sierra Alta", Sector.ACADEMIA),
                ("camara", "Consejo Coordinador Empresarial de Sierra Alta", Sector.PRIVATE_SECTOR),
            ]
        }
        db.session.add_all(actors.values())
        self.actors = actors
        exercise.declaration = Declaration(
            signed_on=self.on(-320),
            link="https://sierra-alta.example.org/gobierno-abierto/declaratoria.pdf",
            signatories=[
                Signatory(actor=actors["gobierno"], representative="Gobernadora", position=""),
                Signatory(actor=actors["colectivo"], representative="Rosa Hernández Cruz"),
                Signatory(actor=actors["garante"], representative="Comisionada presidenta"),
            ],
        )
        for number, days in enumerate((-300, -290, -280), start=1):
            exercise.awareness_events.append(
                AwarenessEvent(
                    title=es_en(
                        f"Foro regional de gobierno abierto {number}",
                        f"Regional open government forum {number}",
                    ),
                    held_on=self.on(days),
                    place=REGIONS[number],
                    attendance=[
                        AttendanceCount(sector=Sector.GOVERNMENT, count=20 + number),
                        AttendanceCount(sector=Sector.CIVIL_SOCIETY, count=35 + number),
                        AttendanceCount(sector=Sector.CITIZEN, count=140 + 10 * number),
                    ],
                )
            )
        users = self.users
        for key, role, sector, seat, actor in [
            ("facilitadora", Role.FACILITATOR, None, None, "observatorio"),
            ("stl.gobierno", Role.STL_MEMBER, Sector.GOVERNMENT, Seat.TITULAR, "gobierno"),
            ("stl.sociedad", Role.STL_MEMBER, Sector.CIVIL_SOCIETY, Seat.TITULAR, "colectivo"),
            ("stl.garante", Role.STL_MEMBER, Sector.GUARANTOR, Seat.TITULAR, "garante"),
            ("enlace", Role.POINT_OF_CONTACT, None, None, "gobierno"),
            ("monitoreo", Role.MONITORING, None, None, "universidad"),
        ]:
            assign_role(exercise, users[key], role, sector=sector, seat=seat, actor=actors[actor])
        exercise.stl_charter = StlCharter(
            installed_on=self.on(-270),
            rules=es_en(
                "1. El STL sesiona cada mes.\n2. Decide por consenso o, de no lograrse, por mayoría de sectores.",
                "1. The STL meets monthly.\n2. It decides by consensus or, failing that, by a majority of sectors.",
            ),
        )
        exercise.agenda_items.append(
            AgendaItem(
                title=es_en("Consulta pública estatal", "State public consultation"),
                starts_on=self.on(-240),
                ends_on=self.on(-180),
            )
        )
        db.session.flush()
        for number, day in [(1, -315), (2, -275), (3, -260)]:
            with clock.set_to(self.at(day, 18)):
                steps.close_step(exercise, number, users["stl.garante"])

        self.opens_at = self.at(-240, 0)
        self.closes_at = self.at(-180, 0)
        consultation = Consultation(
            exercise=exercise,
            question=es_en(
                "¿Qué problemas públicos de Sierra Alta deben atenderse primero?",
                "Which public problems of Sierra Alta should be tackled first?",
            ),
            explanation=es_en(
                f"Propón problemas y vota por los que más te importan: tienes {self.sizes.vote_budget} votos.",
                f"Propose problems and vote for those that matter most to you: you have {self.sizes.vote_budget} votes.",
            ),
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            accepts_topics=True,
            vote_budget=self.sizes.vote_budget,
            regions="\n".join(REGIONS),
        )
        db.session.add(consultation)
        self.consultation = consultation
        self.categories = [
            TopicCategory(consultation=consultation, name=es_en(es, en), position=n)
            for n, (es, en) in enumerate(CATEGORIES, start=1)
        ]
        db.session.add_all(self.categories)
        db.session.flush()

    # --- citizens ------------------------------------------------------------------------

    def citizens(self) -> None:
        rng, count = self.rng, self.sizes.citizens
        first_id = _next_id(User)
        self.citizen_ids = list(range(first_id, first_id + count))
        opens = self.opens_at.timestamp()
        # Most register as the consultation opens; some over its first weeks.
        span = (self.closes_at - self.opens_at).total_seconds()
        self.registered: list[float] = []
        self.citizen_names: list[str] = []
        rows = []
        for number, user_id in enumerate(self.citizen_ids, start=1):
            name, _woman = person(rng)
            registered = opens - 20 * 86400 + rng.random() ** 2 * (0.75 * span + 20 * 86400)
            self.registered.append(registered)
            self.citizen_names.append(name)
            moment = datetime.fromtimestamp(registered, UTC)
            rows.append(
                {
                    "id": user_id,
                    "email": citizen_email(number, self.slug),
                    "name": name,
                    "password_hash": self.password_hash,
                    "locale": "es",
                    "is_admin": False,
                    "privacy_accepted_at": moment,
                    "created_at": moment,
                }
            )
        _insert(User, rows)
        self.counts["citizens"] = count

    # --- topics and offline inputs --------------------------------------------------

    def _topic_text(self, index: int) -> tuple[int, dict, dict]:
        category, es, en = PROBLEMS[index % len(PROBLEMS)]
        place = PLACES[(index // len(PROBLEMS)) % len(PLACES)]
        round_ = index // (len(PROBLEMS) * len(PLACES))
        suffix_es = f" (zona {round_ + 1})" if round_ else ""
        suffix_en = f" (area {round_ + 1})" if round_ else ""
        title = es_en(f"{es} en {place}{suffix_es}", f"{en} in {place}{suffix_en}")
        description = es_en(
            f"{es} en {place}: lo viven a diario las familias de la zona y nadie informa qué "
            "se hace para resolverlo ni cuándo.",
            f"{en} in {place}: the families of the area live with it every day and nobody "
            "says what is being done about it, or when.",
        )
        return category, title, description

    def topics(self) -> None:
        rng, sizes = self.rng, self.sizes
        opens, closes = self.opens_at.timestamp(), self.closes_at.timestamp()
        day = 86400.0
        facilitator = self.users["facilitadora"].id
        category_ids = [c.id for c in self.categories]

        # Offline inputs: regional tables, assemblies, surveys and suggestion boxes.
        first_input = _next_id(OfflineInput)
        channels = [
            Channel.REGIONAL_TABLE,
            Channel.ASSEMBLY,
            Channel.SURVEY,
            Channel.SUGGESTION_BOX,
        ]
        inputs = []
        for n in range(sizes.offline_inputs):
            held = opens + (3 + rng.random() * 55) * day
            inputs.append(
                {
                    "id": first_input + n,
                    "consultation_id": self.consultation.id,
                    "channel": channels[n % len(channels)],
                    "place": f"{PLACES[n % len(PLACES)]}, {REGIONS[n % len(REGIONS)]}",
                    "held_on": datetime.fromtimestamp(held, UTC).astimezone(ZONE).date(),
                    "participants": rng.randint(20, 400),
                    "notes": "Votos contados por dos personas voluntarias y capturados por la facilitadora.",
                    "recorded_by_id": facilitator,
                    "created_at": datetime.fromtimestamp(held + day, UTC),
                    "held_at": held,
                }
            )
        self.inputs = inputs

        # Each topic: its state, its author or offline input, when it was moderated.
        count = sizes.topics
        rejected = max(1, round(count * 0.05))
        merged = max(1, round(count * 0.02))
        offline = max(1, round(count * 0.03))
        first_topic = _next_id(Topic)
        self.topic_ids = list(range(first_topic, first_topic + count))
        states = (
            [TopicState.REJECTED] * rejected
            + [TopicState.MERGED] * merged
            + [TopicState.PUBLISHED] * (count - rejected - merged)
        )
        rng.shuffle(states)
        # The offline topics are published ones, raised by an input.
        published_positions = [i for i, s in enumerate(states) if s == TopicState.PUBLISHED]
        offline_positions = set(
            rng.sample(published_positions, min(offline, len(published_positions) - 1))
        )
        self.topics_info = []  # per topic: dict of what later phases read
        rows = []
        for index, topic_id in enumerate(self.topic_ids):
            category, title, description = self._topic_text(index)
            state = states[index]
            author_id = offline_input = None
            channel = Channel.WEB
            if index in offline_positions:
                source = inputs[rng.randrange(len(inputs))]
                offline_input, channel = source["id"], source["channel"]
                created = moderated = source["held_at"] + day
            else:
                citizen = rng.randrange(len(self.citizen_ids))
                author_id = self.citizen_ids[citizen]
                # Registered at the latest 45 days in: proposed a week before the close.
                created = max(opens + rng.random() * 40 * day, self.registered[citizen] + 3600)
                moderated = created + (10 + rng.random() * 14) * 3600
            info = {
                "id": topic_id,
                "state": state,
                "title": title,
                "category_id": category_ids[category],
                "author": author_id,
                "offline_input": offline_input,
                "created": created,
                "moderated": moderated,
                "online": 0,
                "offline": 0,
                "merged_into": None,
                "reason": {},
            }
            if state == TopicState.REJECTED:
                info["reason"] = REJECTION_REASONS[index % len(REJECTION_REASONS)]
            self.topics_info.append(info)
            rows.append(
                {
                    "id": topic_id,
                    "consultation_id": self.consultation.id,
                    "category_id": category_ids[category],
                    "title": title,
                    "description": description,
                    "channel": channel,
                    "author_id": author_id,
                    "offline_input_id": offline_input,
                    "state": state,
                    "reason": info["reason"],
                    "merged_into_id": None,
                    "moderated_at": datetime.fromtimestamp(moderated, UTC),
                    "online_votes": 0,
                    "offline_votes": 0,
                    "prioritised": False,
                    "decision": None,
                    "created_at": datetime.fromtimestamp(created, UTC),
                }
            )
        # A merged topic went into a published one, some days after it was published.
        self.published = [t for t in self.topics_info if t["state"] == TopicState.PUBLISHED]
        for info in self.topics_info:
            if info["state"] == TopicState.MERGED:
                target = rng.choice(self.published)
                info["merged_into"] = target["id"]
                info["merged_at"] = min(
                    max(info["moderated"], target["moderated"]) + rng.random() * 5 * day,
                    closes - day,
                )
        _insert(OfflineInput, [{k: v for k, v in row.items() if k != "held_at"} for row in inputs])
        _insert(Topic, rows)
        # After every topic is in: PostgreSQL checks the reference row by row.
        _update(
            Topic,
            [
                {"id": info["id"], "merged_into_id": info["merged_into"]}
                for info in self.topics_info
                if info["merged_into"]
            ],
        )
        self.counts["topics"] = count
        self.counts["offline_inputs"] = len(inputs)

        # Offline tallies: each input counted votes for some topics; an offline topic
        # has at least the votes of the input that raised it.
        tallies: dict[tuple[int, int], int] = {}
        by_id = {t["id"]: t for t in self.topics_info}
        for info in self.published:
            if info["offline_input"]:
                tallies[(info["offline_input"], info["id"])] = rng.randint(5, 80)
        for source in inputs:
            known = [t for t in self.published if t["moderated"] < source["held_at"]]
            for info in rng.sample(known, min(15, len(known))):
                key = (source["id"], info["id"])
                tallies[key] = tallies.get(key, 0) + rng.randint(
                    1, max(1, source["participants"] // 4)
                )
        first_tally = _next_id(OfflineTally)
        _insert(
            OfflineTally,
            [
                {"id": first_tally + n, "offline_input_id": i, "topic_id": t, "votes": v}
                for n, ((i, t), v) in enumerate(sorted(tallies.items()))
            ],
        )
        for (_input, topic_id), votes in tallies.items():
            by_id[topic_id]["offline"] += votes
        self.counts["offline_tallies"] = len(tallies)

    # --- votes ------------------------------------------------------------------------

    def votes(self) -> None:
        """Each voter spends one to `vote_budget` votes on distinct published topics,
        more of them on the popular ones; the total is exactly the size asked for (or
        as many as the voters' budgets allow, at a tiny scale)."""
        rng, sizes = self.rng, self.sizes
        published = self.published
        # Popularity: a few clear leaders, then a long tail.
        order = list(range(len(published)))
        rng.shuffle(order)
        weights = [0.0] * len(published)
        for rank, position in enumerate(order):
            weights[position] = 1.0 / (rank + 8) ** 0.9
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)

        budget = min(sizes.vote_budget, len(published))
        voter_positions = [i for i in range(len(self.citizen_ids)) if rng.random() < 0.95]
        target = min(sizes.votes, len(voter_positions) * budget)
        mean = target / len(voter_positions)
        counts = [
            min(budget, max(1, round(rng.gammavariate(2.0, mean / 2.0)))) for _ in voter_positions
        ]
        # Bring the total to the target exactly, within each voter's budget.
        difference = target - sum(counts)
        while difference:
            n = rng.randrange(len(counts))
            if difference > 0 and counts[n] < budget:
                counts[n] += 1
                difference -= 1
            elif difference < 0 and counts[n] > 1:
                counts[n] -= 1
                difference += 1

        closes = self.closes_at.timestamp()
        writer = VoteWriter()
        self.voted: dict[int, tuple[int, float]] = {}  # citizen position: (votes, first vote)
        choices = rng.choices
        population = range(len(published))
        for position, wanted in zip(voter_positions, counts, strict=True):
            chosen: list[int] = []
            seen: set[int] = set()
            attempts = 0
            while len(chosen) < wanted and attempts < 4:
                for pick in choices(population, cum_weights=cumulative, k=wanted * 2 + 2):
                    if pick not in seen:
                        seen.add(pick)
                        chosen.append(pick)
                        if len(chosen) == wanted:
                            break
                attempts += 1
            if len(chosen) < wanted:  # a tiny consultation: fill from the rest
                rest = [p for p in population if p not in seen]
                chosen += rng.sample(rest, wanted - len(chosen))
            registered = self.registered[position]
            user_id = self.citizen_ids[position]
            first = closes
            for pick in chosen:
                info = published[pick]
                start = max(registered, info["moderated"])
                moment = start + rng.random() * (closes - start - 60)
                first = min(first, moment)
                info["online"] += 1
                writer.add(info["id"], user_id, datetime.fromtimestamp(moment, UTC))
            self.voted[position] = (wanted, first)
        writer.flush()
        self.counts["votes"] = writer.written
        self.counts["voters"] = len(voter_positions)

    # --- participants, profiles and the topics' counters -----------------------------

    def participants(self) -> None:
        """Everyone who voted or proposed a topic took part; 30% of all citizens gave
        the participation profile."""
        rng = self.rng
        position_of = {user_id: n for n, user_id in enumerate(self.citizen_ids)}
        joined: dict[int, tuple[int, float]] = dict(self.voted)
        for info in self.topics_info:
            if info["author"] is not None:
                position = position_of[info["author"]]
                votes, first = joined.get(position, (0, info["created"]))
                joined[position] = (votes, min(first, info["created"]))
        positions = sorted(joined)
        profiled = set(
            rng.sample(positions, min(len(positions), round(0.3 * len(self.citizen_ids))))
        )
        tallies: Counter = Counter()
        first_id = _next_id(Participant)
        rows = []
        ages, age_weights = list(AgeBand), (4, 27, 31, 22, 12, 4)
        genders, gender_weights = (
            [Gender.WOMAN, Gender.MAN, Gender.NON_BINARY, Gender.UNSTATED],
            (
                49,
                45,
                2,
                4,
            ),
        )
        answers = list(Answer)
        for n, position in enumerate(positions):
            votes, first = joined[position]
            moment = datetime.fromtimestamp(first, UTC)
            row = {
                "id": first_id + n,
                "consultation_id": self.consultation.id,
                "user_id": self.citizen_ids[position],
                "joined_at": moment,
                "votes_cast": votes,
                **NO_PROFILE,
            }
            if position in profiled:
                row.update(
                    profile_given_at=moment,
                    age_band=rng.choices(ages, weights=age_weights)[0],
                    gender=rng.choices(genders, weights=gender_weights)[0],
                    region=rng.choice(REGIONS),
                    indigenous=rng.choices(answers, weights=(22, 70, 8))[0],
                    disability=rng.choices(answers, weights=(7, 88, 5))[0],
                )
                for dimension in PROFILE_DIMENSIONS:
                    tallies[(dimension, str(row[dimension]))] += 1
            rows.append(row)
        _insert(Participant, rows)
        first_tally = _next_id(ProfileTally)
        _insert(
            ProfileTally,
            [
                {
                    "id": first_tally + n,
                    "consultation_id": self.consultation.id,
                    "dimension": dimension,
                    "value": value,
                    "people": people,
                }
                for n, ((dimension, value), people) in enumerate(sorted(tallies.items()))
            ],
        )
        self.consultation.participant_count = len(rows)
        self.counts["participants"] = len(rows)
        self.counts["profiles"] = len(profiled)
        self.participant_user_ids = [row["user_id"] for row in rows]

    def topic_counters(self) -> None:
        """The STL prioritised the published topics with the most votes, online and
        offline together, once the consultation closed."""
        ranked = sorted(self.published, key=lambda t: (-(t["online"] + t["offline"]), t["id"]))
        self.prioritised = ranked[: self.sizes.tables]
        chosen = {t["id"] for t in self.prioritised}
        self.ranked_published = ranked
        rows = []
        for info in self.topics_info:
            decision = None
            if info["state"] == TopicState.REJECTED:
                decision = Decision.REJECTED
            elif info["state"] == TopicState.MERGED:
                decision = Decision.MERGED
            else:
                decision = Decision.ADOPTED if info["id"] in chosen else Decision.REJECTED
            info["decision"] = decision
            rows.append(
                {
                    "id": info["id"],
                    "online_votes": info["online"],
                    "offline_votes": info["offline"],
                    "prioritised": info["id"] in chosen,
                    "decision": decision,
                }
            )
        _update(Topic, rows)
        self.consultation.prioritised_at = self.at(-170, 18)

    # --- working tables -------------------------------------------------------------

    def tables(self) -> None:
        facilitator = self.users["facilitadora"]
        first_table = _next_id(WorkingTable)
        first_session = _next_id(TableSession)
        first_node = _next_id(TreeNode)
        tables, sessions, nodes, changes = [], [], [], []
        attendance, invitations = [], []
        self.table_info = []
        participants = [
            a for a in self.actors.values() if a.sector != Sector.GUARANTOR
        ]  # who comes to a table
        for n, topic in enumerate(self.prioritised):
            table_id = first_table + n
            opened = self.at(-165, 10)
            tables.append(
                {
                    "id": table_id,
                    "exercise_id": self.exercise.id,
                    "topic_id": topic["id"],
                    "name": topic["title"],
                    "facilitator_id": facilitator.id,
                    "proposals_close_at": self.at(-140, 0),
                    "created_at": opened,
                }
            )
            table_sessions = []
            for k, (kind, day, title) in enumerate(
                [
                    (SessionKind.OPEN_DAY, -160, es_en("Jornada abierta", "Open day")),
                    (SessionKind.WORKING_TABLE, -150, es_en("Mesa de trabajo", "Working table")),
                ]
            ):
                session_id = first_session + 2 * n + k
                table_sessions.append(session_id)
                sessions.append(
                    {
                        "id": session_id,
                        "table_id": table_id,
                        "kind": kind,
                        "title": title,
                        "starts_at": self.at(day, 10),
                        "ends_at": self.at(day, 14),
                        "place": f"Auditorio regional de {REGIONS[n % len(REGIONS)]}",
                        "link": "",
                        "agenda": es_en(
                            "1. Bienvenida.\n2. Árbol de problemas.\n3. Propuestas.",
                            "1. Welcome.\n2. Problem tree.\n3. Proposals.",
                        ),
                        "minutes": es_en(
                            "<p>Se revisó el árbol de problemas y se registraron las propuestas "
                            "de cada sector.</p>",
                            "<p>The problem tree was reviewed and each sector's proposals were "
                            "recorded.</p>",
                        ),
                        "created_at": self.at(day - 10, 9),
                    }
                )
                for actor in participants:
                    invitations.append(
                        {"session_id": session_id, "actor_id": actor.id, "sector": actor.sector}
                    )
                    attendance.append(
                        {"session_id": session_id, "actor_id": actor.id, "sector": actor.sector}
                    )
            tree, strategic = self._tree(table_id, first_node + len(nodes), topic["title"])
            nodes += tree
            for k, row in enumerate(tree):
                moment = self.at(-160, 11, k % 60)
                changes.append(
                    {
                        "table_id": table_id,
                        "node_id": row["id"],
                        "node_kind": row["kind"],
                        "kind": TreeChangeKind.ADDED,
                        "before": {},
                        "after": row["text"],
                        "user_id": facilitator.id,
                        "changed_at": moment,
                    }
                )
                if row["strategic"]:
                    changes.append(
                        {
                            "table_id": table_id,
                            "node_id": row["id"],
                            "node_kind": row["kind"],
                            "kind": TreeChangeKind.MARKED_STRATEGIC,
                            "before": {},
                            "after": {},
                            "user_id": facilitator.id,
                            "changed_at": self.at(-150, 13),
                        }
                    )
            self.table_info.append(
                {
                    "id": table_id,
                    "topic": topic,
                    "strategic": strategic,
                    "sessions": table_sessions,
                }
            )
        _insert(WorkingTable, tables)
        _insert(TableSession, sessions)
        _insert(Attendance, attendance)
        _insert(Invitation, invitations)
        _insert(TreeNode, nodes)
        _insert(TreeChange, changes)
        self.counts["tables"] = len(tables)
        self.counts["tree_nodes"] = len(nodes)

    def _tree(self, table_id: int, first_id: int, title: dict) -> tuple[list[dict], list[int]]:
        """A problem tree of `nodes_per_table` nodes: the problem (the topic's title), 8
        causes with 4 sub-causes each and a deeper cause under the first of each (the
        first sub-cause of the first four causes is strategic), and 4 effects with
        effects of their own. Parents come before their children, as PostgreSQL checks
        the reference row by row."""
        rows: list[dict] = []
        strategic: list[int] = []

        def add(parent, kind, text, position, is_strategic=False) -> int:
            rows.append(
                {
                    "id": first_id + len(rows),
                    "table_id": table_id,
                    "parent_id": parent,
                    "kind": kind,
                    "text": text,
                    "strategic": is_strategic,
                    "position": position,
                }
            )
            if is_strategic:
                strategic.append(rows[-1]["id"])
            return rows[-1]["id"]

        problem = add(None, NodeKind.PROBLEM, dict(title), 1)
        for c in range(1, 9):
            cause = add(
                problem,
                NodeKind.CAUSE,
                es_en(f"Causa {c}: {title['es']}", f"Cause {c}: {title['en']}"),
                c,
            )
            for s in range(1, 5):
                sub = add(
                    cause,
                    NodeKind.CAUSE,
                    es_en(
                        f"Causa {c}.{s}: falta de información pública sobre el problema",
                        f"Cause {c}.{s}: lack of public information on the problem",
                    ),
                    s,
                    is_strategic=c <= 4 and s == 1,
                )
                if s == 1:
                    add(
                        sub,
                        NodeKind.CAUSE,
                        es_en(
                            f"Causa {c}.1.1: no hay presupuesto etiquetado",
                            f"Cause {c}.1.1: no earmarked budget",
                        ),
                        1,
                    )
        effects = [
            add(problem, NodeKind.EFFECT, es_en(f"Efecto {e}", f"Effect {e}"), e)
            for e in range(1, 5)
        ]
        for e in range(self.sizes.nodes_per_table - len(rows)):
            branch, position = e % 4, e // 4 + 1
            add(
                effects[branch],
                NodeKind.EFFECT,
                es_en(f"Efecto {branch + 1}.{position}", f"Effect {branch + 1}.{position}"),
                position,
            )
        return rows, strategic

    # --- commitments -----------------------------------------------------------------

    def _commitment_content(self, n: int, table: dict) -> dict:
        topic = table["topic"]
        title = topic["title"]
        start, end = self.plan_starts_on, self.plan_ends_on
        span = (end - start).days
        milestones = []
        for m in range(self.sizes.milestones):
            m_start = start + timedelta(
                days=round(m * (span - 180) / max(1, self.sizes.milestones - 1))
            )
            m_end = min(end, m_start + timedelta(days=180))
            milestones.append(
                {
                    "output": es_en(
                        f"Hito {m + 1}: entregable público verificable del compromiso {n + 1}",
                        f"Milestone {m + 1}: a verifiable public output of commitment {n + 1}",
                    ),
                    "starts_on": m_start.isoformat(),
                    "ends_on": m_end.isoformat(),
                    "institution": "Secretaría de la Función Pública del Estado",
                    "contact": f"Persona implementadora {n + 1}",
                    "status": MilestoneStatus.NOT_STARTED.value,
                    "indicator": es_en(
                        "Publicado en el portal estatal, en datos abiertos.",
                        "Published on the state portal, as open data.",
                    ),
                }
            )
        paragraph_es = (
            f"{title['es']}. La mesa de trabajo identificó que la falta de información pública, "
            "de presupuesto etiquetado y de mecanismos de seguimiento ciudadano mantiene el "
            "problema desde hace años en varias regiones del estado. "
        )
        paragraph_en = (
            f"{title['en']}. The working table found that the lack of public information, of an "
            "earmarked budget and of citizen follow-up has kept the problem going for years in "
            "several regions of the state. "
        )
        return {
            "title": es_en(
                f"Compromiso {n + 1}: {title['es']}, con datos abiertos y seguimiento ciudadano",
                f"Commitment {n + 1}: {title['en']}, with open data and citizen follow-up",
            ),
            "problem": es_en(paragraph_es * 3, paragraph_en * 3),
            "status_quo": es_en(paragraph_es * 2, paragraph_en * 2),
            "action": es_en(
                "Publicar cada mes los datos del servicio, recibir reportes con folio y rendir "
                "cuentas cada trimestre ante un comité ciudadano. " * 3,
                "Publish the service's data every month, take reports with reference numbers "
                "and account for them every quarter before a citizens' committee. " * 3,
            ),
            "contribution": es_en(paragraph_es, paragraph_en),
            "vision_objective": es_en(
                "Plan Estatal de Desarrollo, eje «Gobierno abierto y honesto».",
                "State Development Plan, pillar “Open and honest government”.",
            ),
            "other_resources": es_en(
                "Personal de servicio social de la universidad.",
                "Social-service students from the university.",
            ),
            "additional_information": {},
            "gender_perspective": es_en(
                "Los datos se publican desagregados por sexo.",
                "The data are published broken down by sex.",
            ),
            "topic": topic["id"],
            "causes": sorted(table["strategic"][(n // len(self.table_info)) % 4 :][:2]),
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat(),
            "policy_areas": ["open_data", "social_accountability"],
            "policy_sectors": ["public_services"],
            "ogp_values": ["access_to_information", "civic_participation", "public_accountability"],
            "budget_amount": f"{1_000_000 + 250_000 * n}.00",
            "budget_currency": "MXN",
            "staff": 4 + n % 5,
            "months": 36,
            "resources_available": "partial",
            "ambition": "proactive",
            "sdgs": [16],
            "withdrawn": False,
            "milestones": milestones,
            "government": [
                {
                    "institution": "Secretaría de la Función Pública del Estado",
                    "branch": "executive",
                    "contact_name": f"Persona implementadora {n + 1}",
                    "contact_title": es_en("Directora de área", "Head of department"),
                    "email": staff_email(f"implementador{n + 1:02}", self.slug),
                    "role": es_en("Responsable del compromiso.", "Lead institution."),
                }
            ],
            "non_governmental": [
                {
                    "institution": "Observatorio Ciudadano Estatal",
                    "branch": None,
                    "contact_name": "Coordinación",
                    "contact_title": es_en("Coordinadora", "Coordinator"),
                    "email": "contacto@observatorio.example.org",
                    "role": es_en("Verifica cada trimestre.", "Checks every quarter."),
                }
            ],
            "other": [],
        }

    def commitments(self) -> None:
        users = self.users
        facilitator = users["facilitadora"]
        self.commitment_list: list[Commitment] = []
        self.commitment_table: dict[int, dict] = {}
        for n in range(self.sizes.commitments):
            table = self.table_info[n % len(self.table_info)]
            with clock.set_to(self.at(-125, 10, n)):
                commitment = commitments.create(
                    self.exercise, self._commitment_content(n, table), facilitator
                )
                db.session.flush()
            with clock.set_to(self.at(-115, 10, n)):
                commitments.submit_for_review(commitment, facilitator)
            for k, key in enumerate(("stl.gobierno", "stl.sociedad", "stl.garante")):
                with clock.set_to(self.at(-105 + k, 17, n)):
                    commitments.decide(commitment, users[key], Verdict.APPROVE, "")
            self.commitment_list.append(commitment)
            self.commitment_table[commitment.id] = table
        db.session.flush()
        # Each implementer answers for one commitment.
        for n, commitment in enumerate(self.commitment_list, start=1):
            assignment = assign_role(
                self.exercise,
                users[f"implementador{n:02}"],
                Role.IMPLEMENTER,
                actor=self.actors["gobierno"],
            )
            assignment.commitment = commitment
        self.counts["commitments"] = len(self.commitment_list)
        self.counts["milestones"] = sum(len(c.milestones) for c in self.commitment_list)

    # --- proposals -------------------------------------------------------------------

    def proposals(self) -> None:
        """40 per table, for its strategic causes: some online from citizens, most made
        at its working-table session; a table with commitments saw a half of them
        adopted, a quarter adapted and the rest declined, a table without any declined
        them all."""
        rng = self.rng
        facilitator = self.users["facilitadora"].id
        by_table: dict[int, list[Commitment]] = defaultdict(list)
        for commitment in self.commitment_list:
            by_table[self.commitment_table[commitment.id]["id"]].append(commitment)
        first = _next_id(Proposal)
        rows = []
        self.proposal_info = []
        sectors = [Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE_SECTOR, Sector.GOVERNMENT]
        for table in self.table_info:
            taken = by_table.get(table["id"], [])
            for k in range(self.sizes.proposals_per_table):
                proposal_id = first + len(rows)
                online = k % 4 == 3
                if online:
                    position = rng.randrange(len(self.citizen_ids))
                    author, name, sector = (
                        self.citizen_ids[position],
                        self.citizen_names[position],
                        Sector.CITIZEN,
                    )
                    created = self.at(-150 + rng.random() * 9, 12)
                else:
                    actor = list(self.actors.values())[k % len(self.actors)]
                    author, name = None, actor.name
                    sector = actor.sector if actor.sector != Sector.GUARANTOR else sectors[k % 4]
                    created = self.at(-150, 11, k)
                if taken and k % 4 in (0, 1):
                    decision = Decision.ADOPTED
                elif taken and k % 4 == 2:
                    decision = Decision.MODIFIED
                else:
                    decision = Decision.REJECTED
                commitment = taken[k % len(taken)].id if decision != Decision.REJECTED else None
                topic_title = table["topic"]["title"]
                rows.append(
                    {
                        "id": proposal_id,
                        "table_id": table["id"],
                        "cause_id": table["strategic"][k % len(table["strategic"])],
                        "title": es_en(
                            f"Propuesta {k + 1}: tablero público sobre {topic_title['es'].lower()}",
                            f"Proposal {k + 1}: a public dashboard on {topic_title['en'].lower()}",
                        ),
                        "description": es_en(
                            "Publicar cada mes los datos y abrir un canal de reportes con folio.",
                            "Publish the data every month and open a reporting channel with reference numbers.",
                        ),
                        "channel": ProposalChannel.ONLINE if online else ProposalChannel.SESSION,
                        "proposer_name": name,
                        "proposer_sector": sector,
                        "author_id": author,
                        "session_id": None if online else table["sessions"][1],
                        "entered_by_id": author if online else facilitator,
                        "decision": decision,
                        "commitment_id": commitment,
                        "created_at": created,
                    }
                )
                self.proposal_info.append(
                    {"id": proposal_id, "decision": decision, "commitment": commitment}
                )
        _insert(Proposal, rows)
        self.counts["proposals"] = len(rows)

    # --- the feedback log ----------------------------------------------------------------

    def feedback_log(self) -> None:
        """Every decision on a citizen input, in the order it was taken, sealed as
        `feedback.services` seals it: moderation (rejections, merges) during the
        consultation, the STL's prioritisation of every published topic, the tables'
        proposals as the commitments took them, and the STL's corrections that restate
        the answer to topics it did not prioritise, as many as bring the log to its
        size."""
        users = self.users
        facilitator, stl = users["facilitadora"].id, users["stl.sociedad"].id
        exercise_id = self.exercise.id
        decisions = []  # (moment, order, fields)

        def add(moment: datetime, fields: dict) -> None:
            decisions.append((moment, len(decisions), fields))

        moderator = {
            "decided_by_id": facilitator,
            "decided_role": Role.FACILITATOR,
            "decided_sector": None,
        }
        prioritiser = {
            "decided_by_id": stl,
            "decided_role": Role.STL_MEMBER,
            "decided_sector": Sector.CIVIL_SOCIETY,
        }
        for info in self.topics_info:
            if info["state"] == TopicState.REJECTED:
                add(
                    datetime.fromtimestamp(info["moderated"], UTC),
                    {
                        "topic_id": info["id"],
                        "decision": Decision.REJECTED,
                        "reason": info["reason"],
                        **moderator,
                    },
                )
            elif info["state"] == TopicState.MERGED:
                add(
                    datetime.fromtimestamp(info["merged_at"], UTC),
                    {
                        "topic_id": info["id"],
                        "decision": Decision.MERGED,
                        "merged_into_id": info["merged_into"],
                        **moderator,
                    },
                )
        prioritised_at = self.consultation.prioritised_at
        chosen = {t["id"] for t in self.prioritised}
        for info in self.ranked_published:
            adopted = info["id"] in chosen
            add(
                prioritised_at,
                {
                    "topic_id": info["id"],
                    "decision": Decision.ADOPTED if adopted else Decision.REJECTED,
                    "reason": PRIORITISED_REASON if adopted else PRIORITISATION_REASON,
                    **prioritiser,
                },
            )
        for n, info in enumerate(self.proposal_info):
            add(
                self.at(-100, 10) + timedelta(seconds=30 * n),
                {
                    "stage": Stage.WORKING_TABLE,
                    "proposal_id": info["id"],
                    "decision": info["decision"],
                    "reason": {
                        Decision.ADOPTED: {},
                        Decision.MODIFIED: PROPOSAL_CHANGE,
                        Decision.REJECTED: PROPOSAL_REJECTION,
                    }[info["decision"]],
                    "commitment_id": info["commitment"],
                    **moderator,
                },
            )
        decisions.sort(key=lambda d: (d[0], d[1]))

        first_id = _next_id(FeedbackEntry)
        entries = []
        previous = chain.GENESIS
        entry_of_topic: dict[int, dict] = {}

        def seal(moment: datetime, fields: dict) -> dict:
            nonlocal previous
            row = {
                "id": first_id + len(entries),
                "exercise_id": exercise_id,
                "sequence": len(entries) + 1,
                "stage": Stage.CONSULTATION,
                "topic_id": None,
                "proposal_id": None,
                "decision": None,
                "reason": {},
                "merged_into_id": None,
                "commitment_id": None,
                "decided_by_id": None,
                "decided_role": None,
                "decided_sector": None,
                "decided_at": moment,
                "supersedes_id": None,
                "correction_reason": {},
            }
            row.update(fields)
            row["previous_hash"] = previous
            row["hash"] = previous = chain.digest(SimpleNamespace(**row), previous)
            entries.append(row)
            return row

        for moment, _order, fields in decisions:
            row = seal(moment, fields)
            if row["topic_id"] is not None:
                entry_of_topic[row["topic_id"]] = row

        # The corrections: on topics the STL declined, least voted first.
        wanted = max(0, self.sizes.entries - len(entries))
        declined = [t for t in reversed(self.ranked_published) if t["id"] not in chosen]
        corrected = []
        for n, info in enumerate(declined[:wanted]):
            category = CATEGORIES[[c.id for c in self.categories].index(info["category_id"])]
            reason = es_en(
                f"No se priorizó para este plan. La dependencia estatal de {category[0].lower()} "
                "lo atiende en su programa anual y responde en su portal.",
                f"Not prioritised for this plan. The state's {category[1].lower()} office deals "
                "with it in its annual programme and answers on its portal.",
            )
            superseded = entry_of_topic[info["id"]]
            seal(
                self.at(-95, 10) + timedelta(seconds=10 * n),
                {
                    "topic_id": info["id"],
                    "decision": Decision.REJECTED,
                    "reason": reason,
                    "supersedes_id": superseded["id"],
                    "correction_reason": CORRECTION_REASON,
                    **prioritiser,
                },
            )
            corrected.append({"id": info["id"], "reason": reason})
        _insert(FeedbackEntry, entries)
        # A corrected rejection is the reason the topic's page shows.
        _update(Topic, corrected)
        self.counts["feedback_entries"] = len(entries)
        self.counts["corrections"] = len(corrected)

    # --- the plan ----------------------------------------------------------------------

    def _vision(self) -> dict:
        values = {
            key: es_en(
                f"Sierra Alta ({key}): texto aprobado por el STL para el anexo 1 del plan. " * 4,
                f"Sierra Alta ({key}): text the STL approved for Annex 1 of the plan. " * 4,
            )
            for key in TEXT_KEYS
        }
        values.update(
            administration_ends=self.exercise.administration_ends,
            plan_starts_on=self.plan_starts_on,
            plan_ends_on=self.plan_ends_on,
            group_count=len(self.actors),
            meeting_count=2 * len(self.table_info),
            monitoring_contact="monitoreo@universidad.example.org",
            consultation_link=f"https://sierra-alta.example.org/e/{self.slug}/consultation",
        )
        return values

    def plan(self) -> None:
        users = self.users
        exercise = self.exercise
        with clock.set_to(self.at(-90, 10)):
            plan = plan_services.plan_of(exercise)
            for commitment in self.commitment_list:
                plan_services.add_commitment(plan, commitment)
            db.session.flush()
        with clock.set_to(self.at(-60, 12)):
            plan_services.save_vision(plan, self._vision(), users["enlace"])
        with clock.set_to(self.at(-55, 17)):
            plan_services.endorse(plan, users["stl.sociedad"], "Coordinadora general")
            db.session.flush()
        with clock.set_to(self.at(-50, 18)):
            steps.close_step(exercise, 4, users["stl.garante"])
        with clock.set_to(self.at(-30, 11)):
            state = readiness.readiness(plan)
            if not state.ready:
                missing = "; ".join(str(item.label) for item in state.missing[:5])
                raise SeedError(f"The generated plan is not ready to submit: {missing}")
            readiness.submit(plan, users["enlace"])
            db.session.flush()
        with clock.set_to(self.at(9, 20)):
            tracking.launch(
                plan,
                users["enlace"],
                launched_on=self.on(9),
                place="Teatro de la Ciudad, capital del estado",
                notes=es_en("Presentación pública del plan.", "Public presentation of the plan."),
            )
            tracking.set_contact(
                plan,
                institution="Secretaría de la Función Pública del Estado",
                name="Daniel Torres Aguilar",
                email=staff_email("enlace", self.slug),
                phone="",
            )
        with clock.set_to(self.at(12, 12)):
            steps.close_step(exercise, 5, users["stl.garante"])
        with clock.set_to(self.at(40, 12)):
            tracking.save_assessment(
                exercise,
                users["monitoreo"],
                AssessmentKind.INITIAL,
                values={
                    "summary": es_en(
                        "El plan cumple los requisitos mínimos.",
                        "The plan meets the minimum requirements.",
                    ),
                    "co_creation": es_en(
                        "Co-creación amplia y documentada.", "Broad, documented co-creation."
                    ),
                },
                ratings={
                    c.id: {
                        "relevant_values": ["access_to_information"],
                        "verifiable": True,
                        "potential_impact": "moderate",
                        "note": es_en("Verificable.", "Verifiable."),
                    }
                    for c in self.commitment_list
                },
                publish=True,
            )
        self.plan_row = plan

    # --- implementation ------------------------------------------------------------------

    def tracking(self) -> None:
        """Every milestone whose time has come was started, and finished once its end
        passed (a few stuck or left incomplete); the point of contact reported every
        commitment for each of the eight quarters that have ended, the public commented
        and the facilitator moderated; the implementers filed evidence; civil society
        met the government twice a year. Written as `tracking.services` writes them
        (whose checks reload the whole plan on every call: too slow for a loop), after
        checking once what they check."""
        rng = self.rng
        users = self.users
        now = self.now
        plan = self.plan_row
        if not plan.is_launched or set(rules.plan_commitments(plan)) != set(self.commitment_list):
            raise SeedError("The plan is not launched with every commitment.")
        updates = []
        for n, commitment in enumerate(self.commitment_list, start=1):
            implementer = users[f"implementador{n:02}"].id
            for milestone in commitment.milestones:
                # Started ten days into its period (the first ones, the day after the launch),
                # finished three days before its end.
                started = max(self.at(10, 10), self._local(milestone.starts_on, 10, days=10))
                ended = self._local(milestone.ends_on, 17, days=-3)
                if started >= now:
                    continue
                history = [
                    (
                        MilestoneStatus.IN_PROGRESS,
                        started,
                        "Arrancó el trabajo del hito.",
                        "Work on the milestone started.",
                    )
                ]
                if started < ended < now:
                    roll = rng.random()
                    status = (
                        MilestoneStatus.COMPLETE
                        if roll < 0.85
                        else MilestoneStatus.STUCK
                        if roll < 0.95
                        else MilestoneStatus.INCOMPLETE
                    )
                    history.append(
                        (
                            status,
                            ended,
                            "Entregable publicado en el portal estatal.",
                            "Output published on the state portal.",
                        )
                    )
                previous = milestone.status
                for status, moment, es, en in history:
                    updates.append(
                        {
                            "commitment_id": commitment.id,
                            "milestone_id": milestone.id,
                            "status": status,
                            "previous_status": previous,
                            "progress": es_en(es, en),
                            "author_id": implementer,
                            "author_role": Role.IMPLEMENTER,
                            "created_at": moment,
                        }
                    )
                    previous = status
                milestone.status = previous
        _insert(MilestoneUpdate, updates)
        self.counts["milestone_updates"] = len(updates)

        contact, facilitator = users["enlace"].id, users["facilitadora"].id
        today = clock.today(ZONE)
        quarters = rules.quarters(self.first_quarter, rules.Quarter.of(today).previous)
        with clock.set_to(now):
            reportable = rules.reportable_quarters(plan, today)
        if any(quarter not in reportable for quarter in quarters):
            raise SeedError("A generated report falls outside the plan's reportable quarters.")
        first_report = _next_id(ProgressReport)
        reports, evidence, comments = [], [], []
        citizens = self.participant_user_ids
        names = dict(zip(self.citizen_ids, self.citizen_names, strict=True))
        for quarter in quarters:
            posted = self._local(quarter.ends_on, 18)
            for n, commitment in enumerate(self.commitment_list):
                report_id = first_report + len(reports)
                reports.append(
                    {
                        "id": report_id,
                        "commitment_id": commitment.id,
                        "year": quarter.year,
                        "quarter": quarter.number,
                        "progress": es_en(
                            f"Avance del trimestre {quarter}: hitos en curso según el calendario.",
                            f"Progress in {quarter}: milestones under way on schedule.",
                        ),
                        "delays": es_en("Sin retrasos relevantes.", "No significant delays."),
                        "next_steps": es_en(
                            "Publicar los datos del siguiente trimestre.",
                            "Publish the next quarter's data.",
                        ),
                        "author_id": contact,
                        "created_at": posted + timedelta(minutes=n),
                    }
                )
                evidence.append(
                    {
                        "exercise_id": self.exercise.id,
                        "kind": EvidenceType.MONITORING_MATERIALS,
                        "title": es_en(
                            f"Informe de avance {quarter}", f"Progress report {quarter}"
                        ),
                        "description": {},
                        "upload_id": None,
                        "link": f"https://sierra-alta.example.org/avances/{commitment.id}/{quarter}",
                        "dated_on": quarter.ends_on,
                        "step_number": None,
                        "session_id": None,
                        "commitment_id": commitment.id,
                        "milestone_id": None,
                        "author_id": users[f"implementador{n + 1:02}"].id,
                        "author_role": Role.IMPLEMENTER,
                        "created_at": posted + timedelta(hours=1),
                    }
                )
                for k in range(rng.randint(0, 3)):
                    author = rng.choice(citizens)
                    written = posted + timedelta(days=1 + k, hours=rng.randint(0, 8))
                    moderated = written + timedelta(days=1)
                    if written >= now:
                        continue
                    status, note = CommentStatus.PENDING, ""
                    if moderated < now:
                        status = CommentStatus.PUBLISHED if k < 2 else CommentStatus.REJECTED
                        note = "" if k < 2 else "No se publica: incluye datos personales."
                    comments.append(
                        {
                            "report_id": report_id,
                            "author_id": author,
                            "author_name": names[author],
                            "body": "Gracias por el informe; ¿cuándo se publican los datos de mi región?",
                            "status": status,
                            "created_at": written,
                            "moderated_by_id": None
                            if status == CommentStatus.PENDING
                            else facilitator,
                            "moderated_at": None if status == CommentStatus.PENDING else moderated,
                            "moderation_note": note,
                        }
                    )
        _insert(ProgressReport, reports)
        _insert(Evidence, evidence)
        _insert(ProgressComment, comments)
        self.counts["progress_reports"] = len(reports)
        self.counts["evidence"] = len(evidence)
        self.counts["progress_comments"] = len(comments)

        # Follow-up meetings with civil society, twice a year since the launch.
        first_session = _next_id(TableSession)
        table_id = self.table_info[0]["id"]
        sessions, attendance = [], []
        day = 60
        while self.at(day, 10) < now:
            session_id = first_session + len(sessions)
            sessions.append(
                {
                    "id": session_id,
                    "table_id": table_id,
                    "kind": SessionKind.FOLLOW_UP,
                    "title": es_en("Reunión de seguimiento", "Follow-up meeting"),
                    "starts_at": self.at(day, 10),
                    "ends_at": self.at(day, 13),
                    "place": "Palacio de Gobierno",
                    "link": "",
                    "agenda": {},
                    "minutes": es_en(
                        "<p>Se revisó el avance de los compromisos.</p>",
                        "<p>Progress on the commitments was reviewed.</p>",
                    ),
                    "created_at": self.at(day - 14, 9),
                }
            )
            for actor in self.actors.values():
                attendance.append(
                    {"session_id": session_id, "actor_id": actor.id, "sector": actor.sector}
                )
            day += 182
        _insert(TableSession, sessions)
        _insert(Attendance, attendance)
        self.counts["follow_up_meetings"] = len(sessions)

    # --- the open consultation, for the voting benchmark ------------------------------------

    def open_consultation(self) -> None:
        rng = self.rng
        today = clock.now()
        with clock.set_to(today - timedelta(days=8)):
            exercise = create_exercise(
                slug=self.open_slug,
                jurisdictions=[("Gobierno del Estado de Sierra Alta", "Sierra Alta")],
                name=es_en(
                    "Consulta abierta de Sierra Alta (prueba de votación)",
                    "Sierra Alta open consultation (voting test)",
                ),
                kind=ExerciseKind.STATE,
                administration_ends=commitments.add_months(self.plan_ends_on, 3),
                content_languages="es,en",
            )
            consultation = Consultation(
                exercise=exercise,
                question=es_en(
                    "¿Qué debe atender primero el estado?", "What should the state tackle first?"
                ),
                opens_at=today - timedelta(days=7),
                closes_at=today + timedelta(days=365),
                accepts_topics=True,
                vote_budget=None,
                regions="\n".join(REGIONS),
            )
            db.session.add(consultation)
            db.session.flush()
        first = _next_id(Topic)
        rows = []
        for n in range(self.sizes.open_topics):
            _category, title, description = self._topic_text(n)
            created = today - timedelta(days=7) + timedelta(minutes=n)
            rows.append(
                {
                    "id": first + n,
                    "consultation_id": consultation.id,
                    "category_id": None,
                    "title": title,
                    "description": description,
                    "channel": Channel.WEB,
                    "author_id": rng.choice(self.citizen_ids),
                    "offline_input_id": None,
                    "state": TopicState.PUBLISHED,
                    "reason": {},
                    "merged_into_id": None,
                    "moderated_at": created + timedelta(hours=12),
                    "online_votes": 0,
                    "offline_votes": 0,
                    "prioritised": False,
                    "decision": None,
                    "created_at": created,
                }
            )
        _insert(Topic, rows)
        # The authors took part: they are its first participants.
        authors = sorted({row["author_id"] for row in rows})
        first_participant = _next_id(Participant)
        _insert(
            Participant,
            [
                {
                    "id": first_participant + n,
                    "consultation_id": consultation.id,
                    "user_id": user_id,
                    "joined_at": today - timedelta(days=7),
                    "votes_cast": 0,
                    **NO_PROFILE,
                }
                for n, user_id in enumerate(authors)
            ],
        )
        consultation.participant_count = len(authors)
        self.counts["open_topics"] = len(rows)


def seed(
    slug: str = DEFAULT_SLUG,
    scale: float = 1.0,
    *,
    seed: int = 2026,
    open_slug: str | None = "",
    report: Callable[[str], None] = print,
) -> Summary:
    """Build the exercise (and, unless `open_slug` is None, its open companion,
    `<slug>-abierta` by default) in one transaction, committed at the end."""
    if open_slug == "":
        open_slug = f"{slug}-abierta"
    generator = Generator(slug, Sizes.at(scale), seed, open_slug, report)
    try:
        return generator.run()
    except BaseException:
        db.session.rollback()
        raise


# ----- the recount ---------------------------------------------------------------------------


def check(slug: str) -> list[str]:
    """Recount every kept figure of the exercise's consultation and log from the rows
    themselves and name each one that differs; an empty list: all exact."""
    exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == slug))
    if exercise is None:
        return [f"no exercise {slug!r}"]
    problems: list[str] = []
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.exercise_id == exercise.id)
    )
    if consultation is not None:
        problems += _check_consultation(consultation)
    problems += _check_decisions(exercise)
    verification = chain.verify(exercise.id)
    if not verification.intact:
        problems.append(
            f"feedback log: entry {verification.broken.sequence} breaks the chain"
            f" ({verification.problem})"
        )
    db.session.rollback()
    return problems


def _check_consultation(consultation: Consultation) -> list[str]:
    problems = []
    topic_ids = sa.select(Topic.id).where(Topic.consultation_id == consultation.id)
    online = (
        sa.select(Vote.topic_id, sa.func.count().label("n"))
        .where(Vote.topic_id.in_(topic_ids))
        .group_by(Vote.topic_id)
        .subquery()
    )
    offline = (
        sa.select(OfflineTally.topic_id, sa.func.sum(OfflineTally.votes).label("n"))
        .where(OfflineTally.topic_id.in_(topic_ids))
        .group_by(OfflineTally.topic_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            Topic.id,
            Topic.state,
            Topic.online_votes,
            Topic.offline_votes,
            sa.func.coalesce(online.c.n, 0),
            sa.func.coalesce(offline.c.n, 0),
        )
        .outerjoin(online, online.c.topic_id == Topic.id)
        .outerjoin(offline, offline.c.topic_id == Topic.id)
        .where(Topic.consultation_id == consultation.id)
    )
    for topic_id, state, kept_online, kept_offline, counted_online, counted_offline in rows:
        if kept_online != counted_online:
            problems.append(f"topic {topic_id}: online_votes {kept_online}, votes {counted_online}")
        if kept_offline != counted_offline:
            problems.append(
                f"topic {topic_id}: offline_votes {kept_offline}, tallies {counted_offline}"
            )
        if counted_online and state != TopicState.PUBLISHED:
            problems.append(f"topic {topic_id}: {counted_online} votes on a {state} topic")

    spent = (
        sa.select(Vote.user_id, sa.func.count().label("n"))
        .where(Vote.topic_id.in_(topic_ids))
        .group_by(Vote.user_id)
        .subquery()
    )
    budget = consultation.vote_budget
    mismatched = db.session.execute(
        sa.select(Participant.user_id, Participant.votes_cast, sa.func.coalesce(spent.c.n, 0))
        .outerjoin(spent, spent.c.user_id == Participant.user_id)
        .where(
            Participant.consultation_id == consultation.id,
            sa.or_(
                Participant.votes_cast != sa.func.coalesce(spent.c.n, 0),
                sa.false() if budget is None else Participant.votes_cast > budget,
            ),
        )
        .limit(20)
    ).all()
    for user_id, kept, counted in mismatched:
        problems.append(f"participant {user_id}: votes_cast {kept}, votes {counted}")
    voters_without_row = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(spent)
        .where(
            ~sa.exists().where(
                Participant.consultation_id == consultation.id,
                Participant.user_id == spent.c.user_id,
            )
        )
    )
    if voters_without_row:
        problems.append(f"{voters_without_row} voters have no participant row")
    participants = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Participant)
        .where(Participant.consultation_id == consultation.id)
    )
    if consultation.participant_count != participants:
        problems.append(
            f"participant_count {consultation.participant_count}, participants {participants}"
        )
    duplicates = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(Vote.topic_id, Vote.user_id)
            .where(Vote.topic_id.in_(topic_ids))
            .group_by(Vote.topic_id, Vote.user_id)
            .having(sa.func.count() > 1)
            .subquery()
        )
    )
    if duplicates:
        problems.append(f"{duplicates} duplicate votes")

    kept_tallies = {
        (row.dimension, row.value): row.people
        for row in db.session.scalars(
            sa.select(ProfileTally).where(ProfileTally.consultation_id == consultation.id)
        )
        if row.people
    }
    counted_tallies = {}
    for dimension in PROFILE_DIMENSIONS:
        column = getattr(Participant, dimension)
        for value, people in db.session.execute(
            sa.select(column, sa.func.count())
            .where(Participant.consultation_id == consultation.id, column.is_not(None))
            .group_by(column)
        ):
            counted_tallies[(dimension, str(value))] = people
    if kept_tallies != counted_tallies:
        differing = sorted(
            key
            for key in kept_tallies.keys() | counted_tallies.keys()
            if kept_tallies.get(key) != counted_tallies.get(key)
        )
        problems.append(f"profile tallies differ: {differing[:5]}")
    return problems


def _check_decisions(exercise: Exercise) -> list[str]:
    """Each input's kept decision is its latest entry's."""
    problems = []
    latest = (
        sa.select(sa.func.max(FeedbackEntry.sequence))
        .where(FeedbackEntry.exercise_id == exercise.id)
        .group_by(FeedbackEntry.topic_id, FeedbackEntry.proposal_id)
    )
    entries = db.session.execute(
        sa.select(FeedbackEntry.topic_id, FeedbackEntry.proposal_id, FeedbackEntry.decision).where(
            FeedbackEntry.exercise_id == exercise.id, FeedbackEntry.sequence.in_(latest)
        )
    ).all()
    by_topic = {t: d for t, p, d in entries if t is not None}
    by_proposal = {p: d for t, p, d in entries if p is not None}
    for topic_id, decision in db.session.execute(
        sa.select(Topic.id, Topic.decision)
        .join(Consultation)
        .where(Consultation.exercise_id == exercise.id, Topic.state != TopicState.PENDING)
    ):
        if by_topic.get(topic_id) != decision:
            problems.append(f"topic {topic_id}: decision {decision}, log {by_topic.get(topic_id)}")
    for proposal_id, decision in db.session.execute(
        sa.select(Proposal.id, Proposal.decision)
        .join(WorkingTable)
        .where(WorkingTable.exercise_id == exercise.id)
    ):
        if by_proposal.get(proposal_id) != decision:
            problems.append(
                f"proposal {proposal_id}: decision {decision}, log {by_proposal.get(proposal_id)}"
            )
    return problems[:50]


__all__ = ["DEFAULT_SLUG", "PASSWORD", "SeedError", "Sizes", "check", "citizen_email", "seed"]
