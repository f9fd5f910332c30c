"""A realistic demo exercise in a fictional Mexican municipality, Spanish with English
translations, with accounts of every role (passwords in README.md): its plan co-created,
launched and two quarters into implementation whatever day it is loaded
(`demo_timeline`)."""

import random
from datetime import datetime

import sqlalchemy as sa

from coplat.accounts.models import Role, User
from coplat.accounts.services import create_user
from coplat.consultation import services
from coplat.consultation.enums import AgeBand, Answer, Channel, Gender, TopicState
from coplat.consultation.models import Consultation, OfflineInput
from coplat.demo_commitments import load_commitments
from coplat.demo_plan import load_plan
from coplat.demo_tables import load_late_proposal, load_tables
from coplat.demo_timeline import LAUNCH_DAY, Timeline
from coplat.demo_tracking import load_tracking
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
    timeline = Timeline.loaded_today()
    on = timeline.date_of  # the local date of a day of the consultation's timeline
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
            "es": "Gobierno Abierto Santa Lucía del Valle",
            "en": "Santa Lucía del Valle Open Government",
        },
        description={
            "es": "Ejercicio local de gobierno abierto del municipio (ficticio) de Santa Lucía "
            "del Valle para co-crear su primer Plan de Acción Local con la ciudadanía.",
            "en": "Local open-government exercise of the (fictional) municipality of Santa "
            "Lucía del Valle, to co-create its first Local Action Plan with its citizens.",
        },
        kind=ExerciseKind.MUNICIPAL,
        administration_ends=timeline.administration_ends,
        # At least a year, ending two months before the administration (OGP Local §3.2).
        plan_starts_on=timeline.plan_starts_on,
        plan_ends_on=timeline.plan_ends_on,
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
                on(-113),
            ),
            (
                "contraloria",
                "Contraloría Municipal",
                Sector.GOVERNMENT,
                "contraloria@santalucia.example.mx",
                on(-72),
            ),
            (
                "colectivo",
                "Colectivo Ciudadano por la Transparencia, A.C.",
                Sector.CIVIL_SOCIETY,
                "contacto@colectivo.example.org",
                on(-113),
            ),
            (
                "mujeres",
                "Red de Mujeres del Valle",
                Sector.CIVIL_SOCIETY,
                "red.mujeres@example.org",
                on(-72),
            ),
            (
                "observatorio",
                "Observatorio Urbano Santa Lucía",
                Sector.CIVIL_SOCIETY,
                "observatorio@example.org",
                on(-54),
            ),
            (
                "garante",
                "Instituto de Transparencia del Estado (órgano garante)",
                Sector.GUARANTOR,
                "vinculacion@garante.example.mx",
                on(-113),
            ),
            (
                "universidad",
                "Universidad Tecnológica del Valle",
                Sector.ACADEMIA,
                "vinculacion@utv.example.mx",
                on(-54),
            ),
            (
                "camara",
                "Cámara de Comercio de Santa Lucía",
                Sector.PRIVATE_SECTOR,
                "",
                on(-54),
            ),
        ]
    }
    db.session.add_all(actors.values())

    exercise.declaration = Declaration(
        signed_on=on(-113),
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
            on(-72),
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
            on(-54),
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
        installed_on=on(-16),
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
            on(0),
            on(40),
        ),
        (
            {
                "es": "Mesas de trabajo por tema priorizado",
                "en": "Working tables per prioritised topic",
            },
            on(51),
            on(68),
        ),
        (
            {
                "es": "Aprobación y presentación del Plan de Acción Local",
                "en": "Approval and launch of the Local Action Plan",
            },
            on(57),
            on(LAUNCH_DAY),
        ),
        (
            {"es": "Reportes trimestrales de avance", "en": "Quarterly progress reports"},
            timeline.launch_quarter.ends_on,
            timeline.plan_ends_on,
        ),
    ]:
        exercise.agenda_items.append(AgendaItem(title=title, starts_on=starts, ends_on=ends))

    db.session.flush()
    closer = users["stl.garante@demo.coplat.mx"]
    for number, closed_on in [(1, -111), (2, -33), (3, -11)]:
        step = steps.close_step(exercise, number, closer)
        step.closed_at = timeline.day(closed_on, 12)
    load_consultation(exercise, users, timeline)
    load_tables(exercise, users)
    load_commitments(exercise, users)
    load_late_proposal(exercise, users)
    load_plan(exercise, users)
    load_tracking(exercise, users)
    db.session.commit()
    return exercise


