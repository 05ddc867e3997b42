"""Deterministic, fictitious national demo data for the Kansrijke Start Monitor: a demo that looks like life.

``generate(config)`` is pure (no database): it returns one DataFrame per table,
with the schema's column names. ``build_demo(store, config)`` writes all those
frames in one transaction and marks the file as demo (meta ``demo``,
``demo_today``, ``demo_seed``, ``built_at``). ``rebuild_demo(path, config)`` replaces a filled
file: it builds the demo in a new file beside it and swaps that in, so a failed
rebuild leaves the old file as it was. (Deleting and re-inserting in one
transaction is not an option: DuckDB refuses to delete a parent row in the
transaction that deleted its children, duckdb/duckdb#13819.) ``status_mix(store, config)``
counts the goal and result statuses the progress engine gives over all coalitions
(``python -m kansrijke info``).

Rules (every number below is FICTITIOUS; only the municipalities are real):

- Randomness comes only from ``numpy.random.default_rng`` seeded with
  ``config.demo.seed`` (one independent stream per part, and per coalition for its
  plan, actions, meetings and signals, so one coalition's changes do not shift another's),
  and "today" is the fixed snapshot date ``DEMO_TODAY``: the same config always gives the same data.
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
- The demo NEVER writes ``national_values``: the real national series are facts
  (``reference.install_facts``); where an indicator has none, "Nederland" pools all municipalities.
- About ``demo.share_without_coalition`` of municipalities have no coalition;
  the others are in exactly one. About ``demo.share_regional`` of coalitions are
  regional: 2-5 neighbours of one province, grown around a municipality by shared
  borders and distance (``demo.geography``, from the shipped boundaries). Ids are
  ``KS-<lead code>`` (the lowest member code); a regional coalition is named after its largest member.
  Phases 1..5 all occur (most in 3-4); earlier starts have later phases; the
  phase history starts at phase 1 on ``start_date``.
- Full plans (local coalitions in phase 3-5 with 3-4 ambitions, 2-3 goals each, results, 85-110 actions,
  self-scans, parents' signals and meetings with minutes): the programme's example municipalities
  (``EXAMPLE_MUNICIPALITIES``: Leeuwarden, Steenwijkerland, Almere) and the ``FULL_PLAN_LARGEST`` largest
  cities. The UI's default municipality (``ui.default_municipality``, Amsterdam GM0363) is a local coalition
  in phase 4 with a fixed plan (``SHOWCASE_GOALS``) whose goals show every status.
- Phase >= 2: 2-4 ambitions and 1-3 self-scans. Phase >= 3: 1-3 goals per ambition, set on
  ``since`` (shortly after the plan of approach; the day of the goal's first action). A goal on a municipal
  indicator takes as baseline the coalition's pooled value in a year that was published by then, and a
  target the figures can show (``plan.detect.detectable_change``: the change is at least the smallest
  detectable change over ``status.pool_years`` years where the indicator allows it at all). Each goal is
  given a wanted status (``OUTCOMES``) and the target is searched so that the progress engine's own rules
  (``plan.progress``) give that status; where no target can, the nearest feasible status is taken. So every
  status occurs and none dominates. A goal whose baseline is the latest year has no figure after it
  (*geen gegevens*); goals set after the latest figure's year wait for data (*nog niet te beoordelen*).
- Results (0-3 per goal, some per ambition) are mostly due after ``DEMO_TODAY`` and on or behind
  schedule relative to the time elapsed; some are done, a few are past their deadline.
- Actions (ids 1..n) run from the start date to ``ACTIONS_UNTIL``; after ``DEMO_TODAY`` they are
  'gepland'. Most coalitions have actions in the ``RECENT_DAYS`` before ``DEMO_TODAY``. Titles follow the
  Pharos support steps, the 10 leading principles and the interventions of the reference lists.
- Meetings (``meetings``, ``meeting_items``): full plans and about ``MEETING_SHARE`` of the other coalitions
  in phase >= 3 met every 5-10 weeks in the last year; each meeting shows slides, records decisions and
  actions (written to the action log on the meeting's time), so its minutes can be made.
- Parents' signals (``parent_signals``, ``demo.voices``): every full plan and about ``voices.SIGNAL_SHARE``
  of the other coalitions with an ambition.
- People are roles, never names.
- Who may write (``kansrijke.access``): the demo is not written through the write commands (``create_action``,
  ``importer.apply``, ...), which check a person's role. ``build_demo`` is the one internal path that fills an
  EMPTY file directly (``Store.write`` with whole tables, in ``rebuild_demo`` a new file swapped in), as
  installing the reference facts does; it needs no person because it replaces nothing anyone made. Who may
  start it is decided where it is called: the CLI ``demo`` (the operator, whoever can write the file) and the
  app's first start without any database. ``role_assignments`` stays empty in the demo.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kansrijke.core import reference
from kansrijke.core.config import Config, Indicator
from kansrijke.core.i18n import t
from kansrijke.core.reference import DEMO_TODAY, PARTNERS
from kansrijke.core.stats import wilson
from kansrijke.core.store import Store
from kansrijke.demo import voices
from kansrijke.demo.common import Coalition, day_between, pick, rng_for
from kansrijke.demo.geography import Geography, geography, grow
from kansrijke.plan import overview, progress
from kansrijke.plan.detect import detectable_change
from kansrijke.plan.progress import (
    AANDACHT,
    ACHTER,
    BEHAALD,
    GEEN_GEGEVENS,
    GOAL_STATUSES,
    ONBEPAALD,
    OP_KOERS,
    RESULT_STATUSES,
    coalitions_progress,
)

ACTIONS_UNTIL = dt.date(2026, 12, 31)
RESULTS_UNTIL = dt.date(2028, 12, 31)
FIRST_START, LAST_START = dt.date(2018, 6, 1), dt.date(2024, 12, 31)

BIG_FOUR_Z = {"GM0363": 0.75, "GM0599": 1.1, "GM0518": 1.0, "GM0344": 0.7}  # Amsterdam, Rotterdam, Den Haag, Utrecht
EXAMPLE_MUNICIPALITIES = {"GM0080": "Leeuwarden", "GM1708": "Steenwijkerland", "GM0034": "Almere"}
FULL_PLAN_LARGEST = 10  # the largest cities have full plans too (the G4 and the next six)
FULL_PHASE_WEIGHTS = [0.25, 0.5, 0.25]  # phases 3, 4, 5 of a full plan
SHOWCASE_START = dt.date(2019, 4, 15)
BIRTHS_INDICATOR = "levendgeborenen"
DEFAULT_BIRTH_RATE = 9.2  # per 1000 inhabitants, when the config has no births path
DENOMINATOR_SHARES = {"meisjes_15_19": 0.03, "minderjarigen": 0.19, "huishoudens_met_kinderen": 0.18}
SCALE = {"%": 100.0, "per 1000": 1000.0}  # "aantal": the demo level is per 1000 of the denominator
REVISED_SHARE = 0.004
MAX_TARGET_GAIN = 0.45  # a goal never aims at more than 45% improvement on its baseline
# Relative improvements a target may aim at.
GAINS = [round(float(g), 3) for g in np.linspace(0.03, MAX_TARGET_GAIN, 15)]
TOO_SMALL_SHARE = 0.06  # share of goals whose target is smaller than the figures can show (the app advises)
REALISTIC_GAIN = 0.25  # targets aim at most this much better than the baseline, unless the figures need more
FEASIBLE_GAIN = 0.35  # an indicator suits a goal when its figures can show this relative change
BASELINE_CHOICES = 3  # a baseline is one of the latest this many years published when the goal was set

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
FULL_ACTIONS = (85, 110)
ACTION_GOAL_SHARE = 0.7  # share of a coalition's actions (after its goals were set) linked to one of its goals
RECENT_DAYS = 42  # "the last weeks": most coalitions have actions in this many days before DEMO_TODAY
RECENT_SHARE = 0.85  # share of the other coalitions with such recent actions (full plans: all)
RECENT_ACTIONS = {True: (5, 9), False: (2, 5)}  # recent actions of a full plan / another coalition

# Meetings: who meets, how often, what is recorded.
MEETING_SHARE = 0.35  # share of the other coalitions in phase >= 3 that hold meetings in meeting mode
MEETING_SPAN_DAYS = 365  # meetings of the last year
MEETING_GAP_DAYS = (35, 71)
MEETING_DECISIONS = (1, 3)
MEETING_ACTIONS = (0, 2)
MEETING_ACTION_KEYS = (
    "ouderpanel",
    "spiegel",
    "casus",
    "scholing",
    "nieuwsbrief",
    "raadsbrief",
    "monitoring",
    "zorgpad",
    "aanspreekpunt",
    "schulden",
    "kennisdeling",
)

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
# The status each goal on an indicator is given (its target is searched so the progress engine says so):
# share of goals per status. Goals without an indicator take theirs from their results.
OUTCOMES = {BEHAALD: 0.17, OP_KOERS: 0.22, AANDACHT: 0.17, ACHTER: 0.15, ONBEPAALD: 0.16, GEEN_GEGEVENS: 0.13}
# The showcase's fixed plan, per ambition theme: (indicator, wanted status, the day the goal was set or None
# for shortly after the plan) or the title of a goal without an indicator. Together its goals show every status.
SHOWCASE_GOALS = {
    "start": [("sga_p10", OP_KOERS, None), ("vroeggeboorte", AANDACHT, None), ("big2", BEHAALD, None)],
    "kwetsbaar": [
        ("kwetsbare_situatie", ACHTER, None),
        ("geen_kraamzorg", ONBEPAALD, dt.date(2025, 3, 12)),  # added in 2025: its figures do not reach that far yet
        "Alle partners werken met één zorgpad",
    ],
    "armoede": [
        ("bijstandskinderen", GEEN_GEGEVENS, None),  # re-set on the latest figure: none after it yet
        "Geldzorgen zijn een vast onderwerp in het eerste huisbezoek",
        ("kinderen_armoede", BEHAALD, None),
    ],
    "wijk": [
        "Elke wijk heeft een herkenbaar aanspreekpunt voor ouders",
        "Ouders denken structureel mee via een ouderpanel",
    ],
}
# Results: how far each one got (share per kind). "done"/"nearly"/"late" are past their deadline.
PLAIN_WITH_RESULT = 0.8  # share of goals without an indicator that have a result to be judged by
RESULT_KINDS = {"done_early": 0.12, "done": 0.14, "nearly": 0.04, "late": 0.07, "on_track": 0.41, "behind": 0.22}

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
    "parent_signals",
    "meetings",
    "meeting_items",
]


# -- helpers ------------------------------------------------------------------
_rng, _day_between, _pick = rng_for, day_between, pick


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


def _national_values() -> pd.DataFrame:
    """Always empty: national series are real facts (``reference.install_facts``), never demo rows."""
    return pd.DataFrame(columns=reference.FACT_COLUMNS)


# -- coalitions ---------------------------------------------------------------
def full_plan_codes(config: Config, munis: pd.DataFrame) -> set[str]:
    """Municipalities with a full plan: the example municipalities, the largest cities, the G4 and the
    UI's default municipality (each a local coalition)."""
    largest = munis.sort_values(["population", "code"], ascending=[False, True])["code"].head(FULL_PLAN_LARGEST)
    return {*largest, *EXAMPLE_MUNICIPALITIES, *BIG_FOUR_Z, config.ui.default_municipality}


