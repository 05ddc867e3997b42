"""The personal-data filter of parents' signals against a corpus: written variants of e-mail addresses, Dutch and
Belgian phone numbers, postcodes, street addresses, BSN and IBAN that must be refused, and ordinary parents' quotes
full of numbers, times, dates, ages and weeks of pregnancy that must pass (issue 13, point 7)."""

from __future__ import annotations

import pytest

from kansrijke import signals
from kansrijke.core.i18n import t
from kansrijke.signals import privacy

# (text, kind): kind names the message that must be among the problems (``signals.error.<kind>``).
CAUGHT = [
    # e-mail addresses, written out and disguised
    ("Mail mij op jan [at] example [dot] nl", "email"),
    ("jan＠example.nl", "email"),
    ("Mail mij op moeder.jansen@example.nl", "email"),
    ("jan(at)example(punt)nl", "email"),
    ("Je kunt mailen naar jan at example dot nl", "email"),
    ("jan @ example . nl", "email"),
    ("jan{at}example{dot}com", "email"),
    ("jan apenstaartje example punt nl", "email"),
    ("j.de.vries[at]gemeente-voorbeeld.nl", "email"),
    ("JAN@EXAMPLE.NL", "email"),
    ("jan\u200b@\u200bexample.nl", "email"),
    ("jan（at）example．nl", "email"),
    ("stuur het naar jan at example.nl", "email"),
    ("jan [@] example [.] nl", "email"),
    ("jan(a)example.be", "email"),
    # Dutch phone numbers
    ("Bel 06-12345678 voor de afspraak", "phone"),
    ("06.12.34.56.78", "phone"),
    ("(020) 123 4567", "phone"),
    ("Mijn nummer is 06 12 34 56 78", "phone"),
    ("0612345678", "phone"),
    ("+31 6 12345678", "phone"),
    ("+31 (0)6 1234 5678", "phone"),
    ("0031 6 1234 5678", "phone"),
    ("+316-12345678", "phone"),
    ("020-1234567", "phone"),
    ("Bel 010 - 123 45 67 na de middag", "phone"),
    ("0495-123456", "phone"),
    ("O6-I2345678", "phone"),
    ("06-1234 5678", "phone"),
    ("０６－１２３４５６７８", "phone"),
    ("06/12345678", "phone"),
    ("06–12 34 56 78", "phone"),
    ("06 l2 34 56 78", "phone"),
    ("tel: 06 123 456 78", "phone"),
    ("+31 20 123 4567", "phone"),
    ("06-1234S678", "phone"),
    ("06 - 1 2 3 4 5 6 7 8", "phone"),
    ("(06) 123 45 678", "phone"),
    ("06\u200b12345678", "phone"),
    ("Bel 06 12345678 2 keer als ik niet opneem", "phone"),
    ("06·12·34·56·78", "phone"),
    # Belgian phone numbers
    ("+32 470 12 34 56", "phone"),
    ("0470 12 34 56", "phone"),
    ("0032 470 123 456", "phone"),
    ("Bel 02 123 45 67 in Brussel", "phone"),
    ("03/123.45.67", "phone"),
    ("+32 (0)470 12.34.56", "phone"),
    # postcodes
    ("1234 ab", "postcode"),
    ("1234-AB", "postcode"),
    ("1234ab", "postcode"),
    ("Ze woont op 1012 AB 12, driehoog", "postcode"),
    ("postcode 3011 BD", "postcode"),
    ("１２３４ＡＢ", "postcode"),
    ("5611 EM Eindhoven", "postcode"),
    ("1234 Ab", "postcode"),
    ("1234 - AB", "postcode"),
    # street addresses
    ("Kalverstr. 12", "address"),
    ("Damrak 12", "address"),
    ("Ze woont in de Kerkstraat 12", "address"),
    ("ze woont op kerkstraat 12a", "address"),
    ("Prins Hendrikkade 104", "address"),
    ("Coolsingel 40", "address"),
    ("Dorpsweg 5-II", "address"),
    ("Vondellaan 3B", "address"),
    ("Marktplein 7 bij de bakker", "address"),
    ("Ze woont op het Rokin 45 boven de winkel", "address"),
    ("Lange Voorhout 9", "address"),
    ("Kerkstraat l2", "address"),
    ("Schoolstr.4", "address"),
    ("Oudegracht 231 bis", "address"),
    ("Dam 1", "address"),
    ("Meir 50, Antwerpen", "address"),
    # BSN: nine digits passing the 11-test, with separators, or after the word BSN
    ("123-456-782", "bsn"),
    ("BSN: 1234 567 82", "bsn"),
    ("Haar BSN is 123456782", "bsn"),
    ("123 456 782", "bsn"),
    ("1234.56.782", "bsn"),
    ("bsn 12345678", "bsn"),
    ("burgerservicenummer 111222333", "bsn"),
    ("l23456782", "bsn"),
    ("691400507", "bsn"),
    ("Het nummer van haar zoon is 781-676-447", "bsn"),
    ("sofinummer: 987654321", "bsn"),
    ("１２３４５６７８２", "bsn"),
    # bank account numbers
    ("NL91 ABNA 0417 1643 00", "iban"),
    ("Maak het over op NL91ABNA0417164300", "iban"),
    ("BE68 5390 0754 7034", "iban"),
    ("nl91 abna 0417 1643 00", "iban"),
]

