"""The demo's working tables (INAI step 4, NOSC stages 4–5): one per topic the STL
prioritised, each with an open day that drew the problem tree and chose its strategic
causes, a working table that gathered solutions, the invitations and attendance of
both, their minutes, and the proposals made in the room and online. Played through
the services, in the order it happened, so the data is what the site would leave."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from coplat.accounts.models import User
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.tables import services
from coplat.tables.enums import NodeKind, SessionKind
from coplat.tables.models import TableSession, TreeChange, TreeNode, WorkingTable

GOV, CSO, GUARANTOR = Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.GUARANTOR
ACADEMIA, PRIVATE, CITIZEN = Sector.ACADEMIA, Sector.PRIVATE_SECTOR, Sector.CITIZEN

# Who is invited to and attends the sessions: key -> (name, sector, is an organisation).
# The first eight are the exercise's actors from demo.py (found by name); the rest join
# the exercise as the facilitator types them in the room.
ACTORS = {
    "ayuntamiento": ("H. Ayuntamiento de Santa Lucía del Valle", GOV, True),
    "contraloria": ("Contraloría Municipal", GOV, True),
    "colectivo": ("Colectivo Ciudadano por la Transparencia, A.C.", CSO, True),
    "mujeres": ("Red de Mujeres del Valle", CSO, True),
    "observatorio": ("Observatorio Urbano Santa Lucía", CSO, True),
    "garante": ("Instituto de Transparencia del Estado (órgano garante)", GUARANTOR, True),
    "universidad": ("Universidad Tecnológica del Valle", ACADEMIA, True),
    "camara": ("Cámara de Comercio de Santa Lucía", PRIVATE, True),
    # Offices of the municipality (and the state's health district).
    "capasl": ("Comisión de Agua Potable y Alcantarillado de Santa Lucía (CAPASL)", GOV, True),
    "obras": ("Dirección de Obras Públicas Municipales", GOV, True),
    "servicios": ("Dirección de Servicios Públicos Municipales", GOV, True),
    "seguridad": ("Dirección de Seguridad Pública y Tránsito Municipal", GOV, True),
    "salud": ("Coordinación Municipal de Salud", GOV, True),
    "proteccion": ("Dirección de Protección Civil y Bomberos", GOV, True),
    "transparencia": ("Unidad de Transparencia Municipal", GOV, True),
    "tesoreria": ("Tesorería Municipal", GOV, True),
    "urbano": ("Dirección de Desarrollo Urbano y Ordenamiento Territorial", GOV, True),
    "delegacion": ("Delegación Municipal de San Isidro", GOV, True),
    "jurisdiccion": ("Jurisdicción Sanitaria Valle, Servicios de Salud de Hidalgo", GOV, True),
    "regidora": ("Norma Cerón Austria, regidora de la Comisión de Obras", GOV, False),
    # Civil society: organisations and neighbourhood committees.
    "comite_mirador": ("Comité Vecinal de El Mirador", CSO, True),
    "comite_loma": ("Comité Vecinal de La Loma", CSO, True),
    "comite_salud": ("Comité de Salud de San Isidro", CSO, True),
    "fundacion": ("Fundación Agua Limpia del Valle, A.C.", CSO, True),
    "consejo": ("Consejo Ciudadano de Seguridad de Santa Lucía", CSO, True),
    "jovenes": ("Jóvenes por Santa Lucía, A.C.", CSO, True),
    "discapacidad": ("Asociación de Personas con Discapacidad del Valle, A.C.", CSO, True),
    "parteras": ("Red de Parteras Tradicionales de la Sierra", CSO, True),
    # Academia.
    "tecnologico": ("Instituto Tecnológico Superior de Santa Lucía", ACADEMIA, True),
    "enfermeria": ("Escuela de Enfermería del Valle", ACADEMIA, True),
    "trejo": ("Dra. Ana Laura Trejo Islas", ACADEMIA, False),
    "monroy": ("Mtro. Julián Monroy Téllez", ACADEMIA, False),
    # Private sector.
    "ingenieros": ("Colegio de Ingenieros Civiles del Valle, A.C.", PRIVATE, True),
    "piperos": ("Unión de Transportistas de Agua en Pipa de Santa Lucía", PRIVATE, True),
    "constructores": ("Asociación de Constructores del Valle", PRIVATE, True),
    "farmacia": ("Farmacia y Consultorio San Rafael", PRIVATE, True),
    "electrica": ("Materiales Eléctricos Olvera", PRIVATE, True),
    # People who came on their own account.
    "guadalupe": ("Guadalupe Martínez López", CITIZEN, False),
    "tomas": ("Tomás Pérez Galván", CITIZEN, False),
    "refugio": ("Refugio Olvera Cruz", CITIZEN, False),
    "marcos": ("Marcos Bautista Reyes", CITIZEN, False),
    "itzel": ("Itzel Monroy Zúñiga", CITIZEN, False),
    "francisco": ("Francisco Cerón Téllez", CITIZEN, False),
    "leticia": ("Leticia Austria Gómez", CITIZEN, False),
    "efrain": ("Efraín Islas Mendoza", CITIZEN, False),
    "araceli": ("Araceli Vázquez Trejo", CITIZEN, False),
    "hector": ("Héctor Reyes Flores", CITIZEN, False),
    "esperanza": ("Esperanza Jiménez Cruz", CITIZEN, False),
    "ruben": ("Rubén Morales Bautista", CITIZEN, False),
    "xochitl": ("Xóchitl Hernández Téllez", CITIZEN, False),
    "salvador": ("Salvador Gómez Olvera", CITIZEN, False),
    "brenda": ("Brenda Trejo Sánchez", CITIZEN, False),
    "javier": ("Javier Zúñiga Cruz", CITIZEN, False),
    "yolanda": ("Yolanda Reyes Bautista", CITIZEN, False),
    "angel": ("Ángel Flores Monroy", CITIZEN, False),
}


@dataclass(frozen=True)
class Node:
    text: dict
    children: tuple["Node", ...] = ()
    # How proposals and moves name this node.
    key: str = ""
    # Chosen by the room (dot voting at the open day) as a cause to attack.
    strategic: bool = False


def node(es: str, en: str, *children: Node, key: str = "", strategic: bool = False) -> Node:
    return Node({"es": es, "en": en}, children, key, strategic)


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    # Day of the consultation's timeline (day 0 opened it; the STL prioritised on day 50).
    day: int
    hours: tuple[int, int]  # local start and end
    title: dict
    agenda: dict
    # Keys in ACTORS, separated by spaces.
    invited: str
    absent: str = ""  # invited, did not come
    walk_ins: str = ""  # came without an invitation
    minutes: dict | None = None  # None: not held yet
    place: str = ""
    link: str = ""


@dataclass(frozen=True)
class AtSession:
    """Said aloud at a session and written down by the facilitator."""

    session: int  # index in the table's sessions
    by: str  # key of an attendee in ACTORS
    cause: str
    title: dict
    description: dict


@dataclass(frozen=True)
class Online:
    """Proposed on the site while the table's call was open."""

    # A README account by email, or a generated citizen by number.
    author: str | int
    day: int
    hour: int
    cause: str
    title: dict
    description: dict
    organisation: str = ""  # key in ACTORS, when proposing for an organisation
    rejected: dict | None = None  # the table's public reason, decided at its working table


@dataclass(frozen=True)
class Table:
    topic: str  # the prioritised topic's Spanish title
    problem: dict  # the central problem as the open day sharpened it
    causes: tuple[Node, ...]
    effects: tuple[Node, ...]
    sessions: tuple[Session, ...]
    # The online call closes at 00:00 local on this day of the timeline.
    proposals_close: int
    proposals: tuple[AtSession | Online, ...]
    # (node, new parent): regrouped at the working table.
    moves: tuple[tuple[str, str], ...] = ()


def es_en(es: str, en: str) -> dict:
    return {"es": es, "en": en}


# ----- water ----------------------------------------------------------------------