# ----- the topic consultation ---------------------------------------------------

CATEGORIES = {
    "water": {"es": "Agua", "en": "Water"},
    "health": {"es": "Salud", "en": "Health"},
    "safety": {"es": "Seguridad", "en": "Safety"},
    "transport": {"es": "Transporte", "en": "Transport"},
    "corruption": {"es": "Corrupción", "en": "Corruption"},
    "rights": {"es": "Derechos humanos", "en": "Human rights"},
}

# Proposed online: key, category, day of the consultation it was proposed on, title,
# description. Each is moderated the next day.
ONLINE_TOPICS = [
    (
        "water",
        "water",
        0,
        {
            "es": "Cortes de agua de varios días en las colonias altas",
            "en": "Water cuts lasting several days in the upper neighbourhoods",
        },
        {
            "es": "En El Mirador y La Loma el agua llega dos o tres días por semana y nadie avisa "
            "cuándo habrá cortes. Las familias gastan en pipas lo que no tienen.",
            "en": "In El Mirador and La Loma water comes two or three days a week and nobody "
            "announces the cuts. Families spend money they do not have on water trucks.",
        },
    ),
    (
        "lights",
        "safety",
        1,
        {
            "es": "Calles sin alumbrado público en El Mirador",
            "en": "Streets without public lighting in El Mirador",
        },
        {
            "es": "Más de la mitad de las luminarias de la colonia no funcionan desde hace meses; "
            "de noche es peligroso caminar de la parada del autobús a casa.",
            "en": "More than half of the neighbourhood's street lights have been out for months; "
            "at night it is dangerous to walk home from the bus stop.",
        },
    ),
    (
        "clinic",
        "health",
        1,
        {
            "es": "Centro de salud de San Isidro sin médico los fines de semana",
            "en": "San Isidro health centre without a doctor at weekends",
        },
        {
            "es": "Sábados y domingos el centro de salud cierra y la urgencia más cercana está a "
            "40 minutos por carretera.",
            "en": "On Saturdays and Sundays the health centre is closed and the nearest emergency "
            "room is 40 minutes away by road.",
        },
    ),
    (
        "works",
        "corruption",
        2,
        {
            "es": "Quién construye la obra pública y cuánto cuesta",
            "en": "Who builds public works and what they cost",
        },
        {
            "es": "No se publican los contratos de obra, sus montos ni sus avances, ni por qué se "
            "eligió a cada empresa.",
            "en": "Public works contracts, their amounts and progress are not published, nor why "
            "each company was chosen.",
        },
    ),
    (
        "bus",
        "transport",
        2,
        {
            "es": "Pocas corridas de transporte público hacia la sierra",
            "en": "Few public transport runs to the mountain communities",
        },
        {
            "es": "Sólo hay dos corridas diarias a San Pedro Tlachichilco; estudiantes y personas "
            "enfermas no alcanzan a regresar el mismo día.",
            "en": "There are only two runs a day to San Pedro Tlachichilco; students and patients "
            "cannot get back the same day.",
        },
    ),
    (
        "access",
        "rights",
        3,
        {
            "es": "Edificios municipales sin accesibilidad para personas con discapacidad",
            "en": "Municipal buildings inaccessible to people with disabilities",
        },
        {
            "es": "El Palacio Municipal y el Registro Civil no tienen rampa ni elevador; hay "
            "personas que hacen sus trámites en la banqueta.",
            "en": "The Municipal Palace and the Civil Registry have no ramp or lift; some people "
            "see to their business on the pavement.",
        },
    ),
    (
        "violence",
        "rights",
        3,
        {
            "es": "Atención a mujeres que viven violencia",
            "en": "Support for women facing violence",
        },
        {
            "es": "No hay una instancia municipal de las mujeres que acompañe las denuncias, ni "
            "un refugio temporal en la región.",
            "en": "There is no municipal women's office to accompany complaints, and no temporary "
            "shelter in the region.",
        },
    ),
    (
        "road",
        "transport",
        4,
        {"es": "Baches en la carretera a La Loma", "en": "Potholes on the road to La Loma"},
        {
            "es": "El tramo de 6 km entre la cabecera y La Loma lleva dos temporadas de lluvias "
            "sin bacheo.",
            "en": "The 6 km stretch between the town centre and La Loma has gone two rainy "
            "seasons without repair.",
        },
    ),
    (
        "fees",
        "corruption",
        4,
        {
            "es": "Cobros sin recibo en el trámite de licencias",
            "en": "Payments without a receipt for licences",
        },
        {
            "es": "Comerciantes cuentan que en la ventanilla de licencias se piden pagos en "
            "efectivo sin recibo oficial.",
            "en": "Shopkeepers say the licensing desk asks for cash payments without an official "
            "receipt.",
        },
    ),
    (
        "dark",
        "safety",
        5,
        {
            "es": "Luminarias apagadas junto a la secundaria de El Mirador",
            "en": "Street lights out next to El Mirador secondary school",
        },
        {
            "es": "Las alumnas del turno vespertino salen a oscuras.",
            "en": "Afternoon-shift pupils leave school in the dark.",
        },
    ),
    (
        "fuel",
        None,
        5,
        {"es": "Que baje el precio de la gasolina", "en": "Lower petrol prices"},
        {
            "es": "Cada vez cuesta más llenar el tanque.",
            "en": "Filling the tank costs more and more.",
        },
    ),
    (
        "neighbour",
        "safety",
        6,
        {
            "es": "Mi vecino de la calle Hidalgo tira basura frente a mi casa",
            "en": "My neighbour on Hidalgo street dumps rubbish in front of my house",
        },
        {
            "es": "Ya le dije varias veces y no hace caso.",
            "en": "I have told him several times and he takes no notice.",
        },
    ),
]

