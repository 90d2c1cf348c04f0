"""Compiling a rule set once, and evaluating texts against it.

``compile_ruleset`` checks every rule (naming the rule in any error), builds each rule's
matcher and collects every matcher's gates into one RE2 set per view. ``evaluate`` folds the
text once, runs the gate sets once, and asks only the rules whose gates occur to look for
their spans. It never raises on any string: a failing rule is logged and skipped, because a
moderation queue must keep moving even if one detector has a bug.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rules.engine.detectors import REGISTRY as DETECTORS
from rules.engine.detectors.base import Gate, Matcher
from rules.engine.document import Document, ViewName
from rules.engine.learned.implied import Settling, settled
from rules.engine.learned.stage import LearnedStage, build_stage
from rules.engine.lexicon import MAX_ENTRIES, Lexicon, entry_problem, lexicon_source
from rules.engine.precision import gate_auto_hide
from rules.engine.scan import Pattern, PatternError, PatternSet, Target, compile_check
from rules.engine.types import (
    CATEGORIES,
    EMPTY_CONTEXT,
    HIDING_OUTCOMES,
    MAX_SEVERITY,
    MIN_SEVERITY,
    OUTCOMES,
    OUTCOMES_NEEDING_ROUTE,
    ROUTES,
    RULE_KINDS,
    Context,
    Finding,
    Match,
    RuleError,
    RuleSetSpec,
    RuleSpec,
    categories_of,
    signal_of,
)

logger = logging.getLogger(__name__)

MAX_PATTERN_CHARS = 2_000
REGEX_FLAGS = "ims"

# How sub-labels read in an officer's explanation; anything absent reads as itself.
LABEL_TEXT: dict[str, str] = {
    "words": "word list",
    "pattern": "pattern",
    "profanity": "profanity list",
}


# --- words and regex rules ---------------------------------------------------------------


class WordsMatcher:
    """A ``words`` rule: one alternation of all its entries, run on the words views."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        whole_word = params.get("whole_word", True)
        self.lexicon = Lexicon.build(list(params["words"]), whole_word=whole_word)
        self.gates = (Gate("words", self.lexicon.source),)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Every occurrence of any entry."""
        return [Finding(start, end, "words") for start, end in self.lexicon.spans(doc.words)]


class RegexMatcher:
    """A ``regex`` rule: an admin's RE2 pattern, on the plain view (case-insensitively,
    since that view is case-folded) or on the original text."""

    gates: tuple[Gate, ...] = ()

    def __init__(self, params: Mapping[str, Any]) -> None:
        source = _with_flags(params["pattern"], params.get("flags", ""))
        self.on_original = params.get("view", "normalised") == "original"
        self.pattern = Pattern(source, case_insensitive=not self.on_original)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Every non-empty match, mapped back to the original text."""
        if self.on_original:
            target = doc.memo("original_target", lambda d: Target(d.original))
            return [Finding(start, end, "pattern") for start, end in self.pattern.spans(target)]
        view = doc.plain
        return [
            Finding(*view.to_original(start, end), "pattern")
            for start, end in self.pattern.spans(view.target)
        ]


def _with_flags(pattern: str, flags: str) -> str:
    wanted = "".join(flag for flag in REGEX_FLAGS if flag in flags)
    return f"(?{wanted}){pattern}" if wanted else pattern


def nested_quantifier(pattern: str) -> str | None:
    """Describe a quantified group that itself contains a repeat, e.g. ``(a+)+``, or None.

    RE2 matches such patterns in linear time, but the same pattern pasted into a
    backtracking engine (a browser's test box, a report script) can take exponential time,
    so rule sets refuse them. The scan ignores escaped characters and character classes.
    """
    depth_repeats: list[bool] = [False]
    position = 0
    size = len(pattern)
    while position < size:
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            # Skip a character class: "]" first in the class is a literal.
            position += 1
            if position < size and pattern[position] == "^":
                position += 1
            if position < size and pattern[position] == "]":
                position += 1
            while position < size and pattern[position] != "]":
                position += 2 if pattern[position] == "\\" else 1
            position += 1
            continue
        if char == "(":
            depth_repeats.append(False)
        elif char == ")" and len(depth_repeats) > 1:
            inner_repeats = depth_repeats.pop()
            if inner_repeats and _is_repeat(pattern, position + 1):
                return pattern[max(0, position - 20) : position + 2]
            depth_repeats[-1] = depth_repeats[-1] or inner_repeats
        elif _is_repeat(pattern, position):
            depth_repeats[-1] = True
        position += 1
    return None