def _coalitions(config: Config, munis: pd.DataFrame, prof: pd.DataFrame, geo: Geography | None) -> list[Coalition]:
    rng = _rng(config.demo.seed, "coalitions")
    n = len(munis)
    codes = munis["code"].to_numpy()
    full = full_plan_codes(config, munis)
    weights = np.exp(-0.8 * prof["z"].to_numpy()) * np.where(munis["population"] < 25000, 1.5, 1.0)
    weights = weights * np.where(munis["gids"], 0.4, 1.0) * ~np.isin(codes, list(full))
    n_without = min(round(config.demo.share_without_coalition * n), int((weights > 0).sum()))
    without = set(rng.choice(n, size=n_without, replace=False, p=weights / weights.sum()).tolist())

    groups: list[list[int]] = []
    due = 0.0  # error diffusion: keeps the regional share of coalitions close to share_regional
    for _, prov in munis.groupby("province_code", sort=True):
        todo = [i for i in prov.sort_values("code").index if i not in without]
        order = todo if geo is None else [todo[k] for k in rng.permutation(len(todo))]
        taken: set[int] = set()
        for first in order:
            if first in taken:
                continue
            taken.add(first)
            due += config.demo.share_regional * rng.uniform(0.5, 1.5)
            size = int(rng.integers(2, 6))
            free = [i for i in todo if i not in taken and codes[i] not in full]
            if due >= 1 and codes[first] not in full and free:
                group = grow(geo, first, free, size) if geo is not None else [first, *free[: size - 1]]
                if len(group) > 1:
                    due -= 1
                    taken.update(group)
                    groups.append(sorted(group, key=lambda i: codes[i]))
                    continue
            groups.append([first])
    return [_coalition(config, munis, group, full, rng) for group in sorted(groups, key=lambda g: codes[g[0]])]


