"""The demo's commitments (INAI step 4, NOSC stages 6–7): one per working table, drafted
by the facilitator in the OGP Local template (Annex 2) from the table's proposals and
reviewed by the STL, revision by revision, until the three sectors approve all four.
Water is approved at its first review. Street lighting takes two rounds: civil society
approves the first, the guarantor body rejects it with its reasons (personal data, and an
indicator that counts walks rather than repairs), and the revision that answers them is
approved by the three sectors. The health draft is completed with the health district's
answer and approved; the public-works draft, at first partly in Spanish only, is
translated and completed, takes the online proposal that reached its table late, and is
approved at the STL's session on the evening the plan is endorsed (`complete_public_works`,
which `demo_plan` calls once that proposal exists). Every proposal ends with its
decision: taken by a commitment, as it was or adapted, or rejected with a reason; one
rejection's reason is later corrected, at the guarantor body's request. Played through
the services, in the days after the working tables, so revisions and decisions carry
believable dates."""

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from coplat.accounts.models import Role, User
from coplat.commitments import services
from coplat.commitments.enums import Verdict
from coplat.commitments.models import Commitment
from coplat.demo_tables import CLINIC, LIGHTS, WATER, WORKS, Node, Table, es_en
from coplat.demo_timeline import Timeline
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback import services as feedback
from coplat.feedback.enums import Decision
from coplat.tables import services as tables
from coplat.tables.models import Proposal, WorkingTable

ADOPTED, MODIFIED, REJECTED = Decision.ADOPTED, Decision.MODIFIED, Decision.REJECTED

FACILITATOR = "facilitadora@demo.coplat.mx"
GOVERNMENT = "stl.gobierno@demo.coplat.mx"
GOVERNMENT_SUPLENTE = "stl.gobierno.suplente@demo.coplat.mx"
CIVIL_SOCIETY = "stl.sociedad@demo.coplat.mx"
GUARANTOR = "stl.garante@demo.coplat.mx"

# The action plan's period as the texts are written (demo_timeline.TEMPLATE_START); the
# demo moves every date below, and fills the placeholders in braces, to the real period
# as it drafts (`_draft`, `_revise`). A commitment lasts at least a calendar year within
# the period, so these span all of it. Quarters of the template: the plan is launched in
# 2026-Q2, the demo is loaded in 2026-Q4, and the plan ends with 2027-Q1.
PLAN = ("2026-04-01", "2027-03-31")


def implementer(
    institution: str,
    contact: str,
    title: dict,
    email: str,
    role: dict,
    branch: str | None = None,
) -> dict:
    return {
        "institution": institution,
        "branch": branch,
        "contact_name": contact,
        "contact_title": title,
        "email": email,
        "role": role,
    }


def milestone(
    output: dict,
    starts_on: str | None,
    ends_on: str | None,
    institution: str,
    contact: str,
    indicator: dict,
) -> dict:
    return {
        "output": output,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "institution": institution,
        "contact": contact,
        "status": "not_started",
        "indicator": indicator,
    }


def content(**fields) -> dict:
    """A content dict as `services.content_of` returns it, blank where not given."""
    blank = {name: {} for name in services.TEXT_FIELDS}
    blank.update(
        topic=None,
        causes=[],
        starts_on=None,
        ends_on=None,
        policy_areas=[],
        policy_sectors=[],
        ogp_values=[],
        budget_amount=None,
        budget_currency="MXN",
        staff=None,
        months=None,
        resources_available=None,
        ambition=None,
        sdgs=[],
        withdrawn=False,
        milestones=[],
        government=[],
        non_governmental=[],
        other=[],
    )
    return blank | fields


# ----- water: approved by the three sectors -----------------------------------------

CAPASL = "Comisión de Agua Potable y Alcantarillado de Santa Lucía (CAPASL)"

