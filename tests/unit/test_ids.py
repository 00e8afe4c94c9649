"""Draws of ``cognito_emu.ids``: several characters or a whole shuffle come from one read of the generator."""

from __future__ import annotations

import itertools
import string
from collections import Counter

import pytest

from cognito_emu.ids import Ids


@pytest.mark.parametrize("seed", [None, 7])
def test_choice_draws_length_characters_of_the_alphabet(seed):
    ids = Ids(seed)
    drawn = ids.choice("abc", 300)
    assert len(drawn) == 300
    assert set(drawn) == set("abc")
    assert len(ids.choice(string.ascii_letters)) == 1


def test_every_character_and_position_is_drawn_alike():
    # 60,000 characters of a 10-letter alphabet: each letter near 6,000 (a 5-sigma band), at the first
    # position and at the last of the draws alike.
    ids = Ids(11)
    draws = [ids.choice("0123456789", 20) for _ in range(3000)]
    overall = Counter("".join(draws))
    assert all(5600 < overall[digit] < 6400 for digit in "0123456789"), overall
    for position in (0, 19):
        counts = Counter(draw[position] for draw in draws)
        assert all(200 < counts[digit] < 410 for digit in "0123456789"), counts


@pytest.mark.parametrize("seed", [None, 3])
def test_shuffle_is_a_permutation_reaching_every_order(seed):
    ids = Ids(seed)
    seen = Counter()
    for _ in range(1200):
        items = ["a", "b", "c"]
        ids.shuffle(items)
        seen[tuple(items)] += 1
    assert set(seen) == set(itertools.permutations("abc"))
    assert all(120 < count < 290 for count in seen.values()), seen
    for size in (0, 1):
        items = ["x"] * size
        ids.shuffle(items)
        assert items == ["x"] * size


def test_a_seed_replays_the_same_draws():
    one, two = Ids(5), Ids(5)
    assert [one.choice("abcdef", 12) for _ in range(5)] == [two.choice("abcdef", 12) for _ in range(5)]
    first, second = list("abcdefgh"), list("abcdefgh")
    one.shuffle(first)
    two.shuffle(second)
    assert first == second
    assert one.client_id() == two.client_id()