WATER = Table(
    topic="Cortes de agua de varios días en las colonias altas",
    problem=es_en(
        "Las familias de El Mirador y La Loma reciben agua potable sólo dos o tres días por semana, sin horario ni aviso de los cortes",
        "Families in El Mirador and La Loma get piped water only two or three days a week, with no schedule and no notice of cuts",
    ),
    causes=(
        node(
            "El pozo y el rebombeo de El Mirador fallan con frecuencia",
            "The El Mirador well and booster pump often break down",
            node(
                "Las bombas tienen más de 20 años y no reciben mantenimiento preventivo",
                "The pumps are over 20 years old and get no preventive maintenance",
                node(
                    "La CAPASL no tiene presupuesto etiquetado para mantenimiento",
                    "The water utility has no budget earmarked for maintenance",
                ),
            ),
            node(
                "Los apagones de la red eléctrica detienen el bombeo",
                "Power cuts stop the pumping",
            ),
        ),
        node(
            "Se pierde en fugas casi la mitad del agua que se bombea",
            "Almost half of the water pumped is lost through leaks",
            node(
                "La red de las colonias altas es de asbesto y tiene más de 40 años",
                "The upper neighbourhoods' network is asbestos-cement pipe over 40 years old",
            ),
            node(
                "Las fugas reportadas tardan semanas en repararse",
                "Reported leaks take weeks to be repaired",
            ),
            key="leaks",
            strategic=True,
        ),
        node(
            "La CAPASL no informa cuándo ni dónde habrá cortes",
            "The utility does not announce when or where cuts will happen",
            node(
                "No existe un calendario público de tandeo por colonia",
                "There is no public supply rota by neighbourhood",
            ),
            node(
                "Los reportes ciudadanos no se registran ni se les da seguimiento",
                "Citizens' reports are neither logged nor followed up",
            ),
            key="notice",
            strategic=True,
        ),
        node(
            "La CAPASL no recauda lo suficiente para operar",
            "The utility does not collect enough to operate",
            node(
                "Una de cada tres tomas no tiene medidor y paga cuota fija",
                "One connection in three has no meter and pays a flat fee",
            ),
            node(
                "Hay tomas clandestinas en los fraccionamientos nuevos",
                "There are illegal connections in the new housing developments",
            ),
        ),
        node(
            "Se autorizaron fraccionamientos sin asegurar fuentes de agua",
            "Housing developments were approved without securing water sources",
            node(
                "Las licencias de construcción no piden dictamen de factibilidad de agua",
                "Building permits do not require a water feasibility report",
            ),
        ),
    ),
    effects=(
        node(
            "Las familias gastan hasta 600 pesos al mes en pipas",
            "Families spend up to 600 pesos a month on water trucks",
            node(
                "Los hogares más pobres recortan el gasto en comida y escuela",
                "The poorest households cut spending on food and school",
            ),
        ),
        node(
            "Se almacena agua en tambos sin tapa, lo que favorece el dengue",
            "Water is stored in open drums, which breeds dengue mosquitoes",
        ),
        node(
            "Mujeres y niñas dedican horas a acarrear y racionar el agua",
            "Women and girls spend hours fetching and rationing water",
            node(
                "Niñas que faltan a la escuela los días de acarreo",
                "Girls miss school on water-fetching days",
            ),
        ),
        node(
            "Las vecinas y vecinos desconfían de la CAPASL y dejan de pagar",
            "Residents distrust the utility and stop paying",
        ),
    ),
    sessions=(
        Session(
            kind=SessionKind.OPEN_DAY,
            day=52,
            hours=(10, 14),
            title=es_en(
                "Jornada abierta: ¿por qué falta el agua en las colonias altas?",
                "Open day: why is there no water in the upper neighbourhoods?",
            ),
            place="Salón de usos múltiples de El Mirador, calle Cerro Azul s/n",
            agenda=es_en(
                "10:00 Bienvenida y reglas de la jornada\n"
                "10:20 Qué dijo la consulta sobre el agua: resultados y testimonios\n"
                "10:45 Árbol de problemas en mesas pequeñas: causas y efectos\n"
                "12:30 Plenaria: el problema central y sus causas\n"
                "13:30 Votación con puntos de las causas estratégicas y cierre",
                "10:00 Welcome and ground rules\n"
                "10:20 What the consultation said about water: results and testimonies\n"
                "10:45 Problem tree in small groups: causes and effects\n"
                "12:30 Plenary: the central problem and its causes\n"
                "13:30 Dot voting on the strategic causes, and close",
            ),
            invited=(
                "ayuntamiento capasl urbano comite_mirador comite_loma fundacion mujeres "
                "observatorio universidad trejo piperos camara guadalupe refugio marcos leticia"
            ),
            absent="camara urbano",
            walk_ins="itzel efrain araceli yolanda brenda jovenes",
            minutes=es_en(
                "<h3>Qué encontró la sala</h3>"
                "<p>Vecinas y vecinos de El Mirador y La Loma, la CAPASL, organizaciones civiles, la Universidad Tecnológica del Valle y transportistas de pipas trabajaron en cuatro mesas pequeñas y luego en plenaria. Se afinó el problema central: <strong>las familias de las colonias altas reciben agua sólo dos o tres días por semana, sin horario ni aviso</strong>.</p>"
                "<p>Las causas más mencionadas fueron:</p><ul>"
                "<li>Fugas en una red de asbesto de más de 40 años: la CAPASL estima que se pierde casi la mitad del agua bombeada.</li>"
                "<li>Bombas viejas en el pozo de El Mirador, sin mantenimiento preventivo ni presupuesto para darlo.</li>"
                "<li>Cortes que nadie anuncia: no hay calendario de tandeo ni registro de reportes.</li>"
                "<li>Tomas sin medidor y fraccionamientos autorizados sin dictamen de factibilidad.</li></ul>"
                "<p>Como efectos, las vecinas señalaron el gasto en pipas (hasta 600 pesos al mes), el agua guardada en tambos sin tapa y las horas que mujeres y niñas dedican a acarrear agua.</p>"
                "<h3>Causas estratégicas</h3>"
                "<p>Por votación con puntos, la sala eligió atacar <strong>las fugas</strong> y <strong>la falta de avisos de corte</strong>. La convocatoria en línea queda abierta hasta la mesa de trabajo.</p>",
                "<h3>What the room found</h3>"
                "<p>Residents of El Mirador and La Loma, the water utility (CAPASL), civil-society organisations, the Universidad Tecnológica del Valle and water-truck operators worked in four small groups and then in plenary. The room sharpened the central problem: <strong>families in the upper neighbourhoods get water only two or three days a week, with no schedule and no notice</strong>.</p>"
                "<p>The causes most often named were:</p><ul>"
                "<li>Leaks in an asbestos-cement network over 40 years old: the utility estimates that almost half of the water pumped is lost.</li>"
                "<li>Old pumps at the El Mirador well, with no preventive maintenance and no budget for it.</li>"
                "<li>Cuts nobody announces: there is no supply rota and no log of reports.</li>"
                "<li>Unmetered connections, and housing developments approved without a water feasibility report.</li></ul>"
                "<p>As effects, residents named the cost of water trucks (up to 600 pesos a month), water kept in open drums and the hours women and girls spend fetching water.</p>"
                "<h3>Strategic causes</h3>"
                "<p>By dot voting, the room chose to tackle <strong>the leaks</strong> and <strong>the lack of notice of cuts</strong>. The online call stays open until the working table.</p>",
            ),
        ),
        Session(
            kind=SessionKind.WORKING_TABLE,
            day=56,
            hours=(17, 20),
            title=es_en(
                "Mesa de trabajo: fugas y avisos de corte",
                "Working table: leaks and notice of cuts",
            ),
            place="Sala de juntas de la CAPASL, Av. Juárez 14, cabecera municipal",
            agenda=es_en(
                "17:00 Repaso del árbol de problemas y de las causas estratégicas\n"
                "17:20 Datos de la CAPASL: fugas, tiempos de reparación y presupuesto\n"
                "17:50 Propuestas de la sala y propuestas recibidas en línea\n"
                "19:30 Acuerdos y quién redacta los compromisos",
                "17:00 Review of the problem tree and the strategic causes\n"
                "17:20 Figures from the utility: leaks, repair times and budget\n"
                "17:50 Proposals from the room and proposals received online\n"
                "19:30 Agreements and who drafts the commitments",
            ),
            invited=(
                "capasl tesoreria urbano contraloria comite_mirador comite_loma fundacion "
                "observatorio universidad trejo ingenieros piperos guadalupe refugio"
            ),
            absent="piperos tesoreria",
            walk_ins="tecnologico",
            minutes=es_en(
                "<h3>Datos presentados</h3>"
                "<p>La CAPASL presentó sus registros del último año: <strong>412 fugas reportadas</strong> en las colonias altas, con un tiempo medio de reparación de 23 días, y ningún presupuesto etiquetado para sectorizar la red. Reconoció que los cortes sólo se avisan por perifoneo, cuando se avisan.</p>"
                "<h3>Propuestas</h3><ul>"
                "<li><strong>Comité Vecinal de El Mirador:</strong> calendario público de tandeo por colonia y avisos por SMS y WhatsApp 48 horas antes de cada corte programado.</li>"
                "<li><strong>Dra. Ana Laura Trejo Islas:</strong> reparar cada fuga en un máximo de 72 horas, con un tablero público de reportes.</li>"
                "<li><strong>Colegio de Ingenieros Civiles del Valle:</strong> sectorizar la red de El Mirador con válvulas y macromedidores para ubicar las pérdidas.</li>"
                "<li>Recibida en línea: reportar fugas por WhatsApp con foto y ubicación; se sumará al tablero.</li></ul>"
                "<h3>Acuerdos</h3>"
                "<p>La CAPASL y el Observatorio Urbano redactarán juntos los borradores de compromiso; la Contraloría Municipal revisará que cada uno tenga indicadores de resultado y no sólo de gestión.</p>",
                "<h3>Figures presented</h3>"
                "<p>The utility presented last year's records: <strong>412 leaks reported</strong> in the upper neighbourhoods, an average repair time of 23 days, and no budget earmarked for dividing the network into sectors. It acknowledged that cuts are only announced by loudspeaker van, if at all.</p>"
                "<h3>Proposals</h3><ul>"
                "<li><strong>El Mirador Neighbourhood Committee:</strong> a public supply rota by neighbourhood, and SMS and WhatsApp alerts 48 hours before every planned cut.</li>"
                "<li><strong>Dr Ana Laura Trejo Islas:</strong> repair every leak within 72 hours, with a public dashboard of reports.</li>"
                "<li><strong>Valle Association of Civil Engineers:</strong> divide El Mirador's network into sectors with valves and bulk meters to locate the losses.</li>"
                "<li>Received online: report leaks on WhatsApp with a photo and location; it will feed the dashboard.</li></ul>"
                "<h3>Agreements</h3>"
                "<p>The utility and the Observatorio Urbano will draft the commitments together; the Municipal Comptroller will check that each has result indicators, not only management ones.</p>",
            ),
        ),
    ),
    proposals_close=56,
    proposals=(
        Online(
            author="ciudadana@demo.coplat.mx",
            day=53,
            hour=21,
            cause="leaks",
            title=es_en(
                "Reportar fugas por WhatsApp con foto y ubicación",
                "Report leaks on WhatsApp with a photo and location",
            ),
            description=es_en(
                "Muchas vecinas no pueden ir a la oficina de la CAPASL en horario de trabajo. Un número de WhatsApp para mandar la foto y la ubicación de la fuga haría que los reportes lleguen y se les pueda dar seguimiento.",
                "Many residents cannot get to the utility's office during working hours. A WhatsApp number for sending a photo and the location of a leak would get reports through and make them traceable.",
            ),
        ),
        AtSession(
            session=1,
            by="comite_mirador",
            cause="notice",
            title=es_en(
                "Calendario público de tandeo y aviso de cortes con 48 horas",
                "A public supply rota and 48 hours' notice of cuts",
            ),
            description=es_en(
                "Que la CAPASL publique cada mes, en la plataforma y en las tiendas de cada colonia, qué días y a qué horas llega el agua, y avise por SMS y WhatsApp con al menos 48 horas cualquier corte programado, y en cuanto ocurra uno imprevisto.",
                "The utility should publish every month, online and in each neighbourhood's shops, on which days and at what times water arrives, and warn by SMS and WhatsApp at least 48 hours before any planned cut, and as soon as an unplanned one happens.",
            ),
        ),
        AtSession(
            session=1,
            by="trejo",
            cause="leaks",
            title=es_en(
                "Reparar cada fuga en 72 horas, con un tablero público",
                "Repair every leak within 72 hours, with a public dashboard",
            ),
            description=es_en(
                "Cada reporte de fuga recibe un folio; un tablero público muestra cuántas fugas siguen abiertas por colonia y cuánto tarda su reparación. La meta: bajar el tiempo medio de 23 días a 72 horas.",
                "Every leak report gets a reference number; a public dashboard shows how many leaks are still open in each neighbourhood and how long repairs take. The goal: cut the average from 23 days to 72 hours.",
            ),
        ),
        AtSession(
            session=1,
            by="ingenieros",
            cause="leaks",
            title=es_en(
                "Sectorizar la red de El Mirador para medir las pérdidas",
                "Divide El Mirador's network into sectors to measure losses",
            ),
            description=es_en(
                "Instalar válvulas de seccionamiento y macromedidores en la red de El Mirador para saber en qué sector se pierde el agua y priorizar la sustitución de la tubería de asbesto.",
                "Install sectioning valves and bulk meters on El Mirador's network to learn in which sector the water is lost, and replace the asbestos-cement pipe there first.",
            ),
        ),
    ),
)

