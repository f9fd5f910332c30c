"""The demo's plan in the open (INAI steps 5–6, NOSC stage 8, OGP Local §3.5 and §4.1,
Annexes 4 and 5), two quarters into its implementation.

The STL closes step 4 the morning after the last commitment is approved; the point of
contact submits the plan to OGP on day 62, the readiness check finding nothing missing;
the health table's second working table meets on day 68; the plan is presented at a
public event on day 75, early in its period's first quarter, and the STL closes step 5.
Then, quarter by quarter (`Timeline.month`: month 0 is the period's first):

- the point of contact, and the implementer (implementadora@, of the Comptroller's
  Office) for the public-works commitment she is assigned, record milestone updates in
  every status; water, health and public works progress in both quarters, while street
  lighting records nothing at all, so the board flags it;
- the point of contact posts the quarterly progress report of both quarters on every
  commitment but street lighting, and the public comments on them: one published, one
  not published with its reason, one waiting for the facilitator;
- evidence of ten Annex 5 types goes to the repository, on the process (steps 3–5, a
  follow-up session), on commitments and on milestones, real small files or links;
- the health centre's first quarterly follow-up meeting is held with civil society in
  the second quarter, and an open follow-up session in El Mirador is coming up;
- the monitoring body (monitoreo@) publishes the initial assessment within the two
  months after the submission, rating every commitment.

Everything happens before the quarter the demo is loaded in, except what is dated from
the real "now": the upcoming session and the comment still waiting."""

import io
import struct
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from coplat.accounts.models import Role, User
from coplat.commitments.enums import MilestoneStatus
from coplat.commitments.models import Commitment
from coplat.commitments.services import commitments_of
from coplat.core import clock
from coplat.core.models import utcnow
from coplat.core.uploads import store_upload
from coplat.demo_commitments import (
    CLINIC_COMMITMENT,
    FACILITATOR,
    GUARANTOR,
    LIGHTS_COMMITMENT,
    WATER_COMMITMENT,
    WORKS_COMMITMENT,
)
from coplat.demo_plan import POINT_OF_CONTACT, pdf
from coplat.demo_tables import ACTORS, CLINIC, WATER, es_en
from coplat.demo_timeline import LAUNCH_DAY, STL_DAY, SUBMISSION_DAY, Timeline
from coplat.exercises import steps
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.plan.models import ActionPlan
from coplat.plan.readiness import submit
from coplat.plan.services import find_plan
from coplat.tables import services as tables
from coplat.tables.enums import SessionKind
from coplat.tables.models import TableSession, WorkingTable
from coplat.tracking import services
from coplat.tracking.enums import AssessmentKind, EvidenceType, PotentialImpact
from coplat.tracking.models import ProgressReport
from coplat.tracking.rules import Quarter

IMPLEMENTER = "implementadora@demo.coplat.mx"
MONITORING = "monitoreo@demo.coplat.mx"

NOT_STARTED, IN_PROGRESS, STUCK, COMPLETE, INCOMPLETE = (
    MilestoneStatus.NOT_STARTED,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.STUCK,
    MilestoneStatus.COMPLETE,
    MilestoneStatus.INCOMPLETE,
)
E = EvidenceType

LAUNCH_PLACE = "Explanada del Palacio Municipal, Santa Lucía del Valle"
LAUNCH_LINK = "https://santalucia.example.mx/gobierno-abierto/presentacion-del-plan"
LAUNCH_NOTES = es_en(
    "El Presidente Municipal, la Coordinadora del Colectivo Ciudadano por la Transparencia y la Comisionada presidenta del órgano garante presentaron el plan ante unas 180 personas, con interpretación al hñähñu. Cada dependencia responsable explicó su compromiso y sus primeros hitos, y se abrió el micrositio de seguimiento.",
    "The Municipal President, the coordinator of the Colectivo Ciudadano por la Transparencia and the chair of the guarantor body presented the plan to some 180 people, with interpreting into Hñähñu. Each responsible department explained its commitment and its first milestones, and the tracking micro-site was opened.",
)

CONTACT = {
    "institution": "H. Ayuntamiento de Santa Lucía del Valle, Presidencia Municipal",
    "name": "Daniel Torres Aguilar",
    "email": "gobiernoabierto@santalucia.example.mx",
    "phone": "771 555 0100",
}

# Which demo commitment, by its content's Spanish title.
KEYS = {
    "water": WATER_COMMITMENT,
    "lights": LIGHTS_COMMITMENT,
    "clinic": CLINIC_COMMITMENT,
    "works": WORKS_COMMITMENT,
}
# Street lighting records nothing: the board flags it.
QUIET = "lights"

