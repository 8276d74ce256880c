"""Country names people and sources use -> ISO 3166-1 codes: one function for every command.

:func:`country_matches` looks a name up, ignoring case, accents, punctuation, apostrophes
and spacing (``"cote d ivoire"`` is ``"Côte d'Ivoire"``), ``&`` for ``and``, ``St``/``St.``
for ``Saint``, ``Is.``/``I.``/``Island`` for ``Islands``, Natural Earth's abbreviations
for their words (``"S. Sudan"``, ``"Dominican Rep."``) and a leading ``The``, in:

1. ISO 3166-1 alpha-2 and alpha-3 codes (``NG``, ``nga``);
2. :data:`AMBIGUOUS`: names that mean several countries in everyday use (``"Congo"``,
   ``"Korea"``, ``"Virgin Islands"``): every one of them;
3. full names: pycountry's ISO names, official names and common names (``"Viet Nam"``,
   ``"Bolivia, Plurinational State of"``, ``"Taiwan"``) and :data:`ALIASES`, the common
   and short names, former names, parts and abbreviations that ISO does not list (``UK``,
   ``USA``, ``UAE``, ``DRC``, ``Ivory Coast``, ``Burma``, ``Swaziland``, ``England``)
   and the spellings sources use (``"Congo, Dem. Rep."``, ``"Virgin Islands (U.K.)"``,
   Natural Earth's ``"S. Geo. and the Is."``);
4. the short forms of those full names (:func:`name_variants`): without a bracket
   (``"Falkland Islands"``, ``"Cocos Islands"``), the part before a comma
   (``"Bonaire"``), the comma turned round (``"Republic of Korea"``, ``"US Virgin
   Islands"``), without a last ``Islands`` (``"Turks and Caicos"``);
5. a name with a qualifier in brackets or after a comma, turned round (``"Korea
   (South)"``, ``"Korea, South"``) or, for a name of several countries, the qualifier
   alone when it is one of them or the name's own (``"Congo (DRC)"``, ``"Macedonia
   (FYROM)"``);
6. endonyms: each country's name in each of its official languages, from the Unicode
   CLDR as the ``babel`` package ships it (:func:`_cldr_endonyms`; ``"Deutschland"``,
   ``"España"``, ``"Suomi"``, ``"Côte d’Ivoire"``, ``"Schweiz"``/``"Suisse"``/
   ``"Svizzera"``, ``"Россия"``, ``"日本"``, ``"مصر"``), full and short forms. A name in
   another script than the Latin one is matched in its own letters, case, accents and
   vowel points aside (``"Ελλαδα"`` is ``"Ελλάδα"``); its romanisation is an alias only
   where :data:`ALIASES` lists it (``"Nippon"``, ``"Misr"``). The table is built on the
   first name that the levels above do not know (a few tenths of a second) and cached on
   disk under babel's version.

A name that several records of one country match is that country; a name whose matches
at the first level that has any are several countries is ambiguous (``"Korea"``, the part
before the comma of both ISO names). :func:`country_codes` and :func:`parse_countries`
raise :func:`country_error`: :class:`~undersea.AmbiguousNameError` listing the candidates,
or :class:`~undersea.UnknownNameError` with close names (endonyms among them).

Endonyms come last so that they never shadow: an endonym that is another country's
English name, alias or short form means that country (none is, with babel 2.19), and one
that CLDR gives two countries is ambiguous. A country's name, endonyms included, is a
country before it is a town to :func:`~undersea.analysis.routes.places.resolve_place`
(``"Nederland"`` is the Netherlands; ``"Nederland, US"`` the town in Texas).

:func:`parse_countries` splits a comma-separated list (``"Sierra Leone,Liberia"``) while
keeping names that contain a comma whole (``"Congo, Dem. Rep.,Angola"``).

Decisions worth knowing (each alias is in :data:`ALIASES`):

- ``"Congo"`` alone is ambiguous: ISO 3166-1 gives it to the Republic of the Congo (CG),
  but people call both Congos so (hence ``Congo-Kinshasa`` and ``Congo-Brazzaville``).
  ``"Guinea"``, ``"Samoa"``, ``"Sudan"``, ``"Niger"`` and ``"Dominica"`` are one
  country each: the others always carry their qualifier (``Equatorial Guinea``,
  ``American Samoa``, ``South Sudan``, ``Nigeria``, ``Dominican Republic``).
- ``"Canary Islands"`` -> Spain (ES/ESP): the islands are an autonomous community of Spain
  (ISO 3166-2 ES-CN); ``IC`` is only an exceptionally reserved code, unknown to most data.
- ``"Kosovo"`` -> XK/XKX: the user-assigned codes used by the EU, IMF and World Bank.
- ``"Saint Martin"`` -> MF (the French part; TeleGeography's landings there, Marigot and
  Baie Longue, are on the French side); ``"Sint Maarten"`` -> SX (the Dutch part).
- Parts of a country that the data holds as one (:data:`PARTS`) are that country to
  every command that takes countries (as a place to route from, see
  :func:`undersea.analysis.routes.places.resolve_place`): England, Scotland,
  Wales and Northern Ireland -> GB, ``"Tahiti"`` -> French Polynesia, ``"Chuuk"`` ->
  Micronesia, ``"Saipan"`` -> Northern Mariana Islands, ``"Svalbard"`` and ``"Jan
  Mayen"`` -> Norway (NO: Svalbard has no polygon or World Bank figures of its own and
  its landing is filed under Norway, :data:`undersea.geo.gazetteer.PART_OF_PARENT`);
  ``"Sint Eustatius and Saba"`` / ``"Ascension and Tristan da Cunha"`` are the tails of
  the comma-containing ISO names (BQ, SH) that older snapshots split at the wrong comma.
- ``"Netherlands Antilles"`` (dissolved 2010) has no single successor and is not an alias.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd
import pycountry

from undersea._errors import AmbiguousNameError, UnknownNameError
from undersea.geo.gazetteer import cached_table, name_key

__all__ = [
    "ALIASES",
    "AMBIGUOUS",
    "PARTS",
    "CountryIndex",
    "code_iso2",
    "country_codes",
    "country_display_name",
    "country_error",
    "country_index",
    "country_iso2",
    "country_key",
    "country_matches",
    "country_names",
    "country_part",
    "country_prefix_matches",
    "name_variants",
    "parse_countries",
    "refiled_name",
    "regions_named",
]

# fmt: off
#: Parts of a country the data holds as one -> ISO alpha-2 (in :data:`ALIASES`): the
#: country to every command that takes countries, but no place to route from: the
#: country's own metro (its main exchange metro, London for "Scotland") may lie elsewhere.
PARTS: dict[str, str] = {
    "England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
    "Tahiti": "PF", "Svalbard": "NO", "Jan Mayen": "NO", "Chuuk": "FM", "Saipan": "MP",
    "Canary Islands": "ES",
}
#: Names that ISO 3166-1 (as pycountry has it) does not list -> ISO alpha-2.
ALIASES: dict[str, str] = {
    # abbreviations
    "UK": "GB", "U.K.": "GB", "USA": "US", "U.S.": "US", "U.S.A.": "US", "UAE": "AE",
    "DRC": "CD", "DR Congo": "CD", "D.R. Congo": "CD", "RDC": "CD", "PRC": "CN",
    "ROK": "KR", "DPRK": "KP", "PNG": "PG", "BVI": "VG", "USVI": "VI", "CAR": "CF",
    "KSA": "SA",
    # common and short names
    "America": "US", "Britain": "GB", "Great Britain": "GB", "Ivory Coast": "CI",
    "Russia": "RU", "Brunei": "BN", "Cape Verde": "CV", "Vatican": "VA",
    "Vatican City": "VA", "Macau": "MO", "Turkey": "TR", "Holland": "NL", "Emirates": "AE",
    "Congo-Kinshasa": "CD", "Congo-Brazzaville": "CG", "Republic of Congo": "CG",
    "Democratic Republic of Congo": "CD", "Faeroe Islands": "FO", "Faroes": "FO",
    "Falklands": "FK", "St Kitts": "KN", "St Vincent": "VC", "Bosnia": "BA",
    "Northern Marianas": "MP", "Aland": "AX", "Pitcairn Islands": "PN",
    "Republic of Marshall Islands": "MH", "Kosovo": "XK",
    "French Southern and Antarctic Lands": "TF",  # CLDR's English name
    # romanised endonyms (CLDR has them in their own script: 日本, مصر, 中国, भारत...)
    "Nippon": "JP", "Nihon": "JP", "Misr": "EG", "Zhongguo": "CN", "Bharat": "IN",
    "Hellas": "GR", "Ellada": "GR", "Rossiya": "RU",
    # former names
    "Burma": "MM", "Swaziland": "SZ", "East Timor": "TL", "Macedonia": "MK", "FYROM": "MK",
    "Zaire": "CD", "Ceylon": "LK", "Dahomey": "BJ", "Upper Volta": "BF",
    **PARTS,
    # source spellings (TeleGeography, PCH, World Bank)
    "Congo, Dem. Rep.": "CD", "Congo, Rep.": "CG", "Korea, Dem. Rep.": "KP",
    "Korea, Rep.": "KR", "Virgin Islands (U.K.)": "VG", "Sint Eustatius and Saba": "BQ",
    "Macao SAR, China": "MO",
    "Ascension and Tristan da Cunha": "SH",
    # Natural Earth's that its abbreviations spelled out (country_key) do not give
    "S. Geo. and the Is.": "GS", "St. Vin. and Gren.": "VC", "Wallis and Futuna Is.": "WF",
    "Fr. S. Antarctic Lands": "TF",
}
#: Names that mean several countries in everyday use -> {alpha-2: how to name each}.
AMBIGUOUS: dict[str, dict[str, str]] = {
    "Congo": {"CD": "DR Congo", "CG": "Republic of the Congo"},
    "Korea": {"KR": "South Korea", "KP": "North Korea"},
    "Virgin Islands": {"VG": "British Virgin Islands", "VI": "US Virgin Islands"},
}
# fmt: on
#: Codes pycountry does not have (user-assigned): alpha-2 -> alpha-3.
_EXTRA_ISO3 = {"XK": "XKX"}
_ISLANDS = frozenset({"i", "is", "isl", "island", "islands"})
#: Natural Earth's abbreviations (``"N. Cyprus"``, ``"Eq. Guinea"``) spelled out: a name
#: that uses them is the name spelled out (:func:`country_key`).
_ABBREVIATIONS = {
    "N.": "Northern", "S.": "South", "W.": "Western", "Fr.": "French", "Br.": "British",
    "Eq.": "Equatorial", "Dem.": "Democratic", "Rep.": "Republic", "Ter.": "Territory",
    "Herz.": "Herzegovina", "Barb.": "Barbuda",
}  # fmt: skip
_SPELLED_OUT = {k.casefold(): v for k, v in _ABBREVIATIONS.items()}
_BRACKET = re.compile(r"\s*\(([^)]*)\)")
#: Canonical combining classes kept in a non-Latin name: 0 (no mark, or a vowel sign that
#: is a letter of its own) and 9 (viramas: they join consonants); accents go.
_LETTER_MARKS = frozenset({0, 9})
#: Japanese kana voicing marks (class 8): "ジ" is another letter than "シ".
_KANA_VOICING = frozenset({"\u3099", "\u309a"})


def country_key(name: str) -> str:
    """Key for matching country names: :func:`~undersea.geo.gazetteer.name_key` with
    Natural Earth's abbreviations spelled out (``"S. Sudan"`` is ``"South Sudan"``), dots
    dropped, ``&`` spelled out, a leading ``the`` dropped, ``Is.``/``I.``/``Island`` as
    ``islands``, and no spaces (``"Côte d'Ivoire"`` and ``"cote d ivoire"`` ->
    ``"cotedivoire"``; ``"St. Lucia"`` -> ``"saintlucia"``).

    >>> country_key("The Turks & Caicos Is."), country_key("U.K."), country_key("Dominican Rep.")
    ('turksandcaicosislands', 'uk', 'dominicanrepublic')
    """
    return "".join(_words(name))


def _words(name: str) -> tuple[str, ...]:
    """The words of a name as :func:`country_key` reads them: Natural Earth's abbreviations
    spelled out, dots dropped, ``&`` spelled out, a leading ``the`` dropped,
    ``Is.``/``I.``/``Island`` as ``islands``; a name in another script than the Latin one
    in its own letters (:func:`_script_key`)."""
    text = " ".join(_SPELLED_OUT.get(w.casefold(), w) for w in str(name).split())
    text = text.replace(".", "").replace("&", " and ")
    words = (name_key(text) if _latin(text) else _script_key(text)).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    return tuple("islands" if w in _ISLANDS else w for w in words)


def _latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one (``"Côte d'Ivoire"``, not ``"日本"``)."""
    return text.isascii() or all(
        c.isascii() or not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text
    )


