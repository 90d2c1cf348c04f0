"""An admin's pattern that RE2 cannot compile is refused with RE2's own explanation, as text."""

from __future__ import annotations

import pytest

from rules.engine.scan import Pattern, PatternError, PatternSet, compile_check


def test_the_reason_is_re2s_message_as_text() -> None:
    assert compile_check("(unclosed") == "missing ): (unclosed"
    assert compile_check("a{2,1}") == "invalid repetition size: {2,1}"


def test_a_pattern_that_compiles_has_no_reason() -> None:
    assert compile_check(r"\bbins?\b") is None


def test_asking_for_a_group_the_pattern_lacks_is_refused() -> None:
    with pytest.raises(PatternError, match="no group 2"):
        Pattern("(a)", group=2)


def test_a_set_refuses_a_pattern_that_does_not_compile() -> None:
    with pytest.raises(PatternError, match="cannot add pattern"):
        PatternSet(["fine", "(broken"])
