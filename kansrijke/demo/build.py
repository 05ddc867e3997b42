"""Deterministic, fictitious national demo data for the Kansrijke Start Monitor.

``generate(config)`` is pure (no database): it returns one DataFrame per table,
with the schema's column names. ``build_demo(store, config)`` writes all those
frames in one transaction and marks the file as demo (meta ``demo``,
``demo_seed``, ``built_at``). ``rebuild_demo(path, config)`` replaces a filled
file: it builds the demo in a new file beside it and swaps that in, so a failed
rebuild leaves the old file as it was. (Deleting and re-inserting in one
transaction is not an option: DuckDB refuses to delete a parent row in the
transaction that deleted its children, duckdb/duckdb#13819.)

Rules (every number below is FICTITIOUS, only the national levels are real):

- Randomness comes only from ``numpy.random.default_rng`` seeded with
  ``config.demo.seed`` (one independent stream per part), and "today" is the
  fixed snapshot date ``DEMO_TODAY``: the same config always gives the same data.
- Municipalities are exactly ``reference.load_municipalities(config)`` (CBS
  list; the GIDS flag is the fictitious demo list from ``reference.gids``).
- Indicator values exist for every municipal indicator with a ``demo:`` block,
  every municipality and every year ``demo.first_year..demo.last_year``.
  The national path is ``niveau + trend * (year - jaar)`` (clipped to sensible
  bounds). A municipality's true rate is national x (1 + gradient x z), where z
  is a fixed score: more urban, a random deprivation part and GIDS push it up;
  the four biggest cities get child poverty of about 1.3-2x national. Rates are
  rescaled per year so that the denominator-weighted national mean is exactly
  the national path; the numerator is then Binomial(denominator, rate), so small
  municipalities jump more from year to year. Counts are whole numbers,
  0 <= numerator <= denominator, and the value is numerator/denominator x 100
  (``%``) or x 1000 (``per 1000``). ``levendgeborenen`` stores births as value
  and numerator with the population as denominator. Denominators: population
  (growing mildly per year), births (from the ``levendgeborenen`` path),
  girls 15-19 (~3%), minors (~19%), households with children (~18%).
- ``ja/nee`` indicators hold 1.0/0.0 without counts; the share of
  municipalities with "ja" follows the demo path, and once a municipality
  offers something it keeps it in later years.
- ``reference_date`` is 1 October of year + ``vertraging_jaren``; the last year
  is 'voorlopig', a deterministic handful (< 1%) 'herzien', the rest 'definitief'.
- National-only indicators (``NATIONAL_SERIES``) get a short series around
  their real national figure in ``national_values``, never municipal rows.
- About ``demo.share_without_coalition`` of municipalities have no coalition;
  the others are in exactly one. About ``demo.share_regional`` of coalitions are
  regional (2-5 neighbours, same province, by code). Ids are ``KS-<lead code>``.
  Phases 1..5 all occur (most in 3-4); earlier starts have later phases; the
  phase history starts at phase 1 on ``start_date``. The UI's default
  municipality (``ui.default_municipality``, Amsterdam GM0363) is a local
  coalition in phase 4 with the richest content and goals in every status.
- Phase >= 2: 2-4 ambitions and 1-3 self-scans. Phase >= 3: 1-3 goals per
  ambition (mostly on a municipal indicator, baseline = the coalition's pooled
  value in the baseline year, a target in the better direction chosen so that
  some goals are met, some on track and some behind) and 0-3 results per goal.
- Actions (ids 1..n) run from the start date to ``ACTIONS_UNTIL``; after
  ``DEMO_TODAY`` they are 'gepland'. Titles follow the Pharos support steps,
  the 10 leading principles and the interventions of the reference lists.
- People are roles, never names.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kansrijke.core import reference
from kansrijke.core.config import Config, Indicator
from kansrijke.core.reference import DEMO_TODAY, PARTNERS
from kansrijke.core.store import Store
from kansrijke.plan.progress import AANDACHT, ACHTER, BEHAALD, OP_KOERS, evaluate_goal

ACTIONS_UNTIL = dt.date(2026, 12, 31)
FIRST_START, LAST_START = dt.date(2018, 6, 1), dt.date(2024, 12, 31)

BIG_FOUR_Z = {"GM0363": 0.75, "GM0599": 1.1, "GM0518": 1.0, "GM0344": 0.7}  # Amsterdam, Rotterdam, Den Haag, Utrecht
SHOWCASE_START = dt.date(2019, 4, 15)
BIRTHS_INDICATOR = "levendgeborenen"
DEFAULT_BIRTH_RATE = 9.2  # per 1000 inhabitants, when the config has no births path
DENOMINATOR_SHARES = {"meisjes_15_19": 0.03, "minderjarigen": 0.19, "huishoudens_met_kinderen": 0.18}
SCALE = {"%": 100.0, "per 1000": 1000.0}  # "aantal": the demo level is per 1000 of the denominator
REVISED_SHARE = 0.004
NATIONAL_NOISE = 0.02  # relative year-to-year wobble of the national-only series
BASELINE_YEARS = range(2018, 2022)  # goals take their baseline from one of these years
MAX_TARGET_GAIN = 0.45  # a goal never aims at more than 45% improvement on its baseline

# National-only series: indicator -> yearly trend, step in years, first year, sample size (None = all births).
NATIONAL_SERIES = {
    "roken_zwangerschap": {"trend": -0.3, "step": 2, "first": None, "sample": 1884},
    "borstvoeding_start": {"trend": 0.5, "step": 1, "first": 2018, "sample": 2600},  # method break in 2018
    "perinatale_sterfte_28d": {"trend": -0.08, "step": 1, "first": None, "sample": None},
    "zuigelingensterfte": {"trend": -0.13, "step": 1, "first": None, "sample": None},
}

# Shares of phases 1..5 among coalitions led by a GIDS / other municipality.
PHASE_WEIGHTS = {True: [0.07, 0.14, 0.28, 0.33, 0.18], False: [0.16, 0.21, 0.27, 0.25, 0.11]}
START_WINDOWS = {
    1: (dt.date(2022, 1, 1), LAST_START),
    2: (dt.date(2020, 6, 1), dt.date(2024, 6, 30)),
    3: (dt.date(2019, 3, 1), dt.date(2023, 6, 30)),
    4: (dt.date(2018, 9, 1), dt.date(2022, 6, 30)),
    5: (FIRST_START, dt.date(2020, 3, 31)),
}
PHASE_NOTES = {
    1: "Oriëntatie: startfoto gemaakt, eerste gesprekken met partners",
    2: "Opbouw: coalitie gevormd, gezamenlijke ambitie vastgesteld",
    3: "Plan van aanpak: doelen, interventies en ketenafspraken vastgesteld",
    4: "Uitvoering: acties lopen en worden gevolgd",
    5: "Borging: structurele financiering en afspraken in het reguliere werk",
}
ACTIONS_PER_PHASE = {1: (10, 25), 2: (25, 45), 3: (45, 70), 4: (60, 80), 5: (65, 80)}
SHOWCASE_ACTIONS = 110
ACTION_GOAL_SHARE = 0.7  # share of a coalition's actions linked to one of its goals (when it has goals)

# How a partner type reads inside an action title.
PARTNER_SHORT = {
    "gemeente": "de gemeente",
    "jgz": "de JGZ",
    "ggd": "de GGD",
    "verloskundigen": "de verloskundigen",
    "kraamzorg": "de kraamzorg",
    "huisartsen": "de huisartsen",
    "ziekenhuis": "het ziekenhuis",
    "vsv": "het VSV",
    "pop_poli": "de POP-poli",
    "wijkteam": "het sociaal wijkteam",
    "maatschappelijk_werk": "welzijn en maatschappelijk werk",
    "schuldhulp": "schuldhulpverlening",
    "ggz": "de GGZ",
    "jeugdhulp": "jeugdhulp",
    "kinderopvang_onderwijs": "kinderopvang en onderwijs",
    "zorgverzekeraar": "de zorgverzekeraar",
    "informeel": "vrijwilligersorganisaties",
    "ouders": "ouders en sleutelfiguren",
}
TREKKER_ROLES = [
    "Beleidsadviseur publieke gezondheid gemeente {name}",
    "Beleidsadviseur jeugd gemeente {name}",
    "Programmamanager Kansrijke Start gemeente {name}",
    "Coördinator JGZ, namens gemeente {name}",
    "Adviseur gezondheidsbevordering GGD, voor gemeente {name}",
]
GENERIC_AREAS = ["Centrum", "Noord", "Oost", "Zuid", "West"]
SHOWCASE_AREAS = ["Zuidoost", "Nieuw-West", "Noord", "Oost", "West", "Zuid", "Centrum"]
PROFESSIONALS = [
    "verloskundigen",
    "kraamverzorgenden",
    "JGZ-verpleegkundigen",
    "wijkteammedewerkers",
    "huisartsen en POH's",
    "medewerkers kinderopvang",
]
TOPICS = [
    "de weg naar steun",
    "wat ouders nodig hebben rond de bevalling",
    "geldzorgen tijdens de zwangerschap",
    "het consultatiebureau",
    "steun na de geboorte",
]


@dataclass(frozen=True)
class Theme:
    """An ambition ("stip op de horizon") with the indicators and plain goals that fit it."""

    key: str
    title: str
    description: str
    indicators: tuple[str, ...]
    plain_goals: tuple[str, ...]
    results: tuple[int, ...]  # indexes into RESULT_TEMPLATES


@dataclass(frozen=True)
class ActionTemplate:
    """A kind of action: title variants ({area}, {wijk}, {prof}, {topic}, {partner}, {year}, {next_year}),
    description, owning partner type, partner types that may join, principles (1..10), level, the
    coalition phases in which it happens, how often it is drawn, the ambition theme it serves."""

    key: str
    titles: tuple[str, ...]
    description: str
    owner: str
    pool: tuple[str, ...]
    principles: tuple[int, ...]
    level: str
    phases: tuple[int, int]
    weight: float = 1.0
    theme: str | None = None
    once: bool = False  # at most one per coalition


THEMES = [
    Theme(
        "start",
        "Elk kind in {area} krijgt een kansrijke start",
        "Minder baby's worden te vroeg of te klein geboren; ouders krijgen steun voor, tijdens en na de zwangerschap.",
        ("big2", "vroeggeboorte", "sga_p10"),
        ("Elke zwangere kent de weg naar het consultatiebureau",),
        (0, 4, 6),
    ),
    Theme(
        "armoede",
        "Minder kinderen groeien op in armoede",
        "Geldzorgen worden vroeg besproken en gezinnen met jonge kinderen krijgen snel hulp.",
        ("kinderen_armoede", "bijstandskinderen"),
        ("Geldzorgen zijn een vast onderwerp in het eerste huisbezoek",),
        (7, 0),
    ),
    Theme(
        "kwetsbaar",
        "Zwangeren in een kwetsbare situatie worden vroeg gezien en gesteund",
        "Verloskundigen, JGZ en wijkteams signaleren vroeg en werken met één zorgpad.",
        ("kwetsbare_situatie", "geen_kraamzorg", "big2"),
        ("Alle partners werken met één zorgpad",),
        (3, 2, 9),
    ),
    Theme(
        "wijk",
        "Ouders vinden de weg naar steun in hun wijk",
        "Herkenbare aanspreekpunten en sleutelfiguren in de wijk; ouders denken mee.",
        ("geen_kraamzorg",),
        (
            "Elke wijk heeft een herkenbaar aanspreekpunt voor ouders",
            "Ouders denken structureel mee via een ouderpanel",
        ),
        (1, 8, 6),
    ),
    Theme(
        "kinderwens",
        "Wie een kind krijgt, kiest daar bewust en op een goed moment voor",
        "Kinderwensgesprekken (Nu Niet Zwanger) en voorlichting voor jongeren en kwetsbare volwassenen.",
        ("tienermoeders",),
        ("Aandachtsfunctionarissen Nu Niet Zwanger bij alle partners",),
        (5, 0),
    ),
    Theme(
        "keten",
        "Medisch en sociaal domein werken als één keten rond het gezin",
        "Professionals kennen elkaar, weten wie ze erbij halen en hebben heldere ketenafspraken.",
        (),
        ("Alle partners werken met één zorgpad", "Elke professional weet wie hij of zij erbij kan halen"),
        (2, 10, 0),
    ),
]
THEME_BY_KEY = {t.key: t for t in THEMES}
SHOWCASE_THEMES = ["start", "kwetsbaar", "armoede", "wijk"]

GOAL_TITLES = {
    "big2": "Minder baby's te vroeg of te klein geboren (Big2)",
    "vroeggeboorte": "Minder vroeggeboorten (voor 37 weken)",
    "sga_p10": "Minder baby's met een laag geboortegewicht voor de zwangerschapsduur",
    "kinderen_armoede": "Minder kinderen in een huishouden met een laag inkomen",
    "bijstandskinderen": "Minder kinderen in een gezin met bijstand",
    "tienermoeders": "Minder tienerzwangerschappen",
    "geen_kraamzorg": "Elke kraamvrouw krijgt kraamzorg",
    "kwetsbare_situatie": "Minder kinderen geboren in een kwetsbare situatie",
}
GOAL_OWNERS = {
    "big2": ["Verloskundigenpraktijk", "VSV", "JGZ"],
    "vroeggeboorte": ["VSV", "Verloskundigenpraktijk"],
    "sga_p10": ["Verloskundigenpraktijk", "VSV"],
    "kinderen_armoede": ["Gemeente", "Schuldhulpverlening"],
    "bijstandskinderen": ["Gemeente", "Sociaal wijkteam"],
    "tienermoeders": ["GGD", "JGZ"],
    "geen_kraamzorg": ["Kraamzorg", "JGZ"],
    "kwetsbare_situatie": ["JGZ", "Sociaal wijkteam", "GGD"],
    None: ["Gemeente", "JGZ", "Sociaal wijkteam", "GGD"],
}
# Goal outcomes judged against the last year's data: share of goals per outcome.
OUTCOMES = {"met": 0.25, "on_track": 0.4, "attention": 0.15, "behind": 0.2}
SHOWCASE_OUTCOMES = ["on_track", "attention", "met", "behind"]  # the showcase shows every status
ENGINE_OUTCOMES = {BEHAALD: "met", OP_KOERS: "on_track", AANDACHT: "attention", ACHTER: "behind"}

# (title, unit, low, high) of a result; targets scale with the coalition's size.
RESULT_TEMPLATES = [
    ("Professionals geschoold in signaleren van kwetsbaarheid", "professionals", 40, 300),
    ("Aanspreekpunten voor ouders in de wijk", "wijken", 2, 8),
    ("Ketenafspraken vastgelegd in het zorgpad kwetsbare zwangeren", "afspraken", 3, 10),
    ("Zwangeren bereikt met een prenataal huisbezoek door de JGZ", "zwangeren", 20, 200),
    ("Zwangeren in een CenteringZwangerschap-groep", "zwangeren", 16, 120),
    ("Kinderwensgesprekken Nu Niet Zwanger gevoerd", "gesprekken", 10, 120),
    ("Gezinnen begeleid met Stevig Ouderschap", "gezinnen", 10, 100),
    ("Gezinnen met geldzorgen vroeg doorverwezen naar schuldhulp", "gezinnen", 15, 200),
    ("Bijeenkomsten van het ouderpanel", "bijeenkomsten", 3, 12),
    ("Moeders begeleid met VoorZorg", "moeders", 5, 60),
    ("Partners aangesloten bij de coalitie", "partners", 6, 25),
]

_MED = ("verloskundigen", "kraamzorg", "huisartsen", "ziekenhuis", "vsv")
_SOC = ("wijkteam", "maatschappelijk_werk", "schuldhulp", "jeugdhulp", "kinderopvang_onderwijs")
_PRO = _MED + _SOC + ("jgz", "ggd")
_ALL = _PRO + ("gemeente", "informeel", "ouders")
A = ActionTemplate
# Milestones: one per phase, dated on the day the coalition reached that phase.
MILESTONES = {
    1: A(
        "startfoto",
        ("Startfoto gemaakt: feiten en cijfers rond de geboorte in {area}",),
        "Cijfers over geboorten, sterfte, armoede en schulden, eenoudergezinnen en opleidingsniveau op een rij gezet.",
        "gemeente",
        ("ggd", "jgz", "verloskundigen"),
        (8, 4),
        "uitvoerend",
        (1, 1),
    ),
    2: A(
        "kickoff",
        ("Kick-off bijeenkomst lokale coalitie Kansrijke Start {area}",),
        "Partners uit het medisch en sociaal domein samen aan tafel: kennismaking en gezamenlijke ambitie.",
        "gemeente",
        _ALL,
        (2, 4),
        "bestuurlijk",
        (2, 2),
    ),
    3: A(
        "plan",
        ("Plan van aanpak Kansrijke Start vastgesteld",),
        "Doelen, keuze van interventies en ketenafspraken vastgelegd; het college is geïnformeerd.",
        "gemeente",
        ("jgz", "verloskundigen", "wijkteam", "ggd"),
        (4, 6),
        "bestuurlijk",
        (3, 3),
    ),
    4: A(
        "uitvoering",
        ("Start uitvoering: eerste acties uit het plan van aanpak",),
        "De coalitie gaat van plan naar doen; de voortgang wordt per kwartaal besproken.",
        "gemeente",
        ("jgz", "verloskundigen", "wijkteam"),
        (6,),
        "bestuurlijk",
        (4, 4),
    ),
    5: A(
        "borging",
        ("Kansrijke Start structureel geborgd in de gemeentelijke begroting",),
        "Structurele financiering en werkafspraken opgenomen in het reguliere werk van de partners.",
        "gemeente",
        ("jgz", "zorgverzekeraar", "wijkteam"),
        (5, 4),
        "bestuurlijk",
        (5, 5),
    ),
}
# key, titles, description, owner, partner pool, principles, level, phases (from, to), weight, theme
ACTION_TEMPLATES = [
    A(
        "gesprek",
        ("Verkennend gesprek met {partner}",),
        "Wat doet deze partner al rond de eerste 1000 dagen en wat is nodig?",
        "gemeente",
        _ALL,
        (2,),
        "uitvoerend",
        (1, 2),
        3,
    ),
    A(
        "pharos",
        ("Adviesgesprek met de adviseur Kansrijke Start van Pharos",),
        "Meedenken over de opbouw van de coalitie en de volgende stappen.",
        "gemeente",
        ("ggd", "jgz"),
        (8,),
        "uitvoerend",
        (1, 3),
    ),
    A(
        "netwerkkaart",
        ("Netwerkkaart eerste 1000 dagen bijgewerkt",),
        "Wie doet wat voor (aanstaande) ouders, en wie kennen elkaar nog niet?",
        "ggd",
        _ALL,
        (2, 9),
        "uitvoerend",
        (1, 3),
    ),
    A(
        "balans",
        ("Balans opgemaakt: huidig aanbod en hiaten rond de eerste 1000 dagen",),
        "Wat is het huidige aanbod, wat gaat goed en waar liggen de hiaten?",
        "gemeente",
        _ALL,
        (9, 6),
        "uitvoerend",
        (1, 2),
        1.5,
        once=True,
    ),
    A(
        "duiding",
        ("Startfoto geduid met professionals uit {wijk}",),
        "De cijfers besproken met verloskundigen, JGZ en wijkteam: wat herkennen zij?",
        "ggd",
        _ALL,
        (8, 2),
        "uitvoerend",
        (1, 2),
    ),
    A(
        "bestuurlijk",
        ("Bestuurlijk overleg Kansrijke Start met wethouder en partners",),
        "Voortgang, knelpunten en besluiten op bestuurlijk niveau.",
        "gemeente",
        _ALL,
        (2, 5),
        "bestuurlijk",
        (1, 5),
        1.5,
    ),
    A(
        "ambitie",
        ("Ambitiebijeenkomst: stip op de horizon voor {area}",),
        "Partners en ouders formuleren samen de ambitie voor de komende jaren.",
        "gemeente",
        _ALL,
        (4, 2),
        "bestuurlijk",
        (2, 3),
        once=True,
    ),
    A(
        "intentie",
        ("Intentieverklaring coalitie Kansrijke Start ondertekend",),
        "Partners committeren zich aan de gezamenlijke aanpak.",
        "gemeente",
        _ALL,
        (2, 4),
        "bestuurlijk",
        (2, 3),
        0.5,
        once=True,
    ),
    A(
        "ouderpanel",
        ("Ouderpanel: gesprek met (aanstaande) ouders over {topic}",),
        "Niet óver maar mét ouders: wat schiet de ouder hiermee op?",
        "maatschappelijk_werk",
        ("ouders", "jgz", "wijkteam"),
        (3, 10),
        "uitvoerend",
        (2, 5),
        1.5,
        "wijk",
    ),
    A(
        "spiegel",
        ("Spiegelgesprek met ouders over de aanpak in {wijk}",),
        "Ervaringsdeskundigen en sleutelfiguren geven de coalitie een spiegel.",
        "wijkteam",
        ("ouders", "informeel", "jgz"),
        (3, 2),
        "uitvoerend",
        (2, 5),
        1,
        "wijk",
    ),
    A(
        "kernteam",
        ("Overleg kernteam coalitie Kansrijke Start",),
        "Afstemming over acties, planning en signalen uit de praktijk.",
        "gemeente",
        ("jgz", "verloskundigen", "wijkteam"),
        (2,),
        "uitvoerend",
        (2, 5),
        2,
    ),
    A(
        "keuze",
        ("Keuzebijeenkomst interventies en deskundigheidsbevordering",),
        "Op basis van ambitie en startfoto keuzes gemaakt; wat al werkt blijft.",
        "gemeente",
        _ALL,
        (9, 8),
        "uitvoerend",
        (3, 4),
        once=True,
    ),
    A(
        "zorgpad",
        (
            "Ketenafspraken zorgpad kwetsbare zwangeren opgesteld",
            "Zorgpad kwetsbare zwangeren geëvalueerd en bijgesteld",
        ),
        "Afspraken over signaleren, bespreken en doorverwijzen voor, tijdens en na de zwangerschap.",
        "verloskundigen",
        ("jgz", "wijkteam", "kraamzorg", "ziekenhuis", "vsv"),
        (2, 1),
        "uitvoerend",
        (3, 5),
        1.5,
        "kwetsbaar",
    ),
    A(
        "casus",
        ("Casusoverleg zwangeren in een kwetsbare situatie (medisch-sociaal)",),
        "Verloskundige, JGZ en wijkteam bespreken samen wat een gezin nodig heeft.",
        "jgz",
        ("verloskundigen", "wijkteam", "kraamzorg", "ggz"),
        (2, 1),
        "uitvoerend",
        (3, 5),
        2,
        "kwetsbaar",
    ),
    A(
        "verzekeraar",
        ("Gesprek met de zorgverzekeraar over integrale bekostiging",),
        "Schotten tussen budgetten overbruggen; praat pas op het laatst over geld.",
        "gemeente",
        ("zorgverzekeraar",),
        (5,),
        "bestuurlijk",
        (3, 5),
        0.7,
    ),
    A(
        "armoedebeleid",
        ("Afstemming met armoedebeleid en schuldhulpverlening",),
        "Kansrijke Start in samenhang met de armoede-aanpak van de gemeente.",
        "schuldhulp",
        ("gemeente", "wijkteam"),
        (5,),
        "uitvoerend",
        (3, 5),
        1,
        "armoede",
    ),
    A(
        "scholing",
        ("Scholing signaleren van kwetsbaarheid voor {prof}",),
        "Deskundigheidsbevordering: de impact van de eerste 1000 dagen en wat werkt.",
        "ggd",
        ("verloskundigen", "kraamzorg", "jgz", "wijkteam", "huisartsen"),
        (8,),
        "uitvoerend",
        (3, 5),
        2.5,
        "kwetsbaar",
    ),
    A(
        "scholing_geld",
        ("Scholing geldzorgen bespreekbaar maken voor {prof}",),
        "Professionals leren geldzorgen te herkennen en bespreken (o.a. met materiaal van Wijzer in geldzaken).",
        "schuldhulp",
        ("verloskundigen", "jgz", "wijkteam", "kraamzorg"),
        (8, 5),
        "uitvoerend",
        (3, 5),
        1.2,
        "armoede",
    ),
    A(
        "scholing_nnz",
        ("Training kinderwensgesprekken Nu Niet Zwanger voor aandachtsfunctionarissen",),
        "Aandachtsfunctionarissen bij zorg- en welzijnsorganisaties leren het gesprek over kinderwens te voeren.",
        "ggd",
        ("maatschappelijk_werk", "ggz", "wijkteam", "huisartsen"),
        (8, 3),
        "uitvoerend",
        (3, 5),
        1.2,
        "kinderwens",
    ),
    A(
        "aanspreekpunt",
        ("Aanspreekpunt voor ouders geopend in {wijk}", "Inloopspreekuur voor aanstaande ouders in {wijk}"),
        "Een herkenbare plek waar ouders met vragen en zorgen terechtkunnen.",
        "jgz",
        ("wijkteam", "verloskundigen", "informeel"),
        (1, 7),
        "uitvoerend",
        (3, 5),
        2,
        "wijk",
    ),
    A(
        "wijkaanpak",
        ("Wijkaanpak eerste 1000 dagen gestart in {wijk}",),
        "Concrete acties op de meest urgente punten in de wijk, met een positief wijkframe.",
        "wijkteam",
        ("jgz", "informeel", "ouders", "kinderopvang_onderwijs"),
        (6, 7, 2),
        "uitvoerend",
        (3, 5),
        1.2,
        "wijk",
    ),
    A(
        "sleutelfiguren",
        ("Sleutelfiguren uit {wijk} betrokken bij Kansrijke Start",),
        "Niet-professionals krijgen een rol: zij kennen de ouders en de gewoontes in de wijk.",
        "maatschappelijk_werk",
        ("ouders", "informeel"),
        (3, 10),
        "uitvoerend",
        (3, 5),
        1,
        "wijk",
    ),
    A(
        "maaltijd",
        ("Ontmoeting met ouders bij een gezamenlijke maaltijd in {wijk}",),
        "Aansluiten bij rituelen en gewoontes die in de wijk belangrijk zijn.",
        "maatschappelijk_werk",
        ("ouders", "informeel", "jgz"),
        (10, 3),
        "uitvoerend",
        (3, 5),
        0.8,
        "wijk",
    ),
    A(
        "voorzorg",
        ("VoorZorg-trajecten gestart voor jonge moeders",),
        "Gespecialiseerde verpleegkundigen begeleiden jonge moeders met een opeenstapeling van risico's.",
        "jgz",
        ("verloskundigen", "wijkteam"),
        (9,),
        "uitvoerend",
        (3, 5),
        1,
        "kwetsbaar",
    ),
    A(
        "stevig",
        ("Stevig Ouderschap ingezet voor ouders met een verhoogd risico",),
        "Huisbezoeken door de jeugdverpleegkundige in de eerste anderhalf jaar.",
        "jgz",
        ("wijkteam",),
        (9,),
        "uitvoerend",
        (3, 5),
        1,
        "start",
    ),
    A(
        "centering",
        ("Nieuwe CenteringZwangerschap-groep gestart", "CenteringOuderschap-groep gestart op het consultatiebureau"),
        "Groepszorg die zwangeren en ouders met elkaar verbindt.",
        "verloskundigen",
        ("jgz", "ouders"),
        (2, 9),
        "uitvoerend",
        (3, 5),
        1.2,
        "start",
    ),
    A(
        "phb",
        ("Prenataal huisbezoek JGZ: afspraken met verloskundigen over aanmelding",),
        "Verloskundigen melden zwangeren in een kwetsbare situatie aan voor een huisbezoek door de JGZ.",
        "jgz",
        ("verloskundigen", "wijkteam"),
        (1, 2),
        "uitvoerend",
        (3, 5),
        1.2,
        "kwetsbaar",
    ),
    A(
        "nnz",
        ("Nu Niet Zwanger: aandachtsfunctionarissen aangesteld bij partners",),
        "Het gesprek over kinderwens wordt onderdeel van het gewone werk.",
        "ggd",
        ("maatschappelijk_werk", "ggz", "wijkteam"),
        (3, 8),
        "uitvoerend",
        (3, 5),
        1,
        "kinderwens",
    ),
    A(
        "preconceptie",
        ("Voorlichting over preconceptieconsult en kinderwensspreekuur",),
        "Mensen met een kinderwens weten waar ze terechtkunnen.",
        "verloskundigen",
        ("huisartsen", "ggd"),
        (8,),
        "uitvoerend",
        (3, 5),
        0.8,
        "kinderwens",
    ),
    A(
        "poppoli",
        ("Afspraken met de POP-poli over verwijzing en terugkoppeling",),
        "Zwangeren met psychische problemen krijgen tijdig de juiste zorg.",
        "ziekenhuis",
        ("verloskundigen", "ggz", "jgz"),
        (2,),
        "uitvoerend",
        (3, 5),
        0.6,
        "kwetsbaar",
    ),
    A(
        "schulden",
        ("Vroegsignalering geldzorgen bij zwangeren: afspraken met schuldhulpverlening",),
        "Een warme overdracht van verloskundige of JGZ naar schuldhulp.",
        "schuldhulp",
        ("verloskundigen", "jgz", "wijkteam"),
        (5, 1),
        "uitvoerend",
        (3, 5),
        1,
        "armoede",
    ),
    A(
        "buurtgezinnen",
        ("Buurtgezinnen gekoppeld aan gezinnen die tijdelijk steun nodig hebben",),
        "Informele steun uit de buurt naast de professionele hulp.",
        "informeel",
        ("wijkteam", "ouders"),
        (3, 7),
        "uitvoerend",
        (3, 5),
        0.8,
        "wijk",
    ),
    A(
        "monitoring",
        ("Monitoring: cijfers {year} besproken in de coalitie",),
        "Wat laten de cijfers zien en wat betekent dat voor de aanpak?",
        "ggd",
        ("gemeente", "jgz"),
        (4, 8),
        "uitvoerend",
        (3, 5),
    ),
    A(
        "nieuwsbrief",
        ("Nieuwsbrief Kansrijke Start verstuurd aan partners",),
        "Wat is er gedaan, wat komt eraan, wie doet mee?",
        "gemeente",
        _ALL,
        (2, 8),
        "uitvoerend",
        (2, 5),
    ),
    A(
        "kennisdeling",
        ("Ervaringen gedeeld op een regionale bijeenkomst Kansrijke Start",),
        "Lessen delen zodat anderen erop voort kunnen bouwen.",
        "gemeente",
        ("ggd", "jgz"),
        (9,),
        "uitvoerend",
        (3, 5),
        0.7,
    ),
    A(
        "raadsbrief",
        ("Raadsinformatiebrief over de voortgang van Kansrijke Start",),
        "De gemeenteraad is geïnformeerd over ambities, doelen en resultaten.",
        "gemeente",
        ("jgz", "ggd"),
        (4,),
        "bestuurlijk",
        (3, 5),
        0.6,
    ),
    A(
        "zelfscan",
        ("Zelfscan samenwerking ingevuld met de coalitie",),
        "De coalitie kijkt samen naar de basisprincipes en de 10 rode lijnen.",
        "gemeente",
        _ALL,
        (9, 2),
        "uitvoerend",
        (2, 5),
        0.6,
    ),
    A(
        "evaluatie",
        ("Jaarlijkse evaluatie van de coalitie met alle partners",),
        "Wat werkt, wat houden we vast en wat doen we anders?",
        "gemeente",
        _ALL,
        (4, 9),
        "bestuurlijk",
        (4, 5),
        0.8,
    ),
    A(
        "regulier",
        ("Werkafspraken Kansrijke Start opgenomen in het reguliere werk van {partner}",),
        "Wat werkt wordt gewoon werk.",
        "gemeente",
        _PRO,
        (9, 5),
        "uitvoerend",
        (4, 5),
        0.8,
    ),
    A(
        "begroting",
        ("Kansrijke Start opgenomen in de begroting {next_year}",),
        "Borging van de aanpak in de gemeentelijke begroting.",
        "gemeente",
        ("zorgverzekeraar", "jgz"),
        (5, 4),
        "bestuurlijk",
        (4, 5),
        0.5,
    ),
]
# Planned showcase actions after DEMO_TODAY (template key, date).
SHOWCASE_PLANNED = [
    ("ouderpanel", dt.date(2026, 11, 26)),
    ("bestuurlijk", dt.date(2026, 12, 3)),
    ("scholing", dt.date(2026, 12, 10)),
    ("evaluatie", dt.date(2026, 12, 17)),
]

SCAN_DIMENSIONS = [f"basis_{i}" for i in range(1, 6)] + [f"principe_{i}" for i in range(1, 11)]
LESSON_NOTES = {
    "les_1": [
        "We beginnen elk overleg met de vraag wat ouders eraan hebben.",
        "We praten nog te vaak over ouders in plaats van met ouders.",
        "Het ouderpanel liet zien dat ouders de weg naar het wijkteam niet kennen.",
    ],
    "les_2": [
        "Kleine acties in de wijk gaven veel energie.",
        "We bleven te lang in de planfase; nu eerst één wijk.",
        "Gewoon beginnen met de partners die willen werkte goed.",
    ],
    "les_3": [
        "Eén haalbaar doel gekozen: elke kwetsbare zwangere krijgt een huisbezoek.",
        "We hadden te veel doelen tegelijk en hebben er twee geschrapt.",
        "Klein begonnen in één wijk, nu uitbreiden.",
    ],
    "les_4": [
        "De zelfscan gaf een open gesprek over rollen en verwachtingen.",
        "Partners durven elkaar aan te spreken; dat vertrouwen kostte tijd.",
        "Minder verantwoording, meer samen leren: dat voelt beter.",
    ],
    "les_5": [
        "Geld kwam pas ter sprake toen de aanpak stond; dat werkte.",
        "Het gesprek over bekostiging met de zorgverzekeraar loopt nog.",
        "Financiering bleef te lang leidend; volgend jaar anders.",
    ],
}
SCORE_NOTES = {
    0: "Nog niet opgepakt",
    1: "Eerste stappen gezet",
    2: "Grotendeels op orde, nog niet overal",
    3: "Volledig ingebed",
}
ASSESSORS = ["Kernteam coalitie", "Coalitiebijeenkomst met alle partners", "Kernteam met adviseur Pharos"]

TABLES = [
    "municipalities",
    "indicator_values",
    "national_values",
    "coalitions",
    "coalition_members",
    "coalition_phases",
    "ambitions",
    "goals",
    "results",
    "actions",
    "self_assessments",
    "self_assessment_scores",
]


@dataclass
class Coalition:
    id: str
    name: str
    area: str
    members: list[int]  # row indexes into the municipalities frame
    phase: int
    history: list[tuple[int, dt.date]]  # (phase, since), phase 1 first
    trekker: str
    showcase: bool = False
    ambitions: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        return self.history[0][1]

    def phase_on(self, day: dt.date) -> int:
        return max([p for p, since in self.history if since <= day], default=1)


# -- helpers ------------------------------------------------------------------
def _rng(seed: int, part: str) -> np.random.Generator:
    """An independent, stable stream per part, so one part's changes do not shift the others."""
    return np.random.default_rng([seed, zlib.crc32(part.encode())])