def _script_key(text: str) -> str:
    """Words of a name in a non-Latin script, kept in that script: casefolded, compatibility
    forms unified (NFKC), accents and vowel points dropped as :func:`name_key` drops Latin
    accents (``"Ελλάδα"`` is ``"Ελλαδα"``, ``"مِصر"`` is ``"مصر"``) but not the marks
    that make another letter (kana voicing marks, Indic viramas), and punctuation a space.

    >>> _script_key("Ελλάδα"), _script_key("Россия"), _script_key("中國香港特別行政區")
    ('ελλαδα', 'россия', '中國香港特別行政區')
    """
    kept = "".join(
        c
        for c in unicodedata.normalize("NFKD", text)
        if unicodedata.combining(c) in _LETTER_MARKS or c in _KANA_VOICING
    )
    folded = unicodedata.normalize("NFKC", kept).casefold()
    return " ".join(
        "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in folded).split()
    )


def name_variants(name: str) -> set[str]:
    """The short forms of a full country name (not the name itself): without a bracket or
    with it in front, else the part before a comma and the comma turned round, else
    without a last ``Islands`` (when two words remain); and the short forms of those.

    >>> sorted(name_variants("Korea, Republic of"))
    ['Korea', 'Republic of Korea']
    >>> sorted(name_variants("Cocos (Keeling) Islands"))
    ['Cocos Islands', 'Keeling Cocos', 'Keeling Cocos Islands']
    """
    out: set[str] = set()
    todo = [name]
    while todo:
        for v in _rewrites(todo.pop()):
            if v and v != name and v not in out:
                out.add(v)
                todo.append(v)
    return out