WATER_COMMITMENT = content(
    title=es_en(
        "Agua con aviso: calendario público de tandeo, reportes de fugas con folio y reparación en 72 horas",
        "Water with notice: a public supply rota, leak reports with reference numbers and repairs within 72 hours",
    ),
    starts_on=PLAN[0],
    ends_on=PLAN[1],
    government=[
        implementer(
            CAPASL,
            "Ing. Héctor Trejo Olvera",
            es_en("Director general", "Director general"),
            "htrejo@capasl.santalucia.example.mx",
            es_en(
                "Responsable del compromiso: publica el calendario de tandeo, opera la línea de reportes y repara las fugas.",
                "Lead institution: publishes the supply rota, runs the reporting line and repairs the leaks.",
            ),
            branch="executive",
        ),
        implementer(
            "Unidad de Transparencia Municipal",
            "Lic. Sandra Islas Monroy",
            es_en("Titular de la Unidad de Transparencia", "Head of the Transparency Unit"),
            "transparencia@santalucia.example.mx",
            es_en(
                "Publica el tablero en datos abiertos y cuida que no se publiquen datos personales de quienes reportan.",
                "Publishes the dashboard as open data and makes sure no personal data of those reporting is published.",
            ),
            branch="executive",
        ),
    ],
    non_governmental=[
        implementer(
            "Comité Vecinal de El Mirador",
            "Refugio Olvera Cruz",
            es_en("Presidenta del comité", "Chair of the committee"),
            "comite.mirador@example.mx",
            es_en(
                "Difunde el calendario en las tiendas de la colonia y verifica cada mes que los avisos de corte lleguen a tiempo.",
                "Spreads the rota through the neighbourhood's shops and checks every month that notices of cuts arrive on time.",
            ),
        ),
        implementer(
            "Observatorio Urbano Santa Lucía",
            "Arq. Leonel Bautista Cerón",
            es_en("Coordinador de proyectos", "Project coordinator"),
            "lbautista@observatorio.example.mx",
            es_en(
                "Co-diseña el tablero y publica cada trimestre un informe ciudadano sobre los tiempos de reparación.",
                "Co-designs the dashboard and publishes a quarterly citizens' report on repair times.",
            ),
        ),
    ],
    other=[
        implementer(
            "Universidad Tecnológica del Valle",
            "Dra. Ana Laura Trejo Islas",
            es_en("Profesora investigadora", "Research professor"),
            "altrejo@utv.example.mx",
            es_en(
                "Calcula el tiempo medio de reparación y el agua no contabilizada con los datos del tablero.",
                "Computes the average repair time and the non-revenue water from the dashboard's data.",
            ),
        ),
        implementer(
            "Colegio de Ingenieros Civiles del Valle, A.C.",
            "Ing. Rubén Morales Bautista",
            es_en("Presidente del consejo directivo", "Chair of the board"),
            "presidencia@ingenierosvalle.example.mx",
            es_en(
                "Asesora sin costo el diseño de la sectorización de la red de El Mirador.",
                "Advises, free of charge, on the design of the sectors of El Mirador's network.",
            ),
        ),
    ],
    problem=es_en(
        "Las familias de El Mirador y La Loma reciben agua potable sólo dos o tres días por semana, sin horario ni aviso de los cortes. La CAPASL estima que casi la mitad del agua que bombea se pierde en fugas de una red de asbesto de más de 40 años, y las fugas reportadas tardan en promedio 23 días en repararse. Los hogares gastan hasta 600 pesos al mes en pipas.",
        "Families in El Mirador and La Loma get piped water only two or three days a week, with no schedule and no notice of cuts. The utility (CAPASL) estimates that almost half of the water it pumps is lost through leaks in an asbestos-cement network over 40 years old, and reported leaks take 23 days on average to be repaired. Households spend up to 600 pesos a month on water trucks.",
    ),
    status_quo=es_en(
        "Los reportes de fugas sólo se reciben en la ventanilla de la CAPASL, en horario de oficina, sin folio ni registro. No existe un calendario público de tandeo y los cortes programados no se anuncian. La CAPASL no publica cuántas fugas atiende ni cuánto tarda en repararlas, y no sabe en qué tramos de la red se pierde el agua.",
        "Leak reports are only taken at the utility's counter, during office hours, with no reference number and no record. There is no public supply rota and planned cuts are not announced. The utility does not publish how many leaks it deals with or how long repairs take, and does not know in which stretches of the network the water is lost.",
    ),
    action=es_en(
        "La CAPASL publicará cada mes el calendario de tandeo por colonia y avisará los cortes programados con al menos 48 horas por SMS, WhatsApp y carteles en las tiendas. Recibirá reportes de fugas por WhatsApp, teléfono y en línea, cada uno con folio, y publicará un tablero en datos abiertos con cada reporte, su colonia, su estado y su tiempo de reparación, con la meta de reparar cada fuga en 72 horas. Además sectorizará la red de El Mirador para medir dónde se pierde el agua.",
        "The utility will publish every month the supply rota for each neighbourhood and give at least 48 hours' notice of planned cuts by SMS, WhatsApp and posters in shops. It will take leak reports on WhatsApp, by phone and online, each with a reference number, and publish an open-data dashboard with every report, its neighbourhood, its status and its repair time, aiming to repair every leak within 72 hours. It will also divide El Mirador's network into sectors to measure where water is lost.",
    ),
    contribution=es_en(
        "Avisar los cortes permite a las familias organizarse y almacenar agua de forma segura. El folio y el tablero hacen visible cada fuga y su tiempo de atención, lo que obliga a repararlas antes y reduce el agua perdida; la sectorización dirige la sustitución de tubería a donde más se pierde.",
        "Notice of cuts lets families plan and store water safely. Reference numbers and the dashboard make every leak and its response time visible, which pushes for faster repairs and less water lost; the sectors show where pipe replacement matters most.",
    ),
    vision_objective=es_en(
        "Plan Municipal de Desarrollo {PMD}, eje 2 «Servicios públicos de calidad»: agua potable suficiente y regular en todas las colonias del municipio.",
        "Municipal Development Plan {PMD}, pillar 2 “Quality public services”: enough piped water, delivered regularly, in every neighbourhood of the municipality.",
    ),
    policy_areas=["open_data", "social_accountability"],
    policy_sectors=["water", "public_services"],
    ogp_values=[
        "access_to_information",
        "civic_participation",
        "public_accountability",
        "technology",
    ],
    budget_amount="1250000.00",
    budget_currency="MXN",
    staff=6,
    months=12,
    other_resources=es_en(
        "Asesoría técnica sin costo del Colegio de Ingenieros; estudiantes de servicio social de la Universidad Tecnológica para capturar y verificar reportes.",
        "Free technical advice from the Association of Civil Engineers; social-service students from the Universidad Tecnológica to log and check reports.",
    ),
    resources_available="partial",
    additional_information=es_en(
        "El compromiso retoma las cuatro propuestas de la mesa de trabajo del agua. Las válvulas y los macromedidores se pagarán con el Fondo de Aportaciones para la Infraestructura Social (FAIS) {YEAR}, cuya distribución debe aprobar el Cabildo al arrancar el plan; la línea de reportes y el tablero se cubren con el presupuesto de la CAPASL.",
        "The commitment takes up the four proposals of the water working table. The valves and bulk meters will be paid from the {YEAR} Social Infrastructure Fund (FAIS), whose allocation the council must approve as the plan starts; the reporting line and the dashboard come out of the utility's budget.",
    ),
    ambition="proactive",
    sdgs=[6, 11, 16],
    gender_perspective=es_en(
        "Son sobre todo mujeres y niñas quienes acarrean y racionan el agua. Los avisos se difundirán también en hñähñu y en las tiendas donde compran las mujeres; el tablero mostrará, de forma voluntaria y anónima, el sexo de quien reporta, y el comité vecinal cuidará que al menos la mitad de quienes verifican los avisos sean mujeres.",
        "Women and girls do most of the fetching and rationing of water. Notices will also go out in Hñähñu and through the shops where women buy; the dashboard will show, voluntarily and anonymously, the sex of the person reporting, and the neighbourhood committee will make sure at least half of those checking the notices are women.",
    ),
    milestones=[
        milestone(
            es_en(
                "Calendario de tandeo por colonia publicado cada mes y aviso de cortes programados con 48 horas",
                "Supply rota for each neighbourhood published every month, and 48 hours' notice of planned cuts",
            ),
            "2026-05-01",
            "2027-03-31",
            CAPASL,
            "Ing. Héctor Trejo Olvera",
            es_en(
                "Porcentaje de cortes programados avisados con 48 horas o más (meta: 100 %), verificado cada mes por el Comité Vecinal de El Mirador",
                "Share of planned cuts announced 48 hours or more ahead (target: 100%), checked every month by the El Mirador neighbourhood committee",
            ),
        ),
        milestone(
            es_en(
                "Línea de reportes de fugas por WhatsApp, teléfono y en línea, cada reporte con folio",
                "A leak-reporting line on WhatsApp, by phone and online, each report with a reference number",
            ),
            "2026-04-15",
            "2026-08-31",
            CAPASL,
            "Ing. Héctor Trejo Olvera",
            es_en(
                "Porcentaje de reportes recibidos con folio y respuesta en 24 horas (meta: 90 %)",
                "Share of reports logged with a reference number and answered within 24 hours (target: 90%)",
            ),
        ),
        milestone(
            es_en(
                "Tablero público en datos abiertos con cada fuga, su estado y su tiempo de reparación",
                "A public open-data dashboard with every leak, its status and its repair time",
            ),
            "2026-07-01",
            "2027-03-31",
            "Unidad de Transparencia Municipal",
            "Lic. Sandra Islas Monroy",
            es_en(
                "Tiempo medio de reparación de fugas: de 23 días a 72 horas o menos al cierre del plan",
                "Average leak repair time: from 23 days to 72 hours or less by the end of the plan",
            ),
        ),
        milestone(
            es_en(
                "Red de El Mirador sectorizada con válvulas de seccionamiento y macromedidores",
                "El Mirador's network divided into sectors with sectioning valves and bulk meters",
            ),
            "2026-06-01",
            "2027-03-31",
            CAPASL,
            "Ing. Héctor Trejo Olvera",
            es_en(
                "Agua no contabilizada en El Mirador, medida por sector: del 48 % al 35 %",
                "Non-revenue water in El Mirador, measured by sector: from 48% to 35%",
            ),
        ),
    ],
)


def _water_first_draft(final: dict) -> dict:
    """The first revision: management indicators where the STL asked for results, and
    nothing yet on personal data or on gender."""
    draft = deepcopy(final)
    draft["government"][1]["role"] = es_en(
        "Publica el tablero en datos abiertos.", "Publishes the dashboard as open data."
    )
    draft["milestones"][2]["indicator"] = es_en(
        "Tablero publicado y actualizado cada semana", "Dashboard published and updated weekly"
    )
    draft["milestones"][3]["indicator"] = es_en(
        "Número de válvulas y macromedidores instalados", "Number of valves and meters installed"
    )
    draft["gender_perspective"] = {}
    return draft


WATER_DECISIONS = (
    # Reportar fugas por WhatsApp (Guadalupe, online)
    (ADOPTED, None),
    # Calendario público de tandeo (Comité Vecinal de El Mirador)
    (ADOPTED, None),
    # Reparar cada fuga en 72 horas, con un tablero público (Dra. Trejo)
    (ADOPTED, None),
    # Sectorizar la red de El Mirador (Colegio de Ingenieros)
    (
        MODIFIED,
        es_en(
            "La red de El Mirador se sectoriza en este plan para medir las pérdidas; la sustitución de la tubería de asbesto necesita un financiamiento que el municipio gestionará para el siguiente plan.",
            "El Mirador's network is divided into sectors in this plan to measure losses; replacing the asbestos-cement pipe needs funding the municipality will seek for the next plan.",
        ),
    ),
)

# ----- street lighting: rejected by the guarantor body, then approved -----------------

SERVICIOS = "Dirección de Servicios Públicos Municipales"