# ----- milestone updates --------------------------------------------------------------
# (commitment, milestone number, status, who, (month, day, hour), progress). Months
# 0–2 are the launch quarter, 3–5 the next; no day past the 28th, which every month has.
UPDATES = [
    (
        "water",
        2,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (1, 6, 10),
        es_en(
            "La CAPASL abrió el número de WhatsApp y la línea telefónica de reportes; cada reporte recibe folio. El formulario en línea está en pruebas.",
            "CAPASL opened the WhatsApp number and the phone line for reports; every report gets a reference number. The online form is being tested.",
        ),
    ),
    (
        "clinic",
        1,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (1, 8, 10),
        es_en(
            "La Jurisdicción Sanitaria revisó el borrador de convenio acordado en la segunda mesa y lo envió a su área jurídica.",
            "The health district reviewed the draft agreement settled at the second table and sent it to its legal department.",
        ),
    ),
    (
        "clinic",
        3,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (1, 15, 10),
        es_en(
            "Empezaron las obras del cuarto de guardia; la vigilancia de fin de semana está contratada.",
            "Work on the on-call room has begun; weekend security has been hired.",
        ),
    ),
    (
        "works",
        1,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (1, 20, 12),
        es_en(
            "Obras Públicas cargó en el micrositio de pruebas los primeros 10 contratos del año con el Estándar de Datos para las Contrataciones Abiertas.",
            "Public Works loaded the year's first 10 contracts, following the Open Contracting Data Standard, onto the test microsite.",
        ),
    ),
    (
        "clinic",
        2,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (1, 22, 12),
        es_en(
            "La ambulancia se estaciona en San Isidro del viernes a las 20 h al lunes a las 8 h desde el segundo fin de semana del plan. Falta el radio de la delegación.",
            "The ambulance has been stationed in San Isidro from Friday 8 pm to Monday 8 am since the plan's second weekend. The local office's radio is still missing.",
        ),
    ),
    (
        "water",
        1,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (1, 27, 13),
        es_en(
            "Se publicó el primer calendario de tandeo por colonia. El Comité Vecinal de El Mirador verificó que 9 de 11 cortes programados se avisaron con 48 horas.",
            "The first supply rota for each neighbourhood was published. The El Mirador neighbourhood committee checked that 9 of 11 planned cuts were announced 48 hours ahead.",
        ),
    ),
    (
        "works",
        3,
        IN_PROGRESS,
        IMPLEMENTER,
        (2, 5, 11),
        es_en(
            "La Contraloría capacitó a los cuatro primeros comités ciudadanos de obra, con paridad y en horario vespertino.",
            "The Comptroller's Office trained the first four citizen works committees, with as many women as men, in the evening.",
        ),
    ),
    (
        "water",
        4,
        NOT_STARTED,
        POINT_OF_CONTACT,
        (2, 10, 12),
        es_en(
            "Aún no inicia: la compra de válvulas y macromedidores espera que el Cabildo apruebe la distribución del FAIS.",
            "Not started yet: buying the valves and bulk meters waits for the council to approve the allocation of the FAIS.",
        ),
    ),
    (
        "clinic",
        1,
        COMPLETE,
        POINT_OF_CONTACT,
        (2, 19, 17),
        es_en(
            "El Presidente Municipal y la titular de la Jurisdicción Sanitaria firmaron el convenio de coordinación. El centro de salud abrirá en fin de semana desde el próximo mes.",
            "The Municipal President and the head of the health district signed the coordination agreement. The health centre opens at weekends from next month.",
        ),
    ),
    (
        "clinic",
        3,
        INCOMPLETE,
        POINT_OF_CONTACT,
        (2, 26, 12),
        es_en(
            "Cuarto de guardia equipado y vigilancia en servicio, verificados por el Comité de Salud. El alumbrado del acceso no se instaló a tiempo: la Dirección de Servicios Públicos lo incluirá en su programa de luminarias.",
            "On-call room equipped and security on duty, checked by the Health Committee. The lighting at the entrance was not installed in time: the Public Services department will include it in its street-lighting programme.",
        ),
    ),
    (
        "clinic",
        4,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (3, 21, 10),
        es_en(
            "Primera mesa trimestral de seguimiento celebrada en San Isidro, con su minuta publicada en esta plataforma tres días después.",
            "First quarterly follow-up meeting held in San Isidro, its minutes published on this platform three days later.",
        ),
    ),
    (
        "water",
        2,
        COMPLETE,
        POINT_OF_CONTACT,
        (4, 7, 11),
        es_en(
            "La línea funciona por WhatsApp, teléfono y en línea: 312 reportes en su primer mes completo, el 91 % con folio y respuesta en 24 horas.",
            "The line works on WhatsApp, by phone and online: 312 reports in its first full month, 91% logged with a reference number and answered within 24 hours.",
        ),
    ),
    (
        "works",
        4,
        IN_PROGRESS,
        IMPLEMENTER,
        (4, 9, 12),
        es_en(
            "La residencia de obra publicó las primeras fotografías fechadas y georreferenciadas de seis obras, junto con su estimación del mes.",
            "The site supervisor published the first dated, geo-referenced photographs of six works, with their monthly progress payment.",
        ),
    ),
    (
        "clinic",
        2,
        STUCK,
        POINT_OF_CONTACT,
        (4, 14, 13),
        es_en(
            "Detenido: la compra del radio se declaró desierta y la ambulancia pasó tres semanas en el taller; esos fines de semana los traslados salieron de la cabecera.",
            "Stuck: the tender for the radio drew no valid bids and the ambulance spent three weeks in the workshop; on those weekends transfers left from the town centre.",
        ),
    ),
    (
        "works",
        3,
        IN_PROGRESS,
        IMPLEMENTER,
        (4, 19, 18),
        es_en(
            "Nueve comités ciudadanos de obra capacitados; tres ya publicaron el reporte de su primera visita.",
            "Nine citizen works committees trained; three have already published the report of their first site visit.",
        ),
    ),
    (
        "water",
        3,
        IN_PROGRESS,
        POINT_OF_CONTACT,
        (5, 4, 10),
        es_en(
            "La Unidad de Transparencia publicó la primera versión del tablero con los reportes de los dos primeros meses de la línea; falta el tiempo de reparación por colonia.",
            "The Transparency Unit published the dashboard's first version with the line's first two months of reports; the repair time per neighbourhood is still missing.",
        ),
    ),
    (
        "works",
        1,
        COMPLETE,
        POINT_OF_CONTACT,
        (5, 23, 12),
        es_en(
            "El micrositio publica los 24 contratos de obra del año, completos y con sus convenios, en datos abiertos.",
            "The microsite publishes the year's 24 works contracts in full, with their amendments, as open data.",
        ),
    ),
]