def _rewrites(name: str) -> Iterator[str]:
    words = name.split()
    bracket = _BRACKET.search(name)
    if bracket:  # "Falkland Islands (Malvinas)"; "Virgin Islands (U.S.)" -> "U.S. Virgin..."
        rest = " ".join(_BRACKET.sub(" ", name).split())
        yield rest
        yield f"{bracket.group(1).strip()} {rest}"
        return
    head, comma, tail = name.partition(",")
    if comma:  # "Korea, Republic of" -> "Korea", "Republic of Korea"
        yield head.strip()
        yield f"{tail.strip()} {head.strip()}"
        return
    if len(words) > 2 and country_key(words[-1]) == "islands":  # "Turks and Caicos"
        yield " ".join(words[:-1])


@dataclass(frozen=True)
class CountryIndex:
    """Country-name keys (:func:`country_key`) -> alpha-2 codes: ``full`` for full names,
    ``short`` for their short forms (:func:`name_variants`); ``names`` for suggestions."""

    full: Mapping[str, frozenset[str]]
    short: Mapping[str, frozenset[str]]
    names: tuple[str, ...]


def country_index(
    names: Iterable[tuple[str, str]], *, override: Mapping[str, str] | None = None
) -> CountryIndex:
    """The :class:`CountryIndex` of ``(name, alpha-2)`` pairs; a name in ``override``
    means only its code (an alias is a judgement that beats ISO's spelling).

    >>> sorted(country_index([("Korea, Rep.", "KR"), ("Korea, Dem. Rep.", "KP")]).short["korea"])
    ['KP', 'KR']
    """
    pairs = [(str(n), str(c)) for n, c in names if n and c]
    pairs += list((override or {}).items())
    full: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for name, iso2 in pairs:
        full.setdefault(country_key(name), set()).add(iso2)
        for variant in name_variants(name):
            short.setdefault(country_key(variant), set()).add(iso2)
    for name, iso2 in (override or {}).items():
        full[country_key(name)] = {iso2}
    return CountryIndex(
        {k: frozenset(v) for k, v in full.items()},
        {k: frozenset(v) for k, v in short.items()},
        tuple(dict.fromkeys(n for n, _ in pairs)),
    )