# Rejected instead of published, with the public reason.
REJECTIONS = {
    "fuel": {
        "es": "El precio de los combustibles lo fija la Federación; el Plan de Acción Local sólo "
        "puede incluir compromisos que el municipio pueda cumplir.",
        "en": "Fuel prices are set by the federal government; the Local Action Plan can only hold "
        "commitments the municipality can keep.",
    },
    "neighbour": {
        "es": "Es una queja sobre un vecino en particular; la canalizamos a la Dirección de "
        "Servicios Públicos, que atiende estos reportes.",
        "en": "It is a complaint about one particular neighbour; we passed it on to the Public "
        "Services department, which handles such reports.",
    },
}

# A duplicate, merged into its original once it already has votes.
DUPLICATE, ORIGINAL = "dark", "lights"

# Raised through an offline channel (see OFFLINE_INPUTS): key, category, title, description.
OFFLINE_TOPICS = {
    "river": (
        "water",
        {"es": "Aguas negras en el río Chico", "en": "Sewage in the río Chico"},
        {
            "es": "El drenaje de la cabecera llega sin tratar al río, con el que se riegan las "
            "parcelas y abreva el ganado.",
            "en": "The town centre's sewage reaches the river untreated, and the river waters the "
            "fields and the cattle.",
        },
    ),
    "ambulance": (
        "health",
        {
            "es": "Una ambulancia para las comunidades de la sierra",
            "en": "An ambulance for the mountain communities",
        },
        {
            "es": "La única ambulancia del municipio tarda más de una hora en llegar a las "
            "comunidades altas.",
            "en": "The municipality's only ambulance takes over an hour to reach the upper "
            "communities.",
        },
    ),
}

# channel, place, day of the consultation, people who took part, notes, votes per topic
# (a topic of OFFLINE_TOPICS is raised by the first input that names it).
OFFLINE_INPUTS = [
    (
        Channel.REGIONAL_TABLE,
        "Salón ejidal de La Loma",
        8,
        45,
        "Mesa regional con ejidatarios y vecinas de La Loma y rancherías cercanas. Votación a "
        "mano alzada, tres votos por persona.",
        {"river": 31, "road": 18, "water": 12},
    ),
    (
        Channel.ASSEMBLY,
        "Plaza principal de San Isidro",
        27,
        80,
        "Asamblea comunitaria convocada por la delegación municipal; votos contados por dos "
        "personas voluntarias.",
        {"clinic": 38, "ambulance": 22, "bus": 15, "lights": 9},
    ),
    (
        Channel.SURVEY,
        "Mercado municipal y plaza de El Mirador",
        36,
        60,
        "Lote de 60 encuestas en papel levantadas por el Observatorio Urbano; capturadas por la "
        "facilitadora.",
        {"water": 22, "lights": 17, "violence": 12, "works": 11, "clinic": 10, "access": 8},
    ),
    (
        Channel.SUGGESTION_BOX,
        "Buzón de la planta baja del Palacio Municipal",
        39,
        34,
        "Buzón abierto ante la Contraloría Municipal el último día de la consulta; 34 papeletas "
        "válidas.",
        {"works": 14, "fees": 9, "water": 5, "river": 4},
    ),
]