# ----- quarterly progress reports ------------------------------------------------------
# Per commitment, for the launch quarter (posted on month 2, day 28) and the next
# (month 5, day 28): progress, delays, next steps.
REPORTS = {
    "water": (
        (
            es_en(
                "Arrancó la línea de reportes de fugas con folio por WhatsApp y teléfono, y se publica cada mes el calendario de tandeo por colonia.",
                "The leak-reporting line with reference numbers started on WhatsApp and by phone, and the supply rota for each neighbourhood is published every month.",
            ),
            es_en(
                "La sectorización de El Mirador no inicia hasta que el Cabildo distribuya el FAIS.",
                "Dividing El Mirador's network into sectors cannot start until the council allocates the FAIS.",
            ),
            es_en(
                "Abrir el formulario en línea y publicar el tablero de fugas en datos abiertos.",
                "Open the online form and publish the leak dashboard as open data.",
            ),
        ),
        (
            es_en(
                "La línea de reportes quedó completa: 312 reportes en su primer mes, el 91 % con respuesta en 24 horas. El tablero publica ya los reportes y su estado, y el Cabildo asignó el FAIS a válvulas y macromedidores.",
                "The reporting line is complete: 312 reports in its first month, 91% answered within 24 hours. The dashboard already publishes the reports and their status, and the council allocated the FAIS to valves and bulk meters.",
            ),
            es_en(
                "El tiempo medio de reparación sigue en 9 días; la meta es 72 horas.",
                "The average repair time is still 9 days; the target is 72 hours.",
            ),
            es_en(
                "Licitar las válvulas y macromedidores y añadir al tablero el tiempo de reparación por colonia.",
                "Tender the valves and bulk meters and add the repair time per neighbourhood to the dashboard.",
            ),
        ),
    ),
    "clinic": (
        (
            es_en(
                "Se firmó el convenio con la Jurisdicción Sanitaria y se equipó el cuarto de guardia; la ambulancia ya se estaciona en San Isidro los fines de semana.",
                "The agreement with the health district was signed and the on-call room equipped; the ambulance is now stationed in San Isidro at weekends.",
            ),
            es_en(
                "El alumbrado del acceso no se instaló a tiempo y el hito se cerró incompleto.",
                "The lighting at the entrance was not installed in time and the milestone was closed incomplete.",
            ),
            es_en(
                "Abrir el centro de salud el primer fin de semana del trimestre y celebrar la primera mesa trimestral.",
                "Open the health centre on the quarter's first weekend and hold the first quarterly meeting.",
            ),
        ),
        (
            es_en(
                "El centro de salud abrió todos los fines de semana del trimestre, con 410 consultas. La primera mesa trimestral de seguimiento se celebró en San Isidro con su minuta pública.",
                "The health centre opened every weekend of the quarter, with 410 consultations. The first quarterly follow-up meeting was held in San Isidro, with public minutes.",
            ),
            es_en(
                "El protocolo de traslados está detenido: la compra del radio se declaró desierta y la ambulancia estuvo tres semanas en el taller.",
                "The transfer protocol is stuck: the tender for the radio drew no valid bids and the ambulance spent three weeks in the workshop.",
            ),
            es_en(
                "Comprar el radio por adjudicación directa con la Contraloría como testigo y medir el tiempo de llegada de la ambulancia.",
                "Buy the radio by direct award with the Comptroller as witness, and measure the ambulance's arrival time.",
            ),
        ),
    ),
    "works": (
        (
            es_en(
                "El micrositio de obra pública está en pruebas con los primeros contratos del año, y la Contraloría capacitó a cuatro comités ciudadanos de obra.",
                "The public-works microsite is being tested with the year's first contracts, and the Comptroller's Office trained four citizen works committees.",
            ),
            es_en("Sin retrasos.", "No delays."),
            es_en(
                "Publicar todos los contratos del año y capacitar a los comités de las obras que empiezan.",
                "Publish every contract of the year and train the committees of the works about to start.",
            ),
        ),
        (
            es_en(
                "El micrositio publica los 24 contratos del año en datos abiertos. Nueve comités están capacitados y tres publicaron su primer reporte; las fotografías mensuales de seis obras ya están en su expediente.",
                "The microsite publishes the year's 24 contracts as open data. Nine committees are trained and three have published their first report; the monthly photographs of six works are in their files.",
            ),
            es_en(
                "Los letreros con código QR esperan a que cada obra tenga su ficha completa en el micrositio.",
                "The QR-code signs wait until every work has its complete file on the microsite.",
            ),
            es_en(
                "Colocar los letreros con código QR en las obras de más de 500 mil pesos.",
                "Put up the QR-code signs at works above 500,000 pesos.",
            ),
        ),
    ),
}

# ----- the initial assessment ---------------------------------------------------------