def _iso_names() -> list[tuple[str, str]]:
    """pycountry's ISO, official and common names with their alpha-2 codes."""
    return [
        (value, c.alpha_2)
        for c in pycountry.countries
        for attr in ("name", "official_name", "common_name")
        if (value := getattr(c, attr, None))
    ]


@functools.cache
def _index() -> CountryIndex:
    """pycountry's names and :data:`ALIASES`, built once."""
    return country_index(_iso_names(), override=ALIASES)


def _endonyms() -> list[tuple[str, str]]:
    """Each country's names in its official languages, as ``(name, alpha-2)`` pairs: built
    from CLDR once (:func:`_cldr_endonyms`, a few tenths of a second) and cached on disk
    beside the gazetteer, under babel's version."""
    table = cached_table(
        "endonyms",
        lambda: pd.DataFrame(_cldr_endonyms(), columns=["name", "iso2"]),
        package="babel",
    )
    return list(zip(table["name"], table["iso2"], strict=True))


def _cldr_endonyms() -> list[tuple[str, str]]:
    """Each country's names in its official languages (CLDR, by :mod:`babel`): the
    languages of :func:`babel.languages.get_official_languages` (``de_facto=True``) that
    CLDR has a locale for, the country as that locale names it (``"Deutschland"``,
    ``"España"``, ``"日本"``, ``"Suisse"``, ``"Србија"`` and ``"Srbija"``)."""
    from babel import Locale, UnknownLocaleError, languages  # deferred: only on a miss

    out: list[tuple[str, str]] = []
    for iso2 in [*(c.alpha_2 for c in pycountry.countries), *_EXTRA_ISO3]:
        for lang in languages.get_official_languages(iso2, de_facto=True):
            try:
                name = Locale.parse(lang).territories.get(iso2)
            except UnknownLocaleError:  # an official language CLDR has no locale for
                continue
            if name:
                out.append((str(name), iso2))
    return list(dict.fromkeys(out))


