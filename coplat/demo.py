"""A realistic demo exercise in a fictional Mexican municipality, Spanish with English
translations, with accounts of every role (passwords in README.md)."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.accounts.services import create_user
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

DEMO_SLUG = "demo"
DEMO_PASSWORD = "coplat-demo"

# email, name, is_admin
DEMO_ACCOUNTS = [
    ("admin@demo.coplat.mx", "Patricia Lozano (administración)", True),
    ("facilitadora@demo.coplat.mx", "Mariana Ortega Ruiz", False),
    ("stl.gobierno@demo.coplat.mx", "Jorge Ramírez Solís", False),
    ("stl.gobierno.suplente@demo.coplat.mx", "Lucía Fernández Vega", False),
    ("stl.sociedad@demo.coplat.mx", "Rosa Hernández Cruz", False),
    ("stl.garante@demo.coplat.mx", "Alberto Méndez Ochoa", False),
    ("enlace@demo.coplat.mx", "Daniel Torres Aguilar", False),
    ("implementadora@demo.coplat.mx", "Carmen Salazar Ríos", False),
    ("monitoreo@demo.coplat.mx", "Ernesto Villalobos Paz", False),
    ("ciudadana@demo.coplat.mx", "Guadalupe Martínez López", False),
    ("ciudadano@demo.coplat.mx", "Tomás Pérez Galván", False),
]


class DemoExists(RuntimeError):
    pass


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Exercise)) == 0


def load_demo() -> Exercise:
    if db.session.scalar(sa.select(Exercise.id).where(Exercise.slug == DEMO_SLUG)):
        raise DemoExists()
    users = {
        email: create_user(
            name=name, email=email, password=DEMO_PASSWORD, locale="es", is_admin=admin
        )
        for email, name, admin in DEMO_ACCOUNTS
    }
    exercise = create_exercise(
        slug=DEMO_SLUG,
        jurisdictions=[("Santa Lucía del Valle", "Hidalgo")],
        name={
            "es": "Gobierno Abierto Santa Lucía del Valle 2026–2027",
            "en": "Santa Lucía del Valle Open Government 2026–2027",
        },
        description={
            "es": "Ejercicio local de gobierno abierto del municipio (ficticio) de Santa Lucía "
            "del Valle para co-crear su primer Plan de Acción Local con la ciudadanía.",
            "en": "Local open-government exercise of the (fictional) municipality of Santa "
            "Lucía del Valle, to co-create its first Local Action Plan with its citizens.",
        },
        kind=ExerciseKind.MUNICIPAL,
        administration_ends=date(2027, 9, 4),
        content_languages="es,en",
    )
    actors = {
        key: Actor(exercise=exercise, name=name, sector=sector, contact=contact, joined_on=joined)
        for key, name, sector, contact, joined in [
            (
                "ayuntamiento",
                "H. Ayuntamiento de Santa Lucía del Valle",
                Sector.GOVERNMENT,
                "transparencia@santalucia.example.mx",
                date(2026, 3, 10),
            ),
            (
                "contraloria",
                "Contraloría Municipal",
                Sector.GOVERNMENT,
                "contraloria@santalucia.example.mx",
                date(2026, 4, 20),
            ),
            (
                "colectivo",
                "Colectivo Ciudadano por la Transparencia, A.C.",
                Sector.CIVIL_SOCIETY,
                "contacto@colectivo.example.org",
                date(2026, 3, 10),
            ),
            (
                "mujeres",
                "Red de Mujeres del Valle",
                Sector.CIVIL_SOCIETY,
                "red.mujeres@example.org",
                date(2026, 4, 20),
            ),
            (
                "observatorio",
                "Observatorio Urbano Santa Lucía",
                Sector.CIVIL_SOCIETY,
                "observatorio@example.org",
                date(2026, 5, 8),
            ),
            (
                "garante",
                "Instituto de Transparencia del Estado (órgano garante)",
                Sector.GUARANTOR,
                "vinculacion@garante.example.mx",
                date(2026, 3, 10),
            ),
            (
                "universidad",
                "Universidad Tecnológica del Valle",
                Sector.ACADEMIA,
                "vinculacion@utv.example.mx",
                date(2026, 5, 8),
            ),
            (
                "camara",
                "Cámara de Comercio de Santa Lucía",
                Sector.PRIVATE_SECTOR,
                "",
                date(2026, 5, 8),
            ),
        ]
    }
    db.session.add_all(actors.values())

    exercise.declaration = Declaration(
        signed_on=date(2026, 3, 10),
        link="https://santalucia.example.mx/gobierno-abierto/declaratoria-conjunta.pdf",
        signatories=[
            Signatory(
                actor=actors["ayuntamiento"],
                representative="Ing. Ramón Castillo Beltrán",
                position="Presidente Municipal",
            ),
            Signatory(
                actor=actors["colectivo"],
                representative="Rosa Hernández Cruz",
                position="Coordinadora general",
            ),
            Signatory(
                actor=actors["garante"],
                representative="Mtra. Elena Gutiérrez Soto",
                position="Comisionada presidenta",
            ),
        ],
    )

    for title, held_on, place, counts in [
        (
            {
                "es": "Foro «¿Qué es el gobierno abierto?»",
                "en": "Forum: “What is open government?”",
            },
            date(2026, 4, 20),
            "Casa de Cultura, centro de Santa Lucía",
            {
                Sector.GOVERNMENT: 14,
                Sector.CIVIL_SOCIETY: 22,
                Sector.CITIZEN: 41,
                Sector.GUARANTOR: 3,
            },
        ),
        (
            {
                "es": "Taller con comunidades de la sierra",
                "en": "Workshop with mountain communities",
            },
            date(2026, 5, 8),
            "Auditorio ejidal de San Pedro Tlachichilco",
            {
                Sector.CITIZEN: 36,
                Sector.CIVIL_SOCIETY: 6,
                Sector.ACADEMIA: 4,
                Sector.PRIVATE_SECTOR: 2,
            },
        ),
    ]:
        exercise.awareness_events.append(
            AwarenessEvent(
                title=title,
                held_on=held_on,
                place=place,
                description={
                    "es": "Se explicó qué es y qué no es el gobierno abierto, el método de co-creación "
                    "y lo que se espera de cada sector.",
                    "en": "We explained what open government is and is not, the co-creation method "
                    "and what is expected of each sector.",
                },
                attendance=[AttendanceCount(sector=s, count=n) for s, n in counts.items()],
            )
        )

    for email, role, sector, seat, actor in [
        ("facilitadora@demo.coplat.mx", Role.FACILITATOR, None, None, "observatorio"),
        (
            "stl.gobierno@demo.coplat.mx",
            Role.STL_MEMBER,
            Sector.GOVERNMENT,
            Seat.TITULAR,
            "ayuntamiento",
        ),
        (
            "stl.gobierno.suplente@demo.coplat.mx",
            Role.STL_MEMBER,
            Sector.GOVERNMENT,
            Seat.SUPLENTE,
            "contraloria",
        ),
        (
            "stl.sociedad@demo.coplat.mx",
            Role.STL_MEMBER,
            Sector.CIVIL_SOCIETY,
            Seat.TITULAR,
            "colectivo",
        ),
        ("stl.garante@demo.coplat.mx", Role.STL_MEMBER, Sector.GUARANTOR, Seat.TITULAR, "garante"),
        ("enlace@demo.coplat.mx", Role.POINT_OF_CONTACT, None, None, "ayuntamiento"),
        ("implementadora@demo.coplat.mx", Role.IMPLEMENTER, None, None, "contraloria"),
        ("monitoreo@demo.coplat.mx", Role.MONITORING, None, None, "universidad"),
    ]:
        assign_role(exercise, users[email], role, sector=sector, seat=seat, actor=actors[actor])

    exercise.stl_charter = StlCharter(
        installed_on=date(2026, 6, 15),
        rules={
            "es": "1. El STL sesiona de forma ordinaria cada mes y de forma extraordinaria a petición "
            "de cualquier sector.\n2. Las decisiones se toman por consenso; de no lograrse, por mayoría "
            "de sectores.\n3. Cada sector tiene una persona titular y puede nombrar una suplente.\n"
            "4. Las minutas de cada sesión se publican en esta plataforma en un plazo de diez días.",
            "en": "1. The STL meets monthly, and on request of any sector.\n2. Decisions are taken by "
            "consensus; failing that, by a majority of sectors.\n3. Each sector has a titular and may "
            "appoint an alternate.\n4. The minutes of every meeting are published on this platform "
            "within ten days.",
        },
    )
    for title, starts, ends in [
        (
            {"es": "Consulta pública de temas", "en": "Public consultation on topics"},
            date(2026, 7, 1),
            date(2026, 8, 15),
        ),
        (
            {
                "es": "Mesas de trabajo por tema priorizado",
                "en": "Working tables per prioritised topic",
            },
            date(2026, 9, 1),
            date(2026, 11, 30),
        ),
        (
            {
                "es": "Aprobación y presentación del Plan de Acción Local",
                "en": "Approval and launch of the Local Action Plan",
            },
            date(2026, 12, 1),
            date(2027, 1, 31),
        ),
        (
            {"es": "Reportes trimestrales de avance", "en": "Quarterly progress reports"},
            date(2027, 3, 31),
            date(2027, 6, 30),
        ),
    ]:
        exercise.agenda_items.append(AgendaItem(title=title, starts_on=starts, ends_on=ends))

    db.session.flush()
    closer = users["stl.garante@demo.coplat.mx"]
    for number, closed_on in [
        (1, date(2026, 3, 12)),
        (2, date(2026, 5, 29)),
        (3, date(2026, 6, 20)),
    ]:
        step = steps.close_step(exercise, number, closer)
        step.closed_at = datetime.combine(closed_on, datetime.min.time(), tzinfo=UTC).replace(
            hour=18
        )
    db.session.commit()
    return exercise