ASSESSMENT = {
    "summary": es_en(
        "El plan cumple los requisitos de OGP Local: sus cuatro compromisos responden a los temas que la ciudadanía priorizó en la consulta, tienen hitos con fechas e indicadores, y cada uno nombra a una dependencia responsable y a implementadores no gubernamentales. Recomendamos medir desde el inicio los indicadores de resultado (tiempos de reparación, tiempos de llegada de la ambulancia) y no sólo los de gestión.",
        "The plan meets OGP Local's requirements: its four commitments answer the topics citizens prioritised in the consultation, have milestones with dates and indicators, and each names a responsible department and non-governmental implementers. We recommend measuring the outcome indicators (repair times, ambulance arrival times) from the start, not only the management ones.",
    ),
    "co_creation": es_en(
        "Hubo un foro multiactor (el STL, con gobierno, sociedad civil y órgano garante) con reglas públicas; sesiones regulares de las mesas, todas con actores no gubernamentales; una consulta con canales en papel y asambleas para quienes no usan internet; y una respuesta pública a cada propuesta en la bitácora de retroalimentación. Como práctica recomendada, el perfil de participantes mostró poca participación de jóvenes: sugerimos convocarlos expresamente en el seguimiento.",
        "There was a multi-stakeholder forum (the STL, with government, civil society and the guarantor body) with public rules; regular table sessions, all attended by non-governmental actors; a consultation with paper channels and assemblies for those who do not use the internet; and a public answer to every proposal in the feedback log. As a recommended practice: the participants' profile showed few young people; we suggest inviting them expressly to the follow-up.",
    ),
}
RATINGS = {
    "water": (
        ["access_to_information", "civic_participation", "public_accountability", "technology"],
        PotentialImpact.MODERATE,
        es_en(
            "Verificable por sus indicadores de resultado; su impacto depende de que la reparación en 72 horas se cumpla.",
            "Verifiable through its outcome indicators; its impact depends on repairs within 72 hours actually happening.",
        ),
    ),
    "lights": (
        ["access_to_information", "civic_participation", "public_accountability"],
        PotentialImpact.MINOR,
        es_en(
            "Verificable; mejora un servicio más que abrir el gobierno, salvo la conciliación de los pagos a CFE, que es su parte más ambiciosa.",
            "Verifiable; it improves a service more than it opens government, except for the reconciliation of payments to CFE, its most ambitious part.",
        ),
    ),
    "clinic": (
        ["civic_participation", "public_accountability"],
        PotentialImpact.MODERATE,
        es_en(
            "Verificable; la mesa trimestral con minutas públicas es la que lo hace relevante para el gobierno abierto.",
            "Verifiable; the quarterly meeting with public minutes is what makes it relevant to open government.",
        ),
    ),
    "works": (
        ["access_to_information", "public_accountability", "technology"],
        PotentialImpact.TRANSFORMATIVE,
        es_en(
            "Verificable; publicar contratos completos con sus convenios y que comités ciudadanos los revisen en la obra cambiaría cómo se contrata en el municipio.",
            "Verifiable; publishing full contracts with their amendments, and citizen committees checking them on site, would change how the municipality contracts.",
        ),
    ),
}

# ----- public comments on progress reports ---------------------------------------------

PUBLISHED_COMMENT = (
    "ciudadana@demo.coplat.mx",
    "En La Loma ya nos llegan los avisos de corte por WhatsApp, gracias. Pero cuando el corte "
    "dura más de un día la pipa sigue tardando. ¿El tablero podría decir también cuándo llega "
    "la pipa de emergencia?",
)
REJECTED_COMMENT = (
    42,
    "El doctor del turno del sábado no atiende bien. Que lo cambien. Su celular es el "
    "771 555 0199, llámenle a ver si contesta.",
)
REJECTION_NOTE = (
    "No se publica porque incluye el número de teléfono de una persona (dato personal). Puedes "
    "enviar de nuevo tu comentario sin ese dato; las quejas sobre la atención se reciben en la "
    "mesa trimestral de seguimiento."
)
WAITING_COMMENT = (
    "ciudadano@demo.coplat.mx",
    "¿Las fotografías de las obras se pueden descargar con su fecha y ubicación? En la calle "
    "Hidalgo el comité quisiera compararlas con lo que vemos.",
)


def load_tracking(exercise: Exercise, users: dict[str, User]) -> ActionPlan:
    """Called once the plan is endorsed (`demo_plan.load_plan`)."""
    timeline = Timeline.of(exercise)
    day, month = timeline.day, timeline.month
    plan = find_plan(exercise)
    contact, facilitator = users[POINT_OF_CONTACT], users[FACILITATOR]
    commitments = _commitments(exercise)

    # Steps 4 and 5, and the launch.
    _close_step(exercise, 4, users[GUARANTOR], day(61, 10))
    submit(plan, contact, now=day(SUBMISSION_DAY, 11))
    db.session.flush()
    _process_evidence(exercise, timeline, facilitator)
    services.launch(
        plan,
        contact,
        launched_on=timeline.launched_on,
        place=LAUNCH_PLACE,
        link=LAUNCH_LINK,
        notes=LAUNCH_NOTES,
        now=day(LAUNCH_DAY, 20, 15),
    )
    _launch_evidence(exercise, timeline, contact)
    _close_step(exercise, 5, users[GUARANTOR], day(LAUNCH_DAY + 3, 12))
    services.set_contact(plan, **CONTACT)
    # The implementer answers for the commitment of her office, the Comptroller's.
    users[IMPLEMENTER].assignment(exercise.id, Role.IMPLEMENTER).commitment = commitments["works"]

    _initial_assessment(exercise, users[MONITORING], commitments, day)
    held = _follow_up_held(exercise, timeline)
    _updates(commitments, users, month)
    _reports(commitments, contact, timeline)
    _milestone_evidence(exercise, commitments, users, month)
    _session_evidence(exercise, held, facilitator, month)
    _comments(commitments, users, facilitator, timeline)
    _follow_up_coming(exercise, timeline)
    db.session.flush()
    return plan


def _commitments(exercise: Exercise) -> dict[str, Commitment]:
    by_title = {c.title["es"]: c for c in commitments_of(exercise)}
    return {key: by_title[text["title"]["es"]] for key, text in KEYS.items()}


def _close_step(exercise: Exercise, number: int, user: User, when: datetime) -> None:
    step = steps.close_step(exercise, number, user)
    step.closed_at = when


# ----- updates, reports, comments, the assessment ----------------------------------------


