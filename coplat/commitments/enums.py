"""The closed lists of the OGP Local commitment template (Annex 2) and of the NOSC
method. English labels are OGP's; the Spanish catalogue holds the template's wording."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from coplat.core.enums import LabelledEnum


class CommitmentStatus(LabelledEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.IN_REVIEW: _l("In STL review"),
            cls.APPROVED: _l("Approved"),
            cls.WITHDRAWN: _l("Withdrawn"),
        }


class ImplementerKind(LabelledEnum):
    """Annex 2 fields 3, 4 and 5: the three tables of institutions and actors."""

    GOVERNMENT = "government"
    NON_GOVERNMENTAL = "non_governmental"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.GOVERNMENT: _l("Implementing government institution"),
            cls.NON_GOVERNMENTAL: _l("Non-governmental implementing actor"),
            cls.OTHER: _l("Other actor involved in implementation"),
        }


class Branch(LabelledEnum):
    """Annex 2 field 3, "Rama de Gobierno"."""

    EXECUTIVE = "executive"
    LEGISLATIVE = "legislative"
    JUDICIAL = "judicial"
    AUTONOMOUS = "autonomous"

    @classmethod
    def _labels(cls):
        return {
            cls.EXECUTIVE: _l("Executive"),
            cls.LEGISLATIVE: _l("Legislative"),
            cls.JUDICIAL: _l("Judicial"),
            cls.AUTONOMOUS: _l("Autonomous body"),
        }


class PolicyArea(LabelledEnum):
    """Annex 2 field 11."""

    FISCAL_OPENNESS = "fiscal_openness"
    OPEN_PARLIAMENTS = "open_parliaments"
    AUDITS_AND_CONTROLS = "audits_and_controls"
    BENEFICIAL_OWNERSHIP = "beneficial_ownership"
    LOBBYING = "lobbying"
    CONFLICTS_OF_INTEREST = "conflicts_of_interest"
    OPEN_CONTRACTING = "open_contracting"
    OPEN_DATA = "open_data"
    ASSET_DISCLOSURE = "asset_disclosure"
    RIGHT_TO_INFORMATION = "right_to_information"
    ELECTIONS = "elections"
    CIVIC_SPACE = "civic_space"
    ECONOMIC_RECOVERY = "economic_recovery"
    DIGITAL_GOVERNANCE = "digital_governance"
    REGULATORY_GOVERNANCE = "regulatory_governance"
    TAX = "tax"
    INCLUSION = "inclusion"
    WHISTLEBLOWER_PROTECTION = "whistleblower_protection"
    SOCIAL_SAFETY_NETS = "social_safety_nets"
    SOCIAL_ACCOUNTABILITY = "social_accountability"
    PANDEMIC_RESPONSE = "pandemic_response"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.FISCAL_OPENNESS: _l("Fiscal openness"),
            cls.OPEN_PARLIAMENTS: _l("Open parliaments"),
            cls.AUDITS_AND_CONTROLS: _l("Audits and controls"),
            cls.BENEFICIAL_OWNERSHIP: _l("Beneficial ownership"),
            cls.LOBBYING: _l("Lobbying"),
            cls.CONFLICTS_OF_INTEREST: _l("Conflicts of interest"),
            cls.OPEN_CONTRACTING: _l("Open contracting and public procurement"),
            cls.OPEN_DATA: _l("Open data"),
            cls.ASSET_DISCLOSURE: _l("Asset disclosure"),
            cls.RIGHT_TO_INFORMATION: _l("Right to information"),
            cls.ELECTIONS: _l("Elections and political finance"),
            cls.CIVIC_SPACE: _l("Civic space"),
            cls.ECONOMIC_RECOVERY: _l("Economic stimulus and recovery"),
            cls.DIGITAL_GOVERNANCE: _l("Digital governance"),
            cls.REGULATORY_GOVERNANCE: _l("Regulatory governance"),
            cls.TAX: _l("Tax"),
            cls.INCLUSION: _l("Inclusion"),
            cls.WHISTLEBLOWER_PROTECTION: _l("Whistleblower protection"),
            cls.SOCIAL_SAFETY_NETS: _l("Social safety nets and economic inclusion"),
            cls.SOCIAL_ACCOUNTABILITY: _l("Social accountability"),
            cls.PANDEMIC_RESPONSE: _l("Pandemic response"),
            cls.OTHER: _l("Other"),
        }


class PolicySector(LabelledEnum):
    """Annex 2 field 12."""

    PRIVATE_SECTOR = "private_sector"
    MEDIA = "media"
    EDUCATION = "education"
    HEALTH = "health"
    WATER = "water"
    INFRASTRUCTURE = "infrastructure"
    EXTRACTIVES = "extractives"
    ENVIRONMENT = "environment"
    LAND = "land"
    SCIENCE = "science"
    PUBLIC_SERVICES = "public_services"
    JUSTICE = "justice"
    LEGISLATURE = "legislature"
    CROSS_SECTORAL = "cross_sectoral"
    PUBLIC_SAFETY = "public_safety"

    @classmethod
    def _labels(cls):
        return {
            cls.PRIVATE_SECTOR: _l("Private sector"),
            cls.MEDIA: _l("Media and telecommunications"),
            cls.EDUCATION: _l("Education"),
            cls.HEALTH: _l("Health and nutrition"),
            cls.WATER: _l("Water, sanitation and hygiene"),
            cls.INFRASTRUCTURE: _l("Infrastructure and transport"),
            cls.EXTRACTIVES: _l("Extractive industries"),
            cls.ENVIRONMENT: _l("Environment and climate"),
            cls.LAND: _l("Land and spatial planning"),
            cls.SCIENCE: _l("Science and technology"),
            cls.PUBLIC_SERVICES: _l("Public services (general)"),
            cls.JUSTICE: _l("Justice"),
            cls.LEGISLATURE: _l("Legislature"),
            cls.CROSS_SECTORAL: _l("Cross-sectoral"),
            cls.PUBLIC_SAFETY: _l("Public safety and security"),
        }


class OgpValue(LabelledEnum):
    """Annex 2 field 13."""

    ACCESS_TO_INFORMATION = "access_to_information"
    CIVIC_PARTICIPATION = "civic_participation"
    PUBLIC_ACCOUNTABILITY = "public_accountability"
    TECHNOLOGY = "technology"

    @classmethod
    def _labels(cls):
        return {
            cls.ACCESS_TO_INFORMATION: _l("Access to information"),
            cls.CIVIC_PARTICIPATION: _l("Civic participation"),
            cls.PUBLIC_ACCOUNTABILITY: _l("Public accountability"),
            cls.TECHNOLOGY: _l("Technology and innovation for transparency and accountability"),
        }


class ResourcesAvailable(LabelledEnum):
    """Annex 2 field 15."""

    YES = "yes"
    NO = "no"
    PARTIAL = "partial"

    @classmethod
    def _labels(cls):
        return {cls.YES: _l("Yes"), cls.NO: _l("No"), cls.PARTIAL: _l("Partial")}


class MilestoneStatus(LabelledEnum):
    """Annex 2 field 17, last column."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    STUCK = "stuck"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"

    @classmethod
    def _labels(cls):
        return {
            cls.NOT_STARTED: lazy_pgettext("milestone status", "Not started"),
            cls.IN_PROGRESS: _l("In progress"),
            cls.STUCK: _l("Stuck"),
            cls.COMPLETE: _l("Complete"),
            cls.INCOMPLETE: _l("Incomplete"),
        }


