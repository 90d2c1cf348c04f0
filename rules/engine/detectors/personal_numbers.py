"""Numbers in comment text: payment cards, phone numbers and NHS numbers, read from runs of
digits with separators, each claiming its digits in that order (``NumberScan``, a part of the
personal-data detector's scan, ``personal_data._Scan``).

Windows of whole digit groups are tried longest first, each starting group ruled out cheaply
where it can be, and every expensive check (the phone-number library above all) has a per-call
budget, so a hostile text of thousands of numbers is still scanned in bounded time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import pairwise

from phonenumbers import Leniency, PhoneNumberMatcher

from .uk_formats import (
    CARD_SEPARATOR,
    DIGIT_GROUP,
    DIGIT_RUN,
    HEALTH_CONTEXT,
    PHONE_PREFIX_BEFORE_RUN,
    REFERENCE_CONTEXT,
    any_grouping,
    is_card_grouping,
    is_nhs_grouping,
    is_phone_number,
    is_valid_card_number,
    is_valid_nhs_number,
)

# Budgets per call. Real comments use a handful of each; only a hostile megabyte reaches them.
PHONE_MATCHER_BUDGET = 200
PHONE_PARSE_BUDGET = 2_000
WINDOW_CHECK_BUDGET = 200_000


class NumberScan:
    """The number-reading part of one call's scan; the scan provides what is declared here."""

    text: str
    wanted: frozenset[str]
    phone_matcher_budget: int
    phone_parse_budget: int
    window_budgets: dict[str, int]

    def add(self, start: int, end: int, kind: str) -> None:
        raise NotImplementedError

    def find_numbers(self) -> None:
        for run in DIGIT_RUN.finditer(self.text):
            if run.end() - run.start() < 9:
                continue
            groups = [
                (group.start(), group.end())
                for group in DIGIT_GROUP.finditer(self.text, run.start(), run.end())
            ]
            if sum(end - start for start, end in groups) < 9:
                continue
            claimed = [False] * len(groups)
            prefix = PHONE_PREFIX_BEFORE_RUN.search(self.text, max(0, run.start() - 4), run.start())
            international = prefix is not None and "+" in prefix.group()
            if not international:  # "+44 ..." is a phone number, never a card or NHS number
                self._find_cards(groups, claimed)
            self._find_phones(run.start(), run.end(), groups, claimed, prefix)
            if not international:
                self._find_nhs_numbers(groups, claimed)

    def _find_cards(self, groups: list[tuple[int, int]], claimed: list[bool]) -> None:
        whole = "".join(self.text[start:end] for start, end in groups)
        if 13 <= len(whole) <= 19 and self._card_separators(groups) and is_valid_card_number(whole):
            self.add(groups[0][0], groups[-1][1], "payment_card")
            claimed[:] = [True] * len(groups)
            return

        def can_start(index: int) -> bool:
            return self.text[groups[index][0]] in "123456"

        for first, last in self._windows(
            groups, claimed, 13, 19, is_card_grouping, can_start, "card"
        ):
            window = groups[first : last + 1]
            digits = "".join(self.text[start:end] for start, end in window)
            if is_valid_card_number(digits) and self._card_separators(window):
                self.add(groups[first][0], groups[last][1], "payment_card")
                claimed[first : last + 1] = [True] * (last + 1 - first)

    def _card_separators(self, groups: list[tuple[int, int]]) -> bool:
        """Cards are written with spaces, dashes or dots between groups, never brackets or "/"."""
        return all(
            CARD_SEPARATOR.fullmatch(self.text, previous_end, start)
            for (_, previous_end), (start, _) in pairwise(groups)
        )

    def _windows(
        self,
        groups: list[tuple[int, int]],
        claimed: list[bool],
        fewest: int,
        most: int,
        grouping_ok: Callable[[list[int]], bool],
        can_start: Callable[[int], bool],
        budget: str,
    ) -> Iterator[tuple[int, int]]:
        """Windows of whole, unclaimed digit groups with fewest..most digits, longest first.

        ``can_start(index)`` rules out a starting group cheaply (a card never starts with 0) so
        that a megabyte of spaced-out digits does not become millions of checks; past the
        per-call budget no more windows are offered.
        """
        for first in range(len(groups)):
            if claimed[first] or not can_start(first):
                continue
            total = 0
            lengths: list[int] = []
            fitting: list[int] = []
            for last in range(first, len(groups)):
                if claimed[last]:
                    break
                length = groups[last][1] - groups[last][0]
                total += length
                lengths.append(length)
                if total > most:
                    break
                if total >= fewest and grouping_ok(lengths):
                    fitting.append(last)
            for last in reversed(fitting):
                if self.window_budgets[budget] <= 0:
                    return
                self.window_budgets[budget] -= 1
                if not any(claimed[first : last + 1]):
                    yield first, last

    def _find_phones(
        self,
        run_start: int,
        run_end: int,
        groups: list[tuple[int, int]],
        claimed: list[bool],
        prefix: re.Match[str] | None,
    ) -> None:
        if "phone" not in self.wanted and "nhs_number" not in self.wanted:
            return
        window_start = prefix.start() if prefix else run_start
        if not all(claimed) and self.phone_matcher_budget > 0 and run_end - run_start < 200:
            self.phone_matcher_budget -= 1
            self._match_phones(window_start, run_end, groups, claimed)
        plus_start = window_start if prefix and "+" in prefix.group() else None
        self._find_phones_by_windows(groups, claimed, plus_start)

    def _match_phones(
        self, window_start: int, window_end: int, groups: list[tuple[int, int]], claimed: list[bool]
    ) -> None:
        window = self.text[window_start:window_end]
        try:
            matches = list(PhoneNumberMatcher(window, "GB", leniency=Leniency.VALID))
        except Exception:  # the library's own parsing errors must never reach a comment
            return
        for match in matches:
            raw_digits = re.sub(r"[^0-9]", "", match.raw_string)
            written_like_a_number = match.raw_string.lstrip("( \t").startswith("+") or (
                raw_digits.startswith(("0", "44"))
            )
            start, end = window_start + match.start, window_start + match.end
            covered = [i for i, (s, e) in enumerate(groups) if s < end and e > start]
            if (
                not written_like_a_number
                or not covered
                or any(claimed[i] for i in covered)
                or not self._stands_alone(start, end)
            ):
                continue
            self.add(start, end, "phone")
            for index in covered:
                claimed[index] = True

    def _find_phones_by_windows(
        self, groups: list[tuple[int, int]], claimed: list[bool], plus_start: int | None
    ) -> None:
        """Phone numbers the matcher misses: digits spaced out, or several numbers in one run."""

        def can_start(index: int) -> bool:
            leading = self.text[groups[index][0]]
            return leading == "0" or (index == 0 and plus_start is not None) or leading == "4"

        for first, last in self._windows(groups, claimed, 9, 17, any_grouping, can_start, "phone"):
            digits = "".join(self.text[start:end] for start, end in groups[first : last + 1])
            international = plus_start is not None and first == 0
            if not is_phone_number(digits, international, self._spend_phone_parse):
                continue
            start, end = groups[first][0], groups[last][1]
            if international and plus_start is not None:
                start = plus_start
            if self._stands_alone(start, end):
                self.add(start, end, "phone")
                claimed[first : last + 1] = [True] * (last + 1 - first)

    def _spend_phone_parse(self) -> bool:
        self.phone_parse_budget -= 1
        return self.phone_parse_budget >= 0

    def _stands_alone(self, start: int, end: int) -> bool:
        """Not glued to letters: "ref07911123456" or "07911123456abc" is a code, not a number."""
        before = self.text[start - 1] if start else " "
        after = self.text[end] if end < len(self.text) else " "
        return not (before.isascii() and before.isalpha()) and not (
            after.isascii() and after.isalpha()
        )

    def _find_nhs_numbers(self, groups: list[tuple[int, int]], claimed: list[bool]) -> None:
        if "nhs_number" not in self.wanted:
            return

        def can_start(index: int) -> bool:
            # Ten digits inside a longer number are not an NHS number.
            return index == 0 or claimed[index - 1]

        for first, last in self._windows(
            groups, claimed, 10, 10, is_nhs_grouping, can_start, "nhs"
        ):
            if last + 1 < len(groups) and not claimed[last + 1]:
                continue
            digits = "".join(self.text[start:end] for start, end in groups[first : last + 1])
            start, end = groups[first][0], groups[last][1]
            if not is_valid_nhs_number(digits) or not self._stands_alone(start, end):
                continue
            before = self.text[max(0, start - 40) : start]
            if REFERENCE_CONTEXT.search(before) and not HEALTH_CONTEXT.search(before):
                continue
            self.add(start, end, "nhs_number")
            claimed[first : last + 1] = [True] * (last + 1 - first)