def _is_repeat(pattern: str, position: int) -> bool:
    """Whether the quantifier at ``position`` can repeat more than once."""
    if position >= len(pattern):
        return False
    char = pattern[position]
    if char in "*+":
        return True
    if char == "{":
        closing = pattern.find("}", position)
        if closing < 0:
            return False
        body = pattern[position + 1 : closing]
        low, _, high = body.partition(",")
        if not low.strip().isdigit() and low.strip():
            return False
        if "," not in body:
            return low.strip().isdigit() and int(low) > 1
        return not high.strip() or (high.strip().isdigit() and int(high) > 1)
    return False


# --- validation ----------------------------------------------------------------------------

# Options any rule may carry, whatever its kind: read where the engine settles its verdicts
# beside one another (``learned.implied.Settling``), never by the rule's matcher.
# needs_model: the rule's findings (for the political and hate detectors, only their weak ones)
#   count only where the learned stage, judging the rule's category, flags it too.
# skip_reported: the rule's findings do not count where the comment reports or quotes the words,
#   or a hate finding covers them (``explained_abuse``).
RULE_OPTIONS = ("needs_model", "skip_reported")
_WORDS_PARAMS = {"words", "whole_word"}
_REGEX_PARAMS = {"pattern", "flags", "view"}


def validate_rule(kind: str, params: Mapping[str, Any]) -> list[str]:
    """Human-readable problems with a rule's kind and parameters; [] if it would compile."""
    if kind not in RULE_KINDS:
        return [f"unknown rule kind {kind!r}: use one of {', '.join(RULE_KINDS)}"]
    if not isinstance(params, Mapping):
        return ["parameters must be a mapping of names to values"]
    problems = [
        f"{option}: must be true or false"
        for option in RULE_OPTIONS
        if option in params and not isinstance(params[option], bool)
    ]
    params = matcher_params(params)
    if kind == "words":
        return problems + _validate_words(params)
    if kind == "regex":
        return problems + _validate_regex(params)
    return problems + _validate_detector(params)


def matcher_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """A rule's parameters less its ``RULE_OPTIONS``: what its matcher or detector reads."""
    return {key: value for key, value in params.items() if key not in RULE_OPTIONS}


def _unknown(params: Mapping[str, Any], known: set[str], kind: str) -> list[str]:
    return [
        f"unknown parameter {key!r} for a {kind} rule ({', '.join(sorted(known))})"
        for key in params
        if key not in known
    ]


def _validate_words(params: Mapping[str, Any]) -> list[str]:
    problems = _unknown(params, _WORDS_PARAMS, "words")
    words = params.get("words")
    if not isinstance(words, list | tuple) or not words:
        problems.append("words: give a non-empty list of words or phrases")
    elif len(words) > MAX_ENTRIES:
        problems.append(f"words: at most {MAX_ENTRIES} entries")
    else:
        for entry in words:
            problem = entry_problem(entry)
            if problem:
                problems.append(f"words: {problem}")
    if "whole_word" in params and not isinstance(params["whole_word"], bool):
        problems.append("whole_word: must be true or false")
    if not problems:
        try:
            Pattern(lexicon_source(list(words or ()), whole_word=params.get("whole_word", True)))
        except (PatternError, ValueError) as error:
            problems.append(f"words: cannot compile the list ({error})")
    return problems


def _validate_regex(params: Mapping[str, Any]) -> list[str]:
    problems = _unknown(params, _REGEX_PARAMS, "regex")
    pattern = params.get("pattern")
    flags = params.get("flags", "")
    if not isinstance(flags, str) or any(flag not in REGEX_FLAGS for flag in flags):
        problems.append(f'flags: use any of {", ".join(REGEX_FLAGS)} (e.g. "i")')
        flags = ""
    if params.get("view", "normalised") not in ("normalised", "original"):
        problems.append("view: must be 'normalised' or 'original'")
    if not isinstance(pattern, str) or not pattern.strip():
        problems.append("pattern: give a non-empty regular expression")
        return problems
    if len(pattern) > MAX_PATTERN_CHARS:
        problems.append(f"pattern: at most {MAX_PATTERN_CHARS} characters")
        return problems
    error = compile_check(_with_flags(pattern, flags))
    if error:
        problems.append(f"pattern: not a valid RE2 regular expression ({error})")
        return problems
    nested = nested_quantifier(pattern)
    if nested:
        problems.append(
            f"pattern: a repeated group contains a repeat ({nested!r}); such patterns can take "
            "exponential time in backtracking engines, so rewrite it without nesting"
        )
    if Pattern(_with_flags(pattern, flags)).search(_EMPTY_TARGET):
        problems.append("pattern: matches empty text, so it would flag every comment")
    return problems