LIGHTS_COMMITMENT = content(
    title=es_en(
        "Luminarias con folio: reporte ciudadano, censo abierto y reparación en cinco días hábiles",
        "Street lights with a reference number: citizen reports, an open census and repairs within five working days",
    ),
    starts_on=PLAN[0],
    ends_on=PLAN[1],
    government=[
        implementer(
            SERVICIOS,
            "Ing. Arturo Zúñiga Reyes",
            es_en("Director de Servicios Públicos", "Director of Public Services"),
            "azuniga@santalucia.example.mx",
            es_en(
                "Responsable del compromiso: recibe los reportes, repara las luminarias y actualiza el censo.",
                "Lead institution: takes the reports, repairs the lights and keeps the census up to date.",
            ),
            branch="executive",
        ),
        implementer(
            "Tesorería Municipal",
            "C.P. Silvia Gómez Morales",
            es_en("Tesorera municipal", "Municipal treasurer"),
            "tesoreria@santalucia.example.mx",
            es_en(
                "Concilia los recibos de CFE con el censo, reclama los cobros indebidos y publica lo pagado cada bimestre.",
                "Reconciles CFE's bills with the census, disputes undue charges and publishes what is paid every two months.",
            ),
            branch="executive",
        ),
        implementer(
            "Unidad de Transparencia Municipal",
            "Lic. Sandra Islas Monroy",
            es_en("Titular de la Unidad de Transparencia", "Head of the Transparency Unit"),
            "transparencia@santalucia.example.mx",
            es_en(
                "Publica el aviso de privacidad antes de abrir la línea de reportes y revisa que el tablero muestre sólo folio, colonia, fecha y estado de cada reporte.",
                "Publishes the privacy notice before the reporting line opens, and checks that the dashboard shows only each report's reference number, neighbourhood, date and status.",
            ),
            branch="executive",
        ),
    ],
    non_governmental=[
        implementer(
            "Consejo Ciudadano de Seguridad de Santa Lucía",
            "Javier Mendoza Flores",
            es_en("Presidente del consejo", "Chair of the council"),
            "consejo.seguridad@example.mx",
            es_en(
                "Da seguimiento público a los reportes y a los plazos de reparación.",
                "Publicly follows up the reports and the repair deadlines.",
            ),
        ),
        implementer(
            "Comité Vecinal de El Mirador",
            "Refugio Olvera Cruz",
            es_en("Presidenta del comité", "Chair of the committee"),
            "comite.mirador@example.mx",
            es_en(
                "Organiza con Servicios Públicos los recorridos nocturnos de verificación.",
                "Organises the night-time checking walks with Public Services.",
            ),
        ),
    ],
    other=[
        implementer(
            "Instituto Tecnológico Superior de Santa Lucía",
            "Ing. Claudia Reyes Cerón",
            es_en("Jefa del departamento de servicio social", "Head of social service"),
            "servicio.social@itssl.example.mx",
            es_en(
                "Levanta con estudiantes el censo georreferenciado de luminarias.",
                "Maps every street light, with its location, type and condition, with its students.",
            ),
        ),
    ],
    problem=es_en(
        "Más de la mitad de las luminarias de El Mirador llevan meses apagadas y su reparación no tiene plazo ni seguimiento. Caminar de noche de la parada del autobús a casa es peligroso, sobre todo para las mujeres y para quienes salen de la secundaria en el turno vespertino.",
        "More than half of El Mirador's street lights have been out for months, and their repair has no deadline and no follow-up. Walking home from the bus stop at night is dangerous, above all for women and for pupils leaving the afternoon shift of the secondary school.",
    ),
    status_quo=es_en(
        "Los reportes sólo se reciben en ventanilla, sin folio ni plazo, y se pierden. El censo de alumbrado no se actualiza desde 2015, así que nadie sabe cuántas luminarias hay ni cuáles cobra CFE.",
        "Reports are only taken in person, with no reference number or deadline, and get lost. The street-lighting census has not been updated since 2015, so nobody knows how many lights there are or which ones CFE bills for.",
    ),
    action=es_en(
        "Servicios Públicos recibirá reportes en línea, por WhatsApp y por teléfono, cada uno con folio y un plazo de cinco días hábiles, y publicará cada reporte sólo con su folio, colonia, fecha y estado hasta que la luminaria quede reparada: el nombre y el teléfono de quien reporta no se publican, y el aviso de privacidad estará publicado antes de abrir la línea. Con el Tecnológico levantará un censo georreferenciado de luminarias, publicado en datos abiertos y en un mapa; la Tesorería lo conciliará con los recibos de CFE y publicará cada bimestre lo pagado.",
        "Public Services will take reports online, on WhatsApp and by phone, each with a reference number and a five-working-day deadline, and publish every report with only its reference number, neighbourhood, date and status until the light is fixed: the name and phone number of the person reporting are never published, and the privacy notice will be out before the line opens. With the Tecnológico it will map every street light, published as open data and on a map; the Treasury will reconcile the census with CFE's bills and publish what is paid every two months.",
    ),
    contribution=es_en(
        "El folio y la publicación de cada reporte evitan que se pierdan y hacen exigible el plazo; el censo permite planear el mantenimiento por zonas y dejar de pagar luminarias que no existen.",
        "Reference numbers and publishing every report stop reports getting lost and make the deadline enforceable; the census allows maintenance to be planned by area and stops payment for lights that do not exist.",
    ),
    vision_objective=es_en(
        "Plan Municipal de Desarrollo {PMD}, eje 3 «Santa Lucía segura»: calles iluminadas y espacios públicos seguros.",
        "Municipal Development Plan {PMD}, pillar 3 “A safe Santa Lucía”: lit streets and safe public spaces.",
    ),
    policy_areas=["open_data", "fiscal_openness"],
    policy_sectors=["public_services", "public_safety"],
    ogp_values=["access_to_information", "civic_participation", "public_accountability"],
    budget_amount="680000.00",
    budget_currency="MXN",
    staff=5,
    months=12,
    other_resources=es_en(
        "Doce estudiantes de servicio social del Tecnológico durante tres meses.",
        "Twelve social-service students from the Tecnológico for three months.",
    ),
    resources_available="yes",
    additional_information=es_en(
        "La compra de una segunda grúa está prevista en el presupuesto de egresos {YEAR}.",
        "A second bucket truck is included in the {YEAR} budget.",
    ),
    ambition="proactive",
    sdgs=[11, 16],
    gender_perspective=es_en(
        "Los recorridos nocturnos empezarán por las rutas que las mujeres de la colonia señalen como más inseguras, y el tablero priorizará las luminarias junto a paradas y escuelas.",
        "Night walks will start with the routes the neighbourhood's women name as least safe, and repairs near bus stops and schools come first.",
    ),
    milestones=[
        milestone(
            es_en(
                "Aviso de privacidad publicado; reportes en línea, por WhatsApp y por teléfono con folio, publicados sólo con folio, colonia, fecha y estado hasta la reparación",
                "Privacy notice published; reports online, on WhatsApp and by phone with a reference number, published with only their reference number, neighbourhood, date and status until the repair",
            ),
            "2026-06-01",
            "2026-09-30",
            SERVICIOS,
            "Ing. Arturo Zúñiga Reyes",
            es_en(
                "Porcentaje de luminarias reportadas reparadas en cinco días hábiles (meta: 80 %)",
                "Share of reported lights repaired within five working days (target: 80%)",
            ),
        ),
        milestone(
            es_en(
                "Censo georreferenciado de luminarias publicado en datos abiertos y en un mapa",
                "A geo-referenced census of street lights published as open data and on a map",
            ),
            "2026-07-01",
            "2027-01-31",
            "Instituto Tecnológico Superior de Santa Lucía",
            "Ing. Claudia Reyes Cerón",
            es_en(
                "Luminarias censadas y publicadas con ubicación, tipo y estado (meta: todas las de El Mirador y la cabecera)",
                "Lights mapped and published with location, type and condition (target: all of El Mirador and the town centre)",
            ),
        ),
        milestone(
            es_en(
                "Pagos a CFE por alumbrado publicados cada bimestre, conciliados con el censo",
                "Payments to CFE for street lighting published every two months, reconciled with the census",
            ),
            "2027-01-01",
            "2027-03-31",
            "Tesorería Municipal",
            "C.P. Silvia Gómez Morales",
            es_en(
                "Monto recuperado o dejado de pagar por luminarias inexistentes",
                "Amount recovered or no longer paid for lights that do not exist",
            ),
        ),
        milestone(
            es_en(
                "Recorridos nocturnos bimestrales del comité vecinal con Servicios Públicos",
                "Night walks every two months by the neighbourhood committee with Public Services",
            ),
            "2026-06-01",
            "2027-03-31",
            SERVICIOS,
            "Ing. Arturo Zúñiga Reyes",
            es_en(
                "Porcentaje de luminarias reparadas que el recorrido siguiente encuentra encendidas (meta: 90 %)",
                "Share of repaired lights found working on the next walk (target: 90%)",
            ),
        ),
    ],
)


