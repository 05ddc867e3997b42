"""Personal data in free text: the filter of parents' signals (no Streamlit, no database).

Public contract
---------------
``personal_data_problems(text) -> list[str]``
    One Dutch message per kind of personal data found (empty: none found), in the order of ``KINDS``. The
    messages say what kind was found, never the data itself (they end up in error boxes and logs).
``normalise(text) -> str``
    The text as the matchers see it (exposed for tests and for explaining a refusal).

How it works. The text is normalised first: Unicode NFKC (full-width ``＠`` and digits, ``（at）``), every other
script's decimal digits to 0-9, invisible format characters (zero-width space, soft hyphen) removed, dashes and
middle dots to ``-`` and ``.``, whitespace collapsed, and letters typed for digits inside numbers (O/o→0, I/l/|→1,
S/s→5 when a digit stands on both sides, at most one separator away, and O/I/l at the start of a number). Then:

* **e-mail**: ``@`` or ``[at]``/``(at)``/``{at}``/``(a)``/``[@]`` with ``.``/``[dot]``/``(punt)``/`` . `` and
  any top-level domain; the bare words ``at``/``apenstaartje`` with ``dot``/``punt`` only before a common
  top-level domain (nl, be, com, ...), so "ze at een punt taart" passes.
* **phone** and **BSN**: digit groups joined by spaces, dots, dashes, slashes and brackets (at most three
  separator characters between groups) are read as one number, after dates (``12-03-2024``, ``2024-05-17``) and
  clock times followed by *uur* are set aside. Any run of whole groups is a phone number when it is Dutch or
  Belgian (0 and 9 or 10 digits, ``+31``/``0031`` and 9 digits with an optional ``(0)``, ``+32``/``0032`` and 8
  or 9 digits) or international (``+``/``00`` and 9 to 15 digits); it is a BSN when it has 9 digits that pass
  the 11-test. After the word BSN, burgerservicenummer or sofinummer any number of 7 to 10 digits is a BSN.
  Service numbers (0800/0900 with 4 or 7 digits) and 112 pass.
* **postcode**: 1000-9999 and two letters, with or without a space or dash (not SA, SD, SS). Lower-case and
  mixed-case letters that form a common Dutch word or unit (``2024 en``, ``1500 ml``) pass; upper case is a
  postcode except NL, EU, TV and a few other abbreviations.
* **address**: a word ending in a street suffix (straat, str., laan, weg, plein, gracht, kade, singel, dijk,
  dreef, steeg, ...) followed by a house number, in any case ("kerkstraat 12a", "Kalverstr. 12"); or a
  capitalised word followed by a number of 1 to 3 digits ("Damrak 12", "Dam 1"), unless the word is a common
  Dutch word or a counted thing (Groep 7, Week 12, Les 1, Fase 2, Lijn 22, Wijk 12, months, days) or the
  number is followed by a unit or a plural noun ("Amsterdam 12 weken", "Zuidoost 2 consultatiebureaus"), an
  ordinal (3e) or a decimal. Neighbourhood numbers such as "Wijk 12" are not personal data and pass.
* **IBAN**: the code of one of 30 countries (``_IBAN_LENGTHS``: NL, BE, DE, ..., TR, MA), check digits, the rest,
  with or without spaces, that pass the mod-97 check at that country's length, or the exact shape of a Dutch
  IBAN. Before the numbers are read, IBANs are set aside (their digits would look like a phone number).

Only the first ``MAX_CHECKED`` characters are checked: every search is linear, and a 1 MB hostile text would
still cost seconds; the signal form refuses texts over 500 characters anyway.

Names, birth dates and street names without a number cannot be recognised reliably: the form warns against them.
A false alarm costs the user a rewording, a miss costs a parent's privacy; the rules lean to strict but are
tested against a corpus of ordinary parents' quotes (tests/signals/test_privacy_corpus.py).
"""

from __future__ import annotations

import re
import unicodedata

from kansrijke.core.i18n import t

MAX_CHECKED = 20_000  # characters checked; the signal form refuses texts over 500 characters anyway
KINDS = ("email", "phone", "postcode", "address", "bsn", "iban")
MESSAGES = {
    "email": "signals.error.email",
    "phone": "signals.error.phone",
    "postcode": "signals.error.postcode",
    "address": "signals.error.address",
    "bsn": "signals.error.bsn",
    "iban": "signals.error.iban",
}