@functools.cache
def _native_index() -> CountryIndex:
    """:func:`_endonyms`, built once, on the first name the other names do not know."""
    return country_index(_endonyms())


@functools.cache
def _ambiguous() -> dict[str, tuple[str, ...]]:
    return {country_key(k): tuple(sorted(v)) for k, v in AMBIGUOUS.items()}


def _iso3(iso2: str) -> str:
    found = pycountry.countries.get(alpha_2=iso2)
    return str(found.alpha_3) if found is not None else _EXTRA_ISO3[iso2]


def code_iso2(text: str) -> str | None:
    """The alpha-2 of an ISO 3166-1 alpha-2 or alpha-3 code in any case (``"nga"`` -> NG),
    else None (``"UAE"`` is a name, not a code).

    >>> code_iso2("nga"), code_iso2("XKX"), code_iso2("UAE")
    ('NG', 'XK', None)
    """
    if len(text) not in (2, 3) or not text.isalpha():
        return None
    code = text.upper()
    db = pycountry.countries
    found = db.get(alpha_2=code) if len(code) == 2 else db.get(alpha_3=code)
    if found is not None:
        return str(found.alpha_2)
    return "XK" if code in _EXTRA_ISO3 or code in _EXTRA_ISO3.values() else None


@functools.lru_cache(maxsize=4096)
def _matches(text: str) -> tuple[str, ...]:
    code = code_iso2(text)
    return (code,) if code else country_matches(text, codes=False)


def country_matches(
    name: str, *, extra: CountryIndex | None = None, codes: bool = True
) -> tuple[str, ...]:
    """Alpha-2 codes of the countries a name can mean, sorted: one, several (ambiguous) or
    none (unknown).

    The levels of the module docstring are tried in order and the first that matches
    answers. ``extra`` (a network's own country names, :func:`country_index`) is searched
    with each level, and its full names before the others' (so a synthetic network's
    names win); ``codes=False`` skips ISO codes.

    >>> country_matches("Korea"), country_matches("Falkland Islands"), country_matches("X")
    (('KP', 'KR'), ('FK',), ())
    """
    text = " ".join(str(name).split())
    if codes and extra is None:
        return _matches(text)
    code = code_iso2(text) if codes else None
    if code:
        return (code,)
    key = country_key(text) if text else ""
    if key in _ambiguous():
        return _ambiguous()[key]
    base = _index()
    found = (extra.full.get(key) if extra else None) or base.full.get(key)
    if not found:
        found = (extra.short.get(key, frozenset()) if extra else frozenset()) | base.short.get(
            key, frozenset()
        )
    if not found and key:
        found = frozenset(_qualified(text))
    if not found and key:  # endonyms last: another country's English name wins
        found = _native_index().full.get(key) or _native_index().short.get(key)
    return tuple(sorted(found or ()))


