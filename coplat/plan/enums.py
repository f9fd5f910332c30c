from flask_babel import lazy_gettext as _l

from coplat.core.enums import LabelledEnum
from coplat.exercises.enums import Sector


class PlanStatus(LabelledEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LAUNCHED = "launched"
    CLOSED = "closed"

    @classmethod
    def _labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.SUBMITTED: _l("Submitted to OGP"),
            cls.LAUNCHED: _l("Launched"),
            cls.CLOSED: _l("Closed"),
        }


# OGP Local §3.3.1: the endorsement comes from non-governmental actors. The guarantor
# body is a public (autonomous) institution, so it does not count.
NON_GOVERNMENTAL = (Sector.CIVIL_SOCIETY, Sector.ACADEMIA, Sector.PRIVATE_SECTOR, Sector.CITIZEN)


def commitment_limit(jurisdictions: int) -> int:
    """OGP Local §3.2 and §4: five commitments for one jurisdiction, ten for a joint
    plan of two, twelve for three or four."""
    return {1: 5, 2: 10}.get(jurisdictions, 12)