# ----- street lighting ------------------------------------------------------------

LIGHTS = Table(
    topic="Calles sin alumbrado público en El Mirador",
    problem=es_en(
        "Más de la mitad de las luminarias de El Mirador llevan meses apagadas y su reparación no tiene plazo ni seguimiento",
        "More than half of El Mirador's street lights have been out for months, and their repair has no deadline and no follow-up",
    ),
    causes=(
        node(
            "Los reportes de luminarias apagadas se pierden",
            "Reports of broken street lights get lost",
            node(
                "Sólo se reciben reportes en ventanilla, en horario de oficina",
                "Reports are only taken in person, during office hours",
            ),
            node(
                "Los reportes no tienen folio ni plazo de atención",
                "Reports get no reference number and no deadline",
            ),
            key="reports",
            strategic=True,
        ),
        node(
            "Servicios Públicos tiene una sola cuadrilla y una grúa para todo el municipio",
            "Public Services has one crew and one bucket truck for the whole municipality",
            node(
                "La grúa pasa semanas descompuesta",
                "The bucket truck is out of service for weeks at a time",
            ),
            node(
                "El mantenimiento no se programa por zonas: se atiende a quien más presiona",
                "Maintenance is not planned by area: whoever pushes hardest gets served",
            ),
        ),
        node(
            "No hay un inventario de luminarias",
            "There is no inventory of street lights",
            node(
                "Nadie sabe cuántas luminarias hay, dónde están ni de qué tipo son",
                "Nobody knows how many lights there are, where, or of what type",
                node(
                    "El censo de alumbrado no se actualiza desde 2015",
                    "The street-lighting census has not been updated since 2015",
                ),
            ),
            node(
                "CFE cobra al municipio luminarias que ya no existen o están apagadas",
                "The power utility (CFE) bills the municipality for lights that are gone or out",
            ),
            key="inventory",
            strategic=True,
        ),
        node(
            "Las refacciones se compran tarde y caras",
            "Spare parts are bought late and at high prices",
            node(
                "Se compra por adjudicación directa, sin comparar precios",
                "Purchases are direct awards, without comparing prices",
            ),
            node(
                "Las lámparas de vapor de sodio fallan más y ya casi no se fabrican",
                "Sodium-vapour lamps fail more often and are hardly made any more",
            ),
        ),
        node(
            "Roban el cable en las calles sin vigilancia",
            "Cable is stolen on unwatched streets",
            node(
                "Postes con registros abiertos y sin candado",
                "Poles with open, unlocked junction boxes",
            ),
        ),
    ),
    effects=(
        node(
            "Caminar de noche de la parada del autobús a casa es peligroso",
            "Walking home from the bus stop at night is dangerous",
            node(
                "Aumentan los asaltos y el acoso a mujeres en las calles oscuras",
                "Muggings and harassment of women rise on dark streets",
            ),
        ),
        node(
            "Alumnas y alumnos del turno vespertino salen de la secundaria a oscuras",
            "Afternoon-shift pupils leave the secondary school in the dark",
            node(
                "Madres y padres dejan de inscribir a sus hijas en el turno vespertino",
                "Parents stop enrolling their daughters in the afternoon shift",
            ),
        ),
        node("Los comercios cierran más temprano", "Shops close earlier"),
        node(
            "El municipio paga energía de luminarias que no alumbran",
            "The municipality pays for power for lights that do not shine",
        ),
    ),
    sessions=(
        Session(
            kind=SessionKind.OPEN_DAY,
            day=53,
            hours=(17, 20),
            title=es_en(
                "Jornada abierta y recorrido nocturno: el alumbrado de El Mirador",
                "Open day and night walk: street lighting in El Mirador",
            ),
            place="Patio de la Escuela Secundaria Técnica No. 27, El Mirador",
            agenda=es_en(
                "17:00 Bienvenida y resultados de la consulta sobre alumbrado\n"
                "17:20 Mapa colectivo: ¿dónde están las calles oscuras?\n"
                "18:00 Árbol de problemas: causas y efectos\n"
                "19:00 Recorrido nocturno por las calles Hidalgo, Cerro Azul y Las Flores\n"
                "19:45 Votación de las causas estratégicas y cierre",
                "17:00 Welcome and the consultation's results on street lighting\n"
                "17:20 Shared map: where are the dark streets?\n"
                "18:00 Problem tree: causes and effects\n"
                "19:00 Night walk along Hidalgo, Cerro Azul and Las Flores streets\n"
                "19:45 Vote on the strategic causes, and close",
            ),
            invited=(
                "servicios seguridad ayuntamiento comite_mirador consejo mujeres jovenes "
                "observatorio tecnologico camara electrica guadalupe xochitl hector brenda ruben"
            ),
            absent="ayuntamiento electrica",
            walk_ins="angel javier itzel leticia salvador",
            minutes=es_en(
                "<h3>Mapa y recorrido</h3>"
                "<p>Sobre un mapa impreso de la colonia, las personas asistentes marcaron <strong>63 luminarias apagadas</strong> de las 118 que contaron. En el recorrido nocturno se confirmaron tramos completos a oscuras entre la parada del autobús de la calle Hidalgo y la secundaria.</p>"
                "<h3>Causas identificadas</h3><ul>"
                "<li>Los reportes sólo se reciben en ventanilla y se pierden: no tienen folio ni plazo.</li>"
                "<li>Servicios Públicos tiene una cuadrilla y una grúa para todo el municipio, y la grúa pasa semanas descompuesta.</li>"
                "<li>Nadie sabe cuántas luminarias hay: el censo no se actualiza desde 2015 y CFE cobra luminarias que no existen.</li>"
                "<li>Refacciones compradas por adjudicación directa, y robo de cable en postes sin candado.</li></ul>"
                "<p>Entre los efectos destacaron el acoso a mujeres en las calles oscuras y que madres y padres ya no inscriben a sus hijas en el turno vespertino.</p>"
                "<h3>Causas estratégicas</h3>"
                "<p>La sala eligió <strong>los reportes que se pierden</strong> y <strong>la falta de un inventario de luminarias</strong>. Las propuestas en línea se reciben hasta la mesa de trabajo.</p>",
                "<h3>Map and walk</h3>"
                "<p>On a printed map of the neighbourhood, those present marked <strong>63 street lights out</strong> of the 118 they counted. The night walk confirmed whole stretches in the dark between the Hidalgo street bus stop and the secondary school.</p>"
                "<h3>Causes found</h3><ul>"
                "<li>Reports are only taken at the counter and get lost: no reference number, no deadline.</li>"
                "<li>Public Services has one crew and one bucket truck for the whole municipality, and the truck is out of service for weeks.</li>"
                "<li>Nobody knows how many lights there are: the census dates from 2015 and CFE bills for lights that do not exist.</li>"
                "<li>Spare parts bought by direct award, and cable stolen from unlocked poles.</li></ul>"
                "<p>Among the effects, people stressed the harassment of women on dark streets and that parents no longer enrol their daughters in the afternoon shift.</p>"
                "<h3>Strategic causes</h3>"
                "<p>The room chose <strong>reports that get lost</strong> and <strong>the lack of an inventory of street lights</strong>. Proposals are taken online until the working table.</p>",
            ),
        ),
        Session(
            kind=SessionKind.WORKING_TABLE,
            day=57,
            hours=(18, 20),
            title=es_en(
                "Mesa de trabajo en línea: reportes e inventario de luminarias",
                "Online working table: reporting and inventory of street lights",
            ),
            link="https://meet.jit.si/coplat-santa-lucia-mesa-alumbrado",
            agenda=es_en(
                "18:00 Repaso de las causas estratégicas\n"
                "18:15 Servicios Públicos y Tesorería: reportes, recibos de CFE y presupuesto\n"
                "18:45 Propuestas de la sala y propuestas recibidas en línea\n"
                "19:40 Acuerdos",
                "18:00 Review of the strategic causes\n"
                "18:15 Public Services and the Treasury: reports, CFE bills and budget\n"
                "18:45 Proposals from the room and proposals received online\n"
                "19:40 Agreements",
            ),
            invited=(
                "servicios seguridad tesoreria contraloria comite_mirador consejo mujeres "
                "colectivo tecnologico universidad electrica camara guadalupe"
            ),
            absent="camara",
            walk_ins="jovenes hector",
            minutes=es_en(
                "<h3>Lo que informó el gobierno</h3>"
                "<p>Servicios Públicos reconoció que no lleva un registro de reportes: se anotan en una libreta. La Tesorería informó que el municipio paga a CFE <strong>2,340 luminarias</strong>, aunque el último censo contó 1,870.</p>"
                "<h3>Propuestas</h3><ul>"
                "<li><strong>Consejo Ciudadano de Seguridad:</strong> reporte en línea y por WhatsApp con folio y plazo de reparación de cinco días hábiles.</li>"
                "<li><strong>Instituto Tecnológico Superior de Santa Lucía:</strong> censo georreferenciado de luminarias con estudiantes de servicio social, publicado como datos abiertos.</li>"
                "<li><strong>Colectivo Ciudadano por la Transparencia:</strong> conciliar el censo con los recibos de CFE y publicar cada bimestre lo que se paga por alumbrado.</li>"
                "<li>En línea, del Comité Vecinal de El Mirador: recorridos nocturnos mensuales para verificar que los reportes se atienden.</li></ul>"
                "<p>La propuesta en línea de instalar cámaras con reconocimiento facial <strong>no se retoma</strong>: no atiende las causas elegidas y pone en riesgo datos personales sensibles. La respuesta quedó en la bitácora pública.</p>"
                "<h3>Acuerdos</h3>"
                "<p>Servicios Públicos y el Tecnológico presentarán un plan de censo en la siguiente sesión del STL.</p>",
                "<h3>What the government reported</h3>"
                "<p>Public Services acknowledged it keeps no register of reports: they are written in a notebook. The Treasury reported that the municipality pays CFE for <strong>2,340 street lights</strong>, although the last census counted 1,870.</p>"
                "<h3>Proposals</h3><ul>"
                "<li><strong>Citizens' Security Council:</strong> reporting online and on WhatsApp, with a reference number and a five-working-day repair deadline.</li>"
                "<li><strong>Instituto Tecnológico Superior de Santa Lucía:</strong> a geo-referenced census of street lights by students on social service, published as open data.</li>"
                "<li><strong>Colectivo Ciudadano por la Transparencia:</strong> reconcile the census with CFE's bills and publish every two months what is paid for street lighting.</li>"
                "<li>Online, from the El Mirador Neighbourhood Committee: monthly night walks to check that reports are dealt with.</li></ul>"
                "<p>The online proposal to install facial-recognition cameras <strong>is not taken up</strong>: it does not address the chosen causes and puts sensitive personal data at risk. The answer is in the public feedback log.</p>"
                "<h3>Agreements</h3>"
                "<p>Public Services and the Tecnológico will present a census plan at the STL's next meeting.</p>",
            ),
        ),
    ),
    proposals_close=57,
    proposals=(
        Online(
            author=58,
            organisation="comite_mirador",
            day=54,
            hour=20,
            cause="reports",
            title=es_en(
                "Recorridos nocturnos mensuales del comité vecinal con Servicios Públicos",
                "Monthly night walks by the neighbourhood committee with Public Services",
            ),
            description=es_en(
                "Una vez al mes, el comité y personal de Servicios Públicos recorren la colonia de noche con la lista de reportes, para comprobar cuáles se atendieron y levantar los nuevos.",
                "Once a month the committee and Public Services staff walk the neighbourhood at night with the list of reports, to check which were dealt with and log new ones.",
            ),
        ),
        Online(
            author=37,
            day=55,
            hour=22,
            cause="reports",
            title=es_en(
                "Cámaras con reconocimiento facial en todas las calles",
                "Facial-recognition cameras on every street",
            ),
            description=es_en(
                "Poner cámaras con reconocimiento facial en todos los postes de El Mirador para saber quién roba el cable y quién asalta.",
                "Put facial-recognition cameras on every pole in El Mirador to find out who steals the cable and who mugs people.",
            ),
            rejected=es_en(
                "La mesa no retoma esta propuesta: no atiende la causa elegida (que los reportes de luminarias se pierden) y el reconocimiento facial en la vía pública trata datos biométricos de toda la población, que la ley protege como datos sensibles. La preocupación por la seguridad queda atendida con las propuestas de reporte y reparación.",
                "The table does not take this proposal up: it does not address the chosen cause (reports of broken lights getting lost), and facial recognition in public space processes the biometric data of the whole population, which the law protects as sensitive data. The safety concern is met by the reporting and repair proposals.",
            ),
        ),
        AtSession(
            session=1,
            by="consejo",
            cause="reports",
            title=es_en(
                "Reporte de luminarias con folio y plazo de cinco días hábiles",
                "Street-light reports with a reference number and a five-working-day deadline",
            ),
            description=es_en(
                "Recibir reportes en línea, por WhatsApp y por teléfono, cada uno con folio, y publicar cada reporte con su estado hasta que la luminaria quede reparada.",
                "Take reports online, on WhatsApp and by phone, each with a reference number, and publish every report with its status until the light is fixed.",
            ),
        ),
        AtSession(
            session=1,
            by="tecnologico",
            cause="inventory",
            title=es_en(
                "Censo georreferenciado de luminarias en datos abiertos",
                "A geo-referenced census of street lights as open data",
            ),
            description=es_en(
                "Estudiantes de servicio social del Tecnológico levantan en tres meses el censo de luminarias con su ubicación, tipo y estado; el municipio lo publica como datos abiertos y lo actualiza con cada reparación.",
                "Students from the Tecnológico on social service map every light with its location, type and condition within three months; the municipality publishes the census as open data and updates it with every repair.",
            ),
        ),
        AtSession(
            session=1,
            by="colectivo",
            cause="inventory",
            title=es_en(
                "Publicar cada bimestre lo que se paga a CFE por alumbrado",
                "Publish every two months what is paid to CFE for street lighting",
            ),
            description=es_en(
                "Conciliar el censo con los recibos de CFE, reclamar el cobro de luminarias inexistentes y publicar cada bimestre el monto pagado y las luminarias cobradas.",
                "Reconcile the census with CFE's bills, dispute charges for lights that do not exist, and publish every two months the amount paid and the lights billed.",
            ),
        ),
    ),
)