def _day_between(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, max((last - first).days, 0) + 1)))


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


# -- indicators ---------------------------------------------------------------
def _national_path(ind: Indicator, years: np.ndarray) -> np.ndarray:
    d = ind.demo
    path = d.niveau + d.trend * (years - d.jaar)
    if ind.eenheid == "ja/nee":
        return np.clip(path, 0.0, 100.0)
    upper = 99.0 if ind.eenheid == "%" else 999.0
    return np.clip(path, 0.02 * d.niveau, upper)


def _profile(munis: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Fixed per-municipality traits: deprivation/urbanity score z, growth and denominator shares."""
    rng = _rng(seed, "profile")
    n = len(munis)
    urban = (3.0 - munis["urbanity"].to_numpy()) / 2.0  # +1 very urban .. -1 rural
    z = 0.35 * urban + 0.3 * rng.normal(0, 1, n) + 0.15 * munis["gids"].to_numpy()
    z = np.clip(z, -0.8, 1.2)
    for code, value in BIG_FOUR_Z.items():
        z[(munis["code"] == code).to_numpy()] = value
    prof = pd.DataFrame({"z": z, "growth": 0.0055 + 0.002 * urban + rng.normal(0, 0.002, n)})
    for name, share in DENOMINATOR_SHARES.items():
        prof[name] = share * np.clip(1 + rng.normal(0, 0.07, n), 0.8, 1.2)
    return prof


def _rates(nat: np.ndarray, z: np.ndarray, gradient: float, den: np.ndarray, scale: float) -> np.ndarray:
    """True rates (proportions), rescaled so the denominator-weighted mean is the national path each year."""
    raw = np.clip(1 + gradient * z, 0.3, None)[:, None] * (nat / scale)[None, :]
    pooled = (raw * den).sum(axis=0) / np.maximum(den.sum(axis=0), 1)
    return np.clip(raw * (nat / scale) / pooled, 0, 0.95)


def _draw(ind: Indicator, nat: np.ndarray, z: np.ndarray, den: np.ndarray, rng) -> np.ndarray:
    """Numerators ~ Binomial(denominator, municipal rate)."""
    return rng.binomial(den, _rates(nat, z, ind.demo.gradient, den, SCALE.get(ind.eenheid, 1000.0)))


def _adoption(nat: np.ndarray, z: np.ndarray, gradient: float, rng: np.random.Generator) -> np.ndarray:
    """1/0 per municipality and year; the share follows the path, and 'ja' is kept once reached."""
    n = len(z)
    order = np.argsort(-(gradient * z + rng.normal(0, 1, n)), kind="stable")
    counts = np.maximum.accumulate(np.round(nat / 100 * n).astype(int))
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    return (rank[:, None] < counts[None, :]).astype(float)


def _indicator_values(config: Config, munis: pd.DataFrame, prof: pd.DataFrame, years: np.ndarray):
    """The indicator_values frame plus the count matrices (num, den) per indicator for pooling."""
    seed = config.demo.seed
    rng = _rng(seed, "indicator_values")
    n = len(munis)
    growth = (1 + prof["growth"].to_numpy())[:, None] ** (years - config.demo.last_year)[None, :]
    pop = np.round(munis["population"].to_numpy()[:, None] * growth).astype(np.int64)
    dens = {"inwoners": pop}
    for name in DENOMINATOR_SHARES:
        jitter = 1 + rng.normal(0, 0.01, (n, len(years)))
        dens[name] = np.round(pop * prof[name].to_numpy()[:, None] * jitter).astype(np.int64)
    indicators = [i for i in config.municipal_indicators if i.demo is not None]
    births_ind = next((i for i in indicators if i.id == BIRTHS_INDICATOR), None)
    z = prof["z"].to_numpy()
    if births_ind is not None:
        births = _draw(births_ind, _national_path(births_ind, years), z, pop, rng)
    else:
        births = rng.binomial(pop, _rates(np.full(len(years), DEFAULT_BIRTH_RATE), z, 0.1, pop, 1000.0))
    dens["geboorten"] = births

    counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    frames = []
    for ind in indicators:
        nat = _national_path(ind, years)
        if ind.eenheid == "ja/nee" or ind.demo.noemer == "ja_nee":
            num = den = None
            value = _adoption(nat, z, ind.demo.gradient, _rng(seed, f"adoption:{ind.id}"))
        else:
            den = dens[ind.demo.noemer]
            num = births if ind is births_ind else _draw(ind, nat, z, den, rng)
            if ind.eenheid == "aantal":
                value = num.astype(float)
            else:
                value = np.where(den > 0, num / np.maximum(den, 1) * SCALE[ind.eenheid], np.nan)
        if num is not None:
            counts[ind.id] = (num, den)
        frames.append(_value_frame(munis, ind, years, value, num, den))
    values = pd.concat(frames, ignore_index=True)
    _mark_status(values, config.demo.last_year, rng)
    return values, counts


def _value_frame(munis, ind: Indicator, years, value, num, den) -> pd.DataFrame:
    n, k = value.shape
    pub = {int(y): dt.date(int(y) + ind.vertraging_jaren, 10, 1) for y in years}
    frame = pd.DataFrame(
        {
            "municipality_code": np.repeat(munis["code"].to_numpy(), k),
            "indicator_id": ind.id,
            "period": np.tile(years, n).astype(np.int64),
            "value": value.ravel().astype(float),
            "numerator": pd.array(num.ravel() if num is not None else [None] * (n * k), dtype="Int64"),
            "denominator": pd.array(den.ravel() if den is not None else [None] * (n * k), dtype="Int64"),
            "source": ind.bron,
        }
    )
    frame["reference_date"] = frame["period"].map(pub)
    return frame


def _mark_status(values: pd.DataFrame, last_year: int, rng: np.random.Generator) -> None:
    latest = (values["period"] == last_year).to_numpy()
    revised = ~latest & (rng.random(len(values)) < REVISED_SHARE)
    values["data_status"] = np.where(latest, "voorlopig", np.where(revised, "herzien", "definitief"))


def _national_values(config: Config, years: np.ndarray, births: np.ndarray) -> pd.DataFrame:
    """Short fictitious series around the real national figure of each national-only indicator."""
    rng = _rng(config.demo.seed, "national_values")
    rows = []
    known = {i.id: i for i in config.indicatoren}
    for ind_id, spec in NATIONAL_SERIES.items():
        ind = known.get(ind_id)
        if ind is None or ind.landelijk.waarde is None or ind.landelijk.jaar is None:
            continue
        anchor, level = int(str(ind.landelijk.jaar)[:4]), float(ind.landelijk.waarde)
        scale = SCALE[ind.eenheid]
        for i, year in enumerate(int(y) for y in years):
            if year < (spec["first"] or years[0]) or (year - anchor) % spec["step"]:
                continue
            wobble = 0.0 if year == anchor else rng.normal(0, NATIONAL_NOISE * level)
            rate = max(level + spec["trend"] * (year - anchor) + wobble, 0.1)
            if spec["sample"] is None:
                den = int(births[i] * (1.004 if ind_id == "perinatale_sterfte_28d" else 1.0))
            else:
                den = spec["sample"] if year == anchor else int(spec["sample"] + rng.integers(-150, 151))
            num = round(rate / scale * den)
            rows.append(
                {
                    "indicator_id": ind_id,
                    "period": year,
                    "value": num / den * scale,
                    "numerator": num,
                    "denominator": den,
                    "source": ind.bron,
                    "reference_date": dt.date(year + ind.vertraging_jaren, 10, 1),
                    "data_status": "definitief",
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator_id",
            "period",
            "value",
            "numerator",
            "denominator",
            "source",
            "reference_date",
            "data_status",
        ],
    )


# -- coalitions ---------------------------------------------------------------
def _coalitions(config: Config, munis: pd.DataFrame, prof: pd.DataFrame) -> list[Coalition]:
    rng = _rng(config.demo.seed, "coalitions")
    n = len(munis)
    codes = munis["code"].to_numpy()
    forced_local = set(BIG_FOUR_Z) | {config.ui.default_municipality}
    weights = np.exp(-0.8 * prof["z"].to_numpy()) * np.where(munis["population"] < 25000, 1.5, 1.0)
    weights = weights * np.where(munis["gids"], 0.4, 1.0) * ~np.isin(codes, list(forced_local))
    n_without = min(round(config.demo.share_without_coalition * n), int((weights > 0).sum()))
    without = set(rng.choice(n, size=n_without, replace=False, p=weights / weights.sum()).tolist())

    groups: list[list[int]] = []
    due = 0.0  # error diffusion: keeps the regional share of coalitions close to share_regional
    for _, prov in munis.groupby("province_code", sort=True):
        todo = [i for i in prov.sort_values("code").index if i not in without]
        while todo:
            first = todo.pop(0)
            due += config.demo.share_regional * rng.uniform(0.5, 1.5)
            mates = [i for i in todo if codes[i] not in forced_local][: int(rng.integers(1, 5))]
            if due >= 1 and codes[first] not in forced_local and mates:
                due -= 1
                todo = [i for i in todo if i not in mates]
                groups.append([first, *mates])
            else:
                groups.append([first])
    return [_coalition(config, munis, group, rng) for group in sorted(groups, key=lambda g: codes[g[0]])]


def _coalition(config: Config, munis: pd.DataFrame, members: list[int], rng) -> Coalition:
    lead = munis.loc[members[0]]
    showcase = lead["code"] == config.ui.default_municipality and len(members) == 1
    if showcase:
        phase, start = 4, SHOWCASE_START
    else:
        phase = int(rng.choice([1, 2, 3, 4, 5], p=PHASE_WEIGHTS[bool(lead["gids"])]))
        start = _day_between(rng, *START_WINDOWS[phase])
    if len(members) > 1:
        name, area = f"Regionale coalitie Kansrijke Start {lead['name']} e.o.", f"de regio {lead['name']}"
    else:
        name, area = f"Coalitie Kansrijke Start {lead['name']}", lead["name"]
    return Coalition(
        id=f"KS-{lead['code']}",
        name=name,
        area=area,
        members=members,
        phase=phase,
        history=_history(phase, start, rng),
        trekker=_pick(rng, TREKKER_ROLES).format(name=lead["name"]),
        showcase=showcase,
    )


def _history(phase: int, start: dt.date, rng) -> list[tuple[int, dt.date]]:
    """Phase 1 on the start date, then one step per 5-16 months, squeezed to end before DEMO_TODAY."""
    gaps = rng.uniform(150, 480, phase - 1)
    room = (DEMO_TODAY - dt.timedelta(days=45) - start).days
    if gaps.sum() > room:
        gaps = gaps * room / gaps.sum()
    history, day = [(1, start)], start
    for p, gap in zip(range(2, phase + 1), gaps, strict=True):
        day = day + dt.timedelta(days=max(int(gap), 1))
        history.append((p, day))
    return history


# -- plan: ambitions, goals, results --------------------------------------------
def _pooled(counts, indicator_id: str, members: list[int], year_index: int, scale: float) -> float | None:
    num, den = counts[indicator_id]
    d = den[members, year_index].sum()
    return None if d == 0 else float(num[members, year_index].sum() / d * scale)


def _ambitions(coalitions: list[Coalition], seed: int) -> pd.DataFrame:
    rng = _rng(seed, "ambitions")
    rows = []
    for c in coalitions:
        if c.phase < 2:
            continue
        if c.showcase:
            keys = SHOWCASE_THEMES
        else:
            others = [t.key for t in THEMES if t.key != "start"]
            keys = ["start", *rng.choice(others, size=int(rng.integers(1, 4)), replace=False).tolist()]
        for pos, key in enumerate(keys, start=1):
            theme = THEME_BY_KEY[key]
            amb = {
                "id": f"{c.id}-A{pos}",
                "coalition_id": c.id,
                "position": pos,
                "title": theme.title.format(area=c.area),
                "description": theme.description,
                "horizon_year": int(rng.integers(2026, 2031)),
                "theme": key,
            }
            c.ambitions.append(amb)
            rows.append(amb)
    return pd.DataFrame(rows, columns=["id", "coalition_id", "position", "title", "description", "horizon_year"])


def _status(
    config: Config, ind: Indicator, baseline: tuple[int, float], target: tuple[int, float], latest: tuple[int, float]
) -> str:
    """The outcome the progress engine (``plan.progress.evaluate_goal``, the only place that decides a goal's
    status) gives a goal from (year, value) of its baseline and target when ``latest`` is its newest figure."""
    goal = {"id": "", "title": "", "baseline_year": baseline[0], "baseline_value": baseline[1]}
    goal.update(target_year=target[0], target_value=target[1])
    series = pd.DataFrame({"period": [latest[0]], "value": [latest[1]], "lower": [None], "upper": [None]})
    status = evaluate_goal(goal, ind, series, config).status
    return ENGINE_OUTCOMES.get(status, status)


def _target(rng, outcome: str, baseline: float, latest: float, sign: float, elapsed: float, judge) -> float:
    """A target (one decimal) in the better direction, chosen so the goal ends up ``outcome`` where possible.

    ``elapsed`` is the share of the baseline-to-target period that has passed by the last year; ``judge(target)``
    is the outcome the progress engine gives that target.
    """
    gained = sign * (baseline - latest)  # improvement so far, positive = better
    if outcome == "met" and gained > 0:
        total = gained * rng.uniform(0.5, 0.9)
    elif gained > 0:  # realised / planned so far
        on_track = (1.0, max(1.0, min(1.4, 0.85 / elapsed)))  # stay clear of "met"
        ratio = {"on_track": on_track, "attention": (0.55, 0.8)}.get(outcome, (0.1, 0.4))
        total = gained / (rng.uniform(*ratio) * elapsed)
    else:
        total = baseline * rng.uniform(0.08, 0.25)
    exact = baseline - sign * min(max(total, baseline * 0.03, 0.1), baseline * MAX_TARGET_GAIN)
    options = [np.floor(exact * 10) / 10, np.ceil(exact * 10) / 10]
    options = [max(float(v), 0.0) for v in options if sign * (baseline - v) > 0] or [round(exact, 2)]
    fitting = [v for v in options if judge(v) == outcome]
    return (fitting or options)[0]


def _indicator_goal(
    rng,
    ind: Indicator,
    members: list[int],
    counts,
    years: np.ndarray,
    target_year: int,
    config: Config,
    outcome: str | None = None,
) -> dict | None:
    """Baseline (the coalition's pooled value in a baseline year) and target for a goal on ``ind``."""
    last = int(years[-1])
    index = {int(y): i for i, y in enumerate(years)}
    scale = SCALE[ind.eenheid]
    sign = -1.0 if ind.richting == "hoger_beter" else 1.0
    latest = _pooled(counts, ind.id, members, index[last], scale)
    candidates = [y for y in BASELINE_YEARS if y in index and y < last] or [int(years[0])]
    options = []
    for by in candidates:
        base = _pooled(counts, ind.id, members, index[by], scale)
        if latest is not None and base is not None and base > 0:
            options.append((by, round(base, 2)))
    if not options:
        return None
    outcome = outcome or str(rng.choice(list(OUTCOMES), p=list(OUTCOMES.values())))
    improved = [o for o in options if sign * (o[1] - latest) > 0]
    pool = improved if improved and outcome != "behind" else options
    by, base = pool[int(rng.integers(len(pool)))]
    elapsed = (last - by) / (target_year - by)
    return {
        "baseline_year": by,
        "baseline_value": base,
        "target_value": _target(
            rng,
            outcome,
            base,
            latest,
            sign,
            elapsed,
            lambda v: _status(config, ind, (by, base), (target_year, v), (last, latest)),
        ),
    }


def _goals(config: Config, coalitions: list[Coalition], counts, years: np.ndarray) -> pd.DataFrame:
    rng = _rng(config.demo.seed, "goals")
    last = int(years[-1])
    rows = []
    for c in coalitions:
        if c.phase < 3:
            continue
        used: set[str] = set()
        for amb in c.ambitions:
            theme = THEME_BY_KEY[amb["theme"]]
            n_goals = 3 if c.showcase else int(rng.integers(1, 4))
            plain = list(theme.plain_goals)
            for pos in range(1, n_goals + 1):
                free = [i for i in theme.indicators if i not in used and i in counts]
                target_year = int(rng.integers(last + 1, max(amb["horizon_year"], last + 1) + 1))
                goal = {
                    "id": f"{amb['id']}-D{pos}",
                    "ambition_id": amb["id"],
                    "position": pos,
                    "indicator_id": None,
                    "baseline_value": None,
                    "baseline_year": None,
                    "target_value": None,
                    "target_year": target_year,
                }
                if free and (rng.random() < 0.85 or not plain):
                    ind = config.indicator(free[int(rng.integers(len(free)))])
                    wanted = SHOWCASE_OUTCOMES[len(used) % len(SHOWCASE_OUTCOMES)] if c.showcase else None
                    values = _indicator_goal(rng, ind, c.members, counts, years, target_year, config, wanted)
                    if values is not None:
                        used.add(ind.id)
                        goal.update(
                            values,
                            title=GOAL_TITLES.get(ind.id, ind.naam),
                            indicator_id=ind.id,
                            owner=_pick(rng, GOAL_OWNERS.get(ind.id, GOAL_OWNERS[None])),
                        )
                if goal["indicator_id"] is None:
                    if not plain:
                        break
                    goal.update(title=plain.pop(0), owner=_pick(rng, GOAL_OWNERS[None]))
                goal["theme"] = amb["theme"]
                c.goals.append(goal)
                rows.append(goal)
    frame = pd.DataFrame(
        rows,
        columns=[
            "id",
            "ambition_id",
            "position",
            "title",
            "indicator_id",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "owner",
        ],
    )
    for col in ("baseline_year", "target_year"):
        frame[col] = frame[col].astype("Int64")
    return frame.astype({"baseline_value": float, "target_value": float})


def _results(coalitions: list[Coalition], munis: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "results")
    rows = []
    progress = {3: (0.05, 0.7), 4: (0.35, 1.05), 5: (0.7, 1.1)}
    for c in coalitions:
        if c.phase < 3:
            continue
        size = float(np.clip(np.sqrt(munis.loc[c.members, "population"].sum() / 50000), 0.5, 4.0))
        updated_from = max(c.history[-1][1], dt.date(2024, 1, 1))
        for amb in c.ambitions:
            theme = THEME_BY_KEY[amb["theme"]]
            goals = [g for g in c.goals if g["ambition_id"] == amb["id"]]
            slots = [(g["id"], int(rng.integers(1 if c.showcase else 0, 4))) for g in goals]
            slots.append((None, int(rng.integers(0, 2))))  # results tied to the ambition only
            templates = list(theme.results)
            n = 0
            for goal_id, k in slots:
                for _ in range(k):
                    if not templates:
                        break
                    title, unit, low, high = RESULT_TEMPLATES[templates.pop(int(rng.integers(len(templates))))]
                    target = float(max(1, round(rng.uniform(low, high) * (size if high > 30 else np.sqrt(size)))))
                    realised = float(min(round(target * rng.uniform(*progress[c.phase])), round(target * 1.1)))
                    n += 1
                    rows.append(
                        {
                            "id": f"{amb['id']}-R{n}",
                            "ambition_id": amb["id"],
                            "goal_id": goal_id,
                            "title": title,
                            "target": target,
                            "realised": realised,
                            "unit": unit,
                            "due_date": _day_between(rng, dt.date(2024, 6, 30), dt.date(2027, 12, 31)),
                            "updated_on": _day_between(rng, updated_from, DEMO_TODAY),
                        }
                    )
    return pd.DataFrame(
        rows, columns=["id", "ambition_id", "goal_id", "title", "target", "realised", "unit", "due_date", "updated_on"]
    )


# -- actions ------------------------------------------------------------------
def _action_row(c: Coalition, tpl: ActionTemplate, day: dt.date, rng, areas: list[str], goal_id) -> dict:
    template = _pick(rng, tpl.titles)
    named = _pick(rng, [p for p in tpl.pool if p != tpl.owner] or [tpl.owner])  # the partner a title may name
    title = template.format(
        area=c.area,
        wijk=_pick(rng, areas),
        prof=_pick(rng, PROFESSIONALS),
        topic=_pick(rng, TOPICS),
        partner=PARTNER_SHORT[named],
        year=day.year - 1,
        next_year=day.year + 1,
    )
    first = [tpl.owner, named] if "{partner}" in template and named != tpl.owner else [tpl.owner]
    pool = [p for p in tpl.pool if p not in first]
    extra = rng.choice(pool, size=min(len(pool), int(rng.integers(0, 5 - len(first)))), replace=False).tolist()
    if day > DEMO_TODAY:
        status = "gepland"
    elif tpl.key in {m.key for m in MILESTONES.values()}:
        status = "afgerond"
    elif (DEMO_TODAY - day).days < 45:
        status = "lopend" if rng.random() < 0.6 else "afgerond"
    else:
        status = str(rng.choice(["afgerond", "lopend", "vervallen"], p=[0.86, 0.09, 0.05]))
    return {
        "coalition_id": c.id,
        "action_date": day,
        "title": title,
        "description": tpl.description,
        "owner": PARTNERS[tpl.owner],
        "status": status,
        "goal_id": goal_id,
        "principles": [int(p) for p in tpl.principles],
        "partners": [*first, *extra],
        "level": tpl.level,
        "created_at": dt.datetime.combine(day, dt.time(9, 0)),
        "version": 1,
    }


def _goal_for(c: Coalition, tpl: ActionTemplate, rng) -> str | None:
    if not c.goals or rng.random() >= ACTION_GOAL_SHARE:
        return None
    fitting = [g for g in c.goals if g["theme"] == tpl.theme] or c.goals
    return _pick(rng, fitting)["id"]


def _actions(coalitions: list[Coalition], munis: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = _rng(seed, "actions")
    by_key = {t.key: t for t in ACTION_TEMPLATES}
    rows = []
    for c in coalitions:
        areas = (
            SHOWCASE_AREAS
            if c.showcase
            else (munis.loc[c.members, "name"].tolist() if len(c.members) > 1 else [f"wijk {a}" for a in GENERIC_AREAS])
        )
        for phase, since in c.history:
            rows.append(_action_row(c, MILESTONES[phase], since, rng, areas, None))
        low, high = ACTIONS_PER_PHASE[c.phase]
        done: set[str] = set()
        n = SHOWCASE_ACTIONS if c.showcase else int(rng.integers(low, high + 1)) + 3 * (len(c.members) - 1)
        for _ in range(n - len(c.history)):
            day = _day_between(rng, c.start, ACTIONS_UNTIL)
            phase = c.phase_on(day)
            eligible = [t for t in ACTION_TEMPLATES if t.phases[0] <= phase <= t.phases[1] and t.key not in done]
            w = np.array([t.weight for t in eligible])
            tpl = eligible[int(rng.choice(len(eligible), p=w / w.sum()))]
            if tpl.once:
                done.add(tpl.key)
            rows.append(_action_row(c, tpl, day, rng, areas, _goal_for(c, tpl, rng)))
        if c.showcase:
            for key, day in SHOWCASE_PLANNED:
                rows.append(_action_row(c, by_key[key], day, rng, areas, _goal_for(c, by_key[key], rng)))
    frame = pd.DataFrame(rows).sort_values(["coalition_id", "action_date", "title"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1, dtype=np.int64))
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame


# -- self-assessments ---------------------------------------------------------
def _self_assessments(coalitions: list[Coalition], seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = _rng(seed, "self_assessments")
    scans, scores = [], []
    for c in coalitions:
        if c.phase < 2:
            continue
        formed = c.history[1][1]
        latest = max(_day_between(rng, dt.date(2025, 3, 1), dt.date(2026, 10, 31)), formed + dt.timedelta(days=30))
        wanted = 3 if c.showcase else int(rng.integers(1, min(c.phase, 3) + 1))
        dates = [latest - dt.timedelta(days=365 * k + int(rng.integers(-30, 31))) for k in range(wanted)]
        dates = sorted([d for d in dates[1:] if d >= formed] + [latest])
        bias = {dim: rng.normal(0, 0.5) for dim in SCAN_DIMENSIONS}
        for k, day in enumerate(dates, start=1):
            scan_id = f"{c.id}-S{k}"
            scans.append(
                {"id": scan_id, "coalition_id": c.id, "assessed_on": day, "assessed_by": _pick(rng, ASSESSORS)}
            )
            level = 0.3 + 0.45 * (c.phase_on(day) - 1) + 0.25 * (k - 1)
            for dim in SCAN_DIMENSIONS:
                score = int(np.clip(round(level + bias[dim] + rng.normal(0, 0.3)), 0, 3))
                note = SCORE_NOTES[score] if rng.random() < 0.25 else None
                scores.append({"assessment_id": scan_id, "dimension": dim, "score": score, "note": note})
            for dim, notes in LESSON_NOTES.items():
                scores.append({"assessment_id": scan_id, "dimension": dim, "score": None, "note": _pick(rng, notes)})
    scan_frame = pd.DataFrame(scans, columns=["id", "coalition_id", "assessed_on", "assessed_by"])
    score_frame = pd.DataFrame(scores, columns=["assessment_id", "dimension", "score", "note"])
    score_frame["score"] = score_frame["score"].astype("Int64")
    return scan_frame, score_frame


# -- public API ---------------------------------------------------------------
def generate(config: Config) -> dict[str, pd.DataFrame]:
    """All demo tables as DataFrames (table name -> frame with the schema's columns). No database access."""
    seed = config.demo.seed
    years = np.arange(config.demo.first_year, config.demo.last_year + 1)
    munis = reference.load_municipalities(config)
    prof = _profile(munis, seed)
    values, counts = _indicator_values(config, munis, prof, years)
    births = (
        counts[BIRTHS_INDICATOR][0].sum(axis=0)
        if BIRTHS_INDICATOR in counts
        else (np.full(len(years), DEFAULT_BIRTH_RATE / 1000 * munis["population"].sum()))
    )
    coalitions = _coalitions(config, munis, prof)
    ambitions = _ambitions(coalitions, seed)
    goals = _goals(config, coalitions, counts, years)
    scans, scores = _self_assessments(coalitions, seed)
    frames = {
        "municipalities": munis,
        "indicator_values": values,
        "national_values": _national_values(config, years, births),
        "coalitions": pd.DataFrame(
            [
                {"id": c.id, "name": c.name, "phase": c.phase, "start_date": c.start, "trekker": c.trekker}
                for c in coalitions
            ]
        ),
        "coalition_members": pd.DataFrame(
            [{"coalition_id": c.id, "municipality_code": munis.at[i, "code"]} for c in coalitions for i in c.members]
        ),
        "coalition_phases": pd.DataFrame(
            [
                {"coalition_id": c.id, "since": since, "phase": p, "note": PHASE_NOTES[p]}
                for c in coalitions
                for p, since in c.history
            ]
        ),
        "ambitions": ambitions,
        "goals": goals,
        "results": _results(coalitions, munis, seed),
        "actions": _actions(coalitions, munis, seed),
        "self_assessments": scans,
        "self_assessment_scores": scores,
    }
    return {name: frames[name] for name in TABLES}


def build_demo(store: Store, config: Config) -> dict[str, int]:
    """Write the demo into an empty ``store`` in one transaction; return row counts per table.

    To replace a filled database, use ``rebuild_demo``: it builds a new file and swaps it in.
    """
    if store.scalar("count_municipalities"):
        raise ValueError("build_demo needs an empty database; use rebuild_demo to replace one")
    frames = generate(config)
    with store.write() as w:
        for table in TABLES:
            w.insert_df(table, frames[table])
        w.set_meta("demo", "1")
        w.set_meta("demo_today", DEMO_TODAY.isoformat())
        w.set_meta("demo_seed", str(config.demo.seed))
        w.set_meta("built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return {table: len(frames[table]) for table in TABLES}


def rebuild_demo(path: Path, config: Config) -> dict[str, int]:
    """Replace the database file at ``path`` with a fresh demo, atomically (build aside, then swap)."""
    counts: dict[str, int] = {}

    def build(store: Store) -> None:
        counts.update(build_demo(store, config))

    Store.rebuild(path, build)
    return counts