def _updates(commitments, users, month: Callable[..., datetime]) -> None:
    for key, number, status, email, (m, d, h), progress in UPDATES:
        commitment = commitments[key]
        assert key != QUIET, "street lighting records no progress"
        services.update_milestone(
            commitment.milestones[number - 1],
            users[email],
            status=status,
            progress=progress,
            now=month(m, d, h),
        )
        db.session.flush()


def _reports(commitments, contact: User, timeline: Timeline) -> None:
    first = timeline.launch_quarter
    for index, (quarter, posted) in enumerate([(first, 2), (first.next, 5)]):
        for minute, (key, texts) in enumerate(REPORTS.items()):
            progress, delays, next_steps = texts[index]
            services.post_report(
                commitments[key],
                contact,
                quarter=quarter,
                progress=progress,
                delays=delays,
                next_steps=next_steps,
                now=timeline.month(posted, 28, 12, 10 * minute),
            )
    db.session.flush()


def _report(commitment: Commitment, quarter: Quarter) -> ProgressReport:
    return db.session.scalar(
        sa.select(ProgressReport).where(
            ProgressReport.commitment_id == commitment.id,
            ProgressReport.year == quarter.year,
            ProgressReport.quarter == quarter.number,
        )
    )


def _comments(commitments, users, facilitator: User, timeline: Timeline) -> None:
    """One published, one not published with its reason, one waiting."""
    first, month = timeline.launch_quarter, timeline.month
    email, body = PUBLISHED_COMMENT
    comment = services.comment_on(
        _report(commitments["water"], first), users[email], body, now=month(3, 2, 20)
    )
    services.moderate(comment, facilitator, publish=True, now=month(3, 3, 9))

    number, body = REJECTED_COMMENT
    citizen = db.session.scalar(
        sa.select(User).where(
            User.email.in_([f"ciudadan{ending}{number:03}@demo.coplat.mx" for ending in "ao"])
        )
    )
    comment = services.comment_on(
        _report(commitments["clinic"], first), citizen, body, now=month(3, 5, 21)
    )
    services.moderate(comment, facilitator, publish=False, note=REJECTION_NOTE, now=month(3, 6, 9))

    # Sent the day before the demo is loaded, on the latest report: not moderated yet.
    email, body = WAITING_COMMENT
    report = _report(commitments["works"], first.next)
    services.comment_on(
        report, users[email], body, now=max(utcnow() - timedelta(hours=20), report.created_at)
    )
    db.session.flush()


def _initial_assessment(exercise, monitoring: User, commitments, day) -> None:
    """Drafted five weeks after the submission and published ten days later, within the
    two months OGP Local §3.5.1 gives."""
    ratings = {
        commitments[key].id: {
            "relevant_values": values,
            "verifiable": True,
            "potential_impact": impact.value,
            "note": note,
        }
        for key, (values, impact, note) in RATINGS.items()
    }
    for when, publish in [
        (day(SUBMISSION_DAY + 36, 11), False),
        (day(SUBMISSION_DAY + 46, 12), True),
    ]:
        services.save_assessment(
            exercise,
            monitoring,
            AssessmentKind.INITIAL,
            values=ASSESSMENT,
            ratings=ratings,
            publish=publish,
            now=when,
        )
        db.session.flush()


# ----- follow-up meetings with civil society (§3.3.1) ------------------------------------


def _table(exercise: Exercise, topic: str) -> WorkingTable:
    [table] = [t for t in tables.tables_of(exercise) if t.topic.title["es"] == topic]
    return table


def _session(
    table: WorkingTable,
    title: dict,
    starts_at: datetime,
    hours: float,
    place: str,
    agenda: dict,
    invited: str,
    created_at: datetime,
) -> TableSession:
    session = TableSession(
        kind=SessionKind.FOLLOW_UP,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        place=place,
        agenda=agenda,
        created_at=created_at,
    )
    table.sessions.append(session)
    for key in invited.split():
        tables.invite(session, _actor(table.exercise, key))
    return session


def _actor(exercise: Exercise, key: str):
    name, sector, is_organisation = ACTORS[key]
    return tables.find_or_add_actor(exercise, name, sector, is_organisation)


HEALTH_INVITED = (
    "salud jurisdiccion proteccion delegacion comite_salud mujeres parteras enfermeria "
    "esperanza francisco yolanda araceli"
)