def _lights_first_round(final: dict) -> dict:
    """The revision the STL reviewed first: it would publish each report as it came in,
    personal data included, and its last indicator counted walks, not repairs."""
    sent = deepcopy(final)
    del sent["government"][2]  # the Transparency Unit joined for the second round
    sent["action"] = es_en(
        "Servicios Públicos recibirá reportes en línea, por WhatsApp y por teléfono, cada uno con folio y un plazo de cinco días hábiles, y publicará cada reporte con su estado hasta que la luminaria quede reparada. Con el Tecnológico levantará un censo georreferenciado de luminarias en datos abiertos; la Tesorería lo conciliará con los recibos de CFE y publicará cada bimestre lo pagado.",
        "Public Services will take reports online, on WhatsApp and by phone, each with a reference number and a five-working-day deadline, and publish every report with its status until the light is fixed. With the Tecnológico it will map every street light as open data; the Treasury will reconcile the census with CFE's bills and publish what is paid every two months.",
    )
    reports, census, _payments, walks = sent["milestones"]
    reports["output"] = es_en(
        "Reportes en línea, por WhatsApp y por teléfono con folio, publicados con su estado hasta la reparación",
        "Reports online, on WhatsApp and by phone with a reference number, published with their status until the repair",
    )
    census["output"] = es_en(
        "Censo georreferenciado de luminarias publicado en datos abiertos",
        "A geo-referenced census of street lights published as open data",
    )
    walks["indicator"] = es_en("Número de recorridos realizados", "Number of walks held")
    return sent


def _lights_first_draft(final: dict) -> dict:
    """The first revision, before the Treasury joined: no CFE payments yet."""
    draft = _lights_first_round(final)
    draft["government"] = draft["government"][:1]
    del draft["milestones"][2]
    draft["policy_areas"] = ["open_data"]
    return draft


LIGHTS_DECISIONS = (
    # Recorridos nocturnos mensuales del comité vecinal (online; the facial-recognition
    # cameras were rejected at the table)
    (
        MODIFIED,
        es_en(
            "Los recorridos serán bimestrales y no mensuales, para que la única cuadrilla pueda atender también las demás colonias.",
            "The walks will be every two months rather than monthly, so the only crew can also serve the other neighbourhoods.",
        ),
    ),
    # Reporte de luminarias con folio (Consejo Ciudadano de Seguridad)
    (ADOPTED, None),
    # Censo georreferenciado en datos abiertos (Tecnológico)
    (ADOPTED, None),
    # Publicar cada bimestre lo que se paga a CFE (Colectivo Ciudadano)
    (ADOPTED, None),
)

# ----- the health centre: completed with the health district's answer ----------------

SALUD = "Coordinación Municipal de Salud"
PROTECCION = "Dirección de Protección Civil y Bomberos"
JURISDICCION = "Jurisdicción Sanitaria Valle, Servicios de Salud de Hidalgo"

CLINIC_COMMITMENT = content(
    title=es_en(
        "Centro de salud de San Isidro abierto en fin de semana y traslados de urgencia coordinados",
        "San Isidro health centre open at weekends, and coordinated emergency transfers",
    ),
    starts_on=PLAN[0],
    ends_on=PLAN[1],
    government=[
        implementer(
            SALUD,
            "Dra. Margarita Vázquez Olvera",
            es_en("Coordinadora municipal de salud", "Municipal health coordinator"),
            "salud@santalucia.example.mx",
            es_en(
                "Negocia el convenio con la Jurisdicción Sanitaria y cubre vigilancia, limpieza y el cuarto de guardia.",
                "Negotiates the agreement with the health district and pays for security, cleaning and the on-call room.",
            ),
            branch="executive",
        ),
        implementer(
            PROTECCION,
            "Cmdte. Efraín Islas Mendoza",
            es_en("Director de Protección Civil", "Director of Civil Protection"),
            "proteccion.civil@santalucia.example.mx",
            es_en(
                "Opera la ambulancia en San Isidro y el radio de la delegación.",
                "Runs the ambulance in San Isidro and the local office's radio.",
            ),
            branch="executive",
        ),
    ],
    non_governmental=[
        implementer(
            "Comité de Salud de San Isidro",
            "Esperanza Jiménez Cruz",
            es_en("Secretaria del comité", "Secretary of the committee"),
            "comite.salud.sanisidro@example.mx",
            es_en(
                "Participa en la mesa trimestral y recoge las quejas de la comunidad.",
                "Sits at the quarterly meeting and gathers the community's complaints.",
            ),
        ),
        implementer(
            "Red de Mujeres del Valle",
            "Mtra. Gabriela Téllez Monroy",
            es_en("Coordinadora de la red", "Coordinator of the network"),
            "red.mujeres@valle.example.mx",
            es_en(
                "Redacta el convenio con el Comité de Salud y da seguimiento público a su cumplimiento en la mesa trimestral.",
                "Drafts the agreement with the Health Committee and publicly follows up its fulfilment at the quarterly meeting.",
            ),
        ),
    ],
    other=[
        implementer(
            JURISDICCION,
            "Dr. Raúl Sánchez Monroy",
            es_en("Jefe de la Jurisdicción Sanitaria", "Head of the health district"),
            "jurisdiccion.valle@saludhidalgo.example.mx",
            es_en(
                "Firma el convenio y asigna un médico general y una enfermera al centro de salud los sábados y domingos.",
                "Signs the agreement and assigns a general practitioner and a nurse to the health centre on Saturdays and Sundays.",
            ),
        ),
        implementer(
            "Escuela de Enfermería del Valle",
            "Mtra. Brenda Olvera Reyes",
            es_en("Directora", "Director"),
            "direccion@enfermeriavalle.example.mx",
            es_en(
                "Asigna pasantes de enfermería en servicio social al centro de salud los fines de semana, bajo la supervisión de la Jurisdicción.",
                "Assigns nursing students on social service to the health centre at weekends, supervised by the health district.",
            ),
        ),
    ],
    problem=es_en(
        "El centro de salud de San Isidro cierra sábados y domingos y no hay otra atención médica a menos de 40 minutos; las urgencias de fin de semana terminan en traslados largos.",
        "San Isidro health centre closes on Saturdays and Sundays and there is no other medical care within 40 minutes; weekend emergencies end in long journeys.",
    ),
    status_quo=es_en(
        "No hay convenio entre el municipio y la Jurisdicción Sanitaria; la única ambulancia municipal tarda más de una hora en llegar y la señal de celular falla.",
        "There is no agreement between the municipality and the health district; the only municipal ambulance takes over an hour to arrive and mobile coverage fails.",
    ),
    action=es_en(
        "Firmar un convenio para abrir el centro de salud sábados y domingos de 8 a 20 h, estacionar la ambulancia en San Isidro los fines de semana con un protocolo de traslados y revisar cada trimestre, en una mesa con minutas públicas, horarios, medicamentos y quejas.",
        "Sign an agreement to open the health centre on Saturdays and Sundays from 8 am to 8 pm, station the ambulance in San Isidro at weekends with a transfer protocol, and review opening hours, medicines and complaints every quarter at a meeting with public minutes.",
    ),
    contribution=es_en(
        "El convenio pone por escrito lo que toca a cada orden de gobierno, que hoy se culpan entre sí: el estado asigna el personal y el municipio da las condiciones para abrir. La ambulancia y el radio en San Isidro acortan los traslados de urgencia, y la mesa trimestral con minutas públicas permite a la comunidad vigilar que el convenio se cumpla.",
        "The agreement puts in writing what each level of government must do, where today each blames the other: the state assigns the staff and the municipality makes opening possible. The ambulance and the radio in San Isidro shorten emergency transfers, and the quarterly meeting with public minutes lets the community check that the agreement is kept.",
    ),
    vision_objective=es_en(
        "Plan Municipal de Desarrollo {PMD}, eje 1 «Bienestar para todas las comunidades»: servicios de salud cercanos y suficientes en las localidades rurales.",
        "Municipal Development Plan {PMD}, pillar 1 “Well-being for every community”: health services close at hand, and enough of them, in the rural localities.",
    ),
    policy_areas=["social_accountability", "inclusion"],
    policy_sectors=["health", "public_services"],
    ogp_values=["access_to_information", "civic_participation", "public_accountability"],
    budget_amount="940000.00",
    budget_currency="MXN",
    staff=4,
    months=12,
    other_resources=es_en(
        "El personal médico de fin de semana lo paga la Secretaría de Salud del estado, por convenio; pasantes de enfermería en servicio social de la Escuela de Enfermería del Valle.",
        "The weekend medical staff is paid by the state health ministry under the agreement; nursing students on social service from the Escuela de Enfermería del Valle.",
    ),
    resources_available="partial",
    additional_information=es_en(
        "La Jurisdicción Sanitaria respondió por oficio a la mesa de trabajo: asignará un médico general y una enfermera los sábados y domingos desde {STAFF_FROM} si el municipio cubre vigilancia, limpieza, alumbrado y el cuarto de guardia, que quedan en el presupuesto de egresos {YEAR}. El texto del convenio se revisará con su titular en la segunda mesa de trabajo.",
        "The health district answered the working table in writing: it will assign a general practitioner and a nurse on Saturdays and Sundays from {STAFF_FROM} if the municipality pays for security, cleaning, lighting and the on-call room, which are in the {YEAR} budget. The text of the agreement will be reviewed with its head at the second working table.",
    ),
    ambition="innovative",
    sdgs=[3, 10],
    gender_perspective=es_en(
        "Buena parte de las urgencias de fin de semana que relató la comunidad son partos y complicaciones del embarazo. El protocolo de traslados se acordará con la Red de Parteras Tradicionales, y al menos la mitad de quienes integren la mesa trimestral serán mujeres de la comunidad.",
        "Many of the weekend emergencies the community described are births and pregnancy complications. The transfer protocol will be agreed with the Network of Traditional Midwives, and at least half of the quarterly meeting's members will be women from the community.",
    ),
    milestones=[
        milestone(
            es_en(
                "Convenio de coordinación firmado con la Jurisdicción Sanitaria",
                "Coordination agreement signed with the health district",
            ),
            "2026-04-15",
            "2026-06-30",
            SALUD,
            "Dra. Margarita Vázquez Olvera",
            es_en(
                "Fines de semana con el centro de salud abierto de 8 a 20 h",
                "Weekends with the health centre open from 8 am to 8 pm",
            ),
        ),
        milestone(
            es_en(
                "Protocolo de traslados con la ambulancia en San Isidro y radio en la delegación",
                "Transfer protocol with the ambulance in San Isidro and a radio at the local office",
            ),
            "2026-05-01",
            "2026-09-30",
            PROTECCION,
            "Cmdte. Efraín Islas Mendoza",
            es_en(
                "Tiempo medio de llegada de la ambulancia a San Isidro en fin de semana: de 64 a 20 minutos o menos",
                "Average weekend ambulance arrival time in San Isidro: from 64 to 20 minutes or less",
            ),
        ),
        milestone(
            es_en(
                "Cuarto de guardia equipado, vigilancia y alumbrado en el acceso del centro de salud",
                "An equipped on-call room, security and lighting at the health centre's entrance",
            ),
            "2026-04-15",
            "2026-06-30",
            SALUD,
            "Dra. Margarita Vázquez Olvera",
            es_en(
                "Adecuaciones terminadas y verificadas por el Comité de Salud antes del primer fin de semana de apertura",
                "Works finished and checked by the Health Committee before the first weekend of opening",
            ),
        ),
        milestone(
            es_en(
                "Mesa trimestral de seguimiento con minutas públicas",
                "A quarterly follow-up meeting with public minutes",
            ),
            "2026-06-01",
            "2027-03-31",
            SALUD,
            "Dra. Margarita Vázquez Olvera",
            es_en(
                "Mesas celebradas con su minuta publicada en esta plataforma en diez días (meta: 4)",
                "Meetings held with their minutes published on this platform within ten days (target: 4)",
            ),
        ),
    ],
)


