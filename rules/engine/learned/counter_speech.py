"""Counter-speech frames: a comment that names a protected group in order to report or condemn
what others say of it, which a hate model flag needs not to be (``implied.MODEL_FLAG_GATES``).

A linear model adds up the evidence of a sentence's words wherever they stand, so "someone
sprayed <group> out on the underpass, it's a hate crime" carries all the evidence of the words
it reports. The model has the cues as features too (``x:reported``, ``x:condemned``), but the
public hate sets quote and report hate to spread it about as often as to challenge it, so they
weigh little. Read as whole frames, and only where the commenter uses no slur of their own, a
report or a condemnation is rarely hate in any source (the counts are in ``docs/quality.md``,
"Hate").

Read on the masked words of the plain view (``Extracted.words``), in a comment that names a
group:

* **reported**: an unnamed or described person shouted, sprayed or wrote something ("a man
  shouted …", "someone sprayed …"); the commenter or someone close was called, shouted or spat
  at ("my son was called …", "shouted at us"); or a sign, sticker, leaflet, graffiti or post
  said it ("stickers saying …");
* **condemned**: a hate crime or racist abuse named as such, "no place for", "will not tolerate
  this", "reported it", "stop blaming"; or a statement called racist, bigoted, unacceptable
  ("that's racist", "… is not ok"), or, when it is a claim about someone ("saying …", "the idea
  that …"), wrong, untrue or a myth; a claim denied ("it's not true that …") or saying it
  forbidden ("nobody should say …", "stop calling …"). What is called so must not be the group
  or a person ("<group> are racist", "he is unacceptable" are no condemnation).

None of this counts when the comment uses a slur the hate rule does not read as quoted or
reported (most public rows with these frames and a slur are hate: "will not stand with a
<slur>"), when it disowns or owns the charge ("I'm not racist but", "no offence", "called
me racist for saying", "I am racist"), the commonest frames of hate that expects to be
condemned, or when it endorses what it reports ("… I suppose it's true", "he has a point").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rules.engine.detectors.hate import REPORTED_BEFORE, HateMatcher, is_quoted
from rules.engine.document import Document
from rules.engine.learned.features import GROUP_WORD, QUOTED, Extracted
from rules.engine.types import EMPTY_CONTEXT

_G = re.escape(GROUP_WORD)

# Someone who shouts, sprays or writes, other than the commenter: unnamed or described.
_SPEAKERS = (
    r"(?:someone|somebody|some\s+\w+|a\s+(?:man|woman|lad|bloke|guy|girl|boy|group|gang|"
    r"driver|passenger|customer|neighbour|kid|couple|few\s+\w+)|kids|lads|youths|"
    r"the\s+(?:man|woman|lad|bloke|guy|driver|passenger|customer|neighbour|group|gang))"
)
_HOSTILE_VERBS = (
    r"(?:shouted|shouting|yelled|yelling|screamed|screaming|sprayed|spray\s+painted|wrote|"
    r"written|scrawled|daubed|painted|graffitied|chanted|chanting|spat|hissed|posted|put\s+up|"
    r"stuck\s+up|called|calling|told)"
)
_VICTIMS = r"(?:i|we|my\s+\w+|our\s+\w+)"
_REPORTED = re.compile(
    # "a lad at the bus station screamed …": a few words may describe the speaker.
    rf"\b{_SPEAKERS}\s+(?:(?!{_G})\S+\s+){{0,5}}?{_HOSTILE_VERBS}\b"
    rf"|\b{_VICTIMS}\s+(?:was|were|got|get|gets|'ve\s+been|have\s+been|has\s+been|had\s+been|"
    r"keep\s+getting|keeps\s+getting)\s+(?:called|shouted\s+at|yelled\s+at|screamed\s+at|"
    r"spat\s+at|abused|targeted|harassed|told\s+to)\b"
    r"|\b(?:shouted|shouting|yelled|yelling|screamed|screaming|spat|spitting)\s+at\s+"
    r"(?:me|us|my\s+\w+|our\s+\w+)\b"
    r"|\b(?:sign|signs|poster|posters|leaflet|leaflets|sticker|stickers|banner|banners|note|"
    r"notes|graffiti|message|messages|comment|comments|post|posts|chant|chants|slogan|slogans|"
    r"placard|placards)\s+(?:saying|that\s+said|that\s+says|which\s+said|reading|like)\b"
)
_CONDEMNED = re.compile(
    r"\b(?:racist|racial|racially\s+aggravated|homophobic|transphobic|religious)\s+"
    r"(?:abuse|incident|incidents|attack|attacks|graffiti)\b"
    r"|\b(?:is|was|that's|thats|it's|its|as)\s+(?:a\s+|an\s+)?(?:\w+\s+)?hate\s+"
    r"(?:crime|incident)\b"
    r"|\bno\s+place\s+for\b"
    r"|\b(?:not|never|won't|wont|will\s+not)\s+(?:tolerate|stand\s+for)\s+(?:this|that|it|"
    r"racism|hate|bigotry|abuse|discrimination)\b|\bwill\s+not\s+be\s+tolerated\b"
    r"|\breported\s+(?:it|them|him|her|this|that)\b(?!\s+(?:week|year|month|day|morning|"
    r"evening|afternoon))"
    r"|\breported\s+(?:\w+\s+)?to\s+(?:the\s+)?(?:police|council|page|admins?|moderators?|"
    r"facebook|platform)\b"
    r"|\b(?:stop|quit|don't|dont)\s+(?:blaming|scapegoating)\b"
    # A claim denied, or saying it forbidden: "it's not true that …", "nobody should say …".
    r"|\b(?:not|isn't|isnt|never\s+been)\s+true\s+that\b|\b(?:a\s+myth|a\s+lie|untrue)\s+that\b"
    r"|\bno\s+(?:evidence|proof)\s+that\b"
    r"|\b(?:nobody|no\s+one|noone|shouldn't|shouldnt|should\s+not|mustn't|must\s+not|stop|quit)"
    r"\s+(?:\w+\s+){0,2}(?:say|saying|call|calling|claim|claiming|pretend|pretending|suggest|"
    r"suggesting)\b"
)
_ATTITUDES = (
    r"(?:racist|racism|bigoted|bigotry|hateful|hate\s+speech|xenophobic|xenophobia|"
    r"islamophobic|islamophobia|antisemitic|antisemitism|homophobic|homophobia|transphobic|"
    r"transphobia|misogynistic|misogyny|sexist|ableist|discriminatory|discrimination|"
    r"prejudice|prejudiced|unacceptable|not\s+acceptable|out\s+of\s+order|not\s+ok|not\s+okay)"
)
_FALSEHOODS = r"(?:wrong|untrue|not\s+true|a\s+lie|lies|a\s+myth|nonsense|rubbish)"
_INTENSIFIERS = (
    r"(?:(?:just|so|completely|utterly|totally|pure|blatant|blatantly|plain|clearly|simply|"
    r"deeply|absolutely|outright|still)\s+)*"
)
_CALLED_SO = re.compile(
    rf"\b(?:is|was|that's|thats|it's|its|that\s+is|this\s+is|it\s+is)\s+{_INTENSIFIERS}"
    rf"{_ATTITUDES}\b"
)
# What someone posted, called what it is: "that comment is beyond sick", "those posts are vile".
_POST_CALLED_SO = re.compile(
    r"\b(?:that|this|the|those|these|your|his|her|their)\s+(?:\w+\s+)?(?:comment|comments|"
    r"post|posts|remark|remarks|tweet|tweets|language|thread|graffiti|message|messages)\s+"
    r"(?:is|are|was|were)\s+(?:\w+\s+){0,2}(?:sick|vile|disgusting|appalling|shameful|"
    r"disgraceful|nasty|horrible|hateful|racist|bigoted|unacceptable|abhorrent|sickening)\b"
)
# A claim about someone, then called false: "saying <group> are thieves is just wrong".
_CLAIM_CALLED_FALSE = re.compile(
    r"\b(?:saying|claiming|calling|blaming|suggesting|implying|pretending|assuming|"
    r"the\s+idea\s+that|the\s+claim\s+that|the\s+myth\s+that)\s+(?:\S+\s+){1,12}?"
    rf"(?:is|was|are|were)\s+{_INTENSIFIERS}{_FALSEHOODS}\b"
)
# What "is racist" must not be said of: a group, or a person.
_COPULAS = frozenset({"is", "was"})
_NOT_STATEMENTS = frozenset({GROUP_WORD, "he", "she", "they", "you", "we", "i", "who", "which"})
# The charge disowned or owned.
_DISOWNED = re.compile(
    r"\b(?:not|n't|nt|never\s+been)\s+(?:a\s+|being\s+)?(?:racist|bigot|bigoted|homophobic|"
    r"transphobic|islamophobic)\b|\bno\s+offen[cs]e\b"
    r"|\b(?:called|call|calling|branded|labelled|labeled|accused\s+of\s+being|makes?\s+me)\s+"
    r"(?:me\s+|us\s+|you\s+|them\s+)?(?:a\s+)?(?:racist|bigot|bigoted|homophobic|transphobic|"
    r"islamophobic|xenophobic)\b"
    r"|\b(?:i'm|im|i\s+am|am)\s+(?:a\s+)?(?:proud\s+)?(?:racist|bigot|homophobic)\b"
    # or what was reported endorsed: "… I suppose it's true about some of them".
    r"|\b(?:it's|its|it\s+is|that's|thats|that\s+is|sounds|probably|mostly|partly)\s+"
    r"(?:(?!not\b)\w+\s+)?true\b|\b(?:has|have|had)\s+a\s+point\b|\b(?:is|are|was|were)\s+right\b"
    r"|\bnot\s+wrong\b|\btrue\s+though\b"
)


# A slur just after a verb of shouting or calling is reported ("people shout <slur> at me").
_SHOUTED_BEFORE = re.compile(
    r"\b(?:shout|shouts|shouted|shouting|yell|yells|yelled|yelling|scream|screamed|screaming|"
    r"called|calling|sprayed|wrote|scrawled|chanted|chanting)\b[^.!?]*$"
)


@lru_cache(maxsize=1)
def _slurs() -> HateMatcher:
    # Slurs only, those the rule reads as counter-speech graded rather than dropped: a slur
    # near a condemnation is still the commenter's own ("hate crime charges on these <slur>").
    return HateMatcher(("slurs",), counter_speech="grade")


def _calls_a_statement_so(text: str) -> bool:
    for match in _CALLED_SO.finditer(text):
        before = text[: match.start()].split()[-2:]
        # "<group> are racist", "the <group> religion is unacceptable", "he is racist", "for
        # what it is": the group or a person is what is called so, not a statement.
        if match.group().split()[0] in _COPULAS and (
            set(before) & _NOT_STATEMENTS or before[-1:] == ["what"]
        ):
            continue
        return True
    return bool(_CLAIM_CALLED_FALSE.search(text) or _POST_CALLED_SO.search(text))


def uses_a_slur(extracted: Extracted) -> bool:
    """Whether the comment uses a slur of the hate rule's list that is neither in quotation
    marks nor reported as said to someone."""
    if not extracted.tokens:
        return False
    text = extracted.tokens[0].view.text
    quoted = [match.span() for match in QUOTED.finditer(text)]
    for found in _slurs().find(Document(text), EMPTY_CONTEXT):
        start, end = found.start, found.end
        if any(s <= start and end <= e for s, e in quoted):
            continue
        if _SHOUTED_BEFORE.search(text[max(0, start - 30) : start]):
            continue
        if found.detector == "reported_or_quoted" and (
            is_quoted(text, start, end) or REPORTED_BEFORE.search(text[max(0, start - 60) : start])
        ):
            continue
        return True
    return False


def counter_speech_frame(extracted: Extracted) -> bool:
    """Whether a comment that names a group reports or condemns what is said of it (see the
    module docstring); False for a comment that names no group."""
    words = extracted.words
    if GROUP_WORD not in words:
        return False
    text = " ".join(words)
    if _DISOWNED.search(text):
        return False
    framed = bool(_REPORTED.search(text) or _CONDEMNED.search(text) or _calls_a_statement_so(text))
    return framed and not uses_a_slur(extracted)