def _follow_up_held(exercise: Exercise, timeline: Timeline) -> TableSession:
    """The health centre's first quarterly meeting (milestone 4 of its commitment), in
    San Isidro in the plan's fourth month, called at the end of the first quarter."""
    session = _session(
        _table(exercise, CLINIC.topic),
        es_en(
            "Primera mesa trimestral de seguimiento del centro de salud de San Isidro",
            "First quarterly follow-up meeting on the San Isidro health centre",
        ),
        timeline.month(3, 18, 10),
        3,
        "Salón ejidal de San Isidro, junto a la plaza principal",
        es_en(
            "10:00 Informe de la Coordinación Municipal de Salud: horarios, consultas y medicamentos\n"
            "10:40 Protección Civil: traslados de fin de semana\n"
            "11:20 Quejas y propuestas de la comunidad\n"
            "12:30 Acuerdos y fecha de la siguiente mesa",
            "10:00 Report of the Municipal Health Office: opening hours, consultations and medicines\n"
            "10:40 Civil Protection: weekend transfers\n"
            "11:20 Complaints and proposals from the community\n"
            "12:30 Agreements and the date of the next meeting",
        ),
        HEALTH_INVITED,
        timeline.month(2, 28, 15),
    )
    for key in [*HEALTH_INVITED.split(), "angel", "brenda", "xochitl"]:
        if key != "jurisdiccion":
            tables.record_attendance(session, _actor(exercise, key))
    tables.set_minutes(
        session,
        es_en(
            "<h3>Informe del primer mes</h3>"
            "<p>La Coordinación Municipal de Salud informó que el centro de salud abrió <strong>todos los sábados y domingos</strong> desde la firma del convenio, con 138 consultas en el mes. Faltaron dos medicamentos para la diabetes durante una semana. La Jurisdicción Sanitaria no asistió y envió su informe por escrito.</p>"
            "<h3>Traslados</h3>"
            "<p>Protección Civil explicó que la ambulancia se estaciona en San Isidro cada fin de semana, pero que el radio de la delegación sigue sin comprarse: sin señal, la comunidad la pide por el teléfono fijo de la tienda.</p>"
            "<h3>Acuerdos</h3><ul>"
            "<li>La Coordinación publicará cada mes en la puerta del centro de salud los medicamentos disponibles.</li>"
            "<li>La Red de Parteras Tradicionales y Protección Civil probarán el protocolo de traslados obstétricos en un simulacro.</li>"
            "<li>El Comité de Salud recogerá en un buzón las quejas sobre la atención, para revisarlas en la siguiente mesa.</li></ul>",
            "<h3>The first month's report</h3>"
            "<p>The Municipal Health Office reported that the health centre opened <strong>every Saturday and Sunday</strong> since the agreement was signed, with 138 consultations in the month. Two diabetes medicines ran out for a week. The health district did not attend and sent its report in writing.</p>"
            "<h3>Transfers</h3>"
            "<p>Civil Protection explained that the ambulance is stationed in San Isidro every weekend, but that the local office's radio has still not been bought: without signal, the community calls it from the shop's landline.</p>"
            "<h3>Agreements</h3><ul>"
            "<li>The Health Office will post the medicines available on the health centre's door every month.</li>"
            "<li>The Network of Traditional Midwives and Civil Protection will try out the obstetric transfer protocol in a drill.</li>"
            "<li>The Health Committee will collect complaints about the care in a box, to review them at the next meeting.</li></ul>",
        ),
    )
    db.session.flush()
    return session


def _follow_up_coming(exercise: Exercise, timeline: Timeline) -> TableSession:
    """The plan's open follow-up session in El Mirador (water and street lighting), ten
    days after the demo is loaded: the current participation opportunity."""
    day = clock.today(exercise.zone) + timedelta(days=10)
    starts = datetime.combine(day, time(17), tzinfo=exercise.zone).astimezone(UTC)
    session = _session(
        _table(exercise, WATER.topic),
        es_en(
            "Sesión abierta de seguimiento del plan en El Mirador: agua y alumbrado",
            "Open follow-up session on the plan in El Mirador: water and street lighting",
        ),
        starts,
        2.5,
        "Salón de usos múltiples de El Mirador, calle Juárez 14",
        es_en(
            "17:00 Avance del compromiso del agua: la línea de reportes, el calendario de tandeo y el tablero\n"
            "17:40 Servicios Públicos explica por qué el compromiso de luminarias no registra avances\n"
            "18:20 Preguntas y propuestas de vecinas y vecinos\n"
            "19:10 Acuerdos",
            "17:00 Progress of the water commitment: the reporting line, the supply rota and the dashboard\n"
            "17:40 Public Services explains why the street-lighting commitment records no progress\n"
            "18:20 Questions and proposals from residents\n"
            "19:10 Agreements",
        ),
        "capasl servicios transparencia comite_mirador comite_loma observatorio colectivo "
        "consejo mujeres universidad guadalupe refugio",
        # Called a few days ago, for the public to see.
        utcnow() - timedelta(days=3),
    )
    db.session.flush()
    return session


# ----- the evidence repository (Annexes 4 and 5) -----------------------------------------


def _evidence(
    exercise: Exercise,
    user: User,
    kind: EvidenceType,
    title: dict,
    when: datetime,
    *,
    description: dict | None = None,
    file: tuple[str, bytes] | None = None,
    link: str = "",
    dated_on=None,
    **attached,
):
    """A document (a real small file) or a link, filed at `when`."""
    upload = None
    if file is not None:
        name, content = file
        upload = store_upload(
            FileStorage(io.BytesIO(content), filename=name), exercise=exercise, user=user
        )
        upload.created_at = when
    return services.add_evidence(
        exercise,
        user,
        kind=kind,
        title=title,
        description=description,
        upload=upload,
        link=link,
        dated_on=dated_on or exercise.to_local(when).date(),
        now=when,
        **attached,
    )


def _process_evidence(exercise: Exercise, timeline: Timeline, facilitator: User) -> None:
    """Before the launch, the facilitator files the co-creation's key documents."""
    day = timeline.day
    _evidence(
        exercise,
        facilitator,
        E.FORUM_TERMS,
        es_en(
            "Reglas de operación del Secretariado Técnico Local",
            "Rules of procedure of the Local Technical Secretariat",
        ),
        day(64, 10),
        link="https://santalucia.example.mx/gobierno-abierto/reglas-de-operacion-stl.pdf",
        dated_on=timeline.date_of(STL_DAY),
        step_number=3,
    )
    _evidence(
        exercise,
        facilitator,
        E.DECISION_RECORDS,
        es_en(
            "Acta de la sesión del STL que aprobó los cuatro compromisos",
            "Record of the STL session that approved the four commitments",
        ),
        day(64, 10, 20),
        description=es_en(
            "Sesión del STL en la que los tres sectores aprobaron el compromiso de obra pública abierta y dos actores no gubernamentales avalaron el plan.",
            "The STL session at which the three sectors approved the open public-works commitment and two non-governmental actors endorsed the plan.",
        ),
        file=(
            "acta-stl-aprobacion-de-compromisos.pdf",
            pdf(
                [
                    (14, "Secretariado Técnico Local de Gobierno Abierto"),
                    (11, "Santa Lucía del Valle, Hidalgo"),
                    (11, ""),
                    (12, "Acta de sesión: aprobación de compromisos y aval del plan"),
                    (11, ""),
                    (11, "Sectores presentes: gobierno, sociedad civil y órgano garante."),
                    (11, "1. Se aprueba el compromiso «Obra pública abierta» por los tres"),
                    (11, "   sectores, con la propuesta ciudadana de fotografías mensuales."),
                    (11, "2. El plan reúne los cuatro compromisos aprobados."),
                    (11, "3. El Colectivo Ciudadano y el Colegio de Ingenieros avalan el plan."),
                    (11, "4. El punto de contacto lo presentará a OGP."),
                ]
            ),
        ),
        dated_on=timeline.date_of(60),
        step_number=4,
    )