def personal_data_problems(text: str) -> list[str]:
    """One Dutch message per kind of personal data found in ``text`` (empty: none found)."""
    found = kinds_found(text)
    return [t(MESSAGES[kind]) for kind in KINDS if kind in found]


def kinds_found(text: str) -> set[str]:
    """The kinds of ``KINDS`` that ``text`` seems to hold."""
    plain = normalise((text or "")[:MAX_CHECKED], swap=False)
    text = _swap_lookalikes(plain)
    found = set()
    if _EMAIL.search(plain) or any(m.group("tld").lower() in _TLDS for m in _EMAIL_WORDS.finditer(plain)):
        found.add("email")
    ibans = [m for m in _IBAN.finditer(plain) if _is_iban(m.group(0))]
    if ibans:
        found.add("iban")
    numbers = _numbers_text(text, [(m.start(), m.end()) for m in ibans])
    found |= _number_kinds(numbers)
    if any(_is_postcode(m) for m in _POSTCODE.finditer(text)):
        found.add("postcode")
    if any(_is_street(m, text) for m in _STREET.finditer(text)) or any(
        _is_named_address(m, text) for m in _NAMED.finditer(text)
    ):
        found.add("address")
    return found


# -- normalisation --------------------------------------------------------------------------------------------------
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_DOTS = dict.fromkeys(map(ord, "\u00b7\u2022\u2027\u2219\u22c5\u30fb"), ".")
_LOOKALIKE = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "s": "5"}
_NUMBER_START = {"O": "0", "o": "0", "I": "1", "l": "1"}
_NUMBER_SEP = " .-/_"
_DIGITS = "0123456789"


def normalise(text: str, swap: bool = True) -> str:
    """NFKC, ASCII digits, no invisible characters, plain dashes and dots, single spaces, and (``swap``)
    letters typed for digits inside numbers replaced by those digits."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        kind = unicodedata.category(ch)
        if kind == "Cf":  # zero-width space and joiners, soft hyphen, direction marks
            continue
        if kind == "Nd" and ch not in _DIGITS:
            ch = str(unicodedata.decimal(ch))
        elif kind.startswith("Z") or kind == "Cc":
            ch = " "
        out.append(ch)
    text = " ".join("".join(out).translate(_DASHES).translate(_DOTS).split())
    return _swap_lookalikes(text) if swap else text


def _digit_beside(text: str, i: int, step: int) -> bool:
    """Is there a digit next to position ``i`` in direction ``step``, at most one separator away?"""
    j = i + step
    if 0 <= j < len(text) and text[j] in _NUMBER_SEP:
        j += step
    return 0 <= j < len(text) and text[j] in _DIGITS


def _swap_lookalikes(text: str) -> str:
    """O/o→0, I/l/|→1, S/s→5 between digits; O/I/l→0/1 at the start of a number ("O6-I2345678")."""
    for _ in range(3):
        chars = list(text)
        for i, ch in enumerate(text):
            if ch in _LOOKALIKE and _digit_beside(text, i, -1) and _digit_beside(text, i, 1):
                chars[i] = _LOOKALIKE[ch]
            elif (
                ch in _NUMBER_START
                and (i == 0 or not text[i - 1].isalnum())
                and i + 1 < len(text)
                and text[i + 1] in _DIGITS
            ):
                chars[i] = _NUMBER_START[ch]
        swapped = "".join(chars)
        if swapped == text:
            break
        text = swapped
    return text


# -- e-mail addresses ---------------------------------------------------------------------------------------------
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = rf"(?: ?@ ?| ?{_OPEN} ?(?:at|@|a|apenstaartje) ?{_CLOSE} ?)"
_DOT = rf"(?:\.| \. | ?{_OPEN} ?(?:dot|punt|\.) ?{_CLOSE} ?| (?:dot|punt) )"
_LOCAL = r"(?<![\w.+-])[\w.+-]+"
_EMAIL = re.compile(rf"{_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}\b", re.IGNORECASE)
# The bare words 'at' and 'punt' are ordinary Dutch ("ze at een punt taart"): only before a common domain.
_EMAIL_WORDS = re.compile(
    rf"{_LOCAL} (?:at|apenstaartje) [\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?P<tld>[a-z]{{2,24}})\b",
    re.IGNORECASE,
)
_TLDS = {"nl", "be", "com", "net", "org", "eu", "info", "nu", "de", "fr", "uk", "io", "me", "biz", "online", "email"}


# -- IBAN -----------------------------------------------------------------------------------------------------------
_IBAN = re.compile(r"(?<![\w])[A-Z]{2} ?\d{2}(?: ?[A-Z0-9]){11,30}", re.IGNORECASE)
_DUTCH_IBAN = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
# IBAN lengths of the countries parents here most often bank in (one mod-97 try each: few false alarms).
_IBAN_LENGTHS = {
    "NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "LU": 20, "ES": 24, "IT": 27, "PT": 25, "PL": 28,
    "TR": 26, "MA": 28, "AT": 20, "CH": 21, "IE": 22, "DK": 18, "SE": 24, "NO": 15, "FI": 18, "BG": 22,
    "RO": 24, "HU": 28, "CZ": 24, "SK": 24, "GR": 27, "HR": 21, "LT": 20, "LV": 21, "EE": 20, "SI": 19,
}  # fmt: skip


def _is_iban(candidate: str) -> bool:
    """Does ``candidate`` start with an IBAN of a known country (mod-97 check) or a Dutch IBAN's shape?"""
    compact = candidate.replace(" ", "").upper()
    length = _IBAN_LENGTHS.get(compact[:2])
    if length is None or len(compact) < length:
        return False
    code = compact[:length]
    if _DUTCH_IBAN.fullmatch(code):
        return True
    return int("".join(str(int(c, 36)) for c in code[4:] + code[:4])) % 97 == 1