ORDINARY = [
    "Ik moest 3 keer bellen voordat ik een afspraak kreeg.",
    "In 2024 ben ik bevallen van mijn tweede kind.",
    "Bij 12 weken had ik pas de eerste echo.",
    "Om 06:30 uur moest ik al bij het ziekenhuis zijn.",
    "Mijn zoon zit in groep 7 en heeft veel hulp nodig gehad.",
    "Ruim 80% van de ouders in onze wijk wist niet waar het consultatiebureau zit.",
    "Mijn dochter is 2 jaar en 3 maanden en praat nog weinig.",
    "Ik was 38 weken zwanger toen de verloskundige pas belde.",
    "Wijk 12 heeft geen eigen consultatiebureau meer.",
    "Sinds 1 januari 2025 moet ik naar een andere locatie.",
    "De wachttijd was 6 weken, dat is te lang.",
    "Op 12-03-2024 om 10.30 uur had ik mijn intake.",
    "Ik heb 2 kinderen van 4 en 7 jaar.",
    "Na 16 weken zwangerschap kreeg ik pas hulp.",
    "Het gesprek duurde maar 10 minuten.",
    "We wonen al 15 jaar in Zuidoost.",
    "Zwangerschapsweek 24 was het zwaarst.",
    "Van de 20 moeders in de groep had maar 1 een kraamverzorgster.",
    "Ik fiets 2 keer per week 25 minuten naar het consultatiebureau.",
    "9 op de 10 ouders in onze groep voelen zich niet gehoord.",
    "Het kost € 1.250 per maand aan opvang, dat lukt niet.",
    "In 2023 en 2024 zijn we 4 keer verhuisd.",
    "De bus van 08.15 uur is altijd te laat.",
    "Ik heb 1,5 uur in de wachtkamer gezeten.",
    "Mijn baby woog 2.950 gram bij de geboorte.",
    "Ze is geboren met 34 + 2 weken.",
    "Tussen 0 en 4 jaar zie je het consultatiebureau vaak, daarna bijna niet meer.",
    "Ik ben 19 en had geen idee waar ik moest beginnen.",
    "Les 1 van de cursus ging over voeding.",
    "Fase 2 van het project merken wij nog niet.",
    "Sinds 2020 is er in onze buurt geen kraamzorg meer.",
    "We zijn met 5 personen in een 2-kamerwoning.",
    "De huur is 40% van ons inkomen.",
    "Ik wacht al 14 maanden op een huis.",
    "In week 36 kreeg ik pas een gesprek over de bevalling.",
    "Er waren 273 professionals maar niemand belde terug.",
    "Mijn oudste zit in groep 8, mijn jongste is 6 maanden.",
    "Van 1 tot en met 5 maart was de praktijk dicht.",
    "De cursus is op dinsdag van 9.00 tot 11.30 uur.",
    "Bel de huisartsenpost als het na 17.00 uur is, zei de assistente.",
    "Ik ben in 2022, 2023 en 2024 zwanger geweest.",
    "Elke 2 weken komt de wijkverpleegkundige langs.",
    "Het ziekenhuis is 25 km verderop en ik heb geen auto.",
    "De kinderopvang kost 8,50 euro per uur.",
    "In 2024 AB-test met 273 professionals; 1.000 ouders, 9 op 10 tevreden",
    "Op 1-9-2024 begon mijn verlof en op 15-11-2024 was ik bevallen.",
    "Ik kreeg om 23:45 uur weeën en om 02:10 was ze er.",
    "Onderweg 2 keer overgestapt met de bus, met een baby van 3 weken.",
    "We wonen op 3 hoog zonder lift.",
    "Mijn man werkt 60 uur per week.",
    "Mijn tweeling is op 24-12 geboren, 5 weken te vroeg.",
    "Ik heb 112 gebeld toen ze niet ademde.",
    "Het telefoonnummer van het consultatiebureau staat nergens.",
    "Mailen lukt niet, ik heb geen e-mailadres.",
    "Ik heb geen BSN, daarom kreeg ik eerst geen zorg.",
    "In Amsterdam 12 weken gewacht op de kraamzorg.",
    "Mijn BSN wilden ze 3 keer zien.",
    "De 0-meting liet zien dat 1 op de 5 kinderen te laat gezien wordt.",
    "Tijdens de zwangerschap (week 20-24) heb ik 3 echo's gehad.",
    "Wij zijn in 2019 naar Nederland gekomen en hebben 2 kinderen van 3 en 5.",
    "In 2024 en 2025 ging ik 12 keer naar de verloskundige.",
    "Om 7 uur 's ochtends staan we al bij de bushalte.",
    "De kraamzorg kwam maar 3 van de 8 dagen.",
    "Na de bevalling op 3 maart 2025 hoorde ik 6 weken niets.",
    "Groep 1-2 vond mijn zoon moeilijk, nu in groep 3 gaat het beter.",
    "Ik was 17 toen ik zwanger werd en 18 bij de bevalling.",
    "We betalen 1.100 euro huur voor 45 m2.",
    "Ouders in Zuidoost vinden het consultatiebureau ver weg.",
    "Het inloopspreekuur is op woensdag 13.30-15.00 uur, dat past niet bij mijn werk.",
    "Bij de 20-wekenecho was alles goed, bij 32 weken niet meer.",
    "Lijn 22 rijdt maar 1 keer per uur naar het ziekenhuis.",
    "Op het schoolplein 3 moeders gesproken die hetzelfde zeiden.",
    "Ze had een apgar van 9 na 5 minuten.",
    "Hij at slecht de eerste 2 weken, daarna ging het beter.",
    "In 2021 in Rotterdam, sinds 2023 in Den Haag.",
    "Per 1 juli 2025 is het spreekuur verhuisd naar het wijkcentrum.",
    "Ik heb 0 keer een brief gekregen over de hielprik.",
    "De kosten: 2024 ca. 300 euro, 2025 ruim 400 euro.",
    "Mijn zoon is geboren op 2024-05-17 om 04:12 uur.",
    "We wachten sinds 06-2024 op een gesprek.",
]