_QUALIFIED = re.compile(r"^(?P<name>[^(),]+?)\s*(?:\((?P<b>[^()]+)\)|,\s*(?P<c>[^(),]+))$")


def _qualified(text: str) -> tuple[str, ...]:
    """Level 5: ``"Korea (South)"`` and ``"Korea, South"`` as ``"South Korea"``; ``"Congo
    (DRC)"`` as ``"DRC"``, one of the countries ``"Congo"`` means (``"Macedonia
    (FYROM)"``: the country both name)."""
    hit = _QUALIFIED.match(text)
    if hit is None:
        return ()
    name, qual = hit["name"], hit["b"] or hit["c"]
    turned = _matches(f"{qual} {name}")
    if len(turned) == 1:
        return turned
    alone = _matches(qual)
    means = _ambiguous().get(country_key(name)) or _matches(name)
    return alone if len(alone) == 1 and alone[0] in means else ()


def country_iso2(name: str) -> str | None:
    """ISO alpha-2 of a country name or code, or None when it names no country or several.

    >>> country_iso2("Ivory Coast"), country_iso2("uk"), country_iso2("Geneva")
    ('CI', 'GB', None)
    """
    found = _matches(" ".join(str(name).split()))
    return found[0] if len(found) == 1 else None


def country_part(name: str) -> str | None:
    """ISO alpha-2 of the country ``name`` is a part of (:data:`PARTS`), else None.

    >>> country_part("scotland"), country_part("United Kingdom")
    ('GB', None)
    """
    return _parts().get(country_key(name))


@functools.lru_cache(maxsize=1)
def _parts() -> dict[str, str]:
    return {country_key(k): v for k, v in PARTS.items()}


def regions_named(name: str) -> tuple[tuple[str, str], ...]:
    """The first-level subdivisions of ISO 3166-2 (pycountry) called ``name``, as (code,
    name) pairs: states, provinces, regions ("Hawaii", "Tasmania", "Bretagne").

    >>> regions_named("tasmania")
    (('AU-TAS', 'Tasmania'),)
    """
    return _regions().get(name_key(name), ())


@functools.lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[tuple[str, str], ...]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            for part in re.sub(r"\s*\[.*?\]", "", sub.name).split(" / "):
                out.setdefault(name_key(part), []).append((sub.code, part.strip()))
    return {k: tuple(v) for k, v in out.items() if k}


def country_error(
    name: str, matches: Iterable[str], *, names: Iterable[str] = ()
) -> UnknownNameError:
    """The error for a name that is no one country: :class:`~undersea.AmbiguousNameError`
    naming each of several ``matches`` (``'South Korea (KR)'``), else
    :class:`~undersea.UnknownNameError` with close names among ``names`` and every name
    known here.

    >>> str(country_error("Korea", country_matches("Korea")))
    "ambiguous country 'Korea': it matches 'North Korea (KP)', 'South Korea (KR)'; use one of these"
    """
    codes = list(matches)
    text = " ".join(str(name).split())
    if len(codes) > 1:
        return AmbiguousNameError("country", text, [f"{_label(text, c)} ({c})" for c in codes])
    return UnknownNameError("country", text, [*names, *country_names()])


def _label(name: str, iso2: str) -> str:
    """How to name one country unambiguously: :data:`AMBIGUOUS`'s name, else pycountry's
    common name, else its ISO name."""
    for key, named in AMBIGUOUS.items():
        if country_key(key) == country_key(name) and iso2 in named:
            return named[iso2]
    rec = pycountry.countries.get(alpha_2=iso2)
    if rec is None:
        return iso2
    return str(getattr(rec, "common_name", None) or rec.name)


#: A name that abbreviates: a word of it ends in a full stop (``"S. Sudan"``, ``"Marshall
#: Is."``, ``"U.S. Virgin Is."``) or begins with Natural Earth's French ``St-``
#: (``"St-Martin"``).
_ABBREVIATED = re.compile(r"\w\.(?=\s|$)|\bSt-")


#: Countries renamed since Natural Earth's names were set, whose old name a table should not
#: show: North Macedonia (the Prespa agreement, 2019; Natural Earth says "Macedonia"),
#: Eswatini (2018; Natural Earth writes "eSwatini") and Türkiye (registered with the United
#: Nations in 2022; Natural Earth says "Turkey"). ISO 3166-1 and CLDR give the new names.
_RENAMED = frozenset({"MK", "SZ", "TR"})