# ----- the San Isidro health centre -----------------------------------------------

CLINIC = Table(
    topic="Centro de salud de San Isidro sin médico los fines de semana",
    problem=es_en(
        "El centro de salud de San Isidro cierra sábados y domingos y no hay otra atención médica a menos de 40 minutos",
        "San Isidro health centre closes on Saturdays and Sundays, and there is no other medical care within 40 minutes",
    ),
    causes=(
        node(
            "La plantilla del centro de salud sólo cubre las mañanas entre semana",
            "The health centre's staff only covers weekday mornings",
            node(
                "Las plazas médicas de fin de semana no están autorizadas",
                "Weekend doctor posts have not been authorised",
                node(
                    "El municipio nunca ha gestionado esas plazas ante los servicios estatales de salud",
                    "The municipality has never requested those posts from the state health services",
                ),
            ),
            node(
                "Los médicos pasantes rotan cada año y no se quedan en la comunidad",
                "Medical interns rotate every year and do not stay in the community",
            ),
        ),
        node(
            "No hay un acuerdo de coordinación entre el municipio y la Jurisdicción Sanitaria",
            "There is no coordination agreement between the municipality and the health district",
            node(
                "Cada orden de gobierno culpa al otro del cierre",
                "Each level of government blames the other for the closure",
            ),
            node(
                "El Comité de Salud de San Isidro no es convocado a ninguna reunión",
                "The San Isidro Health Committee is never invited to any meeting",
            ),
            key="agreement",
            strategic=True,
        ),
        node(
            "El centro de salud no tiene condiciones para abrir de noche ni en fin de semana",
            "The health centre is not fit to open at night or at weekends",
            node(
                "No hay vigilancia ni alumbrado en el acceso",
                "There is no security or lighting at the entrance",
            ),
            node(
                "El cuarto de guardia no tiene baño ni cama",
                "The on-call room has no bathroom and no bed",
            ),
        ),
        node(
            "No existe un traslado de urgencias organizado hacia el hospital",
            "There is no organised emergency transfer to the hospital",
            node(
                "Una sola ambulancia municipal atiende a todo el municipio",
                "One municipal ambulance serves the whole municipality",
            ),
            node(
                "La señal de celular es mala y las llamadas al 911 no siempre entran",
                "Mobile coverage is poor and 911 calls often fail",
            ),
            key="transfer",
            strategic=True,
        ),
        node(
            "La población no conoce sus derechos ni los horarios de atención",
            "People do not know their rights or the opening hours",
            node(
                "Los horarios y servicios no se publican en la comunidad",
                "Hours and services are not posted in the community",
            ),
        ),
    ),
    effects=(
        node(
            "Las urgencias de fin de semana terminan en traslados de 40 minutos o más",
            "Weekend emergencies end in journeys of 40 minutes or more",
            node(
                "Partos y accidentes se atienden tarde",
                "Births and accidents are attended to late",
            ),
        ),
        node(
            "Las familias pagan consultas en farmacias con consultorio",
            "Families pay for consultations at pharmacy surgeries",
        ),
        node(
            "Las personas con enfermedades crónicas interrumpen su tratamiento",
            "People with chronic illnesses interrupt their treatment",
        ),
        node(
            "El hospital regional se satura con casos que podían atenderse en la comunidad",
            "The regional hospital is swamped with cases that could be treated locally",
        ),
    ),
    sessions=(
        Session(
            kind=SessionKind.OPEN_DAY,
            day=54,
            hours=(10, 14),
            title=es_en(
                "Jornada abierta en San Isidro: atención médica en fin de semana",
                "Open day in San Isidro: medical care at weekends",
            ),
            place="Salón ejidal de San Isidro, junto a la plaza principal",
            agenda=es_en(
                "10:00 Bienvenida (con interpretación al hñähñu)\n"
                "10:20 Testimonios: ¿qué pasa cuando alguien se enferma en fin de semana?\n"
                "11:00 Árbol de problemas en mesas pequeñas\n"
                "12:30 Plenaria y votación de las causas estratégicas\n"
                "13:30 Micrófono abierto para propuestas y cierre",
                "10:00 Welcome (with interpreting into Hñähñu)\n"
                "10:20 Testimonies: what happens when someone falls ill at the weekend?\n"
                "11:00 Problem tree in small groups\n"
                "12:30 Plenary and vote on the strategic causes\n"
                "13:30 Open microphone for proposals, and close",
            ),
            invited=(
                "salud jurisdiccion delegacion proteccion comite_salud mujeres parteras "
                "discapacidad enfermeria farmacia esperanza francisco yolanda efrain araceli"
            ),
            absent="jurisdiccion farmacia",
            walk_ins="ruben salvador javier brenda angel",
            minutes=es_en(
                "<h3>Testimonios</h3>"
                "<p>Vecinas de San Isidro relataron partos atendidos camino a la cabecera y personas con diabetes que se quedan sin consulta de control. La Red de Parteras Tradicionales explicó que atiende urgencias que no le corresponden porque no hay a quién acudir. La Jurisdicción Sanitaria no asistió; la Coordinación Municipal de Salud se comprometió a convocarla.</p>"
                "<h3>Causas identificadas</h3><ul>"
                "<li>La plantilla sólo cubre las mañanas entre semana y las plazas de fin de semana nunca se han gestionado.</li>"
                "<li>No hay acuerdo de coordinación entre el municipio y los servicios estatales de salud: cada uno culpa al otro.</li>"
                "<li>El centro de salud no tiene vigilancia, alumbrado ni un cuarto de guardia digno.</li>"
                "<li>No hay traslado de urgencias organizado: una ambulancia para todo el municipio y mala señal de celular.</li></ul>"
                "<h3>Causas estratégicas y propuestas</h3>"
                "<p>La sala eligió <strong>la falta de un acuerdo de coordinación</strong> y <strong>la falta de traslado de urgencias</strong>. Al micrófono abierto, Esperanza Jiménez Cruz propuso un radio en la delegación para pedir la ambulancia cuando no hay señal.</p>",
                "<h3>Testimonies</h3>"
                "<p>Women from San Isidro told of babies born on the way to the town centre and of people with diabetes who miss their check-ups. The Network of Traditional Midwives explained that it handles emergencies beyond its remit because there is nobody else to turn to. The health district did not attend; the Municipal Health Office undertook to bring it to the table.</p>"
                "<h3>Causes found</h3><ul>"
                "<li>Staff only cover weekday mornings, and weekend posts have never been requested.</li>"
                "<li>There is no coordination agreement between the municipality and the state health services: each blames the other.</li>"
                "<li>The health centre has no security, no lighting and no decent on-call room.</li>"
                "<li>There is no organised emergency transfer: one ambulance for the whole municipality and poor mobile coverage.</li></ul>"
                "<h3>Strategic causes and proposals</h3>"
                "<p>The room chose <strong>the lack of a coordination agreement</strong> and <strong>the lack of emergency transfers</strong>. At the open microphone, Esperanza Jiménez Cruz proposed a radio at the local office to call the ambulance when there is no signal.</p>",
            ),
        ),
        Session(
            kind=SessionKind.WORKING_TABLE,
            day=58,
            hours=(17, 20),
            title=es_en(
                "Mesa de trabajo: coordinación con los servicios de salud y traslados",
                "Working table: coordination with the health services, and transfers",
            ),
            place="Auditorio del DIF Municipal, calle Morelos 22, cabecera municipal",
            agenda=es_en(
                "17:00 Repaso del árbol y de las causas estratégicas\n"
                "17:20 Protección Civil: tiempos de respuesta de la ambulancia\n"
                "17:50 Propuestas por causa estratégica\n"
                "19:00 Qué puede hacer el municipio y qué depende del estado\n"
                "19:40 Acuerdos y fecha de la segunda mesa",
                "17:00 Review of the tree and the strategic causes\n"
                "17:20 Civil Protection: ambulance response times\n"
                "17:50 Proposals for each strategic cause\n"
                "19:00 What the municipality can do and what depends on the state\n"
                "19:40 Agreements and the date of the second table",
            ),
            invited=(
                "salud jurisdiccion proteccion delegacion tesoreria ayuntamiento comite_salud "
                "mujeres parteras discapacidad enfermeria universidad farmacia esperanza"
            ),
            absent="jurisdiccion tesoreria",
            walk_ins="francisco",
            minutes=es_en(
                "<h3>Datos presentados</h3>"
                "<p>Protección Civil informó que en el último año la ambulancia tardó en promedio <strong>64 minutos</strong> en llegar a San Isidro en fin de semana. La Coordinación Municipal de Salud explicó que las plazas médicas dependen de los servicios estatales, pero que el municipio puede aportar vigilancia, limpieza, adecuaciones y transporte.</p>"
                "<h3>Propuestas</h3><ul>"
                "<li><strong>Comité de Salud de San Isidro:</strong> convenio con la Jurisdicción Sanitaria para abrir el centro de salud sábados y domingos de 8 a 20 h; el municipio cubre vigilancia, limpieza y el cuarto de guardia.</li>"
                "<li><strong>Red de Mujeres del Valle:</strong> una mesa trimestral de seguimiento con minutas públicas.</li>"
                "<li><strong>Protección Civil:</strong> la ambulancia estacionada en San Isidro los fines de semana, con un protocolo de traslado al hospital regional.</li></ul>"
                "<h3>Acuerdos</h3>"
                "<p>La Jurisdicción Sanitaria tampoco asistió. Se convoca una <strong>segunda mesa de trabajo</strong> con su titular para revisar el borrador de convenio, que redactarán el Comité de Salud y la Red de Mujeres con la Coordinación Municipal de Salud.</p>",
                "<h3>Figures presented</h3>"
                "<p>Civil Protection reported that over the last year the ambulance took on average <strong>64 minutes</strong> to reach San Isidro at weekends. The Municipal Health Office explained that doctors' posts depend on the state health services, but that the municipality can provide security, cleaning, building works and transport.</p>"
                "<h3>Proposals</h3><ul>"
                "<li><strong>San Isidro Health Committee:</strong> an agreement with the health district to open the health centre on Saturdays and Sundays from 8 am to 8 pm; the municipality covers security, cleaning and the on-call room.</li>"
                "<li><strong>Red de Mujeres del Valle:</strong> a quarterly follow-up meeting with public minutes.</li>"
                "<li><strong>Civil Protection:</strong> the ambulance stationed in San Isidro at weekends, with a transfer protocol to the regional hospital.</li></ul>"
                "<h3>Agreements</h3>"
                "<p>The health district did not attend this time either. A <strong>second working table</strong> is called with its head to review the draft agreement, which the Health Committee and the Red de Mujeres will write with the Municipal Health Office.</p>",
            ),
        ),
        Session(
            kind=SessionKind.WORKING_TABLE,
            day=68,
            hours=(17, 20),
            title=es_en(
                "Segunda mesa de trabajo: borrador de convenio con la Jurisdicción Sanitaria",
                "Second working table: draft agreement with the health district",
            ),
            place="Auditorio del DIF Municipal, calle Morelos 22, cabecera municipal",
            agenda=es_en(
                "17:00 Presentación del borrador de convenio (Comité de Salud y Red de Mujeres)\n"
                "17:30 Postura de la Jurisdicción Sanitaria sobre las plazas de fin de semana\n"
                "18:30 Ajustes al protocolo de traslados con Protección Civil\n"
                "19:30 Calendario de los hitos del compromiso aprobado",
                "17:00 The draft agreement (Health Committee and Red de Mujeres)\n"
                "17:30 The health district's position on weekend posts\n"
                "18:30 Adjusting the transfer protocol with Civil Protection\n"
                "19:30 Calendar of the approved commitment's milestones",
            ),
            invited=(
                "salud jurisdiccion proteccion delegacion tesoreria ayuntamiento comite_salud "
                "mujeres parteras enfermeria esperanza"
            ),
            absent="tesoreria",
            walk_ins="francisco araceli yolanda",
            minutes=es_en(
                "<h3>El borrador de convenio</h3>"
                "<p>El Comité de Salud y la Red de Mujeres presentaron el borrador que redactaron con la Coordinación Municipal de Salud. Por primera vez asistió la <strong>Jurisdicción Sanitaria</strong>, con su titular.</p>"
                "<h3>Acuerdos</h3><ul>"
                "<li>La Jurisdicción asignará un médico general y una enfermera los sábados y domingos de 8 a 20 h desde el cuarto mes del plan, una vez firmado el convenio.</li>"
                "<li>El municipio equipará el cuarto de guardia y pondrá vigilancia y alumbrado en el acceso antes de la primera apertura.</li>"
                "<li>Protección Civil estacionará la ambulancia en San Isidro del viernes a las 20 h al lunes a las 8 h; el radio de la delegación se comprará con el presupuesto del año.</li>"
                "<li>La Red de Parteras Tradicionales revisará el protocolo de traslados de partos y urgencias obstétricas.</li></ul>"
                "<h3>Calendario</h3>"
                "<p>El convenio se firmará en el primer trimestre del plan. La mesa trimestral de seguimiento, con minutas públicas, sesionará en San Isidro; la primera, al cumplirse tres meses de la presentación del plan.</p>",
                "<h3>The draft agreement</h3>"
                "<p>The Health Committee and the Red de Mujeres presented the draft they wrote with the Municipal Health Office. The <strong>health district</strong> attended for the first time, with its head.</p>"
                "<h3>Agreements</h3><ul>"
                "<li>The health district will assign a general practitioner and a nurse on Saturdays and Sundays from 8 am to 8 pm from the plan's fourth month, once the agreement is signed.</li>"
                "<li>The municipality will equip the on-call room and provide security and lighting at the entrance before the first opening.</li>"
                "<li>Civil Protection will station the ambulance in San Isidro from Friday 8 pm to Monday 8 am; the local office's radio will be bought from this year's budget.</li>"
                "<li>The Network of Traditional Midwives will review the transfer protocol for births and obstetric emergencies.</li></ul>"
                "<h3>Calendar</h3>"
                "<p>The agreement will be signed in the plan's first quarter. The quarterly follow-up meeting, with public minutes, will meet in San Isidro; the first one three months after the plan's launch.</p>",
            ),
        ),
    ),
    proposals_close=58,
    proposals=(
        AtSession(
            session=0,
            by="esperanza",
            cause="transfer",
            title=es_en(
                "Un radio en la delegación para pedir la ambulancia sin señal de celular",
                "A radio at the local office to call the ambulance when there is no signal",
            ),
            description=es_en(
                "Instalar un radio de comunicación en la Delegación Municipal de San Isidro, con una persona de guardia los fines de semana, enlazado con Protección Civil.",
                "Install a two-way radio at the San Isidro local office, staffed at weekends and linked to Civil Protection.",
            ),
        ),
        Online(
            author=88,
            day=55,
            hour=19,
            cause="transfer",
            title=es_en(
                "Transporte comunitario al hospital regional en fin de semana",
                "Community transport to the regional hospital at weekends",
            ),
            description=es_en(
                "Una camioneta del DIF que salga de San Isidro sábado y domingo por la mañana y regrese por la tarde, para quien necesite atención y no tenga cómo llegar.",
                "A DIF van leaving San Isidro on Saturday and Sunday mornings and returning in the afternoon, for anyone who needs care and has no way to get there.",
            ),
        ),
        AtSession(
            session=1,
            by="comite_salud",
            cause="agreement",
            title=es_en(
                "Convenio para abrir el centro de salud en fin de semana",
                "An agreement to open the health centre at weekends",
            ),
            description=es_en(
                "Convenio entre el municipio y la Jurisdicción Sanitaria para abrir el centro de salud de San Isidro sábados y domingos de 8 a 20 h: el estado asigna personal médico y el municipio cubre vigilancia, limpieza, alumbrado y un cuarto de guardia digno.",
                "An agreement between the municipality and the health district to open San Isidro health centre on Saturdays and Sundays from 8 am to 8 pm: the state assigns medical staff and the municipality pays for security, cleaning, lighting and a decent on-call room.",
            ),
        ),
        AtSession(
            session=1,
            by="mujeres",
            cause="agreement",
            title=es_en(
                "Mesa trimestral de seguimiento con minutas públicas",
                "A quarterly follow-up meeting with public minutes",
            ),
            description=es_en(
                "Cada tres meses, la Jurisdicción Sanitaria, el ayuntamiento y el Comité de Salud revisan horarios, abasto de medicamentos y quejas; las minutas se publican en esta plataforma.",
                "Every three months the health district, the council and the Health Committee review opening hours, medicine supply and complaints; the minutes are published on this platform.",
            ),
        ),
        AtSession(
            session=1,
            by="proteccion",
            cause="transfer",
            title=es_en(
                "Ambulancia estacionada en San Isidro los fines de semana",
                "An ambulance stationed in San Isidro at weekends",
            ),
            description=es_en(
                "Que la ambulancia municipal pase los fines de semana en San Isidro, con un protocolo de traslado al hospital regional acordado con la Jurisdicción Sanitaria.",
                "The municipal ambulance should spend weekends in San Isidro, with a protocol for transfers to the regional hospital agreed with the health district.",
            ),
        ),
    ),
)