def _clinic_first_draft(final: dict) -> dict:
    """The draft written after the first working table: the health district had not
    answered, so its contact, the budget, the dates of the transfer protocol and the
    reasons of the commitment were still missing."""
    draft = deepcopy(final)
    draft["non_governmental"] = draft["non_governmental"][:1]
    draft["other"] = [
        implementer(
            JURISDICCION,
            "",
            es_en("Por confirmar", "To be confirmed"),
            "",
            es_en(
                "Asigna el personal médico de fin de semana (por confirmar en la segunda mesa).",
                "Assigns the weekend medical staff (to be confirmed at the second table).",
            ),
        )
    ]
    for name in ("contribution", "vision_objective", "other_resources", "gender_perspective"):
        draft[name] = {}
    draft.update(
        policy_areas=["social_accountability"],
        policy_sectors=["health"],
        ogp_values=["civic_participation", "public_accountability"],
        budget_amount=None,
        staff=None,
        months=None,
        resources_available=None,
        additional_information=es_en(
            "Borrador para la segunda mesa de trabajo, donde la Jurisdicción Sanitaria dará su postura sobre las plazas de fin de semana; presupuesto e hitos se completarán con ella.",
            "A draft for the second working table, where the health district will state its position on weekend posts; the budget and milestones will be completed with it.",
        ),
    )
    agreement, transfers = draft["milestones"][:2]
    transfers.update(starts_on=None, ends_on=None)
    transfers["indicator"] = es_en(
        "Tiempo de llegada de la ambulancia en fin de semana", "Weekend ambulance arrival time"
    )
    draft["milestones"] = [agreement, transfers]
    return draft


CLINIC_DECISIONS = (
    # Un radio en la delegación (Esperanza Jiménez, at the open day)
    (
        MODIFIED,
        es_en(
            "El radio forma parte del protocolo de traslados: lo atiende la guardia de Protección Civil que acompaña a la ambulancia, no personal de la delegación.",
            "The radio is part of the transfer protocol: the Civil Protection crew that comes with the ambulance staffs it, not the local office's staff.",
        ),
    ),
    # Transporte comunitario al hospital regional (online)
    (
        REJECTED,
        es_en(
            "La mesa no la retoma en este plan: el DIF no tiene una unidad disponible los fines de semana y un traslado programado no atiende urgencias. Las consultas quedan cubiertas si el centro de salud abre en fin de semana, y las urgencias con la ambulancia en San Isidro.",
            "The table does not take it up in this plan: the DIF has no vehicle free at weekends, and a scheduled run does not serve emergencies. Consultations are covered if the health centre opens at weekends, and emergencies by the ambulance in San Isidro.",
        ),
    ),
    # Convenio para abrir el centro de salud en fin de semana (Comité de Salud)
    (ADOPTED, None),
    # Mesa trimestral de seguimiento con minutas públicas (Red de Mujeres)
    (ADOPTED, None),
    # Ambulancia estacionada en San Isidro (Protección Civil)
    (
        MODIFIED,
        es_en(
            "La ambulancia estará en San Isidro del viernes a las 20 h al lunes a las 8 h, y no todo el fin de semana largo, hasta que llegue la segunda unidad.",
            "The ambulance will be in San Isidro from Friday 8 pm to Monday 8 am, not over whole long weekends, until the second vehicle arrives.",
        ),
    ),
)

# ----- public works: translated, completed, and adapted to a late proposal ----------

OBRAS = "Dirección de Obras Públicas Municipales"