def country_display_name(name: str, iso2: str) -> str:
    """How tables name a country: the source's ``name`` where it is written out, else the
    country's English name from the Unicode CLDR (by :mod:`babel`).

    A name abbreviates when a word of it ends in a full stop (Natural Earth's ``"S.
    Sudan"``, ``"Marshall Is."``, ``"U.S. Virgin Is."``) or begins with ``St-``
    (``"St-Martin"``). CLDR's name is written as the sources write names: ``&`` as
    ``and``, ``St.`` as ``Saint`` (``"Saint Kitts and Nevis"``; ``"U.S."`` stays). A name
    that means several countries in everyday use (:data:`AMBIGUOUS`: ``"Congo"``, and
    CLDR's ``"Congo - Kinshasa"``) is the name :data:`AMBIGUOUS` gives the country
    (``"DR Congo"``, ``"Republic of the Congo"``). A code CLDR does not have (the
    pseudo-code of ``"N. Cyprus"``) keeps the name with Natural Earth's abbreviations
    spelled out (``"Northern Cyprus"``). A country whose name the source predates
    (:data:`_RENAMED`) takes CLDR's name too (``"Macedonia"`` is ``"North Macedonia"``).

    >>> country_display_name("S. Sudan", "SS"), country_display_name("Hong Kong", "HK")
    ('South Sudan', 'Hong Kong')
    >>> country_display_name("Dem. Rep. Congo", "CD"), country_display_name("Congo", "CG")
    ('DR Congo', 'Republic of the Congo')
    >>> country_display_name("St. Vin. and Gren.", "VC"), country_display_name("N. Cyprus", "XN")
    ('Saint Vincent and Grenadines', 'Northern Cyprus')
    """
    if _ABBREVIATED.search(name) or iso2 in _RENAMED:
        name = _cldr_english().get(iso2) or " ".join(
            _SPELLED_OUT.get(w.casefold(), w) for w in name.split()
        )
    head = name.split(" - ")[0]  # CLDR's "Congo - Kinshasa"
    for key, named in AMBIGUOUS.items():
        if iso2 in named and country_key(head) == country_key(key):
            return named[iso2]
    return name


@functools.cache
def _cldr_english() -> dict[str, str]:
    """CLDR's English name of each territory (alpha-2 -> name), ``&`` as ``and`` and
    ``St.`` as ``Saint``."""
    from babel import Locale  # deferred: only a build names countries

    return {
        code: re.sub(r"\bSt\. ", "Saint ", str(name).replace(" & ", " and "))
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha()
    }


def country_codes(name: str) -> tuple[str, str]:
    """ISO 3166-1 alpha-2 and alpha-3 codes of a country name.

    Parameters
    ----------
    name
        A country name (``"Côte d'Ivoire"``, ``"Ivory Coast"``, ``"Congo, Dem. Rep."``,
        ``"DRC"``, ``"Burma"``), or an ISO alpha-2 / alpha-3 code in any case.

    Returns
    -------
    tuple of str
        ``(iso2, iso3)``.

    Raises
    ------
    AmbiguousNameError
        The name means several countries (``"Korea"``); the message names each.
    UnknownNameError
        The name is not known; the message lists close country names.

    Examples
    --------
    >>> country_codes("Virgin Islands (U.K.)")
    ('VG', 'VGB')
    >>> country_codes("DR Congo")
    ('CD', 'COD')
    """
    found = _matches(" ".join(str(name).split()))
    if len(found) != 1:
        raise country_error(name, found)
    return found[0], _iso3(found[0])


def country_names() -> list[str]:
    """Every country name, alias and endonym known (for close-match suggestions)."""
    return list(dict.fromkeys([*_index().names, *_native_index().names]))