# ----- public works -----------------------------------------------------------------

WORKS = Table(
    topic="Quién construye la obra pública y cuánto cuesta",
    problem=es_en(
        "La ciudadanía no puede saber quién construye cada obra pública municipal, cómo se eligió a la empresa, cuánto cuesta ni cuánto avanza",
        "Citizens cannot find out who builds each municipal public work, how the company was chosen, what it costs or how far it has got",
    ),
    causes=(
        node(
            "Los contratos de obra no se publican completos",
            "Public works contracts are not published in full",
            node(
                "En la Plataforma Nacional de Transparencia sólo hay formatos incompletos en PDF escaneado",
                "The National Transparency Platform holds only incomplete forms, as scanned PDFs",
            ),
            node(
                "La Unidad de Transparencia es una sola persona para todo el ayuntamiento",
                "The Transparency Unit is one person for the whole council",
            ),
            key="contracts",
            strategic=True,
        ),
        node(
            "La mayoría de las obras se asignan por adjudicación directa o invitación a tres",
            "Most works are awarded directly or by invitation to three bidders",
            node(
                "Las obras se fraccionan para no rebasar los montos de licitación",
                "Works are split up to stay below the tendering thresholds",
                node(
                    "El programa anual de obra no se publica a tiempo",
                    "The annual works programme is not published in time",
                ),
            ),
            node(
                "El padrón de contratistas no es público",
                "The register of contractors is not public",
            ),
        ),
        node(
            "No hay seguimiento ciudadano de las obras",
            "There is no citizen oversight of works",
            node(
                "Los comités de contraloría social existen sólo en papel",
                "Social-oversight committees exist only on paper",
            ),
            key="oversight",
            strategic=True,
        ),
        node(
            "La información que sí se publica no se entiende",
            "What is published cannot be understood",
            node(
                "Los expedientes técnicos usan lenguaje especializado",
                "Technical files are written in specialist jargon",
            ),
            node(
                "No hay datos abiertos: todo se publica en PDF",
                "There is no open data: everything is published as PDF",
                key="open_data",
                strategic=True,
            ),
            # The working table regrouped it under the lack of citizen oversight.
            node(
                "Las obras no tienen letrero con monto, empresa y plazo",
                "Work sites have no sign with the amount, company and deadline",
                key="signs",
            ),
        ),
        node(
            "La Contraloría Municipal no revisa las obras en campo",
            "The Municipal Comptroller does not inspect works on site",
            node(
                "La Contraloría depende del presidente municipal",
                "The Comptroller answers to the mayor",
            ),
            node(
                "Las observaciones de la Auditoría Superior del Estado no se publican",
                "The state audit office's findings are not published",
            ),
        ),
    ),
    effects=(
        node(
            "Obras inconclusas o de mala calidad que nadie explica",
            "Unfinished or shoddy works that nobody explains",
            node(
                "Calles repavimentadas que se rompen en la primera temporada de lluvias",
                "Streets repaved one year and broken up by the first rainy season",
            ),
        ),
        node(
            "Sospechas de sobreprecios y de favoritismo hacia empresas cercanas al gobierno",
            "Suspicion of overpricing and of favouritism towards companies close to the government",
            node(
                "Desconfianza hacia el ayuntamiento y menor pago del predial",
                "Distrust of the council and lower property-tax collection",
            ),
        ),
        node(
            "Las empresas locales no concursan porque creen que los contratos ya están dados",
            "Local firms do not bid because they believe contracts are decided in advance",
        ),
        node(
            "Las quejas ciudadanas sobre obras no prosperan por falta de pruebas",
            "Citizens' complaints about works go nowhere for lack of evidence",
        ),
    ),
    sessions=(
        Session(
            kind=SessionKind.OPEN_DAY,
            day=55,
            hours=(10, 14),
            title=es_en(
                "Jornada abierta: ¿quién construye la obra pública?",
                "Open day: who builds our public works?",
            ),
            place="Casa de Cultura, centro de Santa Lucía",
            agenda=es_en(
                "10:00 Bienvenida y resultados de la consulta\n"
                "10:20 Ejercicio: encontrar en internet el contrato de la obra de la calle Hidalgo\n"
                "11:00 Árbol de problemas en mesas pequeñas\n"
                "12:30 Plenaria y votación de las causas estratégicas\n"
                "13:45 Cierre y convocatoria a la mesa de trabajo",
                "10:00 Welcome and the consultation's results\n"
                "10:20 Exercise: find the contract for the Hidalgo street works online\n"
                "11:00 Problem tree in small groups\n"
                "12:30 Plenary and vote on the strategic causes\n"
                "13:45 Close and call to the working table",
            ),
            invited=(
                "ayuntamiento obras contraloria transparencia garante colectivo observatorio "
                "jovenes universidad monroy camara constructores ingenieros tomas marcos "
                "francisco"
            ),
            absent="constructores",
            walk_ins="regidora hector leticia efrain itzel xochitl",
            minutes=es_en(
                "<h3>Ejercicio de búsqueda</h3>"
                "<p>En equipos, las personas asistentes intentaron encontrar el contrato de la repavimentación de la calle Hidalgo. Ningún equipo lo logró: en la Plataforma Nacional de Transparencia sólo aparece un formato con el monto y el nombre de la empresa, en PDF escaneado.</p>"
                "<h3>Causas identificadas</h3><ul>"
                "<li>Los contratos, el padrón de contratistas y el programa anual de obra no se publican completos ni a tiempo.</li>"
                "<li>La mayoría de las obras se asignan por adjudicación directa o invitación a tres, y algunas se fraccionan para no licitar.</li>"
                "<li>Los comités de contraloría social existen sólo en papel y las obras no tienen letrero con monto y empresa.</li>"
                "<li>Lo que se publica no se entiende: lenguaje técnico y nada en datos abiertos.</li></ul>"
                "<p>La regidora de la Comisión de Obras asistió sin invitación y pidió sumarse a la mesa de trabajo.</p>"
                "<h3>Causas estratégicas</h3>"
                "<p>La sala eligió <strong>los contratos que no se publican</strong>, <strong>la falta de seguimiento ciudadano</strong> y <strong>la falta de datos abiertos</strong>. La convocatoria en línea seguirá abierta mientras se redactan los compromisos.</p>",
                "<h3>Search exercise</h3>"
                "<p>In teams, those present tried to find the contract for repaving Hidalgo street. No team managed it: the National Transparency Platform only holds a form with the amount and the company's name, as a scanned PDF.</p>"
                "<h3>Causes found</h3><ul>"
                "<li>Contracts, the register of contractors and the annual works programme are not published in full or on time.</li>"
                "<li>Most works are awarded directly or by invitation to three bidders, and some are split up to avoid tendering.</li>"
                "<li>Social-oversight committees exist only on paper, and work sites have no sign with the amount and the company.</li>"
                "<li>What is published cannot be understood: technical jargon and no open data.</li></ul>"
                "<p>The councillor who chairs the Public Works Committee came without an invitation and asked to join the working table.</p>"
                "<h3>Strategic causes</h3>"
                "<p>The room chose <strong>contracts that are not published</strong>, <strong>the lack of citizen oversight</strong> and <strong>the lack of open data</strong>. The online call stays open while the commitments are drafted.</p>",
            ),
        ),
        Session(
            kind=SessionKind.WORKING_TABLE,
            day=59,
            hours=(17, 20),
            title=es_en(
                "Mesa de trabajo: contratos abiertos y contraloría social",
                "Working table: open contracting and social oversight",
            ),
            place="Sala de Cabildo, Palacio Municipal",
            agenda=es_en(
                "17:00 Repaso del árbol y de las causas estratégicas\n"
                "17:15 Obras Públicas y Unidad de Transparencia: qué se publica hoy\n"
                "17:45 El órgano garante: obligaciones de transparencia en obra pública\n"
                "18:15 Propuestas por causa estratégica\n"
                "19:30 Acuerdos",
                "17:00 Review of the tree and the strategic causes\n"
                "17:15 Public Works and the Transparency Unit: what is published today\n"
                "17:45 The guarantor body: transparency obligations for public works\n"
                "18:15 Proposals for each strategic cause\n"
                "19:30 Agreements",
            ),
            invited=(
                "obras contraloria transparencia tesoreria regidora garante colectivo "
                "observatorio universidad monroy camara constructores ingenieros tomas"
            ),
            absent="tesoreria",
            walk_ins="jovenes marcos",
            minutes=es_en(
                "<h3>Lo que se informó</h3>"
                "<p>Obras Públicas informó que en el año se ejecutaron <strong>37 obras</strong>, de las cuales 29 se asignaron por adjudicación directa o invitación a tres. La Unidad de Transparencia publica los formatos obligatorios, pero no los contratos completos. El órgano garante recordó que los contratos y sus convenios modificatorios son información pública de oficio.</p>"
                "<p>La mesa reubicó en el árbol la falta de letreros en las obras: ahora cuelga de la falta de seguimiento ciudadano.</p>"
                "<h3>Propuestas</h3><ul>"
                "<li><strong>Colectivo Ciudadano por la Transparencia:</strong> un micrositio con cada contrato, empresa, monto, modalidad de adjudicación y avance físico y financiero, en datos abiertos.</li>"
                "<li><strong>Observatorio Urbano:</strong> comités ciudadanos de obra capacitados por la Contraloría, con visitas y reportes públicos.</li>"
                "<li><strong>Colegio de Ingenieros Civiles del Valle:</strong> un letrero con código QR en cada obra que lleve a su expediente.</li></ul>"
                "<h3>Acuerdos</h3>"
                "<p>Se siguen recibiendo propuestas en línea; la facilitadora las presentará al STL junto con estas para redactar los compromisos.</p>",
                "<h3>What was reported</h3>"
                "<p>Public Works reported <strong>37 works</strong> this year, 29 of them awarded directly or by invitation to three bidders. The Transparency Unit publishes the mandatory forms, but not the full contracts. The guarantor body recalled that contracts and their amendments must be published proactively by law.</p>"
                "<p>The table moved the lack of signs at work sites within the tree: it now hangs from the lack of citizen oversight.</p>"
                "<h3>Proposals</h3><ul>"
                "<li><strong>Colectivo Ciudadano por la Transparencia:</strong> a microsite with every contract, company, amount, award procedure and physical and financial progress, as open data.</li>"
                "<li><strong>Observatorio Urbano:</strong> citizen works committees trained by the Comptroller, with site visits and public reports.</li>"
                "<li><strong>Valle Association of Civil Engineers:</strong> a sign with a QR code at every site, linking to its file.</li></ul>"
                "<h3>Agreements</h3>"
                "<p>Online proposals are still being received; the facilitator will bring them to the STL with these to draft the commitments.</p>",
            ),
        ),
    ),
    # The STL kept this call open while the commitments were drafted, until the evening
    # the last of them was approved (day 60).
    proposals_close=61,
    proposals=(
        Online(
            author="ciudadano@demo.coplat.mx",
            day=57,
            hour=21,
            cause="contracts",
            title=es_en(
                "Publicar el acta de entrega-recepción de cada obra",
                "Publish the handover certificate of every work",
            ),
            description=es_en(
                "Así sabremos si la obra se recibió completa y quién firmó que estaba bien hecha.",
                "Then we will know whether each work was handed over complete, and who signed it off as properly done.",
            ),
        ),
        Online(
            author=120,
            day=58,
            hour=9,
            cause="open_data",
            title=es_en(
                "El padrón de contratistas y sus sanciones en datos abiertos",
                "The register of contractors and their sanctions as open data",
            ),
            description=es_en(
                "Publicar en un archivo descargable qué empresas pueden contratar con el municipio, quiénes son sus socios, qué obras han tenido y si han sido sancionadas.",
                "Publish as a downloadable file which companies may contract with the municipality, who their partners are, which works they have had and whether they have been sanctioned.",
            ),
        ),
        AtSession(
            session=1,
            by="colectivo",
            cause="contracts",
            title=es_en(
                "Micrositio de obra pública en datos abiertos",
                "A public-works microsite with open data",
            ),
            description=es_en(
                "Publicar cada obra con su contrato completo, empresa, monto, modalidad de adjudicación, convenios modificatorios y avance físico y financiero, en datos abiertos con el Estándar de Datos para las Contrataciones Abiertas (EDCA).",
                "Publish every work with its full contract, company, amount, award procedure, amendments and physical and financial progress, as open data following the Open Contracting Data Standard (OCDS).",
            ),
        ),
        AtSession(
            session=1,
            by="observatorio",
            cause="oversight",
            title=es_en(
                "Comités ciudadanos de obra con visitas y reportes públicos",
                "Citizen works committees with site visits and public reports",
            ),
            description=es_en(
                "La Contraloría Municipal capacita a un comité de vecinas y vecinos por obra, que puede visitarla, revisar la bitácora y publicar sus reportes en la plataforma.",
                "The Municipal Comptroller trains one committee of residents per work, which may visit the site, read the site log and publish its reports on the platform.",
            ),
        ),
        AtSession(
            session=1,
            by="ingenieros",
            cause="oversight",
            title=es_en(
                "Letrero con código QR en cada obra", "A sign with a QR code at every work site"
            ),
            description=es_en(
                "Cada obra muestra un letrero con empresa, monto, plazo y un código QR que lleva a su expediente público.",
                "Every site shows a sign with the company, amount, deadline and a QR code linking to its public file.",
            ),
        ),
    ),
    moves=(("signs", "oversight"),),
)