WORKS_COMMITMENT = content(
    title=es_en(
        "Obra pública abierta: contratos en datos abiertos, letreros con código QR y comités ciudadanos de obra",
        "Open public works: contracts as open data, QR-code signs and citizen works committees",
    ),
    starts_on=PLAN[0],
    ends_on=PLAN[1],
    government=[
        implementer(
            OBRAS,
            "Arq. Fernando Cerón Téllez",
            es_en("Director de Obras Públicas", "Director of Public Works"),
            "obras@santalucia.example.mx",
            es_en(
                "Publica cada contrato, convenio y avance de obra en el micrositio.",
                "Publishes every contract, amendment and work's progress on the microsite.",
            ),
            branch="executive",
        ),
        implementer(
            "Contraloría Municipal",
            "Lic. Yolanda Reyes Bautista",
            es_en("Contralora municipal", "Municipal comptroller"),
            "contraloria@santalucia.example.mx",
            es_en(
                "Capacita a los comités ciudadanos de obra y atiende sus reportes.",
                "Trains the citizen works committees and follows up their reports.",
            ),
            branch="executive",
        ),
    ],
    non_governmental=[
        implementer(
            "Colectivo Ciudadano por la Transparencia, A.C.",
            "Rosa Hernández Cruz",
            es_en("Coordinadora general", "General coordinator"),
            "contacto@colectivo.example.mx",
            es_en(
                "Revisa la calidad de los datos abiertos del micrositio.",
                "Reviews the quality of the microsite's open data.",
            ),
        ),
        implementer(
            "Observatorio Urbano Santa Lucía",
            "Arq. Leonel Bautista Cerón",
            es_en("Coordinador de proyectos", "Project coordinator"),
            "lbautista@observatorio.example.mx",
            es_en(
                "Acompaña a los comités ciudadanos de obra en sus visitas y publica sus reportes.",
                "Accompanies the citizen works committees on their site visits and publishes their reports.",
            ),
        ),
    ],
    other=[
        implementer(
            "Colegio de Ingenieros Civiles del Valle, A.C.",
            "Ing. Rubén Morales Bautista",
            es_en("Presidente del consejo directivo", "Chair of the board"),
            "presidencia@ingenierosvalle.example.mx",
            es_en(
                "Diseña sin costo el letrero con código QR y enseña a los comités a leer una bitácora de obra.",
                "Designs the QR-code sign free of charge and teaches the committees to read a site log.",
            ),
        ),
    ],
    problem=es_en(
        "No se publican los contratos de obra pública, sus montos, sus avances ni por qué se eligió a cada empresa: de 37 obras del año, 29 se asignaron por adjudicación directa o invitación a tres.",
        "Public works contracts, their amounts and progress are not published, nor why each company was chosen: of the year's 37 works, 29 were awarded directly or by invitation to three bidders.",
    ),
    status_quo=es_en(
        "La Unidad de Transparencia publica los formatos obligatorios, pero no los contratos completos ni sus convenios modificatorios; los comités de contraloría social existen sólo en papel y las obras no tienen letrero.",
        "The Transparency Unit publishes the mandatory forms, but not the full contracts or their amendments; the social oversight committees exist only on paper and the works have no signs.",
    ),
    action=es_en(
        "Un micrositio con cada obra, su contrato completo, empresa, monto, modalidad de adjudicación, convenios y avance físico y financiero en el Estándar de Datos para las Contrataciones Abiertas, con fotografías fechadas y georreferenciadas del avance cada mes; un letrero con código QR en cada obra; y comités ciudadanos de obra capacitados por la Contraloría.",
        "A microsite with every work, its full contract, company, amount, award procedure, amendments and physical and financial progress, following the Open Contracting Data Standard, with dated, geo-referenced photographs of the progress every month; a QR-code sign at every site; and citizen works committees trained by the Comptroller.",
    ),
    contribution=es_en(
        "Publicar el contrato, la modalidad de adjudicación y el avance de cada obra permite a cualquiera comparar lo que se pagó con lo que se construye, y a los comités revisar en la calle lo que el micrositio reporta. La competencia por los contratos y la calidad de las obras dejan de depender sólo de la buena voluntad de quien los asigna.",
        "Publishing each work's contract, award procedure and progress lets anyone compare what was paid with what is being built, and lets the committees check in the street what the microsite reports. Competition for contracts and the quality of the works no longer depend only on the goodwill of whoever awards them.",
    ),
    vision_objective=es_en(
        "Plan Municipal de Desarrollo {PMD}, eje 5 «Gobierno honesto y abierto»: finanzas y contrataciones públicas que cualquier persona pueda revisar.",
        "Municipal Development Plan {PMD}, pillar 5 “Honest and open government”: public finances and procurement that anyone can check.",
    ),
    policy_areas=["open_contracting", "open_data"],
    policy_sectors=["infrastructure", "public_services"],
    ogp_values=["access_to_information", "public_accountability", "technology"],
    budget_amount="420000.00",
    budget_currency="MXN",
    staff=3,
    months=12,
    other_resources=es_en(
        "El Colegio de Ingenieros diseña los letreros sin costo; el micrositio usa la herramienta libre de publicación del Estándar de Datos para las Contrataciones Abiertas.",
        "The Association of Civil Engineers designs the signs free of charge; the microsite uses the free publishing tool of the Open Contracting Data Standard.",
    ),
    resources_available="yes",
    additional_information=es_en(
        "La Tesorería confirmó que el micrositio, los letreros y la capacitación de los comités caben en el presupuesto de egresos {YEAR} de Obras Públicas y de la Contraloría. Las versiones públicas de los contratos testan sólo datos personales, como lo pide la ley de transparencia del estado.",
        "The Treasury confirmed that the microsite, the signs and the committees' training fit within the {YEAR} budgets of Public Works and of the Comptroller. The public versions of the contracts redact only personal data, as the state's transparency law requires.",
    ),
    ambition="innovative",
    sdgs=[9, 16],
    gender_perspective=es_en(
        "Los comités ciudadanos de obra se integrarán con paridad, y las capacitaciones se darán en horario vespertino y con cuidado de niñas y niños para que puedan asistir madres de familia.",
        "The citizen works committees will have as many women as men, and training will be held in the evening, with childcare, so that mothers can attend.",
    ),
    milestones=[
        milestone(
            es_en(
                "Micrositio de obra pública en datos abiertos (EDCA)",
                "Public-works microsite with open data (OCDS)",
            ),
            "2026-05-01",
            "2026-09-30",
            OBRAS,
            "Arq. Fernando Cerón Téllez",
            es_en(
                "Porcentaje de obras de {YEAR} con su contrato completo publicado (meta: 100 %)",
                "Share of {YEAR} works with their full contract published (target: 100%)",
            ),
        ),
        milestone(
            es_en(
                "Letreros con código QR en las obras de más de 500 mil pesos",
                "QR-code signs at works above 500,000 pesos",
            ),
            "2026-10-01",
            "2027-03-31",
            OBRAS,
            "Arq. Fernando Cerón Téllez",
            es_en(
                "Obras en ejecución con letrero y código QR funcionando",
                "Works under way with a sign and a working QR code",
            ),
        ),
        milestone(
            es_en(
                "Comités ciudadanos de obra capacitados y con reportes públicos",
                "Citizen works committees trained, with public reports",
            ),
            "2026-06-01",
            "2027-02-28",
            "Contraloría Municipal",
            "Lic. Yolanda Reyes Bautista",
            es_en(
                "Obras con comité ciudadano y al menos un reporte publicado",
                "Works with a citizen committee and at least one published report",
            ),
        ),
        milestone(
            es_en(
                "Fotografías fechadas y georreferenciadas del avance de cada obra, publicadas cada mes en su expediente",
                "Dated, geo-referenced photographs of every work's progress, published every month in its file",
            ),
            "2026-07-01",
            "2027-03-31",
            OBRAS,
            "Arq. Fernando Cerón Téllez",
            es_en(
                "Obras en ejecución con las fotografías del mes publicadas junto con su estimación (meta: 100 %)",
                "Works under way with the month's photographs published with their progress payment (target: 100%)",
            ),
        ),
    ],
)


def _works_translated(final: dict) -> dict:
    """The second revision: translated and completed with Public Works and the
    Treasury, before the late online proposal added the monthly photographs."""
    draft = deepcopy(final)
    del draft["milestones"][3]
    draft["action"] = es_en(
        "Un micrositio con cada obra, su contrato completo, empresa, monto, modalidad de adjudicación, convenios y avance físico y financiero en el Estándar de Datos para las Contrataciones Abiertas; un letrero con código QR en cada obra; y comités ciudadanos de obra capacitados por la Contraloría.",
        "A microsite with every work, its full contract, company, amount, award procedure, amendments and physical and financial progress, following the Open Contracting Data Standard; a QR-code sign at every site; and citizen works committees trained by the Comptroller.",
    )
    return draft


def _works_first_draft(final: dict) -> dict:
    """The draft written the morning after the table: part of it still in Spanish
    only, and without its reasons, resources and other actors."""
    draft = _works_translated(final)

    def spanish(text: dict) -> dict:
        return {"es": text["es"]}

    for row in draft["government"]:
        row["role"] = spanish(row["role"])
    draft["non_governmental"] = draft["non_governmental"][:1]
    draft["other"] = []
    draft["problem"] = spanish(draft["problem"])
    draft["status_quo"] = spanish(draft["status_quo"])
    for name in (
        "contribution",
        "vision_objective",
        "other_resources",
        "additional_information",
        "gender_perspective",
    ):
        draft[name] = {}
    draft.update(
        policy_sectors=["infrastructure"],
        budget_amount=None,
        staff=None,
        months=None,
        resources_available=None,
    )
    for row in draft["milestones"]:
        row["indicator"] = spanish(row["indicator"])
    committees = draft["milestones"][2]
    committees["output"] = spanish(committees["output"])
    return draft


