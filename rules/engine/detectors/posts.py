"""Posts only one person holds: naming the post names the person ("the provost is a disgrace",
"our chairman never answers", "the head of parking services is a joke").

Read by the staff-criticism rule and by the learned stage's masks (``<staff>``), so both see the
same people. Two sources:

* ``GENERAL_POSTS``: single-holder posts of UK public bodies (leader of the council, chief
  executive, mayor, provost, chair of the council, the clerk, the police and crime
  commissioner, chief constable, chief fire officer, convener, monitoring officer, director or
  head of a service …);
* the organisation's own roles, from its staff entries (``{"name": ..., "role": ...}``) or
  ``staff_roles`` (``role_phrases``): "Station Manager, Brockholme" gives "station manager".

A post names someone only after a determiner ("the", "our", "your" …, with at most one word
between: "our useless council leader") or at the start of the comment ("Chief exec on 200k
while bins rot"), so "Thames Water's CEO" does not. It names nobody when followed by "of"
something that is not a council's ("the CEO of Thames Water", "the leader of the Labour
party", "the Mayor of London"; "the Mayor of Drumcallan" is named) or when the post is a
possessive before a thing named after it ("the mayor's fund", "the provost's parlour"). "The
council" or "the planners" in general is not a person, and the chair one sits on is not a
post: only chairman, chairwoman, chairperson or chair *of* a council, committee or authority.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rules.engine.detectors.base import word_set

DETERMINERS = frozenset({"the", "our", "your", "their", "this", "that", "ur", "yer", "yr"})
# One word a writer may put between the determiner and the post.
QUALIFIERS = word_set(
    """
    council council's councils town parish city county district borough new current former
    acting interim deputy depute useless incompetent overpaid hopeless clueless pathetic
    lazy arrogant inept esteemed beloved illustrious glorious great so-called unelected
    absent
    """
)
_DETERMINER = r"(?:" + "|".join(sorted(DETERMINERS)) + r")"
_QUALIFIER = r"(?:" + "|".join(re.escape(word) for word in sorted(QUALIFIERS)) + r")"

# What a director or head is the director or head of: a service, not hair, a table or state.
_SERVICE = (
    r"(?:[a-z'&-]+\s+){0,3}(?:services?|department|directorate|team|unit|section|planning|"
    r"highways|housing|waste|parking|finance|legal|law|education|communications|comms|"
    r"customer|environment|environmental|leisure|regeneration|place|health|children's|"
    r"childrens|children|adults?|social|care|transport|roads|parks|libraries|hr|it|digital|"
    r"revenues?|benefits|property|estates|prevention|protection|operations|neighbourhoods?|"
    r"streetscene|recycling|culture|resources|governance|democratic|growth|economy|"
    r"development|communities|community|safety|schools|send|inclusion|fleet|policing|"
    r"enforcement|licensing|bereavement|cemeteries|facilities|infrastructure|maintenance|"
    r"strategy|policy|procurement|audit|public)\b"
)
# Each a run of lower-case words on the engine's words view (the same on the masks' tokens).
GENERAL_POSTS = (
    r"leader\s+of\s+(?:the\s+)?(?:[a-z'-]+\s+)?council",
    r"(?:council\s+)?leader",
    r"chief\s+exec(?:utive)?|ceo",
    r"(?:lord\s+|town\s+|city\s+)?mayor",
    r"(?:lord\s+)?provost",
    r"chair(?:man|woman|person)?\s+of\s+(?:the\s+)?(?:[a-z'-]+\s+){0,3}?(?:council|committee|"
    r"authority|panel)",
    r"chair(?:man|woman|person)",
    r"(?:town\s+|parish\s+|city\s+|council\s+)?clerk",
    r"police\s+(?:and|&)\s+crime\s+commissioner|pcc|commissioner",
    r"chief\s+constable",
    r"chief\s+(?:[a-z]+\s+){0,2}officer",
    r"(?:council\s+)?conven[eo]r",
    r"monitoring\s+officer",
    r"(?:corporate\s+|executive\s+|strategic\s+|assistant\s+)?director\s+of\s+" + _SERVICE,
    r"head\s+of\s+" + _SERVICE,
)
# "the mayor's fund": a thing named after the post, not its holder.
_NAMED_AFTER = re.compile(
    r"^(?:'s|s'|’s)\s+(?:fund|funds|appeal|charity|charities|parlour|office|show|ball|"
    r"parade|awards?|cup|trophy|trust|banquet|reception|chain|garden|christmas|carol|"
    r"tea|fair|gala|civic|sunday|dinner|concert|walk|challenge|lunch|quiz|report|"
    r"newsletter|blog|column|page|account|website|diary)\b"
)
# "the CEO of Thames Water": a post of another body. Of a council's: named.
_OF_ANOTHER = re.compile(r"^\s+of\s+")
_OF_OURS = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?(?:council|authority|committee|panel|parish|"
    r"borough|county|district|town|city|fire|police|cabinet)\b"
)
# "The Mayor of Drumcallan", "the Leader of Trentshire": the place's own; the mayors of
# combined authorities, party leaders and the opposition's are not a council's.
_CIVIC_HEAD = re.compile(r"(?:lord\s+|town\s+|city\s+)?(?:mayor|provost|leader)$")
_NOT_A_COUNCILS = re.compile(
    r"^\s+of\s+(?:the\s+)?(?:greater\s+)?(?:london|manchester|west\s+midlands|"
    r"west\s+yorkshire|south\s+yorkshire|liverpool|tees\s+valley|west\s+of\s+england|"
    r"north\s+east|east\s+midlands|york\s+and\s+north\s+yorkshire|cambridgeshire|"
    r"opposition|house|country|nation|uk|britain|labour|conservatives?|tory|tories|lib\s+dems|"
    r"liberal\s+democrats|reform|greens?|green\s+party|snp|plaid|party|free\s+world)\b"
)
# Writing to or asking a post-holder ("a formal complaint to the PCC about the force", "ask
# the clerk") is not criticising them, whatever else the comment criticises.
_ADDRESSED = re.compile(
    r"(?:\bto|\bask(?:ed|ing)?|\bcontact(?:ed|ing)?|\be-?mail(?:ed|ing)?|\bcc|\bcopying\s+in)"
    r"\s+$"
)
# The last word of a role many people hold: "Ward Councillor" names nobody in particular.
_SHARED_ROLES = frozenset(
    {"councillor", "councilor", "cllr", "volunteer", "firefighter", "crew", "member", "chair"}
)
# A role names a post-holder when it has one of these words ("Station Manager"); a place or
# a body after a comma ("Brockholme", "OPCC") does not.
_ROLE_NOUNS = word_set(
    """
    clerk executive leader mayor provost convener convenor chair chairman chairwoman
    chairperson commissioner constable officer manager head director member holder lead
    warden lengthsman groundsman caretaker coordinator advocate ranger harbourmaster master
    adviser advisor commander secretary treasurer rfo cadeirydd superintendent inspector
    supervisor administrator controller
    """
)
_TITLE_PARTS = frozenset({"cllr", "councillor", "dr", "mr", "mrs", "ms", "miss", "mx", "sir"})
_PARENTHESES = re.compile(r"\([^)]*\)")
_ROLE_WORD = re.compile(r"[a-z0-9][a-z0-9'&-]*")


def role_phrases(role: str) -> list[str]:
    """The posts a staff entry's ``role`` names, lower case: "Cllr, Leader of the Council" ->
    ["leader of the council"]; "Station Manager, Brockholme" -> ["station manager"]; "Ward
    Councillor, Holmsike" -> [] (many hold it)."""
    found: list[str] = []
    for part in re.split(r"[,/;]", _PARENTHESES.sub(" ", role.lower().replace("’", "'"))):
        words = _ROLE_WORD.findall(part)
        while words and words[0] in _TITLE_PARTS and len(words) > 1:
            words = words[1:]
        if not words or words[-1] in _SHARED_ROLES or words == ["cllr"]:
            continue
        if not _ROLE_NOUNS.intersection(words) or len(" ".join(words)) < 4:
            continue
        phrase = " ".join(words)
        if phrase not in found:
            found.append(phrase)
    return found