# -- phone numbers and BSN ------------------------------------------------------------------------------------------
_DATE = re.compile(
    r"(?<![\d.\-/])(?:(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])([-/.])(?:0?[1-9]|1[0-2])\1(?:(?:19|20)\d{2}|\d{2}))(?![\d]|[.\-/]\d)"
)
_TIME = re.compile(r"(?<![\d.\-/])(?:[01]?\d|2[0-3])[.:][0-5]\d ?(?:uur|u)\b", re.IGNORECASE)
_CHAIN = re.compile(r"(?<!\d)(?:\+ ?)?\d+(?:[ .\-/()\[\]_]{1,3}\d+)*")
_BSN_WORD = re.compile(
    r"(?<![^\W\d_])(?:bsn|burgerservice-?nummer|sofi-?nummer|sofi nummer)(?![^\W\d_])[^\d]{0,20}?"
    r"(?P<number>\d(?:[ .\-/]{0,3}\d){6,9})(?!\d)",
    re.IGNORECASE,
)


def _numbers_text(text: str, cut: list[tuple[int, int]]) -> str:
    """``text`` with the spans in ``cut`` (IBANs), dates and clock times replaced by ';' (which ends a number)."""
    for start, end in sorted(cut, reverse=True):
        text = text[:start] + " ; " + text[end:]
    text = _DATE.sub(" ; ", text)
    return _TIME.sub(" ; ", text)


def _eleven_test(digits: str) -> bool:
    """The BSN 11-test: 9×d1 + 8×d2 + ... + 2×d8 − d9 is a multiple of 11 (and not all zeros)."""
    values = [int(c) for c in digits]
    if len(values) != 9 or not any(values):
        return False
    return (sum(v * (9 - i) for i, v in enumerate(values[:8])) - values[8]) % 11 == 0


def _international(digits: str) -> bool:
    """A phone number after + or 00: Dutch (31), Belgian (32) with an optional trunk 0, or another country."""
    if digits[:2] in ("31", "32"):
        rest = digits[2:]
        rest = rest[1:] if rest.startswith("0") else rest
        lengths = (9,) if digits[:2] == "31" else (8, 9)
        return len(rest) in lengths and rest[:1] not in ("", "0")
    return 9 <= len(digits) <= 15 and not digits.startswith("0")