def _launch_evidence(exercise: Exercise, timeline: Timeline, contact: User) -> None:
    when = timeline.day(LAUNCH_DAY + 1, 10)
    _evidence(
        exercise,
        contact,
        E.PHOTOS,
        es_en(
            "Presentación pública del Plan de Acción Local",
            "Public launch of the Local Action Plan",
        ),
        when,
        description=es_en(
            "La explanada del Palacio Municipal durante la presentación del plan.",
            "The square in front of the town hall during the plan's launch.",
        ),
        file=("presentacion-del-plan.png", launch_photo()),
        dated_on=timeline.launched_on,
        step_number=5,
    )
    _evidence(
        exercise,
        contact,
        E.PARTICIPANT_LIST,
        es_en(
            "Registro de asistencia a la presentación del plan, por sector",
            "Attendance at the plan's launch, by sector",
        ),
        when + timedelta(minutes=5),
        file=(
            "asistencia-presentacion-del-plan.pdf",
            pdf(
                [
                    (14, "Presentación del Plan de Acción Local"),
                    (11, f"Registro de asistencia del {timeline.launched_on.isoformat()}"),
                    (11, ""),
                    (11, "Gobierno municipal y estatal: 34"),
                    (11, "Sociedad civil organizada: 41"),
                    (11, "Ciudadanía: 88"),
                    (11, "Academia: 9"),
                    (11, "Sector privado: 6"),
                    (11, "Órgano garante: 2"),
                    (11, "Total: 180"),
                ]
            ),
        ),
        dated_on=timeline.launched_on,
        step_number=5,
    )


def _session_evidence(exercise, session: TableSession, facilitator: User, month) -> None:
    _evidence(
        exercise,
        facilitator,
        E.MINUTES,
        es_en(
            "Minuta firmada de la primera mesa trimestral de seguimiento",
            "Signed minutes of the first quarterly follow-up meeting",
        ),
        month(3, 21, 9),
        file=(
            "minuta-mesa-trimestral-1.pdf",
            pdf(
                [
                    (14, "Mesa trimestral de seguimiento: centro de salud de San Isidro"),
                    (11, "Minuta firmada por las personas asistentes"),
                    (11, ""),
                    (11, "Acuerdos:"),
                    (11, "1. Publicar cada mes los medicamentos disponibles."),
                    (11, "2. Simulacro del protocolo de traslados obstétricos."),
                    (11, "3. Buzón de quejas del Comité de Salud."),
                ]
            ),
        ),
        session=session,
    )


