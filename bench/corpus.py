"""A realistic corpus of comments on a council's social-media posts, generated from a seed.

Comments are 5–80 words about what councils post about (bins, roads, parking, planning,
libraries, schools, council tax, events, parks, buses, housing, care) in residents' voices.
About 20% carry something the policy forbids or routes: swearing (some of it disguised),
insults, threats, personal data, advertising, shortened or phishing links, party politics,
FOI / subject-access / complaint requests, criticism of named staff, hate (rare),
impersonation is left out (it needs an author, not text). Each comment records what was put
in it (``planted``), so throughput and agreement figures can be broken down.

The same seed always gives the same corpus (the generator uses only ``random.Random``).

    python -m bench.corpus --count 20000 --seed 1 > corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass

TOPICS: dict[str, list[str]] = {
    "bins": [
        "my bins were not collected again this week",
        "the recycling lorry missed our road on Tuesday",
        "why has the garden waste collection been cancelled",
        "can you tell me when the brown bin service restarts",
        "the new bin collection calendar is really confusing",
        "our street has had overflowing bins for a fortnight",
        "the bin men were brilliant this morning",
        "is glass still collected in the green box",
    ],
    "roads": [
        "the potholes on Station Road are getting worse",
        "there is a huge pothole outside the school gates",
        "the streetlight on Elm Close has been out for a month",
        "when will the roadworks on the high street finish",
        "the gritters did not come down our hill last night",
        "the temporary traffic lights are causing long queues",
        "can we have a zebra crossing near the park",
        "the pavement on Mill Lane is dangerous for wheelchairs",
    ],
    "parking": [
        "the new parking charges will kill the town centre",
        "people keep parking on the double yellows outside my house",
        "residents permits cost far too much now",
        "the car park machine only takes coins",
        "why are wardens ticketing people at the hospital",
        "there is never any disabled parking at the library",
    ],
    "planning": [
        "the plans for four hundred houses on the green belt are a mistake",
        "erection of a two storey side extension should be refused",
        "who approved the phone mast next to the primary school",
        "the consultation on the local plan closes on Friday",
        "where can I see the drawings for the new supermarket",
        "the new flats will block all the light to our gardens",
    ],
    "libraries": [
        "please do not close the village library",
        "the library staff are so helpful with the computers",
        "can you extend the opening hours on Saturdays",
        "the children's story time was lovely today",
        "will the mobile library still visit our village",
    ],
    "tax": [
        "council tax has gone up again and services are worse",
        "how do I apply for the single person discount",
        "I have been charged twice for council tax this month",
        "where does all our council tax actually go",
        "the direct debit date changed without any warning",
    ],
    "events": [
        "the fireworks display was fantastic this year",
        "is the Christmas market going ahead this weekend",
        "what time does the summer fete start on Sunday",
        "the remembrance parade was very moving",
        "can dogs come to the food festival in the park",
    ],
    "parks": [
        "the play area in the park needs new swings",
        "there is broken glass all over the skate park",
        "the flowers in the memorial garden look beautiful",
        "dog fouling on the playing fields is disgusting",
        "the weeds on the pavements are out of control",
        "please fix the gate on the allotments",
    ],
    "buses": [
        "the number 42 bus never turns up on time",
        "cutting the evening buses leaves people stranded",
        "the new bus shelter has no seat",
        "older people rely on the village bus service",
    ],
    "housing": [
        "we have been on the housing list for three years",
        "there is damp and mould in our council flat",
        "the repairs team still has not fixed our boiler",
        "homeless people need more than a hotel room",
    ],
    "care": [
        "my mum waited six weeks for a care assessment",
        "the day centre is a lifeline for my dad",
        "thank you to the carers who visit every morning",
        "blue badge renewals are taking months",
    ],
    "schools": [
        "school places in our area are impossible to get",
        "the school crossing patrol lady is a star",
        "why is the school bus being cut",
        "the new school uniform policy costs parents a fortune",
    ],
}
OPENERS = [
    "",
    "",
    "",
    "Hi,",
    "Hello,",
    "Morning,",
    "Honestly,",
    "Just to say,",
    "Not being funny but",
    "Quick question,",
    "As a resident of 30 years,",
    "Can someone explain why",
]
FOLLOW_UPS = [
    "It has been like this for weeks.",
    "I have reported it twice already.",
    "Nobody seems to care.",
    "Please sort it out.",
    "Thanks for the update.",
    "Great work everyone.",
    "This is not good enough.",
    "My neighbours all agree.",
    "When will someone look at it?",
    "Absolutely ridiculous.",
    "Really pleased with this.",
    "Any update would be appreciated.",
    "It is a safety issue.",
    "We pay enough council tax.",
    "Other councils manage it fine.",
    "Keep up the good work.",
    "I have lived here twenty years and never seen it this bad.",
    "The kids walk past it every day.",
    "Could you pass this on to the right team please?",
    "The website says one thing and the phone line says another.",
]
EMOJI = ["", "", "", " 👍", " 😡", " 🙄", " ❤️", " 👏", " 😂"]

SWEARS = ["fuck", "fucking", "shit", "bullshit", "bastard", "arse", "arsehole", "wanker", "twat"]
DISGUISES: list[Callable[[str], str]] = [
    lambda word: word[0] + "*" + word[2:],
    lambda word: word.replace("i", "1").replace("a", "4").replace("s", "$"),
    lambda word: " ".join(word),
    lambda word: "\u200b".join(word),
    lambda word: "".join(chr(ord(c) + 0xFEE0) for c in word),
    lambda word: word[:2] + word[1] * 3 + word[2:],
]
INSULTS = [
    "you muppets at the council",
    "what a bunch of clowns",
    "absolute numpties running this place",
    "the councillors are idiots",
]
THREATS = [
    "I know where you live",
    "someone should sort the councillors out properly",
    "you'll regret this decision",
    "I'll burn the council offices down if this goes ahead",
    "watch your back",
]
PERSONAL = [
    "call me on 07700 900{n:03d}",
    "my email is jo.bloggs{n}@example.com",
    "I live at {n} Station Road, AB1 2CD",
    "ring 01632 960{n:03d} after six",
    "our postcode is ZZ{n} 9ZZ",
]
ADVERTS = [
    "Check out my channel for more local videos",
    "I earn £500 a day working from home, DM me for info",
    "Bitcoin investment with Mrs Anne changed my life",
    "Win an iPhone today, link in my bio",
    "We buy any car for cash, call now",
]
LINKS = [
    "see bit.ly/3{n}xyz",
    "more at tinyurl.com/council{n}",
    "claim at http://hmrc-refund.co/claim{n}",
    "log in at g0v.uk/pay{n}",
    "download https://files.example.net/update{n}.exe",
]
GOOD_LINKS = [
    "see https://www.exampleshire.gov.uk/bins",
    "details at www.gov.uk/council-tax",
    "book at https://www.nhs.uk/service-search",
]
POLITICS = [
    "Vote Labour on Thursday",
    "The Tories have ruined this town",
    "Reform are the only ones who'll sort this out",
    "Get rid of the Lib Dems at the next election",
    "Take back control!",
]
REQUESTS = [
    ("foi_request", "Under the Freedom of Information Act please tell me how much was spent"),
    ("foi_request", "This is an FOI request for the gritting budget for 2024"),
    ("subject_access_request", "Please send me all the personal data you hold about me"),
    ("complaint", "I want to make a formal complaint about how this was handled"),
    ("complaint", "I wish to complain about the state of the park"),
]
STAFF = [
    "Cllr Smith is useless and should resign",
    "Jane Smith in planning is a disgrace",
    "the clerk is an absolute joke",
]
HATE = [
    "send them all back to their own country",
    "immigrants are vermin",
]

# What is planted, and how often, among the ~20% of comments that carry something.
PLANTS: list[tuple[str, float]] = [
    ("abuse", 0.22),
    ("abuse_disguised", 0.06),
    ("insult", 0.06),
    ("harassment", 0.05),
    ("personal_data", 0.14),
    ("spam", 0.10),
    ("link", 0.08),
    ("political", 0.10),
    ("request", 0.10),
    ("staff_criticism", 0.06),
    ("hate", 0.02),
]
PLANT_CATEGORY = {
    "abuse": "abuse",
    "abuse_disguised": "abuse",
    "insult": "abuse",
    "harassment": "harassment",
    "personal_data": "personal_data",
    "spam": "spam",
    "political": "political",
    "staff_criticism": "staff_criticism",
    "hate": "hate",
}


@dataclass(frozen=True)
class Comment:
    """One generated comment and what was planted in it."""

    id: int
    author: str
    text: str
    planted: str
    categories: tuple[str, ...]


_QUESTION_WORDS = ("why", "when", "can", "is", "where", "who", "how", "what", "will", "could")


def _sentence(rng: random.Random) -> str:
    topic = rng.choice(list(TOPICS))
    text = rng.choice(TOPICS[topic])
    ending = "?" if text.startswith(_QUESTION_WORDS) else rng.choice([".", ".", "!", "..."])
    return text[0].upper() + text[1:] + ending


def _clean(rng: random.Random, words: int) -> list[str]:
    parts = [rng.choice(OPENERS), _sentence(rng)]
    while sum(len(part.split()) for part in parts) < words:
        parts.append(rng.choice(FOLLOW_UPS) if rng.random() < 0.6 else _sentence(rng))
    return [part for part in parts if part]


def _plant(rng: random.Random, kind: str, number: int) -> tuple[str, tuple[str, ...]]:
    if kind == "abuse":
        return f"This is {rng.choice(SWEARS)} ridiculous.", ("abuse",)
    if kind == "abuse_disguised":
        return f"What a {rng.choice(DISGUISES)(rng.choice(SWEARS))} joke.", ("abuse",)
    if kind == "insult":
        return rng.choice(INSULTS).capitalize() + ".", ("abuse",)
    if kind == "harassment":
        return rng.choice(THREATS).capitalize() + ".", ("harassment",)
    if kind == "personal_data":
        return rng.choice(PERSONAL).format(n=number % 1000).capitalize() + ".", ("personal_data",)
    if kind == "spam":
        return rng.choice(ADVERTS) + ".", ("spam",)
    if kind == "link":
        link = rng.choice(LINKS).format(n=number % 100)
        category = "spam" if ("bit.ly" in link or "tinyurl" in link) else "malicious_link"
        return link.capitalize() + " ", (category,)
    if kind == "political":
        return rng.choice(POLITICS), ("political",)
    if kind == "request":
        category, text = rng.choice(REQUESTS)
        return text + ".", (category,)
    if kind == "staff_criticism":
        return rng.choice(STAFF).capitalize() + ".", ("staff_criticism",)
    return rng.choice(HATE).capitalize() + ".", ("hate",)


def generate(count: int, seed: int = 1, rate: float = 0.2) -> list[Comment]:
    """``count`` comments; about ``rate`` of them carry something to find."""
    rng = random.Random(seed)
    kinds, weights = zip(*PLANTS, strict=True)
    comments = []
    for number in range(count):
        words = min(68, max(5, int(rng.lognormvariate(3.0, 0.6))))
        parts = _clean(rng, words)
        planted = ""
        categories: tuple[str, ...] = ()
        if rng.random() < rate:
            planted = rng.choices(kinds, weights)[0]
            sentence, categories = _plant(rng, planted, number)
            parts.insert(rng.randint(0, len(parts)), sentence)
        elif rng.random() < 0.03:
            parts.append(rng.choice(GOOD_LINKS))
        text = " ".join(parts) + rng.choice(EMOJI)
        words_in_text = text.split()
        if len(words_in_text) > 80:
            text = " ".join(words_in_text[:80])
        author = f"resident{rng.randint(1, max(2, count // 3))}"
        comments.append(Comment(number, author, text, planted, categories))
    return comments


def main(argv: list[str] | None = None) -> None:
    """Write a corpus as JSON Lines to standard output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=0.2, help="share with something to find")
    args = parser.parse_args(argv)
    for comment in generate(args.count, args.seed, args.rate):
        sys.stdout.write(json.dumps(asdict(comment), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
