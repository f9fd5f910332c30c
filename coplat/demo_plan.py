"""The demo's action plan (INAI step 5), written and endorsed as a complete draft; the
point of contact (enlace@demo.coplat.mx) submits and launches it later
(`demo_tracking`). The facilitator opened it when the water commitment was approved;
the point of contact wrote the strategic vision (Annex 1) in Spanish and English the
next day, with what the platform proposes for the fields it knows (5.5, 5.6, 5.7 and
9); the STL approved the last commitment at its session on the evening of day 60 and
the plan took all four. Two non-governmental actors endorsed that revision: the
Colectivo Ciudadano from Rosa Hernández's account, and the Colegio de Ingenieros with a
signed letter the facilitator recorded. Played through the services, with the clock of
`demo_commitments`; the vision names the years of the demo's timeline
(`demo_timeline`)."""

import io
from datetime import datetime

import sqlalchemy as sa
from babel.dates import format_date
from flask import current_app, has_request_context
from werkzeug.datastructures import FileStorage

from coplat.accounts.models import User
from coplat.commitments.services import commitments_of
from coplat.config import default_base_url
from coplat.consultation.models import OfflineInput
from coplat.core.uploads import store_upload
from coplat.demo_commitments import (
    CIVIL_SOCIETY,
    FACILITATOR,
    WATER_COMMITMENT,
    clock,
    complete_public_works,
)
from coplat.demo_tables import ACTORS, es_en
from coplat.demo_timeline import Timeline
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.plan import services
from coplat.plan.models import ActionPlan

POINT_OF_CONTACT = "enlace@demo.coplat.mx"

# The paper endorsement: a private-sector actor of the working tables.
PAPER_ENDORSER = ACTORS["ingenieros"][0]
PAPER_REPRESENTATIVE = ("Ing. Rubén Morales Bautista", "Presidente del consejo directivo")


def load_plan(exercise: Exercise, users: dict[str, User]) -> ActionPlan:
    """Called after the commitments and the late online proposal: the public-works
    commitment answers that proposal and is approved, then the plan is opened, written
    and endorsed, on days 59–60 up to 17:45 local."""
    day = clock(exercise)
    facilitator, contact = users[FACILITATOR], users[POINT_OF_CONTACT]
    complete_public_works(exercise, users)
    [water] = [
        c for c in commitments_of(exercise) if c.title["es"] == WATER_COMMITMENT["title"]["es"]
    ]

    # The facilitator opened the plan as soon as the first commitment was approved.
    plan = services.plan_of(exercise)
    plan.created_at = day(59, 13)
    services.add_commitment(plan, water)
    db.session.flush()

    # The point of contact wrote the strategic vision: revision 1, with water alone.
    services.save_vision(plan, vision(plan, day(60, 12)), contact, now=day(60, 12))

    # After the STL's session the facilitator added the other three, in the tables'
    # order: revision 2, the one both actors endorse.
    for commitment in commitments_of(exercise):
        if commitment is not water:
            services.add_commitment(plan, commitment)

    endorsement = services.endorse(
        plan, users[CIVIL_SOCIETY], "Coordinadora general", now=day(60, 17, 30)
    )
    endorsement.created_at = endorsement.endorsed_at
    _record_paper_endorsement(exercise, plan, facilitator, day(60, 17, 45))
    db.session.flush()
    return plan


def _record_paper_endorsement(
    exercise: Exercise, plan: ActionPlan, facilitator: User, when: datetime
) -> None:
    """The Colegio de Ingenieros signed its endorsement on paper at the STL's session;
    the facilitator scans the letter and records it."""
    actor = db.session.scalar(
        sa.select(Actor).where(Actor.exercise_id == exercise.id, Actor.name == PAPER_ENDORSER)
    )
    representative, position = PAPER_REPRESENTATIVE
    revision = services.current_revision(plan, facilitator, when)
    letter = endorsement_letter(
        exercise, revision.number, exercise.to_local(when).date(), representative, position
    )
    document = store_upload(
        FileStorage(io.BytesIO(letter), filename="aval-colegio-de-ingenieros.pdf"),
        exercise=exercise,
        user=facilitator,
    )
    document.created_at = when
    endorsement = services.record_endorsement(
        plan, actor, representative, position, document, facilitator, now=when
    )
    endorsement.created_at = when