def _milestone_evidence(exercise: Exercise, commitments, users, month) -> None:
    contact, implementer = users[POINT_OF_CONTACT], users[IMPLEMENTER]
    water, clinic, works = commitments["water"], commitments["clinic"], commitments["works"]
    # (who, Annex 5 type, title, when, what is filed: a link, or a file's name and content,
    # the lines of a PDF or an image; what it is filed on, and a description if any)
    for user, kind, title, when, filed, on in [
        (
            contact,
            E.DECISION_RECORDS,
            es_en(
                "Convenio de coordinación con la Jurisdicción Sanitaria Valle",
                "Coordination agreement with the Valle health district",
            ),
            month(2, 19, 18),
            (
                "convenio-jurisdiccion-sanitaria.pdf",
                [
                    (14, "Convenio de coordinación"),
                    (11, "H. Ayuntamiento de Santa Lucía del Valle y Jurisdicción Sanitaria Valle"),
                    (11, ""),
                    (11, "Primera. La Jurisdicción asigna un médico general y una enfermera"),
                    (11, "al centro de salud de San Isidro los sábados y domingos, de 8 a 20 h."),
                    (11, "Segunda. El municipio cubre vigilancia, limpieza, alumbrado y el"),
                    (11, "cuarto de guardia."),
                    (11, "Tercera. Una mesa trimestral con minutas públicas da seguimiento."),
                ],
            ),
            {"milestone": clinic.milestones[0]},
        ),
        (
            contact,
            E.PHOTOS,
            es_en(
                "Cuarto de guardia equipado del centro de salud de San Isidro",
                "The equipped on-call room of San Isidro health centre",
            ),
            month(2, 26, 13),
            ("cuarto-de-guardia.png", room_photo()),
            {"milestone": clinic.milestones[2]},
        ),
        (
            implementer,
            E.PARTICIPANT_LIST,
            es_en(
                "Capacitación de los primeros comités ciudadanos de obra: asistencia",
                "Training of the first citizen works committees: attendance",
            ),
            month(2, 5, 12),
            (
                "capacitacion-comites-de-obra.pdf",
                [
                    (14, "Contraloría Municipal"),
                    (12, "Capacitación de comités ciudadanos de obra"),
                    (11, ""),
                    (11, "Comités capacitados: 4 (calle Hidalgo, La Loma, El Mirador, San Isidro)"),
                    (11, "Personas capacitadas: 22 (11 mujeres, 11 hombres)"),
                    (11, "Temas: leer el contrato, la bitácora y la estimación de una obra."),
                ],
            ),
            {"milestone": works.milestones[2]},
        ),
        (
            contact,
            E.USER_STATISTICS,
            es_en(
                "Reportes de fugas del primer mes completo de la línea",
                "Leak reports in the line's first full month",
            ),
            month(4, 7, 12),
            (
                "reportes-de-fugas-primer-mes.pdf",
                [
                    (14, "CAPASL: línea de reportes de fugas"),
                    (11, "Primer mes completo"),
                    (11, ""),
                    (11, "Reportes recibidos: 312 (WhatsApp 201, teléfono 88, en línea 23)"),
                    (11, "Con folio y respuesta en 24 horas: 284 (91 %)"),
                    (11, "Fugas reparadas: 247; tiempo medio de reparación: 9 días"),
                ],
            ),
            {"milestone": water.milestones[1]},
        ),
        (
            contact,
            E.BUDGET_DECISIONS,
            es_en(
                "Acuerdo de Cabildo: el FAIS para válvulas y macromedidores de El Mirador",
                "Council resolution: the FAIS for El Mirador's valves and bulk meters",
            ),
            month(4, 27, 18),
            (
                "acuerdo-de-cabildo-fais.pdf",
                [
                    (14, "H. Ayuntamiento de Santa Lucía del Valle"),
                    (12, "Acuerdo de Cabildo"),
                    (11, ""),
                    (11, "Se aprueba destinar 1,250,000 pesos del Fondo de Aportaciones para"),
                    (11, "la Infraestructura Social a válvulas de seccionamiento y"),
                    (11, "macromedidores para la red de agua de El Mirador."),
                ],
            ),
            {"milestone": water.milestones[3]},
        ),
        (
            contact,
            E.THIRD_PARTY_ANALYSIS,
            es_en(
                "Informe ciudadano del Observatorio Urbano sobre los tiempos de reparación de fugas",
                "The Observatorio Urbano's citizen report on leak repair times",
            ),
            month(5, 15, 11),
            "https://observatorio.example.org/informes/fugas-el-mirador",
            {
                "commitment": water,
                "description": es_en(
                    "El Observatorio revisó 60 reportes con folio en la calle: 52 fugas estaban reparadas, y 8 seguían abiertas aunque el tablero las daba por cerradas.",
                    "The Observatory checked 60 logged reports in the street: 52 leaks were repaired, and 8 were still open although the dashboard showed them closed.",
                ),
            },
        ),
        (
            implementer,
            E.AUDIT_REPORTS,
            es_en(
                "Revisión de la Contraloría: contratos publicados en el micrositio",
                "The Comptroller's review: contracts published on the microsite",
            ),
            month(5, 20, 16),
            (
                "revision-contraloria-contratos.pdf",
                [
                    (14, "Contraloría Municipal"),
                    (12, "Revisión de los contratos de obra publicados"),
                    (11, ""),
                    (11, "Contratos del año: 24. Publicados completos: 22. Con convenios: 22."),
                    (11, "Observación: dos contratos sin su convenio modificatorio; Obras"),
                    (11, "Públicas los publicará antes del cierre del trimestre."),
                ],
            ),
            {"commitment": works},
        ),
        (
            contact,
            E.TECHNICAL_DOCUMENTS,
            es_en(
                "Micrositio de obra pública en datos abiertos (EDCA)",
                "Public-works microsite with open data (OCDS)",
            ),
            month(5, 23, 13),
            "https://obras.santalucia.example.mx/",
            {"milestone": works.milestones[0]},
        ),
    ]:
        _evidence(exercise, user, kind, title, when, **_filed(filed), **on)


def _filed(filed: str | tuple[str, bytes | list[tuple[int, str]]]) -> dict:
    """`_evidence`'s keyword for a link or a file."""
    if isinstance(filed, str):
        return {"link": filed}
    name, content = filed
    return {"file": (name, content if isinstance(content, bytes) else pdf(content))}


# ----- small real files ------------------------------------------------------------------


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A valid RGB PNG drawn pixel by pixel."""
    rows = b"".join(
        b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def launch_photo() -> bytes:
    """The town hall, a stage with a banner, and the audience's heads."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if y >= 120 and ((x % 12 - 6) ** 2 + (y % 12 - 6) ** 2) < 20:
            return (60, 45, 40)  # heads
        if 70 <= y < 85 and 70 <= x < 250:
            return (150, 30, 45)  # the banner
        if 85 <= y < 110 and 60 <= x < 260:
            return (120, 90, 60)  # the stage
        if 20 <= y < 110 and 30 <= x < 290:
            if 40 <= y < 65 and (x - 30) % 30 < 14:
                return (90, 70, 55)  # arches
            return (230, 215, 180)  # the town hall
        if y < 110:
            return (150, 195, 235 - y // 2)  # the sky
        return (175, 170, 160)  # the square

    return png(320, 180, pixel)


def room_photo() -> bytes:
    """A small room: green walls, a bed, a door and a lamp."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if (x - 160) ** 2 + (y - 20) ** 2 < 90:
            return (255, 240, 170)  # the lamp
        if 110 <= y < 140 and 30 <= x < 150:
            return (245, 245, 245)  # the bed
        if 40 <= y < 150 and 220 <= x < 270:
            return (130, 90, 50)  # the door
        if y >= 150:
            return (200, 200, 195)  # the floor
        return (190, 225, 200)  # the walls

    return png(320, 180, pixel)
