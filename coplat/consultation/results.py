"""Results of a consultation, shared by the results page and the open-data exports.
Everything is read from kept counts (topic counters, tallies, profile tallies)."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from coplat.consultation import services
from coplat.consultation.enums import OFFLINE_CHANNELS, AgeBand, Answer, Channel, Gender
from coplat.consultation.models import Consultation, Topic

# A breakdown cell with fewer people than this is not shown, so nobody can be
# singled out by their answers.
PRIVACY_THRESHOLD = 5
# The results page ranks this many topics; the open data holds them all.
RANKING_SHOWN = 100


@dataclass
class RankedTopic:
    rank: int
    topic: Topic
    offline: dict[Channel, int]
    share: float  # of all votes, 0..1

    @property
    def online(self) -> int:
        return self.topic.online_votes

    @property
    def total(self) -> int:
        return self.topic.total_votes


@dataclass
class Cell:
    key: str
    label: str
    people: int
    hidden: bool = False  # under the privacy threshold, or revealing one that is

    @property
    def shown(self) -> str | None:
        return None if self.hidden else str(self.people)


@dataclass
class Breakdown:
    dimension: str
    title: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Results:
    consultation: Consultation
    ranking: list[RankedTopic]  # every published topic, or the most voted ones asked for
    published: int  # every published topic
    channels: list[Channel]  # offline channels that brought votes
    offline_by_channel: dict[Channel, int]  # votes of every published topic
    online_votes: int
    offline_votes: int
    breakdowns: list[Breakdown]

    @property
    def total_votes(self) -> int:
        return self.online_votes + self.offline_votes


def suppress(cells: list[Cell]) -> list[Cell]:
    """Hide cells under the threshold. When only one cell would be hidden, the total
    minus the others would reveal it, so the next smallest is hidden as well."""
    for cell in cells:
        cell.hidden = cell.people < PRIVACY_THRESHOLD
    hidden = [c for c in cells if c.hidden]
    visible = [c for c in cells if not c.hidden]
    if len(hidden) == 1 and hidden[0].people and visible:
        min(visible, key=lambda c: c.people).hidden = True
    return cells


DIMENSION_TITLES = {
    "channel": _l("Channel"),
    "age_band": _l("Age"),
    "gender": _l("Gender"),
    "region": _l("Where they live"),
    "indigenous": _l("Belongs to an indigenous community"),
    "disability": _l("Lives with a disability"),
}
DIMENSION_ENUMS = {
    "age_band": AgeBand,
    "gender": Gender,
    "indigenous": Answer,
    "disability": Answer,
}
NO_PROFILE = "no_profile"


def _profile_breakdown(consultation: Consultation, dimension: str, counts: dict) -> Breakdown:
    if dimension == "region":
        options = [(r, r) for r in consultation.region_list]
        options += [
            ("other", str(_l("Somewhere else"))),
            ("unstated", str(_l("Prefer not to say"))),
        ]
        known = {key for key, _label in options}
        options += [
            (value, value) for value in counts if value not in known
        ]  # regions since removed
    else:
        options = [(m.value, m.label) for m in DIMENSION_ENUMS[dimension]]
    cells = [Cell(key, label, counts.get(key, 0)) for key, label in options]
    answered = sum(counts.values())
    cells.append(
        Cell(
            NO_PROFILE,
            str(_l("Did not fill the profile")),
            consultation.participant_count - answered,
        )
    )
    return Breakdown(dimension, str(DIMENSION_TITLES[dimension]), suppress(cells))


def _channel_breakdown(consultation: Consultation) -> Breakdown:
    offline = services.offline_participants_by_channel(consultation)
    cells = [Cell(Channel.WEB.value, Channel.WEB.label, consultation.participant_count)]
    cells += [Cell(c.value, c.label, offline[c]) for c in OFFLINE_CHANNELS if c in offline]
    return Breakdown("channel", str(DIMENSION_TITLES["channel"]), suppress(cells))


def results(consultation: Consultation, shown: int | None = None) -> Results:
    """The totals of every published topic, from the kept counters, and the ranking of
    all of them, or of the `shown` most voted (the page: a state-wide consultation has
    thousands)."""
    topics = services.published_topics(consultation, limit=shown)
    published, online_votes, offline_votes = services.published_totals(consultation)
    offline = services.offline_votes_by_channel(consultation, [t.id for t in topics])
    by_channel = services.offline_votes_per_channel(consultation)
    total = online_votes + offline_votes
    ranking = [
        RankedTopic(
            rank=position,
            topic=topic,
            offline=offline.get(topic.id, {}),
            share=topic.total_votes / total if total else 0.0,
        )
        for position, topic in enumerate(topics, start=1)
    ]
    tallies = services.profile_tallies(consultation)
    return Results(
        consultation=consultation,
        ranking=ranking,
        published=published,
        channels=[c for c in OFFLINE_CHANNELS if by_channel.get(c)],
        offline_by_channel=by_channel,
        online_votes=online_votes,
        offline_votes=offline_votes,
        breakdowns=[
            _channel_breakdown(consultation),
            *[_profile_breakdown(consultation, d, tallies[d]) for d in services.PROFILE_DIMENSIONS],
        ],
    )