# ----- the strategic vision (Annex 1) -------------------------------------------------


def _proposals(plan: ActionPlan, now: datetime) -> dict:
    """What the platform proposes; field 9 links to the consultation at the platform's
    public address, which needs a request (or SERVER_NAME) to be built. Loaded from the
    command line, outside a request, the demo takes COPLAT_BASE_URL (as `coplat export`
    does), else the address `coplat run` serves by default (README's quick start)."""
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return services.proposals(plan, now)
    with current_app.test_request_context(base_url=default_base_url()):
        return services.proposals(plan, now)


def vision(plan: ActionPlan, now: datetime) -> dict:
    """Every Annex 1 field, in Spanish and English, as the point of contact saves it."""
    exercise = plan.exercise
    proposed = _proposals(plan, now)
    consultation = exercise.consultation
    online = consultation.participant_count
    offline = db.session.scalar(
        sa.select(sa.func.sum(OfflineInput.participants)).where(
            OfflineInput.consultation_id == consultation.id
        )
    )
    meetings = proposed["meeting_count"].value
    # The texts name the plan's years and the co-creation's dates as placeholders.
    return Timeline.of(exercise).resolve(
        {
            "administration_ends": exercise.administration_ends,
            "plan_starts_on": exercise.plan_starts_on,
            "plan_ends_on": exercise.plan_ends_on,
            "foreword": es_en(
                "Santa Lucía del Valle presenta su primer Plan de Acción Local de Gobierno Abierto, co-creado durante {COCREATION} por el H. Ayuntamiento, organizaciones de la sociedad civil, el órgano garante de transparencia del estado, la academia, el sector privado y cientos de vecinas y vecinos de la cabecera, las colonias y las comunidades de la sierra. El plan nace de una consulta pública en la que la ciudadanía propuso y votó los problemas que deben atenderse primero, y de mesas de trabajo en las que gobierno y sociedad analizaron sus causas y acordaron soluciones. Sus cuatro compromisos —agua con aviso, luminarias con folio, atención médica en fin de semana en San Isidro y obra pública abierta— responden a esas prioridades, y cada propuesta recibida tiene su respuesta pública en la bitácora de retroalimentación de esta plataforma.",
                "Santa Lucía del Valle presents its first Local Open Government Action Plan, co-created during {COCREATION} by the municipal council, civil society organisations, the state's transparency guarantor body, academia, the private sector and hundreds of residents of the town centre, its neighbourhoods and the mountain communities. The plan grew out of a public consultation in which citizens proposed and voted for the problems to tackle first, and out of working tables where government and society analysed their causes and agreed on solutions. Its four commitments —water with notice, street lights with a reference number, weekend medical care in San Isidro and open public works— answer those priorities, and every proposal received has its public answer in this platform's feedback log.",
            ),
            "vision": es_en(
                "Para {VISION_YEAR}, Santa Lucía del Valle será un municipio donde cualquier persona, viva en la cabecera o en la sierra, pueda saber qué hace su gobierno con el agua, el alumbrado, la salud y la obra pública; reportar un problema y seguirlo con un folio hasta que se resuelva; y participar en las decisiones que le afectan, con respuestas públicas y plazos que se cumplen. El gobierno abierto será la forma ordinaria de prestar los servicios públicos, no un proyecto aparte.",
                "By {VISION_YEAR}, Santa Lucía del Valle will be a municipality where anyone, whether they live in the town centre or in the mountains, can know what their government does with water, street lighting, health and public works; report a problem and follow it with a reference number until it is solved; and take part in the decisions that affect them, with public answers and deadlines that are kept. Open government will be the ordinary way of delivering public services, not a separate project.",
            ),
            "achievements": es_en(
                f"El {{DECLARED_ON}} el Ayuntamiento, el Colectivo Ciudadano por la Transparencia y el Instituto de Transparencia del Estado firmaron la declaratoria conjunta de gobierno abierto, y el {{STL_ON}} se instaló el Secretariado Técnico Local con reglas de operación públicas. Los foros de sensibilización en la cabecera y en San Pedro Tlachichilco reunieron a 128 personas. La primera consulta pública del municipio recibió temas y votos de {online} personas en esta plataforma y de {offline} en una mesa regional, una asamblea comunitaria, encuestas en papel y un buzón, y cada tema tuvo una respuesta pública. La Unidad de Transparencia publica los formatos obligatorios en la Plataforma Nacional de Transparencia, aunque todavía no en datos abiertos.",
                f"On {{DECLARED_ON}} the municipal council, the Colectivo Ciudadano por la Transparencia and the state's Transparency Institute signed the joint open government declaration, and on {{STL_ON}} the Local Technical Secretariat (STL) was installed with public rules of procedure. Awareness forums in the town centre and in San Pedro Tlachichilco brought together 128 people. The municipality's first public consultation received topics and votes from {online} people on this platform and from {offline} through a regional table, a community assembly, paper surveys and a suggestion box, and every topic received a public answer. The Transparency Unit publishes the mandatory forms on the National Transparency Platform, though not yet as open data.",
            ),
            "challenges": es_en(
                "Los servicios básicos se prestan sin información pública ni plazos: los cortes de agua no se avisan, los reportes de fugas y de luminarias se pierden en ventanilla, y la obra pública se contrata sin que la ciudadanía conozca los contratos ni sus avances. Las comunidades de la sierra, lejos de la cabecera y con mala señal de celular, tienen menos acceso a la información y a servicios como la atención médica en fin de semana. Lo que se publica está en formatos cerrados que no permiten dar seguimiento, y la participación ciudadana se limitaba a consultas sin respuesta.",
                "Basic services are delivered without public information or deadlines: water cuts are not announced, reports of leaks and broken street lights get lost at the counter, and public works are contracted without citizens knowing the contracts or their progress. The mountain communities, far from the town centre and with poor mobile coverage, have less access to information and to services such as weekend medical care. What is published comes in closed formats that cannot be followed up, and citizen participation used to end in consultations nobody answered.",
            ),
            "goals": es_en(
                "Al cierre del plan, en {PLAN_END}: que el agua y el alumbrado reciban reportes con folio y publiquen su atención en datos abiertos; reducir el tiempo medio de reparación de fugas de 23 días a 72 horas y reparar el 80 % de las luminarias reportadas en cinco días hábiles; abrir el centro de salud de San Isidro todos los fines de semana de 8 a 20 h; publicar completos todos los contratos de obra de {YEAR} con el Estándar de Datos para las Contrataciones Abiertas; y que el STL siga sesionando cada mes con minutas públicas.",
                "By the end of the plan, in {PLAN_END}: the water utility and street lighting take reports with reference numbers and publish how they deal with them as open data; the average leak repair time falls from 23 days to 72 hours and 80% of reported street lights are repaired within five working days; San Isidro health centre opens every weekend from 8 am to 8 pm; every {YEAR} public works contract is published in full following the Open Contracting Data Standard; and the STL keeps meeting every month with public minutes.",
            ),
            "plan_contribution": es_en(
                "Cada compromiso ataca las causas estratégicas que la ciudadanía eligió en las mesas de trabajo y abre información donde hoy no la hay. Juntos prueban en cuatro servicios un mismo modelo —reporte con folio, datos abiertos, plazos públicos y vigilancia ciudadana— que el municipio podrá extender a otros servicios en el siguiente plan, y dejan funcionando los espacios de colaboración (el STL, los comités vecinales y de obra, la mesa trimestral de salud) que sostienen la visión.",
                "Each commitment tackles the strategic causes citizens chose at the working tables and opens up information where there is none today. Together they test in four services one model —reports with reference numbers, open data, public deadlines and citizen oversight— that the municipality can extend to other services in the next plan, and they leave working the spaces of collaboration (the STL, the neighbourhood and works committees, the quarterly health meeting) on which the vision rests.",
            ),
            "administration_contribution": es_en(
                "El Plan Municipal de Desarrollo {PMD} tiene entre sus ejes el bienestar de todas las comunidades (eje 1), servicios públicos de calidad (eje 2), una Santa Lucía segura (eje 3) y un gobierno honesto y abierto (eje 5). La visión de gobierno abierto da a esos ejes metas verificables por la ciudadanía: cada compromiso del plan se vincula con uno de ellos y sus indicadores se reportarán junto con los del Plan Municipal de Desarrollo en el informe anual del Presidente Municipal.",
                "The Municipal Development Plan {PMD} includes among its pillars the well-being of every community (pillar 1), quality public services (pillar 2), a safe Santa Lucía (pillar 3) and honest and open government (pillar 5). The open government vision gives those pillars targets citizens can check: each commitment of the plan is tied to one of them, and its indicators will be reported with those of the Municipal Development Plan in the Municipal President's annual report.",
            ),
            "institutions": es_en(
                "Comisión de Agua Potable y Alcantarillado de Santa Lucía (CAPASL); Dirección de Servicios Públicos Municipales; Tesorería Municipal; Coordinación Municipal de Salud; Dirección de Protección Civil y Bomberos; Dirección de Obras Públicas Municipales; Contraloría Municipal; y Unidad de Transparencia Municipal. La Jurisdicción Sanitaria Valle, de los Servicios de Salud de Hidalgo, participa mediante convenio.",
                "The water and sewerage utility of Santa Lucía (CAPASL); the Public Services department; the Municipal Treasury; the Municipal Health Office; Civil Protection and Fire Service; the Public Works department; the Municipal Comptroller; and the Municipal Transparency Unit. The Valle health district of the Hidalgo Health Services takes part under an agreement.",
            ),
            "coordination": es_en(
                "El punto de contacto ante OGP, en la Presidencia Municipal, coordina el plan. Cada dependencia responsable nombró un enlace; los enlaces se reúnen cada mes con la Contraloría Municipal para revisar avances y evidencias antes de cada sesión del STL. El Cabildo aprobó un acuerdo que instruye a las dependencias a cumplir los compromisos, y la Tesorería reservó sus recursos en el presupuesto de egresos {YEAR}.",
                "The OGP point of contact, in the Municipal President's office, coordinates the plan. Each responsible department named a liaison; the liaisons meet every month with the Municipal Comptroller to review progress and evidence before each STL session. The council passed a resolution instructing the departments to deliver the commitments, and the Treasury set aside their resources in the {YEAR} budget.",
            ),
            "spaces": es_en(
                f"El Secretariado Técnico Local, con gobierno, sociedad civil y órgano garante, que sesiona cada mes y decide por consenso. La consulta pública de temas en esta plataforma, sumada a una mesa regional en La Loma, una asamblea comunitaria en San Isidro, encuestas en papel en el mercado y un buzón en el Palacio Municipal. Para cada tema priorizado, una jornada abierta para construir el árbol de problemas y una mesa de trabajo para acordar soluciones: {meetings} sesiones en la cabecera, El Mirador y San Isidro, una de ellas en línea. Las propuestas también se recibieron en línea, y la bitácora de retroalimentación publica la respuesta a cada una.",
                f"The Local Technical Secretariat, with government, civil society and the guarantor body, which meets every month and decides by consensus. The public consultation on topics on this platform, together with a regional table in La Loma, a community assembly in San Isidro, paper surveys at the market and a suggestion box at the town hall. For each prioritised topic, an open day to build the problem tree and a working table to agree solutions: {meetings} sessions in the town centre, El Mirador and San Isidro, one of them online. Proposals were also received online, and the feedback log publishes the answer to each one.",
            ),
            "diversity": es_en(
                "Las sesiones se celebraron en las comunidades y no sólo en la cabecera, con interpretación al hñähñu, en sedes accesibles y en horario vespertino para quienes trabajan. Cada sector del STL convocó a sus pares, y se invitó expresamente a la Red de Mujeres del Valle, la Asociación de Personas con Discapacidad del Valle, la Red de Parteras Tradicionales de la Sierra, Jóvenes por Santa Lucía y los comités vecinales. Los canales en papel y las asambleas llegaron a quienes no usan internet, y el perfil voluntario y anónimo de participantes (edad, género, región, pertenencia indígena y discapacidad) se publicó con los resultados para ver a quién faltaba escuchar.",
                "Sessions were held in the communities and not only in the town centre, with interpreting into Hñähñu, in accessible venues and in the evening for those who work. Each STL sector convened its peers, and the Red de Mujeres del Valle, the Valle association of people with disabilities, the network of traditional midwives, Jóvenes por Santa Lucía and the neighbourhood committees were expressly invited. Paper channels and assemblies reached those who do not use the internet, and the voluntary, anonymous profile of participants (age, gender, region, indigenous identity and disability) was published with the results to show who still needed to be heard.",
            ),
            "participants": proposed["participants"].value,
            "group_count": proposed["group_count"].value,
            "meeting_count": meetings,
            "continued_collaboration": es_en(
                "El STL seguirá sesionando cada mes y revisará en cada sesión el avance de un compromiso, con sus implementadores no gubernamentales. Cada compromiso tiene actores de la sociedad civil o de la academia como co-implementadores: el Comité Vecinal de El Mirador, el Observatorio Urbano, el Consejo Ciudadano de Seguridad, el Comité de Salud de San Isidro, la Red de Mujeres, el Colectivo Ciudadano y el Colegio de Ingenieros. Al menos dos veces al año habrá una sesión abierta de seguimiento en la cabecera y otra en una comunidad de la sierra, y los avances trimestrales se publicarán en esta plataforma, donde cualquiera puede comentarlos.",
                "The STL will keep meeting every month and will review at each session the progress of one commitment with its non-governmental implementers. Each commitment has civil society or academic co-implementers: the El Mirador neighbourhood committee, the Observatorio Urbano, the citizens' security council, the San Isidro Health Committee, the Red de Mujeres, the Colectivo Ciudadano and the Association of Civil Engineers. At least twice a year there will be an open follow-up session in the town centre and another in a mountain community, and quarterly progress will be published on this platform, where anyone can comment on it.",
            ),
            "monitoring_body": es_en(
                "El Observatorio de Gobierno Abierto de la Universidad Tecnológica del Valle, designado por el STL como ente de monitoreo independiente. Su equipo, de la División de Ciencias Sociales, no implementa ningún compromiso: la profesora que ayuda a la CAPASL a calcular los indicadores del compromiso del agua no forma parte de él. Entregará la evaluación inicial del plan dentro de los dos meses siguientes a su presentación, una evaluación de cada compromiso al mes de concluir y un ejercicio final de aprendizaje.",
                "The Open Government Observatory of the Universidad Tecnológica del Valle, appointed by the STL as the independent monitoring body. Its team, from the Social Sciences Division, implements no commitment: the professor who helps CAPASL compute the water commitment's indicators is not part of it. It will deliver the initial assessment of the plan within two months of its submission, an assessment of each commitment a month after it ends, and a final learning exercise.",
            ),
            "monitoring_contact": "Mtro. Ernesto Villalobos Paz, coordinador del Observatorio de Gobierno Abierto, Universidad Tecnológica del Valle. Correo: vinculacion@utv.example.mx. Teléfono: 771 555 0142.",
            "progress_discussions": es_en(
                "Durante la co-creación, el STL revisó en sus sesiones el avance de las mesas y de cada borrador de compromiso, y sus tres sectores aprobaron cada compromiso sobre una versión concreta, con sus comentarios públicos en esta plataforma. Para la implementación, el STL acordó un calendario: informes trimestrales de avance, presentados en sesión abierta del STL, y dos sesiones abiertas de seguimiento al año, una en la cabecera y otra en una comunidad de la sierra.",
                "During co-creation, the STL reviewed at its sessions the progress of the tables and of each draft commitment, and its three sectors approved each commitment on a specific version, with their comments public on this platform. For implementation, the STL agreed a calendar: quarterly progress reports, presented at an open STL session, and two open follow-up sessions a year, one in the town centre and one in a mountain community.",
            ),
            "implementer_consultation": es_en(
                "Quince días antes de cada informe trimestral, el punto de contacto pide a cada enlace el avance de sus hitos con evidencia, que se publica en esta plataforma. Los enlaces se reúnen cada mes con la Contraloría Municipal, y el ente de monitoreo puede pedir información directamente a cada dependencia conforme al convenio firmado con el Ayuntamiento; si no la obtiene, puede solicitarla por la vía de acceso a la información.",
                "Fifteen days before each quarterly report, the point of contact asks each liaison for the progress of their milestones with evidence, which is published on this platform. The liaisons meet every month with the Municipal Comptroller, and the monitoring body may ask any department for information directly under its agreement with the council; failing that, it can file a freedom-of-information request.",
            ),
            "results_sharing": es_en(
                "Las evaluaciones del ente de monitoreo, los informes trimestrales y sus evidencias se publicarán en esta plataforma, con los indicadores en datos abiertos. Los resultados se presentarán en las sesiones abiertas de seguimiento y en las asambleas comunitarias, con un resumen en hñähñu difundido por la radio comunitaria, y se enviarán a OGP para su publicación.",
                "The monitoring body's assessments, the quarterly reports and their evidence will be published on this platform, with the indicators as open data. The results will be presented at the open follow-up sessions and at community assemblies, with a summary in Hñähñu on community radio, and sent to OGP for publication.",
            ),
            "consultation_link": proposed["consultation_link"].value,
        }
    )