WORKS_DECISIONS = (
    # Publicar el acta de entrega-recepción de cada obra (online)
    (
        MODIFIED,
        es_en(
            "El acta de entrega-recepción se publica dentro del expediente de cada obra en el micrositio, junto con el contrato y sus convenios.",
            "The handover certificate is published in each work's file on the microsite, with the contract and its amendments.",
        ),
    ),
    # El padrón de contratistas y sus sanciones en datos abiertos (online)
    (
        MODIFIED,
        es_en(
            "El micrositio enlaza cada contrato con la empresa en el padrón y sus sanciones; los nombres de socios se publican sólo cuando la ley de transparencia lo permite.",
            "The microsite links each contract to the company's entry in the register and its sanctions; partners' names are published only where transparency law allows.",
        ),
    ),
    # Micrositio de obra pública en datos abiertos (Colectivo Ciudadano)
    (ADOPTED, None),
    # Comités ciudadanos de obra (Observatorio Urbano)
    (ADOPTED, None),
    # Letrero con código QR en cada obra (Colegio de Ingenieros)
    (
        MODIFIED,
        es_en(
            "Los letreros con código QR irán en las obras de más de 500 mil pesos; las menores se listan en el micrositio.",
            "QR-code signs go up at works above 500,000 pesos; smaller works are listed on the microsite.",
        ),
    ),
)


# ----- the loader -------------------------------------------------------------------


@dataclass(frozen=True)
class Drafted:
    """Which table a commitment comes from, and what becomes of its proposals."""

    table: Table
    causes: tuple[str, ...]  # keys of the table's strategic causes
    decisions: tuple[tuple[Decision, dict | None], ...]


def clock(exercise: Exercise) -> Callable[..., datetime]:
    """day(number, hour, minute): that local time on that day of the consultation's
    timeline (day 0 opens the consultation at 00:00 local)."""
    opens_at = exercise.consultation.opens_at

    def day(number: int, hour: int = 0, minute: int = 0) -> datetime:
        return opens_at + timedelta(days=number, hours=hour, minutes=minute)

    return day


def load_commitments(exercise: Exercise, users: dict[str, User]) -> list[Commitment]:
    """The four commitments, played through the services in the days after the working
    tables: days 57–60 of the consultation's timeline, up to 14:00 local on day 60; the
    public-works one is approved later that day (`complete_public_works`)."""
    day = clock(exercise)
    facilitator = users[FACILITATOR]
    commitments = [
        _water(exercise, users, facilitator, day),
        _lights(exercise, users, facilitator, day),
        _clinic(exercise, users, facilitator, day),
        _works(exercise, facilitator, day),
    ]
    _clearer_rejection(exercise, facilitator, day(60, 12, 40))
    return commitments


def _draft(
    exercise: Exercise, plan: Drafted, text: dict, facilitator: User, when: datetime
) -> Commitment:
    topic, causes = _topic_and_causes(exercise, plan)
    text = Timeline.of(exercise).resolve(text)
    commitment = services.create(
        exercise, text | {"topic": topic.id, "causes": causes}, facilitator, now=when
    )
    db.session.flush()
    return commitment


def _decide_proposals(
    commitment: Commitment, plan: Drafted, facilitator: User, when: datetime
) -> None:
    """The facilitator records the fate of each proposal of the commitment's table:
    taken by it, as it was or adapted, or rejected with the reason."""
    for proposal, (decision, why) in zip(
        services.proposals_to_take(commitment), plan.decisions, strict=True
    ):
        if decision == REJECTED:
            tables.reject_proposal(proposal, facilitator, why, now=when)
        else:
            services.take_proposal(commitment, proposal, decision, facilitator, why, now=when)
    db.session.flush()


def _revise(commitment: Commitment, text: dict, user: User, when: datetime) -> None:
    current = services.content_of(commitment)
    text = Timeline.of(commitment.exercise).resolve(text)
    services.save(
        commitment,
        text | {"topic": current["topic"], "causes": current["causes"]},
        user,
        now=when,
    )
    db.session.flush()


def _water(exercise, users, facilitator, day: Callable[..., datetime]) -> Commitment:
    """Drafted the morning after the water table, commented on by civil society and the
    guarantor body, revised, and approved: the government's suplente decides for her
    sector."""
    plan = Drafted(WATER, ("leaks", "notice"), WATER_DECISIONS)
    commitment = _draft(
        exercise, plan, _water_first_draft(WATER_COMMITMENT), facilitator, day(57, 11)
    )
    _decide_proposals(commitment, plan, facilitator, day(57, 11, 20))
    first = commitment.latest_revision
    services.comment(
        first,
        users[CIVIL_SOCIETY],
        "Los hitos 3 y 4 miden lo que hace la CAPASL, no lo que cambia para las familias. "
        "La Contraloría pidió indicadores de resultado: ¿cuánto baja el tiempo de reparación "
        "y cuánta agua deja de perderse?",
        now=day(57, 18, 40),
    )
    services.comment(
        first,
        users[GUARANTOR],
        "De acuerdo con el Colectivo. Además, el tablero no debe publicar el nombre ni el "
        "teléfono de quien reporta: basta el folio, la colonia y la fecha.",
        now=day(57, 20, 5),
    )
    _revise(commitment, WATER_COMMITMENT, facilitator, day(58, 9, 30))
    services.submit_for_review(commitment, facilitator, now=day(58, 10))
    for email, when, comment in [
        (
            GOVERNMENT_SUPLENTE,
            day(58, 16, 20),
            "La CAPASL confirma el personal y el presupuesto de la línea de reportes; el "
            "FAIS para los macromedidores irá a Cabildo al arrancar el plan.",
        ),
        (CIVIL_SOCIETY, day(59, 9, 15), "Con los nuevos indicadores, el Colectivo lo aprueba."),
        (GUARANTOR, day(59, 12, 45), ""),
    ]:
        services.decide(commitment, users[email], Verdict.APPROVE, comment, now=when)
    db.session.flush()
    return commitment


def _lights(exercise, users, facilitator, day: Callable[..., datetime]) -> Commitment:
    """Drafted after the lighting table, completed with the Treasury and sent to the
    STL: civil society approves, the guarantor body rejects it with its reasons, and the
    government waits. The facilitator returns it to draft, answers the objections with
    the Transparency Unit and sends it again; the three sectors approve the second
    round."""
    plan = Drafted(LIGHTS, ("reports", "inventory"), LIGHTS_DECISIONS)
    commitment = _draft(
        exercise, plan, _lights_first_draft(LIGHTS_COMMITMENT), facilitator, day(58, 12)
    )
    _revise(commitment, _lights_first_round(LIGHTS_COMMITMENT), facilitator, day(59, 9))
    _decide_proposals(commitment, plan, facilitator, day(59, 9, 10))
    services.submit_for_review(commitment, facilitator, now=day(59, 9, 30))
    services.decide(
        commitment,
        users[CIVIL_SOCIETY],
        Verdict.APPROVE,
        "El Colectivo lo aprueba. Pedimos que el censo se publique también en un mapa, no sólo "
        "en una hoja de cálculo.",
        now=day(59, 19, 10),
    )
    services.decide(
        commitment,
        users[GUARANTOR],
        Verdict.REJECT,
        "El órgano garante no aprueba esta versión. El hito 1 publicaría cada reporte tal como "
        "llega, con el nombre y el teléfono de quien reporta, que son datos personales: deben "
        "publicarse sólo el folio, la colonia, la fecha y el estado, y el aviso de privacidad "
        "debe estar listo antes de abrir la línea. Además, el indicador del hito 4 cuenta "
        "recorridos, no luminarias reparadas.",
        now=day(60, 10, 5),
    )
    revision = commitment.latest_revision
    services.comment(
        revision,
        users[GOVERNMENT],
        "Servicios Públicos confirma que, con la segunda grúa prevista en el presupuesto, puede "
        "cumplir el plazo de cinco días hábiles. El gobierno decidirá sobre la versión que "
        "atienda al órgano garante.",
        now=day(60, 11, 30),
    )
    services.comment(
        revision,
        facilitator,
        "Gracias. Con la Unidad de Transparencia ajustaremos el hito 1 para publicar sólo folio, "
        "colonia, fecha y estado, y cambiaremos el indicador del hito 4 por luminarias "
        "reparadas y verificadas en los recorridos.",
        now=day(60, 12, 15),
    )
    # The second round: the revision that answers the guarantor body (and the map
    # civil society asked for), approved by the three sectors.
    services.return_to_draft(
        commitment,
        facilitator,
        "Se devuelve a borrador para atender las observaciones del órgano garante sobre "
        "datos personales y el indicador del hito 4.",
        now=day(60, 13, 20),
    )
    _revise(commitment, LIGHTS_COMMITMENT, facilitator, day(60, 13, 30))
    services.submit_for_review(commitment, facilitator, now=day(60, 13, 40))
    for email, when, comment in [
        (
            GUARANTOR,
            day(60, 14, 20),
            "El órgano garante aprueba esta versión: el tablero publicará sólo folio, colonia, "
            "fecha y estado, el aviso de privacidad irá antes de abrir la línea y el hito 4 "
            "mide luminarias reparadas.",
        ),
        (CIVIL_SOCIETY, day(60, 14, 45), "El Colectivo lo aprueba de nuevo, ahora con el mapa."),
        (GOVERNMENT, day(60, 15, 10), "El gobierno lo aprueba."),
    ]:
        services.decide(commitment, users[email], Verdict.APPROVE, comment, now=when)
    db.session.flush()
    return commitment