TABLES = (WATER, LIGHTS, CLINIC, WORKS)

# Reached the public-works table's open call on the afternoon of day 60, after its
# commitment was drafted: it waits for its decision in the feedback log.
LATE_PROPOSAL = Online(
    author=77,
    organisation="jovenes",
    day=60,
    hour=16,
    cause="oversight",
    title=es_en(
        "Fotografías fechadas del avance de cada obra, cada quince días",
        "Dated photographs of every work's progress, every two weeks",
    ),
    description=es_en(
        "Que la residencia de obra publique cada quince días fotografías fechadas y georreferenciadas del avance, para que los comités y cualquier vecino comparen lo que se reporta con lo que ven en la calle.",
        "The site supervisor publishes dated, geo-referenced photographs of the progress every two weeks, so the committees and any resident can compare what is reported with what they see in the street.",
    ),
)


# ----- the loader -------------------------------------------------------------------


def load_tables(exercise: Exercise, users: dict[str, User]) -> None:
    """A table per prioritised topic, played through the services after the STL's
    prioritisation (day 50 of the consultation's timeline, at 18:00 local)."""
    facilitator = users["facilitadora@demo.coplat.mx"]
    opens_at = exercise.consultation.opens_at  # 00:00 local on day 0

    def day(number: int, hour: int = 0) -> datetime:
        """That local hour on that day of the consultation's timeline."""
        return opens_at + timedelta(days=number, hours=hour)

    actors = {
        key: services.find_or_add_actor(exercise, name, sector, is_organisation)
        for key, (name, sector, is_organisation) in ACTORS.items()
    }
    topics = {topic.title["es"]: topic for topic in services.topics_without_table(exercise)}
    for plan in TABLES:
        _load_table(exercise, topics[plan.topic], plan, facilitator, users, actors, day)