def _validate_detector(params: Mapping[str, Any]) -> list[str]:
    name = params.get("detector")
    detector_type = DETECTORS.get(name) if isinstance(name, str) else None
    if detector_type is None:
        return [f"detector: unknown detector {name!r} (use one of {', '.join(DETECTORS)})"]
    return detector_type.validate(params)


_EMPTY_TARGET = Target("")


def _rule_problems(rule: RuleSpec) -> list[str]:
    problems = []
    if not isinstance(rule.key, str) or not rule.key.strip():
        problems.append("key: must be a non-empty slug")
    if rule.category not in CATEGORIES:
        problems.append(f"category: {rule.category!r} is not one of {', '.join(CATEGORIES)}")
    if rule.outcome not in OUTCOMES:
        problems.append(f"outcome: {rule.outcome!r} is not one of {', '.join(OUTCOMES)}")
    if (
        not isinstance(rule.severity, int)
        or isinstance(rule.severity, bool)
        or not MIN_SEVERITY <= rule.severity <= MAX_SEVERITY
    ):
        problems.append(f"severity: must be a whole number from {MIN_SEVERITY} to {MAX_SEVERITY}")
    if rule.outcome in OUTCOMES_NEEDING_ROUTE and rule.route not in ROUTES:
        problems.append(f"route: outcome {rule.outcome!r} needs one of {', '.join(ROUTES)}")
    elif rule.route and rule.route not in ROUTES:
        problems.append(f"route: {rule.route!r} is not one of {', '.join(ROUTES)}")
    problems.extend(validate_rule(rule.kind, rule.params))
    return problems