class AmbitionLevel(LabelledEnum):
    """The NOSC guide's three levels of ambition."""

    STRUCTURAL = "structural"
    PROACTIVE = "proactive"
    INNOVATIVE = "innovative"

    @classmethod
    def _labels(cls):
        return {
            cls.STRUCTURAL: _l("Structural"),
            cls.PROACTIVE: _l("Proactive"),
            cls.INNOVATIVE: _l("Innovative"),
        }

    @property
    def description(self) -> str:
        return str(
            {
                AmbitionLevel.STRUCTURAL: _l(
                    "Only does what a law or an office's mandate already requires: reports,"
                    " information and data on government actions, citizen consultations."
                ),
                AmbitionLevel.PROACTIVE: _l(
                    "Informs, compiles and publishes information: proactive transparency,"
                    " open data, citizen input and monitoring."
                ),
                AmbitionLevel.INNOVATIVE: _l(
                    "Goes beyond the mandate with political will and organised social"
                    " participation: multi-actor co-creation, deliberation, co-implementation"
                    " and citizen oversight."
                ),
            }[self]
        )


class Verdict(LabelledEnum):
    """A sector's decision on the revision under review."""

    APPROVE = "approve"
    REJECT = "reject"

    @classmethod
    def _labels(cls):
        return {cls.APPROVE: _l("Approves"), cls.REJECT: _l("Rejects")}


class ReviewOutcome(LabelledEnum):
    APPROVED = "approved"
    RETURNED = "returned"
    RESTARTED = "restarted"

    @classmethod
    def _labels(cls):
        return {
            cls.APPROVED: _l("Approved by the three sectors"),
            cls.RETURNED: _l("Returned to draft"),
            cls.RESTARTED: _l("Started over after an edit"),
        }


# The 17 Sustainable Development Goals of the 2030 Agenda, by number.
SDG_NUMBERS = range(1, 18)


def sdg_label(number: int) -> str:
    return str(
        {
            1: _l("No poverty"),
            2: _l("Zero hunger"),
            3: _l("Good health and well-being"),
            4: _l("Quality education"),
            5: _l("Gender equality"),
            6: _l("Clean water and sanitation"),
            7: _l("Affordable and clean energy"),
            8: _l("Decent work and economic growth"),
            9: _l("Industry, innovation and infrastructure"),
            10: _l("Reduced inequalities"),
            11: _l("Sustainable cities and communities"),
            12: _l("Responsible consumption and production"),
            13: _l("Climate action"),
            14: _l("Life below water"),
            15: _l("Life on land"),
            16: _l("Peace, justice and strong institutions"),
            17: _l("Partnerships for the goals"),
        }[number]
    )
