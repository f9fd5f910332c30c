from flask_babel import lazy_gettext as _l

from coplat.core.enums import LabelledEnum


class SessionKind(LabelledEnum):
    """The NOSC guide's two rounds: a wide call to find causes, then a narrower table
    of experts, officials, academia and civil society that drafts solutions; and,
    once the plan is launched, the follow-up meetings with civil society that OGP
    Local asks for twice a year (§3.3.1, NOSC stage 8)."""

    OPEN_DAY = "open_day"
    WORKING_TABLE = "working_table"
    FOLLOW_UP = "follow_up"

    @classmethod
    def _labels(cls):
        return {
            cls.OPEN_DAY: _l("Open day (jornada abierta)"),
            cls.WORKING_TABLE: _l("Working table (mesa de trabajo)"),
            cls.FOLLOW_UP: _l("Follow-up meeting on implementation"),
        }


class AttachmentKind(LabelledEnum):
    PHOTO = "photo"
    ATTENDANCE_LIST = "attendance_list"
    PRESENTATION = "presentation"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.PHOTO: _l("Photo"),
            cls.ATTENDANCE_LIST: _l("Attendance list"),
            cls.PRESENTATION: _l("Presentation"),
            cls.OTHER: _l("Other document"),
        }


class NodeKind(LabelledEnum):
    PROBLEM = "problem"
    CAUSE = "cause"
    EFFECT = "effect"

    @classmethod
    def _labels(cls):
        return {
            cls.PROBLEM: _l("Central problem"),
            cls.CAUSE: _l("Cause"),
            cls.EFFECT: _l("Effect"),
        }


class TreeChangeKind(LabelledEnum):
    ADDED = "added"
    EDITED = "edited"
    MOVED = "moved"
    REORDERED = "reordered"
    DELETED = "deleted"
    MARKED_STRATEGIC = "marked_strategic"
    UNMARKED_STRATEGIC = "unmarked_strategic"

    @classmethod
    def _labels(cls):
        return {
            cls.ADDED: _l("Added"),
            cls.EDITED: _l("Edited"),
            cls.MOVED: _l("Moved to another branch"),
            cls.REORDERED: _l("Moved among its siblings"),
            cls.DELETED: _l("Deleted"),
            cls.MARKED_STRATEGIC: _l("Marked as strategic"),
            cls.UNMARKED_STRATEGIC: _l("No longer strategic"),
        }


class ProposalChannel(LabelledEnum):
    SESSION = "session"
    ONLINE = "online"

    @classmethod
    def _labels(cls):
        return {
            cls.SESSION: _l("At a session"),
            cls.ONLINE: _l("Online"),
        }