# How strongly the online voters favour each topic (weights, not votes): four clear leaders.
ONLINE_PREFERENCE = {
    "water": 30,
    "lights": 24,
    "clinic": 22,
    "works": 18,
    "bus": 8,
    "access": 7,
    "violence": 7,
    "road": 5,
    "fees": 4,
    "river": 4,
    "dark": 3,
}

WOMEN = [
    "María", "Guadalupe", "Juana", "Margarita", "Verónica", "Leticia", "Rosa", "Alejandra",
    "Claudia", "Adriana", "Gabriela", "Patricia", "Yolanda", "Silvia", "Araceli", "Fernanda",
    "Itzel", "Xóchitl", "Esperanza", "Brenda",
]  # fmt: skip
MEN = [
    "José", "Juan", "Miguel", "Francisco", "Jesús", "Pedro", "Alejandro", "Raúl", "Arturo",
    "Eduardo", "Fernando", "Ricardo", "Héctor", "Salvador", "Javier", "Efraín", "Rubén",
    "Leonel", "Cuauhtémoc", "Ángel",
]  # fmt: skip
SURNAMES = [
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Bautista",
    "Mendoza", "Olvera", "Trejo", "Islas", "Monroy", "Zúñiga", "Cerón", "Austria", "Téllez",
]  # fmt: skip
CITIZENS = 150

PRIORITISATION_REASON = {
    "es": "En su sesión del STL se priorizaron los cuatro temas con más votos, sumando la "
    "plataforma y los canales presenciales. Este tema queda en el registro público de la "
    "consulta para el siguiente plan de acción.",
    "en": "At its meeting the STL prioritised the four topics with the most votes, the platform "
    "and the offline channels together. This topic stays on the consultation's public record "
    "for the next action plan.",
}


def person(rng: random.Random) -> tuple[str, bool]:
    """A made-up full name, a woman's 52% of the time, and whether it is; the benchmarks'
    citizens are named the same way (`bench_seed`)."""
    woman = rng.random() < 0.52
    first = rng.choice(WOMEN if woman else MEN)
    return f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}", woman


