"""Theme suggestions: deterministic, one group per comment, glossary-aware, live-updatable."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from events.suggestions.glossary import EMPTY, Glossary, GlossaryError, seeded
from events.suggestions.text import stem, tokens
from projections.agreement import pairwise
from projections.suggestions import TITLE_LENGTH, Comment, Settings, Suggester, suggest, title
from server.cli.themes import comments_from
from server.seed import KAMLOOPS

ROOT = Path(__file__).parent.parent
LABELS = ROOT / "tests" / "data" / "kamloops-theme-labels.json"
IMPURE = {"asyncio", "http", "random", "requests", "server", "socket", "time", "urllib", "uuid"}
DETOX_AND_TREATMENT = {
    "t1-q2-010": "Bringing more detox levels (e.g. socialized)",
    "t1-q2-017": "Treatment and recovery beds",
    "t1-q3-010": "Treatment and recovery beds",
    "t2-q3-003": "Sobering centre",
    "t2-q3-004": "Detox centre",
    "t3-q3-008": "Detox/treatment/wraparound care beds/housing/recovery",
}


def kamloops() -> list[Comment]:
    return comments_from(orjson.loads(KAMLOOPS.read_bytes()))


def at(table: int, text: str, number: int = 1) -> Comment:
    return Comment(f"t{table}-{number:03d}", table, "topic", "question", text)


def groups(comments: list[Comment], glossary: Glossary = EMPTY) -> list[set[str]]:
    return [set(s.comments) for s in suggest(comments, glossary)]


def test_the_same_comments_give_the_same_suggestions_in_any_order() -> None:
    comments = kamloops()
    first = suggest(comments, seeded())
    assert suggest(comments, seeded()) == first
    for seed in range(3):
        shuffled = random.Random(seed).sample(comments, len(comments))
        assert suggest(shuffled, seeded()) == first


def test_each_comment_is_in_at_most_one_group_and_no_group_is_alone() -> None:
    comments = kamloops()
    found = suggest(comments, seeded())
    ids = [i for s in found for i in s.comments]
    assert len(ids) == len(set(ids))
    assert set(ids) <= {c.id for c in comments}
    assert all(len(s.comments) >= 2 and s.title for s in found)
    assert all(s.tables == tuple(sorted({int(i[1]) for i in s.comments})) for s in found)


def test_the_detox_and_treatment_comments_of_tables_1_2_and_3_are_one_suggestion() -> None:
    comments = kamloops()
    assert {c.id: c.text for c in comments if c.id in DETOX_AND_TREATMENT} == DETOX_AND_TREATMENT
    holding = [s for s in suggest(comments, seeded()) if set(DETOX_AND_TREATMENT) & set(s.comments)]
    assert len(holding) == 1
    assert set(DETOX_AND_TREATMENT) <= set(holding[0].comments)
    assert holding[0].tables == (1, 2, 3)


def test_quality_on_the_kamloops_labels_meets_the_target() -> None:
    labels = [g["comments"] for g in orjson.loads(LABELS.read_bytes())["groups"]]
    found = pairwise([s.comments for s in suggest(kamloops(), seeded())], labels)
    assert found.precision is not None
    assert found.precision >= 0.6, found
    assert found.recall >= 0.35, found


def test_the_labels_name_real_comments_once_each() -> None:
    labels = orjson.loads(LABELS.read_bytes())
    ids = [i for g in labels["groups"] for i in g["comments"]]
    assert len(ids) == len(set(ids))
    assert set(ids) <= {c.id for c in kamloops()}
    assert all(len(g["comments"]) >= 2 and g["title"] for g in labels["groups"])


def test_the_glossary_joins_an_acronym_and_its_words() -> None:
    glossary = Glossary.from_json(
        {"concepts": [{"id": "cso", "phrases": ["CSO", "community services officer"]}]}
    )
    comments = [at(1, "More CSO presence"), at(2, "Community services officers presence")]
    assert groups(comments) == []
    assert groups(comments, glossary) == [{"t1-001", "t2-001"}]


def test_an_acronym_counts_only_in_capitals() -> None:
    glossary = Glossary.from_json(
        {"concepts": [{"id": "act", "acronyms": ["ACT"], "phrases": ["assertive community"]}]}
    )
    team = [at(1, "ACT teams"), at(2, "Assertive community teams")]
    law = [at(1, "Mental health act"), at(2, "Assertive community teams")]
    assert groups(team, glossary) == [{"t1-001", "t2-001"}]
    assert groups(law, glossary) == []


def test_a_broader_concept_links_a_kind_of_thing_to_the_thing() -> None:
    glossary = Glossary.from_json(
        {
            "concepts": [
                {"id": "recovery", "phrases": ["recovery"]},
                {"id": "detox", "phrases": ["detox"], "broader": ["recovery"]},
                {"id": "sobering", "phrases": ["sobering centre"], "broader": ["recovery"]},
            ]
        }
    )
    comments = [at(1, "Detox"), at(2, "Recovery")]
    assert groups(comments, glossary) == [{"t1-001", "t2-001"}]
    assert groups([at(1, "Detox"), at(2, "Sobering centre")], glossary) == []
    weak = replace(Settings(), weights=replace(Settings().weights, broader=0.2))
    assert suggest(comments, glossary, weak) == []


def test_words_are_matched_by_their_stems_and_stop_words_do_not_count() -> None:
    assert stem("housing") == stem("houses") == stem("house")
    assert stem("coordinated") == stem("coordination") == stem("coordinate")
    assert stem("responsibilities") == stem("responsibility")
    assert groups([at(1, "Housing for all"), at(2, "More houses")]) == [{"t1-001", "t2-001"}]
    assert groups([at(1, "The ones that are in it"), at(2, "Of all of them in it")]) == []


def test_unicode_text_is_kept_verbatim_and_matched_without_accents() -> None:
    text = "Kúkpi7 and Tk'emlúps te Secwépemc → partnership — 🤝"
    comments = [at(1, text), at(2, "Tkemlups te Secwepemc partnership, a long talk on the future")]
    [found] = suggest(comments)
    assert found.title == text
    assert [t.stem for t in tokens("Kúkpi7")] == ["kukpi7"]


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script> detox",
        "'; DROP TABLE comments; -- detox",
        "{{ detox }} ${detox} %s %n \x00 \u202e detox",
        "detox " + "A" * 20_000,
        "",
        "   ",
        "🙂🙂🙂",
    ],
)
def test_hostile_text_is_just_text(text: str) -> None:
    comments = [at(1, text), at(2, "Detox centre"), at(3, "detox beds")]
    found = suggest(comments, seeded())
    assert sum(len(s.comments) for s in found) == len({i for s in found for i in s.comments})
    for suggestion in found:
        assert len(suggestion.title) <= TITLE_LENGTH
    together = {"t1-001", "t2-001", "t3-001"} if "detox" in text else {"t2-001", "t3-001"}
    assert [set(s.comments) for s in found] == [together]


def test_a_long_title_is_cut_at_a_word_and_never_inside_brackets() -> None:
    text = "Team of lobbyists to senior government (municipal government, regional district)"
    assert title(text) == "Team of lobbyists to senior government…"
    assert title("  Data \n sharing ") == "Data sharing"
    assert len(title("word " * 40)) <= TITLE_LENGTH


def test_suggestions_follow_additions_edits_and_removals() -> None:
    suggester = Suggester(seeded())
    suggester.add(at(1, "Detox centre"))
    assert suggester.suggestions() == []
    suggester.add(at(2, "Sobering centre"))
    [pair] = suggester.suggestions()
    assert pair.comments == ("t1-001", "t2-001")
    suggester.add(at(2, "Bike lockers"))
    assert suggester.suggestions() == []
    suggester.add(at(2, "Sobering centre"))
    suggester.remove("t1-001")
    assert suggester.suggestions() == []
    assert len(suggester) == 1


TEXTS = [
    *DETOX_AND_TREATMENT.values(),
    *("Housing", "More housing", "Supportive housing", "Affordable housing and detox beds"),
    *(c.text for c in kamloops()[::6]),
]


@given(
    st.lists(
        st.tuples(st.integers(0, 11), st.sampled_from([*TEXTS, None])), min_size=1, max_size=60
    ),
    st.sampled_from([3, 6, 200]),
)
def test_one_comment_at_a_time_equals_all_at_once(
    steps: list[tuple[int, str | None]], largest: int
) -> None:
    """Adds, edits (same id) and retractions (None) in any order end as a fresh grouping does."""
    settings = replace(Settings(), largest_block=largest)
    suggester = Suggester(seeded(), settings)
    current: dict[str, Comment] = {}
    for number, text in steps:
        comment = at(1 + number % 4, text or "", number)
        if text is None:
            suggester.remove(comment.id)
            current.pop(comment.id, None)
        else:
            suggester.add(comment)
            current[comment.id] = comment
        suggester.suggestions()
    assert suggester.suggestions() == suggest(list(current.values()), seeded(), settings)


def test_a_block_too_big_to_group_live_is_split_at_its_weakest_links() -> None:
    # distinct places, so that no two comments are near duplicates folded into one
    north = ["Kamloops", "Aberdeen", "Brocklehurst", "Sahali", "Valleyview", "Westsyde"]
    south = ["Juniper", "Batchelor", "Dallas", "Rayleigh", "Barnhartvale", "Pineview"]
    comments = [at(1 + n % 4, f"Detox centre {p}", n) for n, p in enumerate(north)]
    comments += [at(1 + n % 4, f"Sobering centre downtown {p}", n + 6) for n, p in enumerate(south)]
    whole = groups(comments, seeded())
    split = [set(s.comments) for s in suggest(comments, seeded(), Settings(largest_block=8))]
    assert len(whole) == 1
    assert sorted(map(len, split)) == [6, 6]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ([], "expected a JSON object"),
        ({"concepts": [{"id": "Not An Id", "phrases": ["x"]}]}, "expected a lower-case id"),
        ({"concepts": [{"id": "a"}]}, "at least one phrase or acronym"),
        ({"concepts": [{"id": "a", "acronyms": ["Act"]}]}, "not one word in capitals"),
        ({"concepts": [{"id": "a", "phrases": ["the"]}]}, "has no word to match"),
        ({"concepts": [{"id": "a", "phrases": ["x"], "broader": ["b"]}]}, "not a concept"),
        (
            {"concepts": [{"id": "a", "phrases": ["x"]}, {"id": "a", "phrases": ["y"]}]},
            "appears twice",
        ),
        (
            {"concepts": [{"id": "a", "phrases": ["beds"]}, {"id": "b", "phrases": ["bed"]}]},
            "names both 'a' and 'b'",
        ),
    ],
)
def test_a_broken_glossary_is_refused_with_the_reason(data: object, problem: str) -> None:
    with pytest.raises(GlossaryError, match=problem):
        Glossary.from_json(data)


def test_the_seeded_glossary_reads() -> None:
    glossary = seeded("kamloops")
    assert {"cso", "police", "cpted", "corrections", "crisis-team", "recovery-services"} <= {
        c.id for c in glossary.concepts
    }
    with pytest.raises(GlossaryError, match="no glossary named"):
        seeded("atlantis")


def test_near_duplicates_fold_into_one_node_and_are_one_suggestion() -> None:
    suggester = Suggester(seeded())
    for n in range(1000):  # the same point, in other case, punctuation and numbers
        suggester.add(at(1 + n % 4, f"{'DETOX' if n % 2 else 'detox'} beds {n}!", n))
    suggester.add(at(1, "Bike lanes on Victoria Street", 1000))
    assert suggester.nodes == 2
    (only,) = suggester.suggestions()
    assert len(only.comments) == 1000
    assert only.tables == (1, 2, 3, 4)
    suggester.remove("t1-000")  # the node was named by it: renamed, still one
    assert suggester.nodes == 2
    assert len(suggester.suggestions()[0].comments) == 999


def test_a_meeting_beyond_the_bound_holds_comments_out_of_suggestions() -> None:
    suggester = Suggester(seeded(), Settings(max_comments=2))
    suggester.add(at(1, "Detox beds", 1))
    suggester.add(at(2, "Detox beds open at night", 2))
    suggester.add(at(3, "Sobering centre downtown", 3))
    suggester.add(at(4, "detox BEDS", 4))  # a near duplicate costs no new node
    assert suggester.held_out == {"t3-003"}
    assert [set(s.comments) for s in suggester.suggestions()] == [{"t1-001", "t2-002", "t4-004"}]
    suggester.remove("t3-003")
    assert suggester.held_out == set()
