"""Annex 1 of the OGP Local manual, the strategic vision template, field by field with
the template's numbering. Pages, the readiness check and every export read this list."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class VisionField:
    number: str
    key: str
    label: object  # a lazy string
    # text: per-language text on the plan; period: a date on the exercise; count: a
    # number; contact: plain text; letter, attachments, endorsements: their own records;
    # link: an address.
    kind: str = "text"


@dataclass(frozen=True)
class Section:
    number: str
    title: object
    fields: tuple[VisionField, ...]


SECTIONS = (
    Section(
        "1",
        _l("Duration"),
        (
            VisionField(
                "1.1", "administration_ends", _l("End of the current administration"), "period"
            ),
            VisionField(
                "1.2",
                "plan_ends_on",
                _l(
                    "End of the action plan period (at least two months before the end of"
                    " the administration)"
                ),
                "period",
            ),
        ),
    ),
    Section("2", _l("Foreword"), (VisionField("2", "foreword", _l("Foreword")),)),
    Section(
        "3",
        _l("Cover letter from the head of government"),
        (
            VisionField(
                "3", "letter", _l("Cover letter from the head of government, if any"), "letter"
            ),
        ),
    ),
    Section(
        "4",
        _l("Challenges, opportunities and the open government strategic vision"),
        (
            VisionField(
                "4.1",
                "vision",
                _l(
                    "What is the long-term vision for open government in your context and"
                    " jurisdiction?"
                ),
            ),
            VisionField(
                "4.2",
                "achievements",
                _l(
                    "What open government achievements have there been to date (for example,"
                    " recent open government reforms)?"
                ),
            ),
            VisionField(
                "4.3",
                "challenges",
                _l(
                    "What open government challenges or areas of opportunity does the"
                    " jurisdiction seek to address?"
                ),
            ),
            VisionField(
                "4.4",
                "goals",
                _l("What medium-term open government goals does the government want to reach?"),
            ),
            VisionField(
                "4.5",
                "plan_contribution",
                _l("How does the action plan contribute to the open government strategic vision?"),
            ),
            VisionField(
                "4.6",
                "administration_contribution",
                _l(
                    "How does the open government strategic vision contribute to the overall"
                    " policy goals of the current administration?"
                ),
            ),
        ),
    ),
    Section(
        "5",
        _l(
            "Collaboration and coordination in the local open government strategic vision and"
            " the OGP action plan"
        ),
        (
            VisionField(
                "5.1",
                "institutions",
                _l("Which institutions are responsible for implementing the OGP action plan?"),
            ),
            VisionField(
                "5.2",
                "coordination",
                _l(
                    "What institutional arrangements exist for coordination between government"
                    " institutions and departments to implement the OGP action plan?"
                ),
            ),
            VisionField(
                "5.3",
                "spaces",
                _l(
                    "What spaces have been used or created to promote collaboration between"
                    " government and civil society in the co-creation and implementation of"
                    " the action plan? Include virtual and in-person spaces."
                ),
            ),
            VisionField(
                "5.4",
                "diversity",
                _l(
                    "What measures were taken to ensure the diversity of participants in these"
                    " spaces (including vulnerable or marginalised groups)?"
                ),
            ),
            VisionField(
                "5.5",
                "participants",
                _l(
                    "Who took part in these spaces? Name the kinds of groups that took part in"
                    " the co-creation process."
                ),
            ),
            VisionField(
                "5.6",
                "group_count",
                _l("How many groups took part in these spaces?"),
                "count",
            ),
            VisionField(
                "5.7",
                "meeting_count",
                _l("How many meetings were held as part of the co-creation process?"),
                "count",
            ),
            VisionField(
                "5.8",
                "continued_collaboration",
                _l(
                    "Throughout the implementation of the action plan, how will governmental"
                    " and non-governmental actors keep collaborating?"
                ),
            ),
        ),
    ),
    Section(
        "6",
        _l("Monitoring of the OGP action plan"),
        (
            VisionField(
                "6.1",
                "monitoring_body",
                _l("Describe the independent monitoring body identified for this plan."),
            ),
            VisionField(
                "6.2",
                "monitoring_contact",
                _l("Contact details of the independent monitoring body"),
                "contact",
            ),
            VisionField(
                "6.3",
                "progress_discussions",
                _l(
                    "What activities have been carried out to discuss progress in implementing"
                    " the commitments with stakeholders?"
                ),
            ),
            VisionField(
                "6.4",
                "implementer_consultation",
                _l("What mechanisms exist to ask implementing institutions about their progress?"),
            ),
            VisionField(
                "6.5",
                "results_sharing",
                _l("How will the results of monitoring be shared with the public?"),
            ),
        ),
    ),
    Section(
        "7",
        _l("Endorsement by non-governmental actors"),
        (
            VisionField(
                "7",
                "endorsements",
                _l(
                    "The non-governmental actors that took part in the co-creation process and"
                    " endorsed the plan"
                ),
                "endorsements",
            ),
        ),
    ),
    Section(
        "8",
        _l("Attachments"),
        (
            VisionField(
                "8",
                "attachments",
                _l("The full local open government strategy, if any, or other relevant documents"),
                "attachments",
            ),
        ),
    ),
    Section(
        "9",
        _l("Online co-creation"),
        (
            VisionField(
                "9",
                "consultation_link",
                _l("Link to the web page of the online co-creation or consultation"),
                "link",
            ),
        ),
    ),
)

FIELDS = tuple(f for section in SECTIONS for f in section.fields)
TEXT_KEYS = tuple(f.key for f in FIELDS if f.kind == "text")
# Fields 3 and 8 are optional in the template ("if any"); the others must be filled in.
OPTIONAL_KEYS = ("letter", "attachments")