def roles_of(entries: Iterable[str]) -> list[str]:
    """Every post the given roles name, once each, in order."""
    found: dict[str, None] = {}
    for role in entries:
        for phrase in role_phrases(role):
            found.setdefault(phrase, None)
    return list(found)


def posts_source(roles: Sequence[str] = ()) -> str:
    """An alternation (RE2 and Python ``re`` alike) of the organisation's roles, longest
    first, then the general posts; it matches lower-case words, with no determiner."""
    own = [r"\s+".join(re.escape(word) for word in role.split()) for role in roles]
    own.sort(key=len, reverse=True)
    return "(?:" + "|".join([*own, *GENERAL_POSTS]) + r")\b"


def mention_source(roles: Sequence[str] = ()) -> str:
    """A determiner, at most one word, and a post (group 1): "the chief exec", "our useless
    council leader"; or a post that opens the comment ("Director of Children's Services:
    please explain …"; see ``names_nobody``)."""
    return rf"(?:^|\b{_DETERMINER}\s+(?:{_QUALIFIER}\s+)?)({posts_source(roles)})"


def names_nobody(post: str, after: str, *, opens: bool = False) -> bool:
    """Whether what follows a post (``after``, lower case) shows it is not its holder being
    named: a thing named after the post, or another body's post. A post that ``opens`` the
    comment with no determiner names someone only in two words or more ("Chief exec on 200k";
    "Clerk pay is awful" is about clerks)."""
    if opens and len(post.split()) < 2:
        return True
    if _NAMED_AFTER.match(after):
        return True
    if not _OF_ANOTHER.match(after) or _OF_OURS.match(after):
        return False
    return not _CIVIC_HEAD.search(post) or bool(_NOT_A_COUNCILS.match(after))


def addressed(before: str) -> bool:
    """Whether the words before a post's determiner (``before``, lower case) write to or ask
    its holder."""
    return bool(_ADDRESSED.search(before))