def load_late_proposal(exercise: Exercise, users: dict[str, User]) -> None:
    """The online proposal that reached the public-works table after the commitments
    were drafted (days 57–60), while its call was still open; its commitment answers it
    (`demo_commitments.complete_public_works`)."""
    opens_at = exercise.consultation.opens_at
    spec = LATE_PROPOSAL
    [table] = [t for t in services.tables_of(exercise) if t.topic.title["es"] == WORKS.topic]
    [cause] = [
        n for n in services.tree_nodes(table) if n.text["es"] == _text_of(WORKS.causes, spec.cause)
    ]
    name, sector, is_organisation = ACTORS[spec.organisation]
    organisation = services.find_or_add_actor(exercise, name, sector, is_organisation)
    when = opens_at + timedelta(days=spec.day, hours=spec.hour)
    proposal = services.propose_online(
        table,
        _account(users, spec.author),
        cause=cause,
        title=spec.title,
        description=spec.description,
        organisation=organisation.name,
        sector=organisation.sector,
        now=when,
    )
    proposal.created_at = when
    db.session.flush()


def _text_of(nodes: tuple[Node, ...], key: str) -> str | None:
    """The Spanish text of the node with that key, searched depth first."""
    for spec in nodes:
        if spec.key == key:
            return spec.text["es"]
        if (found := _text_of(spec.children, key)) is not None:
            return found
    return None