def message(kind: str) -> str:
    return t(f"signals.error.{kind}")


def test_the_corpus_holds_enough_variants_and_ordinary_quotes():
    assert len(CAUGHT) >= 60 and len(ORDINARY) >= 40
    assert {kind for _, kind in CAUGHT} == {"email", "phone", "postcode", "address", "bsn", "iban"}


@pytest.mark.parametrize(("text", "kind"), CAUGHT)
def test_a_written_variant_of_personal_data_is_refused_with_its_kind(text, kind):
    assert message(kind) in signals.personal_data_problems(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_parents_quote_passes(text):
    assert signals.personal_data_problems(text) == []


def test_the_messages_say_what_was_found_in_dutch_without_repeating_it():
    text = "Mail jan@example.nl of bel 06-12345678, BSN 123456782, Kerkstraat 12, 1012 AB, NL91ABNA0417164300"
    problems = signals.personal_data_problems(text)
    assert problems == [message(k) for k in ("email", "phone", "postcode", "address", "bsn", "iban")]
    for found in problems:
        assert "persoonsgegevens" in found
        for secret in ("jan", "example", "12345678", "123456782", "Kerkstraat", "1012", "NL91"):
            assert secret not in found


def test_nine_digits_that_fail_the_eleven_test_are_not_taken_for_a_bsn():
    assert signals.personal_data_problems("Het dossiernummer eindigt op 123456789") == []
    assert signals.personal_data_problems("Het ziekenhuis heeft een budget van € 987.654.321") == []
    assert signals.personal_data_problems("BSN 123456789") == [message("bsn")]  # after the word BSN: always


def test_one_kind_found_twice_gives_one_message():
    assert signals.personal_data_problems("Bel 06-12345678 of 020-1234567") == [message("phone")]


def test_text_is_normalised_before_matching():
    assert privacy.normalise("jan＠example．nl") == "jan@example.nl"
    assert privacy.normalise("０６－１２３４\u200b５６７８") == "06-12345678"
    assert privacy.normalise("O6-I2345678  en  06 l2 34 S6 78") == "06-12345678 en 06 12 34 56 78"
    assert privacy.normalise("Ik heb 1 of 2 Ouders gesproken") == "Ik heb 1 of 2 Ouders gesproken"