def _is_phone(digits: str, plus: bool) -> bool:
    if plus:
        return _international(digits)
    if digits.startswith("00"):
        return _international(digits[2:])
    return digits.startswith("0") and digits[1:2] != "0" and len(digits) in (9, 10)


def _number_kinds(numbers: str) -> set[str]:
    """'phone' and/or 'bsn' when a run of whole digit groups of a number in ``numbers`` is one."""
    found = set()
    for match in _CHAIN.finditer(numbers):
        groups = re.findall(r"\d+", match.group(0))
        plus = match.group(0).startswith("+")
        phones, bsns = [], []
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j]
                if len(digits) > 15:
                    break
                if len(digits) >= 9 and _is_phone(digits, plus and i == 0):
                    phones.append((i, j))
                if len(digits) == 9 and _eleven_test(digits):
                    bsns.append((i, j))
        if phones:
            found.add("phone")
        # Nine digits inside a phone number ('+31 20 123 4567') pass the 11-test by chance one time in eleven.
        if any(all(j < a or i > b for a, b in phones) for i, j in bsns):
            found.add("bsn")
    for match in _BSN_WORD.finditer(numbers):
        if 7 <= len(re.sub(r"\D", "", match.group("number"))) <= 10:
            found.add("bsn")
    return found


# -- postcodes ------------------------------------------------------------------------------------------------------
_POSTCODE = re.compile(r"(?<![\w.,-])[1-9]\d{3} ?-? ?(?P<letters>[A-Za-z]{2})(?![A-Za-z-])")
# Two-letter Dutch words and units after a number ("in 2024 en 2025", "1500 ml"); upper-case abbreviations.
_POSTCODE_WORDS = set(
    "aa af al as at bv ca cl cm ct da de di dl do du ee eh ei en er et eu ex ga gb gr ha he hl ho ie ik in is ja je "
    "jl jr kb kg km la ma mb me mg ml mm na nl no nr nu oa oh ok om on op ou pa pk pm pp ps st ta tb te tv uk us uu "
    "uw vb vr vs wc we wo xl xs za ze zo".split()
)
_POSTCODE_ABBREVIATIONS = set("AM BE BV CA EU GB KG KM MB ML MM NL NV OK PM TV UK US VS WC XL".split())
_NO_POSTCODE = {"SA", "SD", "SS"}  # letter pairs PostNL does not use


def _is_postcode(match: re.Match) -> bool:
    letters = match.group("letters")
    if letters.upper() in _NO_POSTCODE:
        return False
    if letters.isupper():
        return letters not in _POSTCODE_ABBREVIATIONS
    return letters.lower() not in _POSTCODE_WORDS