# --- compiling and evaluating --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule's spec, its matcher, and its gates' numbers (plain-view gates first, then
    words-view gates, numbered across the whole rule set)."""

    spec: RuleSpec
    matcher: Matcher
    gates: frozenset[int]
    # For matchers that judge the context (author, recent comments): whether this context
    # gives them anything to look at. Such a rule runs when it does, or when a gate occurs.
    wants: Callable[[Context], bool] | None = None


def _build_matcher(rule: RuleSpec, settings: Mapping[str, Any]) -> Matcher:
    params = matcher_params(rule.params)
    if rule.kind == "words":
        return WordsMatcher(params)
    if rule.kind == "regex":
        return RegexMatcher(params)
    return DETECTORS[params["detector"]].build(params, settings)


def compile_ruleset(spec: RuleSetSpec) -> CompiledRuleSet:
    """Check and compile a rule set; raises RuleError naming the first rule that is wrong."""
    seen: set[str] = set()
    settings = spec.settings if isinstance(spec.settings, Mapping) else {}
    gate_sources: dict[ViewName, dict[str, int]] = {"plain": {}, "words": {}}
    compiled: list[tuple[RuleSpec, Matcher, list[tuple[ViewName, int]]]] = []
    for asked in spec.rules:
        rule = gate_auto_hide(asked)
        label = f"rule {rule.key!r} ({rule.name})"
        problems = _rule_problems(rule)
        if rule.key in seen:
            problems.append("key: another rule in the set has the same key")
        if problems:
            raise RuleError(f"{label}: " + "; ".join(problems))
        seen.add(rule.key)
        try:
            matcher = _build_matcher(rule, settings)
        except (PatternError, ValueError, KeyError, TypeError) as error:
            raise RuleError(f"{label}: cannot compile ({error})") from error
        gates = []
        for gate in matcher.gates:
            sources = gate_sources[gate.view]
            gates.append((gate.view, sources.setdefault(gate.source, len(sources))))
        compiled.append((rule, matcher, gates))
    plain_count = len(gate_sources["plain"])
    rules = tuple(
        CompiledRule(
            rule,
            matcher,
            frozenset(index + (plain_count if view == "words" else 0) for view, index in gates),
            getattr(matcher, "wants", None),
        )
        for rule, matcher, gates in compiled
    )
    gate_sets = {
        view: PatternSet(sorted(sources, key=sources.__getitem__))
        for view, sources in gate_sources.items()
    }
    return CompiledRuleSet(spec, rules, gate_sets, build_stage(settings))


def _merge(spans: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


class CompiledRuleSet:
    """A rule set ready to evaluate texts; build it with ``compile_ruleset``."""

    def __init__(
        self,
        spec: RuleSetSpec,
        rules: tuple[CompiledRule, ...],
        gate_sets: Mapping[ViewName, PatternSet],
        learned: LearnedStage | None = None,
    ) -> None:
        self.spec = spec
        self.learned = learned
        self.rules = rules
        self._settling = Settling.of(rule.spec for rule in rules)
        self._active = tuple(rule for rule in rules if rule.spec.enabled)
        self._gate_sets = gate_sets
        # Both views' gates in one set, numbered as in ``CompiledRule.gates``.
        self._combined_gates = PatternSet(
            [*gate_sets["plain"].sources, *gate_sets["words"].sources]
        )

    def evaluate(self, text: str, context: Context | None = None) -> list[Match]:
        """Every rule's match on the text (at most one per rule), most severe first."""
        try:
            if not isinstance(text, str):
                text = "" if text is None else str(text)
            doc = Document(text)
        except Exception:
            # Hostile input must never stop the queue.
            logger.exception("cannot prepare text for rule set %r", self.spec.name)
            return []
        if not isinstance(context, Context):
            context = EMPTY_CONTEXT
        matches = []
        hits: set[int] | None = None
        for rule in self._active:
            try:
                wants = rule.wants
                if wants is None or not wants(context):
                    gates = rule.gates
                    if gates:
                        if hits is None:
                            hits = self._gate_hits(doc)
                        if gates.isdisjoint(hits):
                            continue
                    elif wants is not None:
                        continue
                findings = rule.matcher.find(doc, context)
                if findings:
                    matches.append(self._match(rule.spec, findings, doc))
            except Exception:
                # One faulty rule must not hide the others' matches.
                logger.exception("rule %r failed on a text; skipped", rule.spec.key)
        judged = None
        if self.learned is not None:
            try:
                ruled = frozenset(categories_of(matches))
                matches.extend(self.learned.matches(doc, self.spec.version, ruled))
                judged = self.learned.thresholds
            except Exception:
                logger.exception("the learned stage failed on a text; skipped")
        matches = settled(matches, doc.original, judged, self._settling)
        matches.sort(key=lambda match: -match.severity)
        return matches

    def _gate_hits(self, doc: Document) -> set[int]:
        """The numbers of all gates that occur in the text: one RE2 pass per view, or a
        single pass when the text has nothing to fold for word lists (most texts), since then
        the words view is the plain view."""
        words_views = doc.words
        if len(words_views) == 1 and words_views[0] is doc.plain:
            return self._combined_gates.matching(doc.plain.target)
        plain = self._gate_sets["plain"]
        hits = doc.gate_hits("plain", plain) if plain.size else set()
        words = self._gate_sets["words"]
        if words.size:
            hits = hits | {index + plain.size for index in doc.gate_hits("words", words)}
        return hits

    def _match(self, rule: RuleSpec, findings: Sequence[Finding], doc: Document) -> Match:
        spans = _merge([(finding.start, finding.end) for finding in findings])
        # The most severe finding sets the severity and the sub-label.
        lead = max(findings, key=lambda finding: finding.severity_delta)
        severity = max(MIN_SEVERITY, min(MAX_SEVERITY, rule.severity + lead.severity_delta))
        signal = signal_of(rule)
        outcome = rule.outcome
        if signal and outcome in HIDING_OUTCOMES:
            outcome = "review"  # a campaign is shown grouped for review, never hidden
        return Match(
            rule_key=rule.key,
            rule_name=rule.name,
            rule_id=rule.rule_id,
            ruleset_version=self.spec.version,
            category="" if signal else rule.category,
            severity=severity,
            outcome=outcome,
            route=rule.route,
            spans=spans,
            explanation=_explain(rule, lead, spans, doc),
            detector=lead.detector,
            signal=signal,
        )


def _explain(
    rule: RuleSpec, lead: Finding, spans: tuple[tuple[int, int], ...], doc: Document
) -> str:
    label = LABEL_TEXT.get(lead.detector, lead.detector.replace("_", " "))
    suffix = f" ({label})" if label else ""
    more = f" and {len(spans) - 1} more" if len(spans) > 1 else ""
    if lead.note:
        return f"{rule.name}: {lead.note}{more}{suffix}"
    if not spans:
        return rule.name + suffix
    return f'{rule.name}: "{doc.snippet(*spans[0])}"{more}{suffix}'