# ----- the signed letter ----------------------------------------------------------------


def endorsement_letter(
    exercise: Exercise, revision: int, signed_on, representative: str, position: str
) -> bytes:
    """A one-page PDF: the Colegio's letter endorsing the plan, as scanned."""
    lines = [
        (16, "Colegio de Ingenieros Civiles del Valle, A.C."),
        (11, f"Santa Lucía del Valle, Hidalgo, a {format_date(signed_on, 'long', locale='es')}"),
        (11, ""),
        (12, "Carta de aval al Plan de Acción Local de Gobierno Abierto"),
        (11, ""),
        (11, "Al Secretariado Técnico Local de Gobierno Abierto de Santa Lucía del Valle:"),
        (11, ""),
        (11, "El Colegio de Ingenieros Civiles del Valle, A.C., que participó en las mesas"),
        (11, "de trabajo de agua y de obra pública, avala el Plan de Acción Local de Gobierno"),
        (
            11,
            f"Abierto {exercise.plan_starts_on.year}–{exercise.plan_ends_on.year}, en su revisión {revision},",
        ),
        (11, "con sus cuatro compromisos aprobados por el STL, y se compromete a colaborar"),
        (11, "en su implementación conforme a lo establecido en cada compromiso."),
        (11, ""),
        (11, "Atentamente,"),
        (11, ""),
        (11, "(firma)"),
        (11, representative),
        (11, position),
    ]
    return pdf(lines)


def pdf(lines: list[tuple[int, str]]) -> bytes:
    """A minimal, valid single-page PDF in Helvetica (WinAnsi, which covers Spanish)."""

    def text(value: str) -> bytes:
        raw = value.encode("cp1252")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = [b"BT", b"72 720 Td"]
    for size, line in lines:
        stream += [b"/F1 %d Tf" % size, b"(" + text(line) + b") Tj", b"0 -%d Td" % (size + 7)]
    stream.append(b"ET")
    content = b"\n".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
