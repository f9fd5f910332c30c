from flask_babel import lazy_gettext as _l

from coplat.core.enums import LabelledEnum


class Decision(LabelledEnum):
    ADOPTED = "adopted"
    MODIFIED = "modified"
    REJECTED = "rejected"
    MERGED = "merged"

    @classmethod
    def _labels(cls):
        return {
            cls.ADOPTED: _l("Adopted"),
            cls.MODIFIED: _l("Modified"),
            cls.REJECTED: _l("Rejected"),
            cls.MERGED: _l("Merged"),
        }


class Stage(LabelledEnum):
    CONSULTATION = "consultation"
    WORKING_TABLE = "working_table"

    @classmethod
    def _labels(cls):
        return {
            cls.CONSULTATION: _l("Topic consultation"),
            cls.WORKING_TABLE: _l("Working table"),
        }
