"""Criticism of named staff, councillors, members or volunteers (category staff_criticism).

The policies: "please don't use any social media channel for critical comment of current or
former members or volunteers or members of staff"; "are not abusive about any individual,
including council staff and elected councillors".

A person is *named* when the comment uses a name from ``settings["staff_names"]`` (full name,
or title and surname: "Jane Smith", "Cllr Smith", "Mrs Smith"), or a council title with a
capitalised surname even if nobody configured it ("Cllr Patel", "Councillor O'Brien"), or a
post only one person holds (``posts``: "the clerk", "the chief exec", "the provost", "our
chairman", "the head of parking services", and the organisation's own roles from its staff
entries, ``{"name": ..., "role": ...}``: "the station manager").
A surname alone counts when capitalised as posted ("McAllister is a disgrace"); at the start
of a sentence, not before another capitalised word ("Lumb Lane"), and, when it is also an
ordinary word, only before a verb ("Hale covered this up"; "Price of parking…", "Hale and
hearty" name nobody: ``people.is_named``). Criticism
is a negative word near the mention: anywhere in a short comment (most are one thought, and
criticism often follows as "He's a liar."), otherwise in the same sentence or the next
("useless", "liar", "should be sacked", "a disgrace").

Thanks are not criticism: "Thanks to Cllr Smith for fixing the lights" has no negative word,
and when a sentence praises as well as complains ("Cllr Smith was brilliant, unlike the
useless council") the negative word must be next to the name (within four words) to count.

``include_roles`` (off by default) also counts criticism of staff by role in general ("the
planning officers are incompetent"), one severity step lower (``role_criticism``).

``allegations`` (the default rule set's ``staff_criticism.allegations``, held and routed to
legal): instead of criticism, a named person accused of a crime or corruption in the same
sentence or the next ("Cllr Dawson took backhanders from the developer", "Crowther is on the
take", "McAllister should be in prison") is a possible defamation (``allegation``). Questions
("is Cllr Dawson corrupt?") and reports are not allegations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import DetectorType, Gate, is_bool, is_string_list, string_list
from rules.engine.detectors.hate import reported_or_quoted
from rules.engine.detectors.people import (
    is_named,
    name_source,
    sentence_and_next,
    sentence_around,
    staff_names_and_roles,
    surname_source,
    word_window,
)
from rules.engine.detectors.posts import addressed, mention_source, names_nobody
from rules.engine.document import Document
from rules.engine.scan import Pattern, Target
from rules.engine.types import Context, Finding

NEGATIVE = (
    r"\b(?:useless|incompetent|inept|clueless|hopeless|pathetic|lazy|idle|liar|liars|lying|"
    r"lied|lies|corrupt|crook|crooked|fraud|dishonest|disgrace|disgraceful|disgusting|shameful|"
    r"a joke|joke of a|rude|arrogant|ignorant|spineless|gutless|jobsworth|power mad|"
    r"power-mad|a waste of space|waste of money|waste of time|should be sacked|should be fired|"
    r"should resign|must resign|needs to resign|needs to go|must go|has to go|should go|"
    r"should be ashamed|ashamed of (?:him|her|them)self|sack (?:him|her|them)|"
    r"get rid of (?:him|her|them)|resign|out of (?:her|his|their) depth|not fit for|unfit|"
    r"no idea|doesn'?t care|don'?t care|couldn'?t care less|never answers|never replies|"
    r"ignored (?:me|us|my)|ignores|failed|failure|failing|rubbish|terrible|awful|appalling|"
    r"abysmal|shocking|a nightmare|thanks for nothing|cheers for nothing|nasty|vile|"
    r"bully|bullying|sexist|racist|snake|two-faced|two faced|hypocrite|self-serving|"
    r"self serving|in it for (?:himself|herself|themselves)|feathering|backhander|backhanders|"
    r"bribe|bribes|brown envelope|idiot|moron|clown|numpty|muppet|prat|halfwit|imbecile|"
    r"disaster|disastrous|shambles|shambolic|out of touch|lost control|time for (?:him|her|them)"
    r" to go|hides? behind|hiding behind|all talk|empty (?:words|promises)|broken promises?|"
    r"still waiting|did nothing|done nothing|does nothing|couldn'?t run a|not fit to|"
    r"let (?:us|everyone|residents|the town) down|blocked me|doesn'?t listen|never listens|"
    r"greedy|only (?:ever )?turns? up|photo op(?:portunity)?|says it all|a farce|laughable|"
    r"clueless|inept|should be investigated|disgusting|a scandal|scandalous|"
    r"needs? (?:their|his|her) head examin(?:ing|ed)|real world|dinosaur|embarrassing|"
    r"embarrassment|rudest|laziest|worst|hung up on me|head of nothing|"
    r"pay (?:him|her|them) a visit|know where (?:you|he|she) lives?|sort (?:you|him|her) out|"
    r"at your house|takes? your house)\b"
)
# Accusations of a crime or of corruption: what makes a comment about a person defamatory.
ALLEGATION = (
    r"\b(?:is|are|was|were|he'?s|she'?s|they'?re|hes|shes|theyre|being)\s+(?:a\s+|an\s+|"
    r"totally\s+|completely\s+|clearly\s+|obviously\s+)?(?:corrupt|crook|crooked|criminal|"
    r"fraudster|thief|paedophile|paedo|pedo|nonce|rapist|embezzler|money launderer|bent)\b|"
    r"\b(?:took|taking|takes|take|accepted|accepting|accepts|trousered|trousering|pocketed|"
    r"pocketing)\s+(?:a\s+|the\s+)?(?:bribes?|backhanders?|kickbacks?|brown envelopes?|"
    r"bungs?|sweeteners?|cash from)\b|\bon the (?:take|fiddle|payroll of)\b|"
    r"\b(?:stole|stealing|steals|embezzled|embezzling|embezzles|fiddled|fiddling|fiddles|"
    r"defrauded|defrauding|laundered|laundering)\b|\blining (?:his|her|their) (?:own )?pockets\b|"
    r"\bin the pocket of\b|\b(?:paid off|bought off|bribed) by\b|\bshould be (?:in prison|"
    r"in jail|jailed|locked up|arrested|prosecuted|behind bars)\b|\b(?:committed|guilty of)\s+"
    r"(?:fraud|a crime|crimes|perjury|misconduct)\b|\bmisconduct in public office\b|"
    r"\b(?:fraud|fraudulent|bribery|corruption)\b"
)
_QUESTION_AFTER = r"^[^.!\n]{0,60}\?"
THANKS = (
    r"\b(?:thanks?|thank you|thankyou|ty|cheers|grateful|appreciate|appreciated|well done|"
    r"great job|good job|brilliant|fantastic|amazing|excellent|helpful|kind|lovely|"
    r"credit to|praise|kudos|hats off|shout ?out)\b"
)
# A comment that defends someone from what others post ("leave Cllr Rafferty alone, the abuse
# she's getting is vile", "going after her for being a woman is pathetic", "disagree by all
# means") uses the words of criticism about the comments, not the person. On the council
# training rows, all 21 comments that read so were labelled not staff criticism.
_BAD = (
    r"(?:vile|disgusting|pathetic|out of order|not on|unacceptable|shameful|a disgrace|"
    r"disgraceful|beyond the pale|horrible|nasty|sickening|appalling|too far|not ok|not okay|"
    r"wrong)"
)
DEFENCE = re.compile(
    r"\bleave (?:him|her|them|(?:the|that|those|these) (?:poor )?(?:man|woman|lady|lass|lad|"
    r"bloke|guy|people|staff|crews?|workers?|volunteers?|clerk|officers?|councillors?)|"
    r"(?:cllr|councillor|mr|mrs|ms|miss|dr)\.? [\w'-]+)(?: [\w'-]+)? alone\b"
    # Others' comments ("some of these comments are vile"), not a person's own ("the comments
    # Cllr Smith made were vile").
    r"|\b(?:the|these|those|some of the|some of these|all the|all these)\s+(?:comments?|abuse|"
    r"hate|stick|trolling|attacks?|threats?|messages|posts?)\b"
    r"(?!(?:\s+[\w']+){0,2}\s+(?:made|posted|wrote|said|put|sent|shared)\b)"
    rf"[^.!?]{{0,40}}?\b{_BAD}\b"
    r"|\b(?:going after|threatening|attacking|abusing|trolling|targeting|harassing)\b"
    rf"[^.!?]{{0,60}}?\b(?:is|are|was)\s+{_BAD}\b"
    r"|\b(?:disagree|argue)\b[^.!?]{0,20}\b(?:by all means|the policy|the decision|the plans?)\b"
    r"|\bnot all (?:useless|bad|the same)\b|\bthey'?re not all\b"
    rf"|\b(?:a|such a)\s+{_BAD}\s+thing to (?:say|post|write|put)\b"
    r"|\b(?:gets?|getting|got|taking|takes|took)\s+(?:a lot of |loads of |so much |a load of )?"
    r"(?:stick|abuse|hate|grief|flak)\b",
    re.IGNORECASE,
)


def defends_someone(text: str) -> bool:
    """Whether a comment defends someone from what others post about them (``DEFENCE``)."""
    return bool(DEFENCE.search(text))


# A comment this short is one thought: criticism anywhere in it is about whoever it names.
_SHORT_COMMENT = 280
# How close (in words) a negative word must be to the name in a sentence that also praises.
_NEAR_WORDS = 4
# A council title with any surname; the surname must be capitalised as posted.
_TITLED = r"\b(?:cllr|councillor|councilor|cllor)\.?\s+([a-z][a-z'\-]+)"
_ROLES = (
    r"\b(?:councillors|cllrs|council\s+staff|staff|officers|planning\s+officers?|"
    r"planners|enforcement\s+officers?|wardens|bin\s*men|binmen|receptionists?|"
    r"social\s+workers?|the\s+officer|the\s+planner|the\s+warden|the\s+receptionist|"
    r"the\s+man\s+on\s+the\s+phone|the\s+woman\s+on\s+the\s+phone|whoever)\b"
)


class StaffCriticismMatcher:
    """Negative comment about a named person, or (with roles) about staff in general."""

    def __init__(
        self,
        names: list[str],
        *,
        include_roles: bool,
        allegations: bool = False,
        posts: list[str] | None = None,
    ) -> None:
        self.allegations = allegations
        source = name_source(names)
        self.names = Pattern(source) if source else None
        surnames = surname_source(names)
        self.surnames = Pattern(surnames) if surnames else None
        # The organisation's own posts ("the station manager") and the general ones.
        self.posts = Pattern(mention_source(posts or []))
        self.titled = Pattern(_TITLED)
        self.roles = Pattern(_ROLES) if include_roles else None
        wanted = ALLEGATION if allegations else NEGATIVE
        self.negative = Pattern(wanted)
        self.thanks = Pattern(THANKS)
        self.question = Pattern(_QUESTION_AFTER)
        # Criticism (or an allegation) needs its words, so they are the gate.
        self.gates = (Gate("words", wanted),)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Each named person (or role) with criticism in the same sentence."""
        if not self.allegations and defends_someone(doc.original):
            return []
        findings: list[Finding] = []
        for view in doc.words:
            mentions: list[tuple[int, int, str, int]] = []
            posts_at: set[int] = set()  # where a post (not a name) is mentioned
            if self.names is not None:
                mentions.extend((s, e, "named_person", 0) for s, e in self.names.spans(view.target))
            if self.surnames is not None:
                for start, end in self.surnames.spans(view.target):
                    inside = any(s <= start and end <= e for s, e, _, _ in mentions)
                    if not inside and is_named(doc.original, *view.to_original(start, end)):
                        mentions.append((start, end, "named_person", 0))
            for start, end, post_start, post_end in self.posts.group_spans(view.target, 1):
                post, after = view.text[post_start:post_end], view.text[post_end : post_end + 60]
                opens = start == post_start
                if not names_nobody(post, after, opens=opens) and not addressed(
                    view.text[max(0, start - 20) : start]
                ):
                    mentions.append((start, end, "named_person", 0))
                    posts_at.add(start)
            for start, end, name_start, _name_end in self.titled.group_spans(view.target, 1):
                original = view.to_original(name_start, name_start + 1)
                if original[1] > original[0] and doc.original[original[0]].isupper():
                    mentions.append((start, end, "named_person", 0))
            if self.roles is not None:
                mentions.extend(
                    (s, e, "role_criticism", -1) for s, e in self.roles.spans(view.target)
                )
            for start, end, label, delta in mentions:
                original = view.to_original(start, end)
                if reported_or_quoted(doc.original, *original):
                    # Reporting abuse aimed at a person is not criticising them.
                    continue
                if self.allegations:
                    # An allegation is about the person it names: same sentence or the next,
                    # and not asked as a question.
                    left, right = sentence_and_next(view.text, start, end)
                    if not self.negative.search_in(view.target, left, right) or (
                        self.question.search(Target(view.text[end:]))
                    ):
                        continue
                    findings.append(Finding(*view.to_original(start, end), "allegation", delta))
                    continue
                if len(view.text) <= _SHORT_COMMENT:
                    left, right = 0, len(view.text)
                else:
                    left, right = sentence_and_next(view.text, start, end)
                if start in posts_at:
                    # Asking about a post ("Who is the head of planning?") is not judging its
                    # holder: only criticism in the question itself counts.
                    sentence = sentence_around(view.text, start, end)
                    if view.text[sentence[0] : sentence[1]].rstrip().endswith("?"):
                        left, right = sentence
                if self.thanks.search_in(view.target, left, right):
                    left, right = word_window(view.text, start, end, _NEAR_WORDS, left, right)
                if not self.negative.search_in(view.target, left, right):
                    continue
                findings.append(Finding(*view.to_original(start, end), label, delta))
        return findings


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> StaffCriticismMatcher:
    """A staff-criticism matcher from a rule's parameters and the organisation settings."""
    names, posts = staff_names_and_roles(settings)
    names += string_list(params, "staff_names")
    return StaffCriticismMatcher(
        names,
        posts=posts,
        include_roles=params.get("include_roles", False),
        allegations=params.get("allegations", False),
    )


DETECTOR = DetectorType(
    name="staff_criticism",
    description="Criticism of named staff, councillors, members or volunteers.",
    params={"include_roles": is_bool, "staff_names": is_string_list, "allegations": is_bool},
    build=build,
)