# -- street addresses ----------------------------------------------------------------------------------------------
_LETTERS = r"(?:[^\W\d_]|['’-])"
_WORD_START = r"(?<![^\W\d_])(?<![^\W\d_]['’-])"  # not inside a word: keeps the search linear on 'a-a-a-...'
_SUFFIXES = (
    "straat|straatje|str|laan|laantje|weg|steenweg|plein|pleintje|gracht|burgwal|kade|kaai|singel|dijk|dreef|steeg|"
    "plantsoen|allee|boulevard"
)
_STREET = re.compile(
    rf"{_WORD_START}(?P<word>[^\W\d_]{_LETTERS}+?(?:{_SUFFIXES}))\.? ?(?:nr\.? ?|nummer )?(?P<number>\d{{1,4}})(?!\d)",
    re.IGNORECASE,
)
_NAMED = re.compile(rf"{_WORD_START}(?P<word>[^\W\d_]{_LETTERS}*) (?P<number>\d{{1,3}})(?!\d)")
_NOT_STREETS = {"onderweg", "halfweg", "halverweg", "snelweg", "omweg", "zijweg", "barricade", "blokkade", "cascade"}
# What follows a number that counts or measures something rather than numbering a house.
_COUNTED = set(
    """keer maal x uur uren u min minuut minuten kwartier sec seconden dag dagen week weken wk maand maanden mnd
    jaar jaren jr nacht nachten ochtend ochtenden avond avonden kind kinderen baby baby's ouder ouders moeder
    moeders vader vaders gezin gezinnen mens mensen personen vrouwen mannen zwangeren jongeren professionals
    procent euro eur cent km kilometer m meter m2 cm mm kg kilo gram gr g liter l ml stuks stuk plekken plaatsen
    bedden bezoeken afspraken gesprekken echo's controles punten jarigen jarige jarig tot t/m à a""".split()
)
_DECIMAL = re.compile(r"(?:[.,:]\d|%| ?[+×] ?\d|-?(?:e|de|ste)\b)")
_NEXT_WORD = re.compile(r" ([^\W\d_][\w'’]*)")
# Capitalised words that stand before a number in ordinary sentences: function words, counted things, dates.
_NOT_NAMES = set(
    """aan al alle allebei alleen als beide bij bijna binnen circa ca daar daarna daarom dan dat de deze die dit door
    drie echter een eerst eerste eigenlijk elk elke en er even geen gemiddeld gisteren hier het hij hoe hooguit ik in
    inmiddels je jij kort later laatste maar maximaal meer met mijn minder minimaal minstens morgen na naar net niet
    nog nu of om omdat ongeveer ons onze ook op over pas per plus rond ruim sinds slechts soms tegen telkens toch toen
    tot totaal tussen twee u uit uw vaak van vanaf vandaag veel voor vooral vorig vorige waar wanneer want was wat we
    wel werd weer wij zelfs ze zeker zij zijn zo zo'n zoals zonder dus terwijl nadat voordat afgelopen komende
    volgende iedere ieder sommige enkele weinig heel erg helemaal precies bijvoorbeeld amper nauwelijks ten te
    heb had hebben ben is waren kreeg kregen kwam moest moet ga gaat kan kon nummer nr top bel belt belde mail
    sms app tel telefoon mobiel whatsapp fax
    groep klas wijk buurt les fase stap ronde versie bus lijn tram metro trein artikel hoofdstuk pagina blz bijlage
    figuur tabel kamer verdieping bed zaal niveau trede trimester termijn team locatie vraag doel ambitie actie
    resultaat indicator score cijfer plan route punt module sessie bijeenkomst uur code covid corona apgar item deel
    periode thema blok regio gebied kind baby tweeling zwangerschap bevalling echo controle consult afspraak bezoek
    gesprek moeder vader ouder ouders gezin dag week maand jaar kwartaal
    januari februari maart april mei juni juli augustus september oktober november december jan feb mrt apr jun jul
    aug sep sept okt nov dec maandag dinsdag woensdag donderdag vrijdag zaterdag zondag ma di wo do vr za zo""".split()
)
_NOT_NAME_ENDINGS = ("week", "weken", "groep", "wijk", "buurt", "les", "fase", "klas", "kamer", "dag", "maand", "jaar")
# Words ending in -en or -s that may follow a house number ("Rokin 45 boven de winkel").
_NOT_PLURALS = set(
    """boven beneden tegen tegenover tussen binnen buiten geleden samen alleen even open wonen woonden zitten zaten
    staan stonden hebben hadden zijn waren kunnen konden moeten mogen willen wilden komen kwamen gaan gingen liggen
    lopen worden werden bellen sturen ophalen""".split()
)


def _counted(text: str, end: int, plurals: bool) -> bool:
    """Does the number ending at ``end`` count or measure something (weeks, %, 3e, 1,5, 'consultatiebureaus')?"""
    if _DECIMAL.match(text, end):
        return True
    following = _NEXT_WORD.match(text, end)
    if not following:
        return False
    word = following.group(1).lower()
    if word in _COUNTED:
        return True
    return plurals and len(word) >= 4 and word.endswith(("en", "s")) and word not in _NOT_PLURALS


def _is_street(match: re.Match, text: str) -> bool:
    number = match.group("number")
    if match.group("word").lower() in _NOT_STREETS or (len(number) == 4 and number[:2] in ("19", "20")):
        return False
    return not _counted(text, match.end(), plurals=False)


def _is_named_address(match: re.Match, text: str) -> bool:
    word = match.group("word")
    lower = word.lower()
    if not word[0].isupper() or (word.isupper() and len(word) <= 4):  # lower case, or an abbreviation (GGD 3)
        return False
    if lower in _NOT_NAMES or lower.endswith(_NOT_NAME_ENDINGS):
        return False
    return not _counted(text, match.end(), plurals=True)