def _coalition(config: Config, munis: pd.DataFrame, members: list[int], full: set[str], rng) -> Coalition:
    lead = munis.loc[members[0]]
    largest = munis.loc[max(members, key=lambda i: (munis.at[i, "population"], -i))]
    local = len(members) == 1
    showcase = local and lead["code"] == config.ui.default_municipality
    is_full = local and lead["code"] in full
    if showcase:
        phase, start = 4, SHOWCASE_START
    elif is_full:
        phase = int(rng.choice([3, 4, 5], p=FULL_PHASE_WEIGHTS))
        start = _day_between(rng, *START_WINDOWS[phase])
    else:
        phase = int(rng.choice([1, 2, 3, 4, 5], p=PHASE_WEIGHTS[bool(lead["gids"])]))
        start = _day_between(rng, *START_WINDOWS[phase])
    if local:
        name, area = f"Coalitie Kansrijke Start {lead['name']}", lead["name"]
        areas = SHOWCASE_AREAS if showcase else [f"wijk {a}" for a in GENERIC_AREAS]
    else:
        name, area = f"Regionale coalitie Kansrijke Start {largest['name']} e.o.", f"de regio {largest['name']}"
        areas = munis.loc[members, "name"].tolist()
    return Coalition(
        id=f"KS-{lead['code']}",
        name=name,
        area=area,
        members=members,
        phase=phase,
        history=_history(phase, start, rng),
        trekker=_pick(rng, TREKKER_ROLES).format(name=largest["name"]),
        showcase=showcase,
        full=is_full,
        areas=list(areas),
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


# -- plan: ambitions ------------------------------------------------------------
def _ambitions(coalitions: list[Coalition], seed: int) -> pd.DataFrame:
    rows = []
    for c in coalitions:
        if c.phase < 2:
            continue
        rng = _rng(seed, f"ambitions:{c.id}")
        if c.showcase:
            keys = SHOWCASE_THEMES
        else:
            others = [t.key for t in THEMES if t.key != "start"]
            extra = int(rng.integers(2, 4)) if c.full else int(rng.integers(1, 4))
            keys = ["start", *rng.choice(others, size=extra, replace=False).tolist()]
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


# -- plan: goals -------------------------------------------------------------------
@dataclass
class _Area:
    """A coalition's published figures of one indicator, as the progress engine reads them: single years and
    windows of ``status.pool_years`` (small counts suppressed), and the yearly denominators."""

    singles: list[dict]
    windows: list[dict]
    values: dict[int, float]  # period -> published value
    denominators: list[float]
    detect: dict[float, tuple[float | None, float | None]]  # baseline -> (one year, pooled) detectable change


class _Goals:
    """Everything the goal planner needs: the counts, the config, and each coalition's figures (memoised)."""

    def __init__(self, config: Config, counts, years: np.ndarray):
        self.config, self.counts, self.years = config, counts, [int(y) for y in years]
        self.k = config.status.pool_years
        self._areas: dict[tuple[str, str], _Area] = {}
        self.reset: set[str] = set()  # coalitions with a goal re-set on the latest figure

    def area(self, c: Coalition, ind: Indicator) -> _Area:
        key = (c.id, ind.id)
        if key not in self._areas:
            self._areas[key] = self._build(c.members, ind)
        return self._areas[key]

    def _build(self, members: list[int], ind: Indicator) -> _Area:
        num_all, den_all = self.counts[ind.id]
        num = num_all[members].sum(axis=0).astype(float)
        den = den_all[members].sum(axis=0).astype(float)
        scale, floor = SCALE[ind.eenheid], self.config.privacy.min_count
        conf = self.config.status.confidence_level

        k, years = self.k, self.years
        # single years, then whole windows of k years (their last year and first year)
        nums = [*num, *(num[i - k + 1 : i + 1].sum() for i in range(k - 1, len(years)) if k > 1)]
        dens = [*den, *(den[i - k + 1 : i + 1].sum() for i in range(k - 1, len(years)) if k > 1)]
        lasts = [*years, *(years[k - 1 :] if k > 1 else [])]
        firsts = [*years, *(years[: len(years) - k + 1] if k > 1 else [])]
        lo, hi = wilson(np.array(nums), np.array(dens), conf)
        singles, windows = [], []
        for i, (n, d) in enumerate(zip(nums, dens, strict=True)):
            if d > 0 and n >= floor:
                out = {"period": lasts[i], "value": float(n / d * scale)}
                out.update(lower=float(lo[i] * scale), upper=float(hi[i] * scale))
                if i < len(years):
                    singles.append(out)
                else:
                    windows.append({**out, "first_period": firsts[i]})
        values = {r["period"]: r["value"] for r in singles}  # a baseline is a published figure
        return _Area(singles, windows, values, [float(d) for d in den], {})

    def detectable(self, area: _Area, ind: Indicator, base: float) -> tuple[float | None, float | None]:
        """(one year, pooled) smallest detectable change at ``base`` (``plan.detect``)."""
        if base not in area.detect:
            far = 0.0 if ind.richting != "hoger_beter" else SCALE[ind.eenheid]
            found = detectable_change(ind, base, far, area.denominators, self.config.status.confidence_level, self.k)
            area.detect[base] = (found["one_year"], found["pooled"])
        return area.detect[base]

    def feasible(self, c: Coalition, ind: Indicator) -> bool:
        """Whether the coalition's figures can show a change of ``FEASIBLE_GAIN`` on its latest value."""
        area = self.area(c, ind)
        latest = area.values.get(self.years[-1])
        if not latest:
            return False
        pooled = self.detectable(area, ind, round(latest, 2))[1]
        return pooled is not None and pooled <= FEASIBLE_GAIN * latest

    def judge(
        self, area: _Area, ind: Indicator, base_year: int, base: float, target_year: int, target: float, since: dt.date
    ) -> tuple[str, bool]:
        """(status, too small) the progress engine gives this goal, by its own rules (``plan.progress``:
        the figure chosen, the verdict, the source-lag rule) on the figures the demo writes."""
        one, pooled = self.detectable(area, ind, base)
        change = abs(target - base)
        use_pooled = self.k > 1 and one is not None and pooled is not None and one > change >= pooled
        too_small = pooled is not None and change < pooled
        fig = progress._choose(area.singles, area.windows, base_year, use_pooled)
        if fig is None:
            return GEEN_GEGEVENS, too_small
        sign = 1.0 if ind.richting == "hoger_beter" else -1.0
        share = min(1.0, max(0.0, (fig["mid"] - base_year) / (target_year - base_year)))
        expected = base + (target - base) * share
        lo, hi = sorted((sign * fig["lower"], sign * fig["upper"]))
        status = progress._verdict(
            sign * fig["value"],
            sign * base,
            sign * target,
            sign * expected,
            lo,
            hi,
            True,
            fig["last"] >= target_year,
            ind.eenheid,
            1,
            self.config,
        )[0]
        if status in (ACHTER, AANDACHT) and fig["last"] < since.year:  # the source lags the goal's first action
            status = ONBEPAALD
        return status, too_small


def _normalised(weights: list[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def _published_year(ind: Indicator, day: dt.date) -> int:
    """The latest year of ``ind`` published on ``day`` (figures appear on 1 October, ``vertraging_jaren`` on)."""
    return day.year - ind.vertraging_jaren - (0 if day >= dt.date(day.year, 10, 1) else 1)


def _target_year(rng, since: dt.date, horizon: int) -> int:
    low = max(2026, since.year + 1)
    return int(rng.integers(low, max(horizon, low) + 1))


def _goal_since(c: Coalition, rng) -> dt.date:
    """The day a goal was set: shortly after the plan of approach."""
    return min(c.plan_date + dt.timedelta(days=int(rng.integers(0, 61))), DEMO_TODAY - dt.timedelta(days=7))


def _indicator_goal(
    planner: _Goals, rng, c: Coalition, ind: Indicator, wanted: str, since: dt.date, horizon: int
) -> dict | None:
    """Baseline, target and the day the goal was set for a goal on ``ind`` that the engine judges ``wanted``
    (or the nearest feasible status), with a target the figures can show where possible."""
    area = planner.area(c, ind)
    first, last = planner.years[0], planner.years[-1]
    if wanted == GEEN_GEGEVENS:  # set on the latest figure: nothing published after it yet
        published = dt.date(last + ind.vertraging_jaren, 10, 1)
        since = min(max(since, published + dt.timedelta(days=int(rng.integers(7, 45)))), DEMO_TODAY)
        years = [last]
    else:
        newest = min(_published_year(ind, since), last - 1)
        years = list(range(max(first, newest - BASELINE_CHOICES + 1), newest + 1)) or [first]
    options = [(y, round(area.values[y], 2)) for y in years if area.values.get(y)]
    if not options:
        return None
    low = max(2026, since.year + 2)
    target_years = list(range(low, max(min(horizon, 2030), low) + 1))
    if len(target_years) > 3:
        target_years = sorted(rng.choice(target_years, size=3, replace=False).tolist())
    sign = 1.0 if ind.richting == "hoger_beter" else -1.0
    upper = SCALE[ind.eenheid]
    candidates = []
    for by, base in options:
        pooled = planner.detectable(area, ind, base)[1] or 0.0
        top = min(MAX_TARGET_GAIN, max(REALISTIC_GAIN, 1.5 * pooled / base))  # bigger only when the data need it
        for ty in target_years:
            seen = set()
            for gain in (g for g in GAINS if g <= top):
                target = round(min(max(base * (1 + sign * gain), 0.0), upper), 1)
                if target == base or target in seen or sign * (target - base) <= 0:
                    continue
                seen.add(target)
                status, too_small = planner.judge(area, ind, by, base, ty, target, since)
                candidates.append((status, too_small, float(gain), by, base, ty, target))
    if not candidates:
        return None
    # a few targets are smaller than the figures can show (the app then advises); the others are not
    small = rng.random() < TOO_SMALL_SHARE and any(x[1] for x in candidates)
    fitting = [x for x in candidates if x[0] == wanted and x[1] == small]
    if not fitting:
        pool = [x for x in candidates if x[1] == small] or candidates
        statuses = sorted({x[0] for x in pool}, key=GOAL_STATUSES.index)
        weights = np.array([OUTCOMES.get(s, 0.05) for s in statuses])
        status = statuses[int(rng.choice(len(statuses), p=weights / weights.sum()))]
        fitting = [x for x in pool if x[0] == status]
    weights = np.array([np.exp(-x[2] / 0.12) for x in fitting])  # modest targets are more common
    status, too_small, _, by, base, ty, target = fitting[int(rng.choice(len(fitting), p=weights / weights.sum()))]
    return {
        "baseline_year": by,
        "baseline_value": base,
        "target_value": target,
        "target_year": ty,
        "since": since,
        "planned": status,
        "too_small": too_small,
    }


def _goal_specs(c: Coalition, amb: dict, rng, planner: _Goals, used: set[str]) -> list:
    """What each goal of an ambition is: (indicator, wanted status, set on) or a plain title."""
    theme = THEME_BY_KEY[amb["theme"]]
    if c.showcase:
        return list(SHOWCASE_GOALS.get(amb["theme"], []))
    plain = list(theme.plain_goals)
    n_goals = int(rng.integers(2, 4)) if c.full else int(rng.integers(1, 4))
    specs: list = []
    taken = set(used)
    for _ in range(n_goals):
        free = [i for i in theme.indicators if i not in taken and i in planner.counts]
        feasible = [i for i in free if planner.feasible(c, planner.config.indicator(i))]
        pool = feasible or (free if not plain or rng.random() < 0.3 else [])
        if pool and (rng.random() < 0.85 or not plain):
            ind_id = _pick(rng, pool)
            taken.add(ind_id)
            outcomes = [s for s in OUTCOMES if s != GEEN_GEGEVENS or c.id not in planner.reset]
            wanted = outcomes[int(rng.choice(len(outcomes), p=_normalised([OUTCOMES[s] for s in outcomes])))]
            if wanted == GEEN_GEGEVENS:  # at most one goal per coalition is re-set on the latest figure
                planner.reset.add(c.id)
            specs.append((ind_id, wanted, None))
        elif plain:
            specs.append(plain.pop(0))
        else:
            break
    return specs


def _goals(config: Config, coalitions: list[Coalition], counts, years: np.ndarray) -> pd.DataFrame:
    planner = _Goals(config, counts, years)
    rows = []
    for c in coalitions:
        if c.phase < 3:
            continue
        rng = _rng(config.demo.seed, f"goals:{c.id}")
        used: set[str] = set()
        for amb in c.ambitions:
            pos = 0
            specs = _goal_specs(c, amb, rng, planner, used)
            spare = [p for p in THEME_BY_KEY[amb["theme"]].plain_goals if p not in specs]
            for spec in specs:
                since = _goal_since(c, rng)
                goal = {
                    "id": f"{amb['id']}-D{pos + 1}",
                    "ambition_id": amb["id"],
                    "position": pos + 1,
                    "indicator_id": None,
                    "baseline_value": None,
                    "baseline_year": None,
                    "target_value": None,
                    "target_year": _target_year(rng, since, amb["horizon_year"]),
                    "theme": amb["theme"],
                    "since": since,
                    "planned": None,
                    "too_small": False,
                }
                if isinstance(spec, tuple):
                    ind_id, wanted, day = spec
                    ind = config.indicator(ind_id)
                    values = _indicator_goal(planner, rng, c, ind, wanted, day or since, amb["horizon_year"])
                    if values is None and not spare:
                        continue
                    if values is None:  # no published figure to start from: a goal without an indicator instead
                        spec = spare.pop(0)
                if isinstance(spec, tuple):
                    used.add(ind_id)
                    goal.update(
                        values,
                        title=GOAL_TITLES.get(ind_id, ind.naam),
                        indicator_id=ind_id,
                        owner=_pick(rng, GOAL_OWNERS.get(ind_id, GOAL_OWNERS[None])),
                    )
                else:
                    goal.update(title=spec, owner=_pick(rng, GOAL_OWNERS[None]))
                pos += 1
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


# -- plan: results -----------------------------------------------------------------
def _result_progress(rng, kind: str, target: float, start: dt.date, plan: dt.date, ratio: float):
    """(due date, realised) for a result of ``kind`` (``RESULT_KINDS``), judged on DEMO_TODAY."""
    past_first = max(plan + dt.timedelta(days=180), dt.date(2025, 1, 1))
    past_last = DEMO_TODAY - dt.timedelta(days=7)
    if kind in ("done", "nearly", "late") and past_first > past_last:
        kind = "on_track"  # too young for a deadline that has passed
    if kind in ("done", "nearly", "late"):
        due = _day_between(rng, past_first, past_last)
    else:
        due = _day_between(rng, DEMO_TODAY + dt.timedelta(days=30), RESULTS_UNTIL)
    elapsed = min(1.0, max(0.0, (DEMO_TODAY - start).days / max((due - start).days, 1)))
    need = ratio * elapsed  # the share the engine wants by now to call it "op koers"
    if kind in ("done", "done_early"):
        share = rng.uniform(1.0, 1.1)
    elif kind == "nearly":
        share = rng.uniform(ratio, 0.99)
    elif kind == "late":
        share = rng.uniform(0.35, max(0.36, ratio - 0.05))
    elif kind == "on_track":
        share = rng.uniform(need * 1.03, 0.98) if need * 1.03 < 0.98 else rng.uniform(1.0, 1.05)
    else:  # behind
        share = rng.uniform(need * 0.35, need * 0.85)
    realised = float(min(round(target * share), np.floor(target * 1.1)))  # never more than 10% over the target
    if kind == "on_track" and realised < target and realised < need * target:
        realised = float(min(target, np.ceil(need * target)))
    return due, realised


def _results(config: Config, coalitions: list[Coalition], munis: pd.DataFrame, seed: int) -> pd.DataFrame:
    rows = []
    ratio = config.status.on_track_ratio
    kinds, shares = list(RESULT_KINDS), np.array(list(RESULT_KINDS.values()))
    for c in coalitions:
        if c.phase < 3:
            continue
        rng = _rng(seed, f"results:{c.id}")
        size = float(np.clip(np.sqrt(munis.loc[c.members, "population"].sum() / 50000), 0.5, 4.0))
        updated_from = max(c.plan_date, dt.date(2024, 1, 1))
        at_least = 1 if c.showcase or c.full else 0
        for amb in c.ambitions:
            theme = THEME_BY_KEY[amb["theme"]]
            goals = [g for g in c.goals if g["ambition_id"] == amb["id"]]
            # a goal without an indicator is judged by its results: those come first and mostly have one
            plain = [
                (g["id"], int(rng.random() < PLAIN_WITH_RESULT) + int(rng.integers(0, 2)))
                for g in goals
                if g["indicator_id"] is None
            ]
            slots = plain + [(g["id"], int(rng.integers(at_least, 4))) for g in goals if g["indicator_id"]]
            slots.append((None, int(rng.integers(0, 2))))  # results tied to the ambition only
            templates = list(theme.results)
            n = 0
            for goal_id, k in slots:
                for _ in range(k):
                    if not templates:
                        break
                    title, unit, low, high = RESULT_TEMPLATES[templates.pop(int(rng.integers(len(templates))))]
                    target = float(max(1, round(rng.uniform(low, high) * (size if high > 30 else np.sqrt(size)))))
                    kind = kinds[int(rng.choice(len(kinds), p=shares / shares.sum()))]
                    due, realised = _result_progress(rng, kind, target, c.start, c.plan_date, ratio)
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
                            "due_date": due,
                            "updated_on": _day_between(rng, updated_from, DEMO_TODAY),
                        }
                    )
    return pd.DataFrame(
        rows, columns=["id", "ambition_id", "goal_id", "title", "target", "realised", "unit", "due_date", "updated_on"]
    )


# -- actions ------------------------------------------------------------------
def _action_row(
    c: Coalition,
    tpl: ActionTemplate,
    day: dt.date,
    rng,
    goal_id,
    created: dt.datetime | None = None,
    keep: bool = False,
) -> dict:
    """One action of ``c`` on ``day``; ``created`` defaults to 9:00 that day; ``keep``: never 'vervallen'."""
    template = _pick(rng, tpl.titles)
    named = _pick(rng, [p for p in tpl.pool if p != tpl.owner] or [tpl.owner])  # the partner a title may name
    title = template.format(
        area=c.area,
        wijk=_pick(rng, c.areas),
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
    if keep and status == "vervallen":
        status = "afgerond"
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
        "created_at": created or dt.datetime.combine(day, dt.time(9, 0)),
        "version": 1,
        "meeting_item": None,
    }


def _goals_set_by(c: Coalition, day: dt.date) -> list[dict]:
    return [g for g in c.goals if g["since"] <= day]


def _goal_for(c: Coalition, tpl: ActionTemplate, day: dt.date, rng) -> str | None:
    """A goal of ``c`` (set by ``day``) the action serves, preferring its theme; None for about 30%."""
    goals = _goals_set_by(c, day)
    if not goals or rng.random() >= ACTION_GOAL_SHARE:
        return None
    fitting = [g for g in goals if g["theme"] == tpl.theme] or goals
    return _pick(rng, fitting)["id"]


_TEMPLATES_IN_PHASE = {p: [t for t in ACTION_TEMPLATES if t.phases[0] <= p <= t.phases[1]] for p in range(1, 6)}


def _template_on(c: Coalition, day: dt.date, rng, done: set[str], theme: str | None = None) -> ActionTemplate:
    """An action template fitting the coalition's phase on ``day`` (and ``theme`` when one fits)."""
    eligible = [t for t in _TEMPLATES_IN_PHASE[c.phase_on(day)] if t.key not in done]
    themed = [t for t in eligible if theme is not None and t.theme == theme]
    pool = themed or eligible
    cumulative = list(itertools.accumulate(t.weight for t in pool))
    tpl = pool[min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(pool) - 1)]
    if tpl.once:
        done.add(tpl.key)
    return tpl


