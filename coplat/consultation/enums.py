from flask_babel import lazy_gettext as _l

from coplat.core.enums import LabelledEnum


class Channel(LabelledEnum):
    """Where an input came from (NOSC stage 2: surveys, regional tables, suggestion
    boxes in public offices, town-hall assemblies and web pages)."""

    WEB = "web"
    SUGGESTION_BOX = "suggestion_box"
    REGIONAL_TABLE = "regional_table"
    ASSEMBLY = "assembly"
    SURVEY = "survey"
    OTHER = "other"

    @classmethod
    def _labels(cls):
        return {
            cls.WEB: _l("Online"),
            cls.SUGGESTION_BOX: _l("Suggestion box"),
            cls.REGIONAL_TABLE: _l("Regional table"),
            cls.ASSEMBLY: _l("Town-hall assembly"),
            cls.SURVEY: _l("Paper survey"),
            cls.OTHER: _l("Other channel"),
        }


OFFLINE_CHANNELS = tuple(c for c in Channel if c != Channel.WEB)


class TopicState(LabelledEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    MERGED = "merged"

    @classmethod
    def _labels(cls):
        return {
            cls.PENDING: _l("Awaiting moderation"),
            cls.PUBLISHED: _l("Published"),
            cls.REJECTED: _l("Rejected"),
            cls.MERGED: _l("Merged"),
        }


class ConsultationStatus(LabelledEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _labels(cls):
        return {
            cls.UPCOMING: _l("Not open yet"),
            cls.OPEN: _l("Open now"),
            cls.CLOSED: _l("Voting closed"),
        }


# The optional participation profile. Every question can be declined.
class AgeBand(LabelledEnum):
    UNDER_18 = "under_18"
    FROM_18_TO_29 = "18_29"
    FROM_30_TO_44 = "30_44"
    FROM_45_TO_59 = "45_59"
    FROM_60 = "60_plus"
    UNSTATED = "unstated"

    @classmethod
    def _labels(cls):
        return {
            cls.UNDER_18: _l("Under 18"),
            cls.FROM_18_TO_29: _l("18 to 29"),
            cls.FROM_30_TO_44: _l("30 to 44"),
            cls.FROM_45_TO_59: _l("45 to 59"),
            cls.FROM_60: _l("60 or older"),
            cls.UNSTATED: _l("Prefer not to say"),
        }


class Gender(LabelledEnum):
    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    OTHER = "other"
    UNSTATED = "unstated"

    @classmethod
    def _labels(cls):
        return {
            cls.WOMAN: _l("Woman"),
            cls.MAN: _l("Man"),
            cls.NON_BINARY: _l("Non-binary"),
            cls.OTHER: _l("Another identity"),
            cls.UNSTATED: _l("Prefer not to say"),
        }


class Answer(LabelledEnum):
    YES = "yes"
    NO = "no"
    UNSTATED = "unstated"

    @classmethod
    def _labels(cls):
        return {cls.YES: _l("Yes"), cls.NO: _l("No"), cls.UNSTATED: _l("Prefer not to say")}