def parse_countries(
    text: str | Iterable[str], *, lookup: Callable[[str], str | None] = country_iso2
) -> list[str]:
    """ISO alpha-2 codes of a comma- or semicolon-separated list of countries, in order.

    Commas inside a country name are kept when the joined pieces name a country
    (``"Congo, Dem. Rep.,Angola"`` is two countries). Duplicates are dropped. ``lookup``
    maps one name to its code or None (default :func:`country_iso2`; a network passes its
    own, which also knows the codes of synthetic networks).

    Raises
    ------
    UnknownNameError
        A piece that names no country, or several (:class:`~undersea.AmbiguousNameError`,
        ``"Korea"``).

    Examples
    --------
    >>> parse_countries("Sierra Leone,Liberia")
    ['SL', 'LR']
    >>> parse_countries(["Korea, Rep.; UK", "DRC"])
    ['KR', 'GB', 'CD']
    """
    values = [text] if isinstance(text, str) else list(text)
    out: list[str] = []
    for value in values:
        for chunk in value.split(";"):
            out += _split_commas([p.strip() for p in chunk.split(",")], lookup)
    return list(dict.fromkeys(out))


def _split_commas(parts: list[str], lookup: Callable[[str], str | None]) -> list[str]:
    """Greedy: at each piece, the longest run of pieces that names a country."""
    out: list[str] = []
    k = 0
    while k < len(parts):
        if not parts[k]:
            k += 1
            continue
        for end in range(len(parts), k, -1):
            iso2 = lookup(", ".join(parts[k:end]))
            if iso2 is not None:
                out.append(iso2)
                k = end
                break
        else:
            raise country_error(parts[k], _matches(parts[k]))
    return out


def refiled_name(name: str, filed_as: str, iso2: str, territory: str) -> str:
    """A landing point's name with the country it was filed under replaced by the
    territory it lies in; a name that does not end with that country is kept.

    >>> refiled_name("Chung Hom Kok, China", "China", "HK", "Hong Kong")
    'Chung Hom Kok, Hong Kong'
    >>> refiled_name("Condado Beach, PR, United States", "United States", "PR", "Puerto Rico")
    'Condado Beach, Puerto Rico'
    >>> refiled_name("Kralendijk, Bonaire, Netherlands", "Netherlands", "BQ",
    ...              "Bonaire, Sint Eustatius and Saba")
    'Kralendijk, Bonaire, Sint Eustatius and Saba'
    """
    suffix = f", {filed_as}"
    if not name.endswith(suffix):
        return name
    parts = name[: -len(suffix)].split(", ")
    named = {iso2, territory, *territory.split(", ")}
    while len(parts) > 1 and parts[-1] in named:  # the code or the territory said already
        parts.pop()
    return f"{', '.join(parts)}, {territory}"


#: Words that begin many country names, or a name only by accident: alone, they are no
#: country's first word (``"South"``, ``"Saint"``, ``"East"`` -> East Timor would surprise).
_GENERIC = frozenset(
    {
        *("the", "east", "west", "western", "eastern", "north", "northern", "south"),
        *("southern", "central", "united", "new", "saint", "san", "santa", "sao", "st"),
        *("isle", "islands", "republic", "democratic", "great", "el", "holy", "cape"),
    }
)


@functools.cache
def _word_index() -> tuple[tuple[tuple[str, ...], str], ...]:
    names = [*_iso_names(), *ALIASES.items()]
    return tuple(sorted({(_words(v), iso2) for n, iso2 in names for v in (n, *name_variants(n))}))


def country_prefix_matches(
    name: str, *, extra: Iterable[tuple[str, str]] = (), most: int = 6
) -> tuple[str, ...]:
    """Alpha-2 codes of the countries whose name *begins* with the words of ``name``, for a
    name :func:`country_matches` does not know (``"Saudi"`` -> SA, ``"Faroe"`` -> FO,
    ``"Sao Tome"`` -> ST; ``"French"`` -> four, ambiguous). Whole words only; a
    single word shorter than four letters or in :data:`_GENERIC` (``"South"``, ``"East"``)
    matches nothing, and so does a beginning shared by more than ``most`` countries.
    ``extra`` adds ``(name, alpha-2)`` pairs (a network's own names).

    >>> country_prefix_matches("Saudi"), country_prefix_matches("Sao Tome")
    (('SA',), ('ST',))
    >>> country_prefix_matches("South"), country_prefix_matches("Africa")
    ((), ())
    """
    words = _words(" ".join(str(name).replace("-", " ").split()))
    if not words or (len(words) == 1 and (words[0] in _GENERIC or len(words[0]) < 4)):
        return ()
    k = len(words)
    index = [*_word_index(), *((_words(n), c) for n, c in extra)]
    found = {iso2 for ws, iso2 in index if len(ws) > k and ws[:k] == words}
    return tuple(sorted(found)) if len(found) <= most else ()