def _actions(coalitions: list[Coalition], meetings: dict[str, list[dict]], seed: int) -> pd.DataFrame:
    """The action log; the rows of actions recorded in a meeting carry ``meeting_item`` (meeting, position)."""
    by_key = {t.key: t for t in ACTION_TEMPLATES}
    rows = []
    for c in coalitions:
        rng = _rng(seed, f"actions:{c.id}")
        own = [_action_row(c, MILESTONES[phase], since, rng, None) for phase, since in c.history]
        done: set[str] = set()
        for goal in c.goals:  # each goal's first action: the day it was set
            tpl = _template_on(c, goal["since"], rng, done, goal["theme"])
            own.append(_action_row(c, tpl, goal["since"], rng, goal["id"], keep=True))
        for meeting in meetings.get(c.id, []):
            own.extend(item["action"] for item in meeting["items"] if item["action"] is not None)
        if c.showcase:
            n = SHOWCASE_ACTIONS
        elif c.full:
            n = int(rng.integers(FULL_ACTIONS[0], FULL_ACTIONS[1] + 1))
        else:
            low, high = ACTIONS_PER_PHASE[c.phase]
            n = int(rng.integers(low, high + 1)) + 3 * (len(c.members) - 1)
        recent = 0
        if c.full or c.showcase or rng.random() < RECENT_SHARE:
            recent = int(rng.integers(*RECENT_ACTIONS[c.full or c.showcase]))
        first_recent = DEMO_TODAY - dt.timedelta(days=RECENT_DAYS)
        days = [_day_between(rng, c.start, ACTIONS_UNTIL) for _ in range(max(n - len(own) - recent, 0))]
        days += [_day_between(rng, max(first_recent, c.start), DEMO_TODAY) for _ in range(recent)]
        for day in days:
            tpl = _template_on(c, day, rng, done)
            own.append(_action_row(c, tpl, day, rng, _goal_for(c, tpl, day, rng)))
        if c.showcase:
            for key, day in SHOWCASE_PLANNED:
                own.append(_action_row(c, by_key[key], day, rng, _goal_for(c, by_key[key], day, rng)))
        rows.extend(own)
    frame = pd.DataFrame(rows).sort_values(["coalition_id", "action_date", "title"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.insert(0, "id", np.arange(1, len(frame) + 1, dtype=np.int64))
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame


# -- meetings ------------------------------------------------------------------------
def _meeting_days(c: Coalition, rng) -> list[dt.date]:
    """Meeting days of the last year (every 5-10 weeks, on a weekday), the latest 1-5 weeks before today."""
    first = max(c.plan_date + dt.timedelta(days=14), DEMO_TODAY - dt.timedelta(days=MEETING_SPAN_DAYS))
    day = DEMO_TODAY - dt.timedelta(days=int(rng.integers(7, 36)))
    days = []
    while day >= first:
        days.append(day - dt.timedelta(days=max(0, day.weekday() - 3)))  # Monday to Thursday
        day -= dt.timedelta(days=int(rng.integers(*MEETING_GAP_DAYS)))
    return sorted(days)


def _meetings(coalitions: list[Coalition], seed: int) -> dict[str, list[dict]]:
    """Per coalition its meetings: started_at, ended_at, shown (slide titles), and items (kind, text, and for
    an action its action-log row, dated 1-6 weeks after the meeting)."""
    out: dict[str, list[dict]] = {}
    by_key = {t.key: t for t in ACTION_TEMPLATES}
    for c in coalitions:
        if c.phase < 3 or c.plan_date is None:
            continue
        rng = _rng(seed, f"meetings:{c.id}")
        if not (c.full or c.showcase) and rng.random() >= MEETING_SHARE:
            continue
        found = []
        for day in _meeting_days(c, rng):
            started = dt.datetime.combine(day, _pick(rng, voices.MEETING_TIMES))
            goals = _goals_set_by(c, day)
            shown_goals = (
                rng.choice(len(goals), size=min(len(goals), int(rng.integers(1, 4))), replace=False).tolist()
                if goals
                else []
            )
            shown = [t("meeting.slide_ambitions")]
            shown += [t("meeting.slide_goal", title=goals[i]["title"]) for i in sorted(shown_goals)]
            shown += [t("meeting.slide_done"), t("meeting.slide_next")]
            items = [
                {"kind": "besluit", "text": voices.decision(rng, c, goals), "action": None}
                for _ in range(int(rng.integers(MEETING_DECISIONS[0], MEETING_DECISIONS[1] + 1)))
            ]
            phase = c.phase_on(day)
            keys = [k for k in MEETING_ACTION_KEYS if by_key[k].phases[0] <= phase <= by_key[k].phases[1]]
            for _ in range(int(rng.integers(MEETING_ACTIONS[0], MEETING_ACTIONS[1] + 1))):
                tpl = by_key[_pick(rng, keys)]
                when = min(day + dt.timedelta(days=int(rng.integers(7, 43))), ACTIONS_UNTIL)
                goal = _goal_for(c, tpl, day, rng)
                row = _action_row(c, tpl, when, rng, goal, created=started + dt.timedelta(minutes=50))
                items.append({"kind": "actie", "text": row["title"], "action": row})
            order = rng.permutation(len(items)).tolist()
            items = [items[i] for i in order]
            found.append(
                {
                    "coalition_id": c.id,
                    "started_at": started,
                    "ended_at": started + dt.timedelta(minutes=int(rng.integers(60, 121))),
                    "shown": json.dumps(shown, ensure_ascii=False),
                    "items": items,
                }
            )
        out[c.id] = found
    number = 0
    for cid in sorted(out):
        for meeting in out[cid]:
            number += 1
            meeting["id"] = number
            for position, item in enumerate(meeting["items"], start=1):
                item["position"] = position
                if item["action"] is not None:
                    item["action"]["meeting_item"] = (number, position)
    return out


def _meeting_frames(meetings: dict[str, list[dict]], actions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    action_of = {key: int(i) for key, i in zip(actions["meeting_item"], actions["id"], strict=True) if key}
    heads, items = [], []
    for cid in sorted(meetings):
        for m in meetings[cid]:
            heads.append({k: m[k] for k in ("id", "coalition_id", "started_at", "ended_at", "shown")})
            for item in m["items"]:
                items.append(
                    {
                        "meeting_id": m["id"],
                        "position": item["position"],
                        "kind": item["kind"],
                        "text": item["text"],
                        "action_id": action_of.get((m["id"], item["position"])),
                    }
                )
    head = pd.DataFrame(heads, columns=["id", "coalition_id", "started_at", "ended_at", "shown"])
    for col in ("started_at", "ended_at"):
        head[col] = pd.to_datetime(head[col])
    head["id"] = head["id"].astype("int64")
    body = pd.DataFrame(items, columns=["meeting_id", "position", "kind", "text", "action_id"])
    body["action_id"] = body["action_id"].astype("Int64")
    return head, body


# -- self-assessments ---------------------------------------------------------
def _self_assessments(coalitions: list[Coalition], seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    scans, scores = [], []
    for c in coalitions:
        if c.phase < 2:
            continue
        rng = _rng(seed, f"self_assessments:{c.id}")
        formed = c.history[1][1]
        latest = max(_day_between(rng, dt.date(2025, 3, 1), dt.date(2026, 10, 31)), formed + dt.timedelta(days=30))
        wanted = 3 if c.showcase or c.full else int(rng.integers(1, min(c.phase, 3) + 1))
        dates = [latest - dt.timedelta(days=365 * k + int(rng.integers(-30, 31))) for k in range(wanted)]
        dates = sorted([d for d in dates[1:] if d >= formed] + [latest])
        bias = {dim: rng.normal(0, 0.5) for dim in SCAN_DIMENSIONS}
        for k, day in enumerate(dates, start=1):
            scan_id = f"{c.id}-S{k}"
            scans.append(
                {
                    "id": scan_id,
                    "coalition_id": c.id,
                    "assessed_on": day,
                    "assessed_by": _pick(rng, ASSESSORS),
                    "phase": c.phase_on(day),
                }
            )
            level = 0.3 + 0.45 * (c.phase_on(day) - 1) + 0.25 * (k - 1)
            for dim in SCAN_DIMENSIONS:
                score = int(np.clip(round(level + bias[dim] + rng.normal(0, 0.3)), 0, 3))
                note = SCORE_NOTES[score] if rng.random() < 0.25 else None
                scores.append({"assessment_id": scan_id, "dimension": dim, "score": score, "note": note})
            for dim, notes in LESSON_NOTES.items():
                scores.append({"assessment_id": scan_id, "dimension": dim, "score": None, "note": _pick(rng, notes)})
    scan_frame = pd.DataFrame(scans, columns=["id", "coalition_id", "assessed_on", "assessed_by", "phase"])
    scan_frame["phase"] = scan_frame["phase"].astype("int16")
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
    coalitions = _coalitions(config, munis, prof, geography(config, munis))
    ambitions = _ambitions(coalitions, seed)
    goals = _goals(config, coalitions, counts, years)
    results = _results(config, coalitions, munis, seed)
    meetings = _meetings(coalitions, seed)
    actions = _actions(coalitions, meetings, seed)
    meeting_heads, meeting_items = _meeting_frames(meetings, actions)
    scans, scores = _self_assessments(coalitions, seed)
    frames = {
        "municipalities": munis,
        "indicator_values": values,
        "national_values": _national_values(),
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
        "results": results,
        "actions": actions.drop(columns=["meeting_item"]),
        "self_assessments": scans,
        "self_assessment_scores": scores,
        "parent_signals": voices.signal_rows(coalitions, seed, DEMO_TODAY),
        "meetings": meeting_heads,
        "meeting_items": meeting_items,
    }
    return {name: frames[name] for name in TABLES}


FACT_TABLES = ("municipalities", "national_values")


def build_demo(store: Store, config: Config) -> dict[str, int]:
    """Write the demo into an empty ``store`` in one transaction; return row counts per table.

    To replace a filled database, use ``rebuild_demo``: it builds a new file and swaps it in.
    """
    if store.scalar("count_municipalities"):
        raise ValueError("build_demo needs an empty database; use rebuild_demo to replace one")
    frames = generate(config)
    with store.write() as w:
        # The facts (municipalities, the real national series) come from core.reference, never from the demo.
        frames.update({table: pd.DataFrame() for table in FACT_TABLES})
        facts = reference.write_facts(w, config)
        for table in TABLES:
            if not frames[table].empty:
                w.insert_df(table, frames[table])
        w.set_meta("demo", "1")
        w.set_meta("demo_today", DEMO_TODAY.isoformat())
        w.set_meta("demo_seed", str(config.demo.seed))
        w.set_meta("built_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return {table: facts.get(table, len(frames[table])) for table in TABLES}


def rebuild_demo(path: Path, config: Config) -> dict[str, int]:
    """Replace the database file at ``path`` with a fresh demo, atomically (build aside, then swap)."""
    counts: dict[str, int] = {}

    def build(store: Store) -> None:
        counts.update(build_demo(store, config))

    Store.rebuild(path, build)
    return counts


def status_mix(store: Store, config: Config) -> dict[str, dict[str, int]]:
    """How many goals and results of all coalitions have each status (the progress engine,
    ``plan.progress.coalitions_progress``, on the database's "today": the demo's snapshot date on demo data).
    ``{"goals": {status: n, ...}, "results": {status: n, ...}}``, every status listed in the engine's order."""
    goals = dict.fromkeys(GOAL_STATUSES, 0)
    results = dict.fromkeys(RESULT_STATUSES, 0)
    for state in coalitions_progress(store, config, today=overview.reference_day(store)):
        for amb in state.ambitions:
            for g in amb.goals:
                goals[g.status] += 1
            for r in amb.results:
                results[r.status] += 1
    return {"goals": goals, "results": results}