def load_consultation(
    exercise: Exercise, users: dict[str, User], timeline: Timeline
) -> Consultation:
    """A closed consultation, played through the services in the order it happened on
    the site, so every counter is the one real use would have left."""
    # Midnight in Santa Lucía on day 0 of the demo's timeline, months before the launch.
    opens_at = timeline.opens_at

    def day(number: int, hour: int = 12) -> datetime:
        """That local hour on that day of the consultation (day 0 is the opening)."""
        return timeline.day(number, hour)

    consultation = Consultation(
        exercise=exercise,
        question={
            "es": "¿Qué problemas públicos de Santa Lucía del Valle deben atenderse primero?",
            "en": "Which public problems of Santa Lucía del Valle should be tackled first?",
        },
        explanation={
            "es": "Propón los problemas que viven tú y tu comunidad y vota por los que más te "
            "importan: tienes tres votos. El Secretariado Técnico Local priorizará los temas con "
            "más apoyo, sumando lo recogido en mesas regionales, asambleas, buzones y encuestas "
            "en papel. Cada tema priorizado pasará a una mesa de trabajo.",
            "en": "Propose the problems you and your community live with and vote for the ones "
            "that matter most to you: you have three votes. The Local Technical Secretariat will "
            "prioritise the topics with the most support, adding what regional tables, "
            "assemblies, suggestion boxes and paper surveys gather. Each prioritised topic goes "
            "to a working table.",
        },
        opens_at=opens_at,
        closes_at=day(40, 0),
        accepts_topics=True,
        vote_budget=3,
        regions="Cabecera municipal\nEl Mirador\nSan Isidro\nLa Loma\nSan Pedro Tlachichilco",
    )
    db.session.add(consultation)
    categories = {
        key: services.add_category(consultation, name) for key, name in CATEGORIES.items()
    }
    db.session.flush()

    rng = random.Random(2026)
    # Every citizen has the demo password; scrypt is slow on purpose, so they share the
    # hash create_user already made rather than computing 150 more.
    citizens = []
    for number in range(1, CITIZENS + 1):
        name, woman = person(rng)
        citizens.append(
            User(
                name=name,
                email=f"ciudadan{'a' if woman else 'o'}{number:03}@demo.coplat.mx",
                password_hash=users["ciudadana@demo.coplat.mx"].password_hash,
                locale="es",
                # They registered as the consultation opened.
                privacy_accepted_at=opens_at,
            )
        )
    db.session.add_all(citizens)
    db.session.flush()

    facilitator = users["facilitadora@demo.coplat.mx"]
    topics = {}
    # Guadalupe, the README's citizen account, proposed the first topic.
    authors = [users["ciudadana@demo.coplat.mx"], *citizens[::10]]
    for author, (key, category, number, title, description) in zip(
        authors, ONLINE_TOPICS, strict=False
    ):
        topic = services.submit_topic(
            consultation,
            author,
            title=title,
            description=description,
            category=categories.get(category),
            now=day(number, 9),
        )
        if key in REJECTIONS:
            services.reject(topic, facilitator, REJECTIONS[key], now=day(number + 1))
        else:
            services.publish(topic, now=day(number + 1))
        topics[key] = topic

    def record_offline(channel, place, number, participants, notes, votes) -> None:
        offline_input = OfflineInput(
            consultation=consultation,
            channel=channel,
            place=place,
            held_on=day(number).astimezone(exercise.zone).date(),
            participants=participants,
            notes=notes,
            recorded_by_id=facilitator.id,
        )
        db.session.add(offline_input)
        db.session.flush()
        for key, count in votes.items():
            if key in topics:
                services.set_tally(offline_input, topics[key], count)
            else:
                category, title, description = OFFLINE_TOPICS[key]
                topics[key] = services.add_offline_topic(
                    offline_input,
                    title=title,
                    description=description,
                    category=categories[category],
                    votes=count,
                    now=day(number + 1),
                )

    def vote(voters: list[User], first_day: int, last_day: int) -> None:
        """Each voter spends one to three votes on the topics published by then, and
        about two in five answer the participation profile."""
        published = [key for key, t in topics.items() if t.state == TopicState.PUBLISHED]
        for voter in voters:
            # Weighted sampling without replacement (Efraimidis–Spirakis): the topics
            # with the largest random ** (1 / weight) win.
            chosen = sorted(
                published,
                key=lambda key: rng.random() ** (1 / ONLINE_PREFERENCE[key]),
                reverse=True,
            )[: rng.choice((1, 2, 2, 3, 3, 3))]
            when = day(rng.randint(first_day, last_day), rng.randint(7, 22))
            for key in chosen:
                services.cast_vote(topics[key], voter, now=when)
            if rng.random() < 0.4:
                # A citizen's email says ciudadana or ciudadano, after their first name.
                woman = voter.email.startswith("ciudadana")
                services.give_profile(
                    services.participant_of(consultation, voter),
                    services.Profile(
                        age_band=rng.choices(list(AgeBand), weights=(4, 27, 31, 22, 12, 4))[0],
                        gender=rng.choices(
                            (
                                Gender.WOMAN if woman else Gender.MAN,
                                Gender.NON_BINARY,
                                Gender.UNSTATED,
                            ),
                            weights=(92, 2, 6),
                        )[0],
                        region=rng.choice(consultation.region_list),
                        indigenous=rng.choices(list(Answer), weights=(22, 70, 8))[0],
                        disability=rng.choices(list(Answer), weights=(7, 88, 5))[0],
                    ),
                    now=when,
                )

    # The timeline: the La Loma table (day 8) raises a topic that online voters then
    # see; the duplicate is merged on day 20, after the first voters backed it.
    voting_starts = 10
    early = [o for o in OFFLINE_INPUTS if o[2] < voting_starts]  # o[2]: the day it was held
    for offline in early:
        record_offline(*offline)
    voters = [users["ciudadana@demo.coplat.mx"], *citizens]
    vote(voters[:60], voting_starts, 19)
    services.merge(topics[DUPLICATE], topics[ORIGINAL], facilitator, now=day(20))
    vote(voters[60:], 21, 39)
    for offline in OFFLINE_INPUTS[len(early) :]:
        record_offline(*offline)

    services.prioritise(
        consultation,
        chosen=services.published_topics(consultation)[:4],
        user=users["stl.sociedad@demo.coplat.mx"],
        reason=PRIORITISATION_REASON,
        now=day(50, 18),
    )
    return consultation