def _clinic(exercise, users, facilitator, day: Callable[..., datetime]) -> Commitment:
    """A first draft from the health table, completed the next morning with the health
    district's written answer (contact, staff, the dates of the transfer protocol) and
    approved by the three sectors; the second working table will review the text of the
    agreement that its first milestone signs."""
    plan = Drafted(CLINIC, ("agreement", "transfer"), CLINIC_DECISIONS)
    commitment = _draft(
        exercise, plan, _clinic_first_draft(CLINIC_COMMITMENT), facilitator, day(59, 16)
    )
    _decide_proposals(commitment, plan, facilitator, day(59, 16, 30))
    _revise(commitment, CLINIC_COMMITMENT, facilitator, day(60, 9))
    services.submit_for_review(commitment, facilitator, now=day(60, 9, 20))
    for email, when, comment in [
        (
            CIVIL_SOCIETY,
            day(60, 11, 50),
            "El Colectivo lo aprueba. La Red de Mujeres y el Comité de Salud revisarán el texto "
            "del convenio en la segunda mesa.",
        ),
        (GUARANTOR, day(60, 12, 30), ""),
        (
            GOVERNMENT,
            day(60, 13, 5),
            "La Tesorería confirma la vigilancia, la limpieza y el cuarto de guardia en el "
            "presupuesto de egresos del año.",
        ),
    ]:
        services.decide(commitment, users[email], Verdict.APPROVE, comment, now=when)
    db.session.flush()
    return commitment


def _works(exercise, facilitator, day: Callable[..., datetime]) -> Commitment:
    """Drafted the morning after the public-works table, part of it in Spanish only;
    translated and completed in the afternoon. It stays a draft until the late online
    proposal is answered (`complete_public_works`)."""
    plan = Drafted(WORKS, ("contracts", "oversight", "open_data"), WORKS_DECISIONS)
    commitment = _draft(
        exercise, plan, _works_first_draft(WORKS_COMMITMENT), facilitator, day(60, 10)
    )
    _decide_proposals(commitment, plan, facilitator, day(60, 10, 40))
    _revise(commitment, _works_translated(WORKS_COMMITMENT), facilitator, day(60, 14))
    return commitment


# The online proposal that reached the public-works table after its commitment was
# drafted (demo_tables.LATE_PROPOSAL): taken, adapted, by the commitment's third revision.
LATE_PROPOSAL_CHANGE = es_en(
    "Las fotografías fechadas y georreferenciadas se publican cada mes, no cada quince días, en el expediente de cada obra del micrositio, junto con la estimación de pago que la residencia de obra revisa cada mes (hito 4).",
    "The dated, geo-referenced photographs are published every month rather than every two weeks, in each work's file on the microsite, with the progress payment the site supervisor checks every month (milestone 4).",
)


def complete_public_works(exercise: Exercise, users: dict[str, User]) -> Commitment:
    """The afternoon of day 60, once the late online proposal has reached the public-works
    table (16:00): the facilitator adds its monthly photographs to the commitment as its
    decision, and the STL approves the commitment at its 17:00 session, the one that
    closes the plan's drafting."""
    day = clock(exercise)
    facilitator = users[FACILITATOR]
    [commitment] = [
        c
        for c in services.commitments_of(exercise)
        if c.title["es"] == WORKS_COMMITMENT["title"]["es"]
    ]
    [late] = services.proposals_to_take(commitment)
    _revise(commitment, WORKS_COMMITMENT, facilitator, day(60, 16, 30))
    services.take_proposal(
        commitment, late, MODIFIED, facilitator, LATE_PROPOSAL_CHANGE, now=day(60, 16, 35)
    )
    services.submit_for_review(commitment, facilitator, now=day(60, 16, 40))
    for email, when, comment in [
        (
            GOVERNMENT,
            day(60, 17, 5),
            "Obras Públicas y la Contraloría confirman el presupuesto y el personal.",
        ),
        (CIVIL_SOCIETY, day(60, 17, 10), "El Colectivo lo aprueba."),
        (
            GUARANTOR,
            day(60, 17, 15),
            "El órgano garante lo aprueba. Las versiones públicas de los contratos deben testar "
            "sólo datos personales, nunca montos ni nombres de empresas.",
        ),
    ]:
        services.decide(commitment, users[email], Verdict.APPROVE, comment, now=when)
    db.session.flush()
    return commitment


# The lighting table rejected the facial-recognition proposal saying only that "the law"
# protects biometric data; the guarantor body asked that the reason name the law and
# say why the measure is out of proportion. The decision stands.
CORRECTED_REASON = es_en(
    "La mesa no retoma esta propuesta: no atiende la causa elegida (que los reportes de luminarias se pierden), y el reconocimiento facial en la vía pública trataría los datos biométricos de toda la población, que la Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados protege como datos personales sensibles; grabar y analizar el rostro de cada persona que pasa por la calle no es proporcional al problema que atiende la mesa. La preocupación por la seguridad queda atendida con las propuestas de reporte y reparación.",
    "The table does not take this proposal up: it does not address the chosen cause (reports of broken lights getting lost), and facial recognition in public space would process the biometric data of the whole population, which the General Law on the Protection of Personal Data Held by Public Bodies protects as sensitive personal data; recording and analysing the face of everyone who walks down the street is out of proportion to the problem the table is tackling. The safety concern is met by the reporting and repair proposals.",
)
CORRECTION_REASON = es_en(
    "A petición del órgano garante, la razón nombra ahora la ley que protege los datos biométricos y explica por qué la medida no es proporcional. La decisión no cambia.",
    "At the guarantor body's request, the reason now names the law that protects biometric data and explains why the measure is out of proportion. The decision stands.",
)


def _clearer_rejection(exercise: Exercise, facilitator: User, when: datetime) -> None:
    """The facilitator corrects the reason of the lighting table's rejection: a new
    entry in the feedback log that supersedes the first, which stays public."""
    [spec] = [p for p in LIGHTS.proposals if getattr(p, "rejected", None)]
    [proposal] = [
        p
        for p in db.session.scalars(
            sa.select(Proposal).join(WorkingTable).where(WorkingTable.exercise_id == exercise.id)
        )
        if p.title["es"] == spec.title["es"]
    ]
    feedback.correct(
        feedback.current_entry(proposal=proposal),
        facilitator,
        acting_as=(Role.FACILITATOR,),
        correction_reason=CORRECTION_REASON,
        reason=CORRECTED_REASON,
        now=when,
    )
    db.session.flush()


def _topic_and_causes(exercise: Exercise, plan: Drafted):
    """The table's topic and the ids of the strategic causes the commitment attacks,
    found by their Spanish text in the table's plan."""
    [topic] = [
        topic
        for topic, _table in services.topics_with_table(exercise)
        if topic.title["es"] == plan.table.topic
    ]
    strategic = services.strategic_causes_by_topic(exercise)[topic.id]
    wanted = {_cause_text(plan.table.causes, key) for key in plan.causes}
    causes = [node.id for node in strategic if node.text["es"] in wanted]
    assert len(causes) == len(wanted), "every cause named is a strategic cause of the table"
    return topic, causes


def _cause_text(nodes: tuple[Node, ...], key: str) -> str:
    for node in nodes:
        if node.key == key:
            return node.text["es"]
        if node.children:
            try:
                return _cause_text(node.children, key)
            except KeyError:
                continue
    raise KeyError(key)
