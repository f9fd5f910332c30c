"""The closed lists of implementation tracking: the evidence types of OGP Local's
Annex 5, the moderation of public comments, and the monitoring body's assessments
(§3.5) with the IRM's scales."""

from flask_babel import lazy_gettext as _l

from coplat.core.enums import LabelledEnum


class EvidenceSection(LabelledEnum):
    """Annex 5 groups its examples under four headings."""

    CONSULTATION_PLANS = "consultation_plans"
    FORUM = "forum"
    CONSULTATIONS = "consultations"
    IMPLEMENTATION = "implementation"

    @classmethod
    def _labels(cls):
        return {
            cls.CONSULTATION_PLANS: _l("Plans for consultations on the action plan"),
            cls.FORUM: _l("Evidence of the multi-stakeholder participation space"),
            cls.CONSULTATIONS: _l("Evidence of public consultations and multi-stakeholder forums"),
            cls.IMPLEMENTATION: _l("Documentation of the commitments' implementation"),
        }


class EvidenceType(LabelledEnum):
    """Annex 5, example by example, in its order."""

    CONSULTATION_PLAN = "consultation_plan"
    FORUM_TERMS = "forum_terms"
    WORKING_GROUP_MINUTES = "working_group_minutes"
    FORUM_COMPOSITION = "forum_composition"
    ANNOUNCEMENT = "announcement"
    INVITATIONS = "invitations"
    MINUTES = "minutes"
    PARTICIPANT_LIST = "participant_list"
    WRITTEN_PROPOSALS = "written_proposals"
    BASELINE_DOCUMENTS = "baseline_documents"
    CONSULTATION_OUTPUTS = "consultation_outputs"
    FEEDBACK = "feedback"
    DRAFT_LAWS = "draft_laws"
    DECISION_RECORDS = "decision_records"
    PROCUREMENT = "procurement"
    TECHNICAL_DOCUMENTS = "technical_documents"
    STRATEGY_DOCUMENTS = "strategy_documents"
    MONITORING_MATERIALS = "monitoring_materials"
    BUDGET_DECISIONS = "budget_decisions"
    THIRD_PARTY_ANALYSIS = "third_party_analysis"
    AUDIT_REPORTS = "audit_reports"
    PHOTOS = "photos"
    USER_STATISTICS = "user_statistics"

    @classmethod
    def _labels(cls):
        return {
            cls.CONSULTATION_PLAN: _l(
                "Consultation plan: schedules, public and inter-departmental invitations"
            ),
            cls.FORUM_TERMS: _l("Terms of reference or founding documents of the forum"),
            cls.WORKING_GROUP_MINUTES: _l("Minutes of meetings that set up working groups"),
            cls.FORUM_COMPOSITION: _l("Composition of the forum: organisations and people"),
            cls.ANNOUNCEMENT: _l("Announcement or notice of the public consultation"),
            cls.INVITATIONS: _l("Invitations sent"),
            cls.MINUTES: _l("Agendas and minutes of the forum's meetings"),
            cls.PARTICIPANT_LIST: _l("List of participants who attended"),
            cls.WRITTEN_PROPOSALS: _l("Written proposals from civil society or the public"),
            cls.BASELINE_DOCUMENTS: _l("Documents, reports or plans on the baseline or goals"),
            cls.CONSULTATION_OUTPUTS: _l(
                "Outputs of the consultations: proposals, minutes, photos"
            ),
            cls.FEEDBACK: _l("Feedback on how the public's input was considered"),
            cls.DRAFT_LAWS: _l("Draft laws and the status of the legislative process"),
            cls.DECISION_RECORDS: _l(
                "Records of decisions, new regulations or administrative orders"
            ),
            cls.PROCUREMENT: _l(
                "Commissioned research, procurement, terms of reference of consultancies, calls"
            ),
            cls.TECHNICAL_DOCUMENTS: _l(
                "Technical documents on databases or information technology"
            ),
            cls.STRATEGY_DOCUMENTS: _l("Strategy documents and work plans"),
            cls.MONITORING_MATERIALS: _l("Monitoring and evaluation materials"),
            cls.BUDGET_DECISIONS: _l("Budget decisions, financial and human resource allocations"),
            cls.THIRD_PARTY_ANALYSIS: _l(
                "Analyses by third parties: shadow reports, independent follow-up"
            ),
            cls.AUDIT_REPORTS: _l("Audit reports"),
            cls.PHOTOS: _l("Photos, videos or multimedia"),
            cls.USER_STATISTICS: _l("User statistics"),
        }

    @property
    def section(self) -> EvidenceSection:
        return EVIDENCE_SECTIONS[self]


_T = EvidenceType
EVIDENCE_SECTIONS = {
    **dict.fromkeys([_T.CONSULTATION_PLAN, _T.INVITATIONS], EvidenceSection.CONSULTATION_PLANS),
    **dict.fromkeys(
        [_T.FORUM_TERMS, _T.WORKING_GROUP_MINUTES, _T.FORUM_COMPOSITION], EvidenceSection.FORUM
    ),
    **dict.fromkeys(
        [
            _T.ANNOUNCEMENT,
            _T.MINUTES,
            _T.PARTICIPANT_LIST,
            _T.WRITTEN_PROPOSALS,
            _T.BASELINE_DOCUMENTS,
            _T.CONSULTATION_OUTPUTS,
            _T.FEEDBACK,
        ],
        EvidenceSection.CONSULTATIONS,
    ),
    **dict.fromkeys(
        [
            _T.DRAFT_LAWS,
            _T.DECISION_RECORDS,
            _T.PROCUREMENT,
            _T.TECHNICAL_DOCUMENTS,
            _T.STRATEGY_DOCUMENTS,
            _T.MONITORING_MATERIALS,
            _T.BUDGET_DECISIONS,
            _T.THIRD_PARTY_ANALYSIS,
            _T.AUDIT_REPORTS,
            _T.PHOTOS,
            _T.USER_STATISTICS,
        ],
        EvidenceSection.IMPLEMENTATION,
    ),
}


class CommentStatus(LabelledEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"

    @classmethod
    def _labels(cls):
        return {
            cls.PENDING: _l("Waiting for moderation"),
            cls.PUBLISHED: _l("Published"),
            cls.REJECTED: _l("Not published"),
        }


class AssessmentKind(LabelledEnum):
    """OGP Local §3.5.1–3.5.3."""

    INITIAL = "initial"
    COMMITMENT = "commitment"
    FINAL = "final"

    @classmethod
    def _labels(cls):
        return {
            cls.INITIAL: _l("Initial assessment"),
            cls.COMMITMENT: _l("Commitment implementation assessment"),
            cls.FINAL: _l("Final learning exercise"),
        }


class PotentialImpact(LabelledEnum):
    """The IRM's scale of a commitment's potential impact."""

    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    TRANSFORMATIVE = "transformative"

    @classmethod
    def _labels(cls):
        return {
            cls.NONE: _l("None"),
            cls.MINOR: _l("Minor"),
            cls.MODERATE: _l("Moderate"),
            cls.TRANSFORMATIVE: _l("Transformative"),
        }


class CompletionLevel(LabelledEnum):
    """The IRM's scale of a commitment's completion."""

    NOT_STARTED = "not_started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"

    @classmethod
    def _labels(cls):
        return {
            cls.NOT_STARTED: _l("No evidence available / not started"),
            cls.LIMITED: _l("Limited"),
            cls.SUBSTANTIAL: _l("Substantial"),
            cls.COMPLETE: _l("Complete"),
        }
