"""The demo's voices: what parents told a coalition (``parent_signals``) and what its meetings decided.

Every text is fictitious and holds no personal data (no names, addresses, numbers that identify anyone):
``tests/demo`` runs each one through ``signals.personal_data_problems``. ``{wijk}`` is a neighbourhood (or a
member municipality of a regional coalition), ``{goal}`` a goal's title.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kansrijke.demo.common import Coalition, pick, rng_for

SIGNAL_SHARE = 0.6  # share of the other coalitions with an ambition that recorded parents' signals
SIGNALS_FULL = (6, 12)  # signals of a full plan
SIGNALS_OTHER = (1, 6)
SIGNAL_GOAL_SHARE = 0.6  # share of signals linked to a goal of the ambition (when it has goals)

# Per ambition theme: (kind, text).
SIGNAL_TEXTS: dict[str, list[tuple[str, str]]] = {
    "start": [
        ("citaat", "Ik wist pas bij twintig weken dat ik al naar de verloskundige kon; niemand had het me verteld."),
        ("citaat", "In de CenteringZwangerschap-groep leerde ik andere moeders uit {wijk} kennen."),
        ("citaat", "Het huisbezoek van de JGZ voor de bevalling gaf rust: ik wist bij wie ik terecht kon."),
        (
            "spiegelgesprek",
            "Ouders vertellen dat folders in het Nederlands niet aankomen; een gesprek in hun eigen taal wel.",
        ),
        ("signaal", "Verloskundigen zien vaker zwangeren die zich laat melden, vooral bij een eerste zwangerschap."),
        ("spiegelgesprek", "Vaders voelen zich bij de controles een toeschouwer; ze willen ook iets kunnen vragen."),
    ],
    "armoede": [
        ("citaat", "Over geld praten durfde ik niet, tot de kraamverzorgende er zelf naar vroeg."),
        ("citaat", "De babyuitzet van de kledingbank scheelde ons echt, maar vragen vond ik moeilijk."),
        ("signaal", "Gezinnen met geldzorgen komen pas bij schuldhulp als de rekeningen zich al opstapelen."),
        (
            "spiegelgesprek",
            "Ouders willen geen stapel formulieren, maar één persoon die meedenkt over toeslagen en rekeningen.",
        ),
        ("signaal", "De JGZ hoort op het consultatiebureau vaker over zorgen om de huur en de energierekening."),
    ],
    "kwetsbaar": [
        ("citaat", "Ik moest mijn verhaal bij vier hulpverleners opnieuw vertellen."),
        ("signaal", "Het wijkteam hoort vaak pas na de bevalling van een zwangere in een kwetsbare situatie."),
        ("spiegelgesprek", "Ervaringsdeskundigen vragen om één vast aanspreekpunt tijdens en na de zwangerschap."),
        ("signaal", "Verloskundigen missen een snelle route naar de POP-poli voor zwangeren met psychische klachten."),
        ("citaat", "Dat de verloskundige en de wijkcoach samen langskwamen, maakte het makkelijker om hulp te vragen."),
    ],
    "wijk": [
        ("citaat", "Het inloopspreekuur in {wijk} is dichtbij; daar loop ik gewoon binnen."),
        (
            "spiegelgesprek",
            "Ouders in {wijk} kennen het consultatiebureau, maar weten niet dat ze er ook met vragen over geld "
            "terechtkunnen.",
        ),
        ("signaal", "Sleutelfiguren merken dat nieuwe ouders in {wijk} informatie vooral via appgroepen delen."),
        ("citaat", "Bij de koffieochtend in {wijk} hoorde ik voor het eerst van Stevig Ouderschap."),
        ("spiegelgesprek", "Het ouderpanel vraagt om spreekuren op zaterdag, voor ouders die doordeweeks werken."),
    ],
    "kinderwens": [
        ("spiegelgesprek", "Jongeren willen voorlichting over anticonceptie van iemand die ze vertrouwen."),
        ("citaat", "Niemand had me ooit gevraagd of ik een kinderwens had; dat gesprek hielp me echt."),
        ("signaal", "Aandachtsfunctionarissen Nu Niet Zwanger merken dat het gesprek na de training makkelijker gaat."),
    ],
    "keten": [
        ("signaal", "Partners vinden elkaar beter sinds de netwerkkaart, maar de huisartsen doen nog weinig mee."),
        ("citaat", "De kraamverzorgende wist precies wie ze moest bellen toen het thuis niet goed ging."),
        (
            "spiegelgesprek",
            "Ouders vinden het prettig dat hulpverleners van elkaar weten wat er speelt, als het hun eerst gevraagd "
            "is.",
        ),
    ],
}
RECORDERS = [
    "JGZ-verpleegkundige",
    "Verloskundige",
    "Medewerker sociaal wijkteam",
    "Coördinator ouderpanel",
    "Kraamverzorgende",
    "Beleidsadviseur gemeente",
]

# Decisions of a coalition meeting ({wijk}, {goal}).
DECISIONS = [
    "We houden het zorgpad kwetsbare zwangeren vast en evalueren het over een halfjaar.",
    "Het ouderpanel leest mee met de nieuwe folder voor aanstaande ouders.",
    "De uitkomsten van de zelfscan bespreken we in het volgende overleg.",
    "De huisartsen worden uitgenodigd voor het casusoverleg.",
    "De wethouder krijgt een raadsinformatiebrief over de voortgang.",
    "We proberen de aanpak eerst uit in {wijk} en breiden daarna uit.",
    "Het doel '{goal}' houden we vast; de cijfers lopen achter, volgend jaar kijken we opnieuw.",
    "De scholing signaleren bieden we ook aan de kinderopvang aan.",
    "De coalitie vergadert voortaan om de zes weken.",
    "Voor het doel '{goal}' vragen we de GGD om een cijfer over drie jaar samen.",
    "We sluiten aan bij de regionale bijeenkomst Kansrijke Start.",
    "De financiering van de inloopspreekuren loopt door tot eind volgend jaar.",
]
MEETING_TIMES = (dt.time(10, 0), dt.time(14, 0), dt.time(19, 30))


def signal_rows(coalitions: list[Coalition], seed: int, today: dt.date) -> pd.DataFrame:
    """Parents' signals (table ``parent_signals``): every full plan and about ``SIGNAL_SHARE`` of the other
    coalitions with an ambition, dated from the day the coalition formed to ``today`` (more of them lately)."""
    rows = []
    for c in coalitions:
        if not c.ambitions or c.phase < 2:
            continue
        rng = rng_for(seed, f"signals:{c.id}")
        if not c.full and rng.random() >= SIGNAL_SHARE:
            continue
        low, high = SIGNALS_FULL if c.full else SIGNALS_OTHER
        formed = c.history[1][1]
        span = max((today - formed).days, 1)
        used: set[str] = set()
        for _ in range(int(rng.integers(low, high + 1))):
            amb = pick(rng, c.ambitions)
            texts = [x for x in SIGNAL_TEXTS[amb["theme"]] if x[1] not in used]
            if not texts:
                continue
            kind, text = pick(rng, texts)
            used.add(text)
            day = formed + dt.timedelta(days=int(span * rng.random() ** 0.5))
            goals = [g for g in c.goals if g["ambition_id"] == amb["id"] and g["since"] <= day]
            goal = pick(rng, goals)["id"] if goals and rng.random() < SIGNAL_GOAL_SHARE else None
            rows.append(
                {
                    "coalition_id": c.id,
                    "ambition_id": amb["id"],
                    "goal_id": goal,
                    "signal_date": day,
                    "kind": kind,
                    "text": text.format(wijk=pick(rng, c.areas)),
                    "recorded_by": pick(rng, RECORDERS),
                    "created_at": dt.datetime.combine(day, dt.time(16, 30)),
                }
            )
    columns = ["coalition_id", "ambition_id", "goal_id", "signal_date", "kind", "text", "recorded_by", "created_at"]
    frame = pd.DataFrame(rows, columns=columns).sort_values(["coalition_id", "signal_date", "text"], kind="stable")
    frame.insert(0, "id", np.arange(1, len(frame) + 1, dtype=np.int64))
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame.reset_index(drop=True)


def decision(rng: np.random.Generator, c: Coalition, goals: list[dict]) -> str:
    """One decision of a meeting of ``c`` (a goal's title only when it has goals)."""
    options = [d for d in DECISIONS if "{goal}" not in d or goals]
    return pick(rng, options).format(wijk=pick(rng, c.areas), goal=pick(rng, goals)["title"] if goals else "")