def _load_table(
    exercise: Exercise,
    topic,
    plan: Table,
    facilitator: User,
    users: dict[str, User],
    actors: dict[str, Actor],
    day: Callable[..., datetime],
) -> None:
    # The facilitator opened the tables the morning after the prioritisation.
    table = services.open_table(exercise, topic, facilitator, facilitator=facilitator)
    table.created_at = day(51, 9)
    _date_changes(table, table.created_at)
    table.proposals_close_at = day(plan.proposals_close)

    sessions = [_session(table, spec, actors, day) for spec in plan.sessions]
    open_day, working_table = sessions[0], sessions[1]
    # Both rounds were called when the table opened; a later one, at the session before.
    for before, session in zip([None, None, *sessions[1:]], sessions, strict=False):
        session.created_at = before.ends_at if before is not None else table.created_at

    # The open day drew the tree, sharpened the problem and chose, by dot voting, the
    # causes to attack.
    nodes: dict[str, TreeNode] = {}
    problem = services.problem_of(table)
    chosen = _draw(table, problem, NodeKind.CAUSE, plan.causes, facilitator, nodes)
    _draw(table, problem, NodeKind.EFFECT, plan.effects, facilitator, nodes)
    services.edit_node(problem, plan.problem, facilitator)
    for cause in chosen:
        services.set_strategic(cause, True, facilitator)
    _date_changes(table, open_day.ends_at)
    for moved, parent in plan.moves:
        services.move_node(nodes[moved], nodes[parent], facilitator)
    _date_changes(table, working_table.ends_at)

    for spec in plan.proposals:
        if isinstance(spec, AtSession):
            session = sessions[spec.session]
            proposer = actors[spec.by]
            proposal = services.enter_proposal(
                table,
                facilitator,
                cause=nodes[spec.cause],
                title=spec.title,
                description=spec.description,
                proposer_name=proposer.name,
                proposer_sector=proposer.sector,
                session=session,
            )
            proposal.created_at = session.ends_at
            continue
        when = day(spec.day, spec.hour)
        organisation = actors[spec.organisation] if spec.organisation else None
        proposal = services.propose_online(
            table,
            _account(users, spec.author),
            cause=nodes[spec.cause],
            title=spec.title,
            description=spec.description,
            organisation=organisation.name if organisation else "",
            sector=organisation.sector if organisation else Sector.CITIZEN,
            now=when,
        )
        proposal.created_at = when
        if spec.rejected:
            # Answered at the table's working table, which reviewed the online call.
            services.reject_proposal(
                proposal, facilitator, spec.rejected, now=working_table.ends_at
            )


def _session(
    table: WorkingTable, spec: Session, actors: dict[str, Actor], day: Callable[..., datetime]
) -> TableSession:
    starts_at, ends_at = day(spec.day, spec.hours[0]), day(spec.day, spec.hours[1])
    services.check_session_times(starts_at, ends_at)
    session = TableSession(
        kind=spec.kind,
        title=spec.title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=spec.place,
        link=spec.link,
        agenda=spec.agenda,
    )
    table.sessions.append(session)
    # The call: each sector convenes its counterparts (NOSC stage 4).
    for key in spec.invited.split():
        services.invite(session, actors[key])
    if spec.minutes is not None:
        absent = spec.absent.split()
        for key in spec.invited.split() + spec.walk_ins.split():
            if key not in absent:
                services.record_attendance(session, actors[key])
        services.set_minutes(session, spec.minutes)
    db.session.flush()  # proposals entered at the session check its table
    return session


def _draw(
    table: WorkingTable,
    parent: TreeNode,
    kind: NodeKind,
    specs: tuple[Node, ...],
    user: User,
    nodes: dict[str, TreeNode],
) -> list[TreeNode]:
    """Add the nodes under `parent`, depth first; returns the strategic ones."""
    strategic = []
    for spec in specs:
        added = services.add_node(table, parent, kind, spec.text, user)
        if spec.key:
            nodes[spec.key] = added
        if spec.strategic:
            strategic.append(added)
        strategic += _draw(table, added, kind, spec.children, user, nodes)
    return strategic


def _date_changes(table: WorkingTable, when: datetime) -> None:
    """The tree's history shows the changes at the session where the room made them,
    not at the moment the demo was loaded."""
    db.session.execute(
        sa.update(TreeChange)
        .where(TreeChange.table_id == table.id, TreeChange.changed_at > when)
        .values(changed_at=when)
    )


def _account(users: dict[str, User], author: str | int) -> User:
    """A README account by email, or the generated citizen of that number (whose email
    says ciudadana or ciudadano)."""
    if isinstance(author, str):
        return users[author]
    return db.session.scalar(
        sa.select(User).where(
            User.email.in_([f"ciudadan{ending}{author:03}@demo.coplat.mx" for ending in "ao"])
        )
    )
