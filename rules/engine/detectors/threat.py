"""Threats, stalking, doxxing intent, incitement and intimidation (category harassment).

The policies forbid "threatening, bullying, stalking, harassing, intimidating … or using fear
or threat to silence another person's voice". Words alone do not make a threat ("the potholes
will kill someone", "I'd kill for a bin collection"), so every phrase here needs a speaker,
an act and a target: "I'll kill you", "someone should shoot him", "I know where you live",
"post her home address", "you'll regret this".

Sub-labels and grading (the rule's severity minus the delta):

* ``threat`` (0): violence against a person or a place; ``stalking`` (0): knowing where
  someone lives or works, waiting for them; ``doxxing`` (0): intent to publish someone's
  address or details; ``incitement`` (0): telling someone to harm themselves or others.
* ``wish_harm`` (-1): hoping someone dies or suffers; ``intimidation`` (-1): "you'll regret
  this", "last warning", "pay you a visit"; ``pile_on`` (-1): rallying others against a person.
* ``bullying`` (-2): "nobody likes you", "crawl back under your rock".

Matching is on the words views, so "k1ll", "k i l l" and "I’ll" are all seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.engine.detectors.base import DetectorType, Phrase, PhraseSet, is_subset
from rules.engine.document import Document
from rules.engine.types import Context, Finding

_S = r"\s+"
_I_WILL = (
    r"\b(?:i|we|me and (?:the lads|my mates|the boys))\s*"
    r"(?:'?ll|will|shall|'?d|would|am going to|are going to|'m going to|'re going to|m going to|"
    r"am gonna|are gonna|'m gonna|'re gonna|m gonna|gonna|gunna|swear i'?ll|swear i will|"
    r"will personally|'?ll personally|want to|wanna|could happily|would happily|would gladly)"
)
_TARGET = (
    r"(?:you|u|ya|yer|ye|him|her|them|'?em|yourself|yourselves|"
    r"the lot of (?:you|them)|all of (?:you|them)|every (?:one|last one) of (?:you|them)|"
    r"(?:your|ur|his|her|their) (?:family|families|kids|children|wife|husband|mum|dad|"
    r"staff|dog|face|head|legs|neck)|"
    r"(?:the|that|this|every|each) (?:councillors?|cllrs?|officers?|staff|clerk|mayor|leader|"
    r"planners?|wardens?|bin ?m[ae]n|inspector|receptionist|social worker))\b"
)
# Violence that needs no more than a target: "I'll stab you", "someone should shoot him".
_VIOLENCE = (
    r"(?:kill|murder|stab|shoot|hurt|batter|beat|punch|slap|strangle|choke|glass|knife|gut|"
    r"slit|lynch|rape|headbutt|maim|smash|kick|bury|end|do in|take out|run over|blow up|"
    r"beat up|sort out|deck|bottle|torture|set fire to|firebomb|petrol bomb)"
)
# Words that may come between the act and the target: "beat the shit out of you".
_BETWEEN = (
    r"(?:(?:the )?(?:shit|crap|hell|living daylights|life) out of |"
    r"f[a-z*]*ing |bloody |personally |)"
)
_PLACE = (
    r"(?:house|home|office|offices|council|building|town hall|civic cent(?:re|er)|depot|car|"
    r"place|school|mosque|church|synagogue|temple|gurdwara|hotel|shop|flat)"
)

PHRASES: tuple[Phrase, ...] = (
    # Violence promised by the speaker.
    Phrase("threat", _I_WILL + _S + r"(?:[a-z*]+ ){0,2}?" + _VIOLENCE + _S + _BETWEEN + _TARGET),
    Phrase(
        "threat",
        _I_WILL + r"\s+(?:find|hunt down|track down|come for|come after)\s+" + _TARGET,
    ),
    # "I'll get you" is a threat only with its ending: "I'll get you the form" is help.
    Phrase("threat", _I_WILL + r"\s+get\s+" + _TARGET + r"\s+(?:for this|for that|back)\b"),
    Phrase(
        "threat",
        r"\b(?:break|smash|kick) (?:your|ur|his|her|their) (?:legs|neck|jaw|nose|face|teeth|"
        r"head|arms|skull)(?: in)?\b",
    ),
    Phrase(
        "threat",
        r"\b(?:burn|torch|firebomb|petrol bomb|bomb|blow up)\s+(?:down\s+)?"
        r"(?:the|your|ur|his|her|their|this|that)\s+(?:[a-z]+\s+)?" + _PLACE + r"\b",
    ),
    Phrase("threat", r"\b(?:put|shoot|stick) (?:a|one) bullet (?:in|through|into)\b"),
    Phrase(
        "threat",
        r"\b(?:string (?:them|him|her|'?em) up|hang (?:them|him|her|'?em) from|"
        r"line (?:them|'?em) (?:all )?up (?:against a wall|and shoot))\b",
    ),
    Phrase(
        "threat",
        r"\b(?:you'?re|you are|ur|youre|he'?s|she'?s|they'?re)\s+(?:a\s+)?(?:dead|dead man|"
        r"dead meat|dead woman|next|gonna get it|going to get it)\b(?:\s+(?:walking|mate|pal))?",
    ),
    Phrase("threat", r"\b(?:your|ur|yer) (?:days are numbered|card is marked|time is coming)\b"),
    Phrase("threat", r"\bwatch (?:your|ur|yer) back\b"),
    # Others urged to violence, or harm wished on someone.
    Phrase(
        "incitement",
        r"\b(?:someone|somebody|people|they|you|we|i|u)\s+(?:should|ought to|needs? to|"
        r"wants? to|gonna|are going to|is going to|will|could)\s+(?:just\s+)?"
        + _VIOLENCE
        + _S
        + _BETWEEN
        + _TARGET,
    ),
    Phrase(
        "incitement",
        r"\b(?:should|ought to|needs? to|deserves? to)\s+be\s+(?:shot|hanged|lynched|killed|"
        r"put down|stabbed|shot dead|gassed|exterminated|tortured|raped|beaten up|"
        r"beaten to death|burn(?:ed|t) alive|burn(?:ed|t) at the stake|strung up|"
        r"put (?:up )?against a wall|hung,? drawn and quartered)\b",
    ),
    Phrase(
        "incitement",
        r"\bdeserves?\s+(?:to die|a bullet|a kicking|a good kicking|a beating|a good hiding)\b",
    ),
    Phrase(
        "incitement",
        r"\b(?:(?:kill|hang|neck|end|off) (?:yo)?urself|kys|go (?:and )?die|"
        r"die in a (?:fire|hole|ditch|car crash)|"
        r"(?:go|just|pls|please|you should|u should|why don'?t you) (?:drink bleach|"
        r"jump off (?:a|the) (?:bridge|cliff|building|roof)))\b",
    ),
    Phrase(
        "wish_harm",
        r"\b(?:hope|wish|pray)(?:\s+that)?\s+(?:you|u|he|she|they|your [a-z]+|the [a-z]+)\s+"
        r"(?:[a-z]+\s+){0,2}?(?:die|dies|died|dying|get killed|gets killed|get shot|gets shot|"
        r"get stabbed|gets stabbed|get cancer|gets cancer|get run over|gets run over|burn|"
        r"burns|rot|rots|suffer|suffers|drop dead|drops dead|choke|chokes)\b",
        -1,
    ),
    Phrase("wish_harm", r"\b(?:rot|burn) in hell\b", -1),
    # Stalking and doxxing.
    Phrase(
        "stalking",
        r"\b(?:i|we)\s+know\s+where\s+(?:you|u|ya|he|she|they|your [a-z]+|his [a-z]+|"
        r"her [a-z]+)\s+(?:live|lives|work|works|sleep|sleeps|park|parks|go|goes|drink|drinks|"
        r"shop|shops|stay|stays)\b",
    ),
    Phrase(
        "stalking",
        r"\b(?:i|we)(?:\s+know|'?ve\s+got|\s+have\s+got|\s+got)\s+(?:your|ur|his|her|their)\s+"
        r"(?:home\s+)?(?:address|kids|children|wife|husband|car reg|reg|registration|"
        r"number plate|school run)\b",
    ),
    Phrase(
        "stalking",
        r"\b(?:i|we)\s*(?:'?ll|will)\s+be\s+waiting\s+(?:for\s+(?:you|u|him|her|them)|outside)\b",
    ),
    Phrase(
        "doxxing",
        r"\b(?:post|share|publish|leak|spread|reveal|dox|doxx|expose|put up|put out|find out|"
        r"dig up|track down)(?:ing|ed|s)?\s+(?:his|her|their|your|ur|the\s+(?:councillor|"
        r"officer|clerk|planner|warden)'?s?)\s+(?:home\s+|private\s+|personal\s+)?"
        r"(?:address(?:es)?|phone numbers?|mobile numbers?|numbers?|details|kids'? school|"
        r"workplace|family)\b",
    ),
    Phrase(
        "doxxing",
        r"\bfind out where (?:he|she|they|you|this [a-z]+|that [a-z]+) (?:lives?|works?)\b",
    ),
    # Intimidation and rallying others.
    Phrase(
        "intimidation",
        r"\b(?:you|u|he|she|they)\s*(?:'?ll|will|are going to|'re going to|is going to|"
        r"are gonna|'re gonna)\s+(?:pay for (?:this|that|it)|regret (?:this|that|it|saying|"
        r"posting|writing|the day)|be sorry)\b",
        -1,
    ),
    Phrase("intimidation", r"\b(?:last|final) warning\b", -1),
    Phrase(
        "intimidation",
        r"\b(?:shut up|shut it|keep quiet|delete (?:this|that|it)|take (?:this|that|it) down|"
        r"back off)\s+or\s+(?:else|you'?ll|i'?ll|we'?ll)\b",
        -1,
    ),
    Phrase(
        "intimidation",
        r"\b(?:you'?d|you had|you|u)\s+better\s+watch\s+(?:yourself|out|it|your step)\b",
        -1,
    ),
    Phrase("intimidation", r"\bbe careful what (?:you|u) (?:say|post|write)\b", -1),
    Phrase(
        "intimidation",
        r"\b(?:pay|paying)\s+(?:you|u|him|her|them)\s+a\s+(?:little\s+)?visit\b"
        r"|\b(?:go|going|turn up|turning up)\s+round\s+(?:to\s+)?(?:his|her|their|your)\s+"
        r"(?:house|home|place|address)\b",
        -1,
    ),
    Phrase(
        "intimidation",
        r"\b(?:you'?ll|you will|he'?ll|she'?ll)\s+never\s+work\s+(?:in this town\s+)?again\b",
        -1,
    ),
    Phrase(
        "pile_on",
        r"\b(?:everyone|everybody|let'?s all|lets all|we should all)\s+(?:go\s+)?(?:message|msg|"
        r"dm|inbox|flood|bombard|spam|hound|target)\s+(?:him|her|them|his|her|their)\b",
        -1,
    ),
    # Veiled threats and intimidation in everyday British idiom.
    Phrase(
        "threat",
        r"\b(?:teach|taught|teaching)\s+(?:you|u|him|her|them|'?em|the\s+[a-z]+)\s+a\s+lesson\b|"
        r"\btaken?\s+round\s+the\s+back\b|\b(?:leave|leaving|go\s+home|end\s+up|ends?\s+up)\s+"
        r"in\s+(?:an?\s+)?(?:ambulance|body\s*bag|box|coffin|wheelchair|hospital)\b|"
        r"\b(?:better|should)\s+lock\s+(?:your|ur|their|his|her)\s+doors?\b",
    ),
    Phrase(
        "threat",
        r"\b(?:set\s+fire\s+to|burn\s+down|torch|firebomb|petrol\s+bomb)\s+(?:the|your|ur|his|"
        r"her|their|this|that)\s+(?:[a-z]+\s+)?" + _PLACE + r"\b",
    ),
    Phrase(
        "intimidation",
        r"\bkeep\s+(?:[a-z']+\s+){0,2}?[a-z]+ing\b[^.!?\n]{0,60}?\b(?:and|or)\s+(?:i'?ll|i\s+will|"
        r"we'?ll|we\s+will|you'?ll|see\s+what\s+happens)\b|\bsee\s+what\s+happens\s+"
        r"(?:next|then|after)\b|\bat\s+(?:your|ur)\s+(?:peril|own\s+risk)\b",
        -1,
    ),
    Phrase(
        "intimidation",
        r"\b(?:i'?m|i\s+am|i'?ll|i\s+will|we'?ll|we\s+will|we'?re|we\s+are|i'?ve|i\s+have)\s+"
        r"(?:[a-z]+\s+)?(?:send|sending|sent|report|reporting|forward|forwarding|tell|telling|"
        r"contact|contacting)\s+(?:[a-z']+\s+){0,3}?"
        r"(?:to\s+)?"
        r"(?:your|ur|his|her|their)\s+(?:employer|boss|work|workplace|manager|husband|wife)\b|"
        r"\bi'?ll\s+make\s+sure\s+(?:everyone|everybody|the\s+whole\s+[a-z]+)\s+knows?\b",
        -1,
    ),
    Phrase(
        "stalking",
        r"\b(?:i'?ve|i\s+have|we'?ve|we\s+have)\s+found\s+out\s+where\s+(?:you|u|he|she|they|"
        r"the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?:live|lives|work|works|park|parks|sleep|sleeps)\b|"
        r"\btell\s+(?:him|her|them)\s+to\s+be\s+careful\b|\b(?:i'?ll|i\s+will)\s+keep\s+"
        r"(?:messaging|calling|ringing|emailing|posting|texting|coming)\b|"
        r"\b(?:every|each)\s+(?:single\s+)?(?:post|comment|thing)\s+you\s+(?:make|write|post)\b"
        r"[^.!?\n]{0,40}\bi(?:'?ll|\s+will)\s+be\s+(?:here|there|watching)\b",
    ),
    Phrase(
        "pile_on",
        r"\b(?:we\s+should\s+all|let'?s\s+all|lets\s+all|everyone\s+should|everybody\s+should)\s+"
        r"(?:go\s+|turn\s+up\s+|pay\s+)?(?:at|to|round\s+to|a\s+visit\s+to)?\s*[a-z' ]{0,30}?"
        r"(?:house|home|door|address|doorstep|work)\b",
        -1,
    ),
    Phrase(
        "threat",
        r"\b(?:run|knock|mow)\s+(?:you|u|him|her|them|'?em)\s+(?:over|down)\b|"
        r"\b(?:you'?ll|you\s+will|he'?ll|she'?ll|they'?ll)\s+get\s+what'?s\s+coming\b|"
        r"\b(?:key|keying|scratch|smash|torch)\s+(?:the\s+[a-z]+'?s|his|her|their|your|ur)\s+"
        r"(?:car|van|windows?|house)\b|\bslash\s+(?:his|her|their|your|ur|the\s+[a-z]+'?s)\s+"
        r"tyres\b",
    ),
    Phrase(
        "stalking",
        r"\bi'?ll\s+be\s+(?:at|outside|round|waiting\s+at)\s+(?:your|ur|his|her)\s+"
        r"(?:house|home|door|work|office|flat)\b|\b(?:you'?d|you)\s+better\s+hope\s+i\s+"
        r"(?:don'?t|never)\s+(?:see|catch|find)\s+you\b",
    ),
    Phrase(
        "intimidation",
        r"\b(?:shut\s+(?:your|ur)\s+(?:mouth|face|gob|trap)|shut\s+it|shut\s+up)(?:\s+[a-z]+)?\s+"
        r"or\s+(?:i'?ll|we'?ll|else)\b|\bor\s+i'?ll\s+(?:shut|sort|deal\s+with)\s+(?:it|you|"
        r"him|her)\b",
        -1,
    ),
    # Bullying meant to silence or shame.
    Phrase(
        "bullying",
        r"\b(?:nobody|no one|no-one|noone)\s+(?:likes|wants|cares about|would miss|"
        r"listens to)\s+(?:you|u)\b",
        -2,
    ),
    Phrase("bullying", r"\b(?:everyone|everybody)\s+(?:hates|laughs at)\s+(?:you|u)\b", -2),
    Phrase(
        "bullying",
        r"\b(?:crawl|go hide|go and hide|slither)\s+back\s+(?:in|under|into)\s+(?:a|your)\s+"
        r"(?:hole|rock)\b|\bget back (?:in|to) (?:your|ur) (?:kitchen|box|cage)\b",
        -2,
    ),
)

LABELS = tuple(dict.fromkeys(phrase.label for phrase in PHRASES))


class ThreatMatcher:
    """Finds threatening phrases; ``labels`` limits which kinds count."""

    def __init__(self, labels: tuple[str, ...]) -> None:
        self.phrases = PhraseSet([phrase for phrase in PHRASES if phrase.label in labels])
        self.gates = (self.phrases.gate,)

    def find(self, doc: Document, context: Context) -> list[Finding]:
        """Every threatening phrase, graded by kind."""
        return self.phrases.find(doc)


def build(params: Mapping[str, Any], settings: Mapping[str, Any]) -> ThreatMatcher:
    """A threat matcher from a rule's parameters."""
    return ThreatMatcher(tuple(params.get("kinds", LABELS)))


DETECTOR = DetectorType(
    name="threat",
    description="Threats, stalking, doxxing intent, incitement, intimidation and bullying.",
    params={"kinds": is_subset(*LABELS)},
    build=build,
)
