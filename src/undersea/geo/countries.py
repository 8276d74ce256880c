"""Country names people and sources use -> ISO 3166-1 codes: one function for every command.

:func:`country_codes` looks a name up, ignoring case, accents, punctuation and spacing, in:

1. ISO 3166-1 alpha-2 and alpha-3 codes (``NG``, ``nga``);
2. :data:`ALIASES`: common and short names, former names and abbreviations that ISO does
   not list (``UK``, ``USA``, ``UAE``, ``DRC``, ``Ivory Coast``, ``Burma``, ``Swaziland``,
   ``East Timor``), and the spellings sources use (``"Congo, Dem. Rep."``,
   ``"Virgin Islands (U.K.)"``);
3. pycountry's ISO names, official names and common names (``"Viet Nam"``, ``"Bolivia,
   Plurinational State of"``, ``"Taiwan"``).

:func:`parse_countries` splits a comma-separated list (``"Sierra Leone,Liberia"``) while
keeping names that contain a comma whole (``"Congo, Dem. Rep.,Angola"``).

Decisions worth knowing (each alias is in :data:`ALIASES`):

- ``"Canary Islands"`` -> Spain (ES/ESP): the islands are an autonomous community of Spain
  (ISO 3166-2 ES-CN); ``IC`` is only an exceptionally reserved code, unknown to most data.
- ``"Kosovo"`` -> XK/XKX: the user-assigned codes used by the EU, IMF and World Bank.
- ``"Saint Martin"`` -> MF (the French part; TeleGeography's landings there, Marigot and
  Baie Longue, are on the French side); ``"Sint Maarten"`` -> SX (the Dutch part).
- ``"Chuuk"`` -> FM (a state of Micronesia); ``"Saipan"`` -> MP (Northern Mariana Islands);
  ``"Sint Eustatius and Saba"`` / ``"Ascension and Tristan da Cunha"`` are the tails of
  the comma-containing ISO names (BQ, SH) that older snapshots split at the wrong comma.
- ``"Great Britain"`` and ``"Britain"`` -> GB; England, Scotland, Wales and Northern
  Ireland are not aliases (a user typing one wants that part, which the data does not
  hold as a country); nor is ``"Korea"`` (North or South?).
- ``"Congo"`` alone is the Republic of the Congo (CG), as in ISO 3166-1; the Democratic
  Republic is ``DRC``, ``DR Congo``, ``Congo-Kinshasa`` or its ISO name.
- ``"Netherlands Antilles"`` (dissolved 2010) has no single successor and is not an alias.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import pycountry

from undersea._errors import UnknownNameError
from undersea.geo.gazetteer import name_key

__all__ = [
    "ALIASES",
    "country_codes",
    "country_iso2",
    "country_key",
    "country_names",
    "parse_countries",
]

# fmt: off
#: Names that ISO 3166-1 (as pycountry has it) does not list -> ISO alpha-2.
ALIASES: dict[str, str] = {
    # abbreviations
    "UK": "GB", "U.K.": "GB", "USA": "US", "U.S.": "US", "U.S.A.": "US", "UAE": "AE",
    "DRC": "CD", "DR Congo": "CD", "D.R. Congo": "CD", "RDC": "CD", "PRC": "CN",
    "ROK": "KR", "DPRK": "KP", "PNG": "PG", "BVI": "VG", "USVI": "VI", "CAR": "CF",
    "KSA": "SA",
    # common and short names
    "United States": "US", "Britain": "GB", "Great Britain": "GB",
    "Ivory Coast": "CI", "The Gambia": "GM", "Gambia": "GM", "The Bahamas": "BS",
    "Bahamas": "BS", "Russia": "RU", "South Korea": "KR", "North Korea": "KP",
    "Vietnam": "VN", "Laos": "LA", "Syria": "SY", "Iran": "IR",
    "Tanzania": "TZ", "Bolivia": "BO", "Venezuela": "VE", "Moldova": "MD",
    "Brunei": "BN", "Cape Verde": "CV", "Micronesia": "FM", "Palestine": "PS",
    "Vatican": "VA", "Vatican City": "VA", "Macau": "MO", "Macao": "MO",
    "Hong Kong": "HK", "Taiwan": "TW", "Turkey": "TR", "Czech Republic": "CZ",
    "Holland": "NL", "The Netherlands": "NL", "Congo-Kinshasa": "CD",
    "Congo-Brazzaville": "CG", "Republic of the Congo": "CG", "Republic of Congo": "CG",
    "Congo": "CG",
    "Democratic Republic of Congo": "CD", "Democratic Republic of the Congo": "CD",
    "Curacao": "CW", "Faeroe Islands": "FO", "Faroes": "FO", "St Helena": "SH",
    "Saint Helena": "SH", "St Lucia": "LC", "St Kitts and Nevis": "KN",
    "St Vincent and the Grenadines": "VC", "Falklands": "FK", "Reunion": "RE",
    "Marshall Islands": "MH", "Republic of Marshall Islands": "MH",
    "Kosovo": "XK", "Sao Tome and Principe": "ST", "Timor-Leste": "TL",
    # former names
    "Burma": "MM", "Swaziland": "SZ", "East Timor": "TL", "Macedonia": "MK",
    "Zaire": "CD", "Ceylon": "LK", "Dahomey": "BJ", "Upper Volta": "BF",
    # source spellings (TeleGeography, PCH, World Bank)
    "Congo, Dem. Rep.": "CD", "Congo, Rep.": "CG", "Korea, Dem. Rep.": "KP",
    "Korea, Rep.": "KR", "Virgin Islands (U.K.)": "VG", "Virgin Islands (U.S.)": "VI",
    "Canary Islands": "ES", "Chuuk": "FM", "Saipan": "MP", "Saint Martin": "MF",
    "SaintMartin": "MF",  # a typo in the 2018-03 snapshot
    "Sint Maarten": "SX", "Sint Eustatius and Saba": "BQ",
    "Ascension and Tristan da Cunha": "SH",
}
# fmt: on
#: Codes pycountry does not have (user-assigned): alpha-2 -> alpha-3.
_EXTRA_ISO3 = {"XK": "XKX"}


def country_key(name: str) -> str:
    """:func:`~undersea.geo.gazetteer.name_key` with dots dropped and ``&`` spelled out
    (``"Côte d'Ivoire"`` -> ``"cote divoire"``; ``"U.K."`` -> ``"uk"``; ``"St. Lucia"``
    -> ``"saint lucia"``)."""
    return name_key(str(name).replace(".", "").replace("&", " and "))


@functools.cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(key -> iso2, key -> display name), built once; aliases win over pycountry names."""
    codes: dict[str, str] = {}
    display: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                codes.setdefault(country_key(value), c.alpha_2)
                display.setdefault(country_key(value), value)
    for alias, iso2 in ALIASES.items():
        codes[country_key(alias)] = iso2
        display[country_key(alias)] = alias
    return codes, display


def _iso3(iso2: str) -> str:
    found = pycountry.countries.get(alpha_2=iso2)
    return str(found.alpha_3) if found is not None else _EXTRA_ISO3[iso2]


@functools.lru_cache(maxsize=4096)
def _lookup(name: str) -> str | None:
    text = " ".join(name.split())
    if len(text) in (2, 3) and text.isalpha():  # an ISO code, any case
        code = text.upper()
        found = (
            pycountry.countries.get(alpha_2=code)
            if len(code) == 2
            else pycountry.countries.get(alpha_3=code)
        )
        if found is not None:
            return str(found.alpha_2)
        if text.upper() in _EXTRA_ISO3 or text.upper() in _EXTRA_ISO3.values():
            return "XK"
    return _index()[0].get(country_key(text))


def country_iso2(name: str) -> str | None:
    """ISO alpha-2 of a country name or code, or None when it names no country.

    >>> country_iso2("Ivory Coast"), country_iso2("uk"), country_iso2("Geneva")
    ('CI', 'GB', None)
    """
    return _lookup(str(name))


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
    UnknownNameError
        The name is not known; the message lists close country names.

    Examples
    --------
    >>> country_codes("Virgin Islands (U.K.)")
    ('VG', 'VGB')
    >>> country_codes("DR Congo")
    ('CD', 'COD')
    """
    iso2 = _lookup(str(name))
    if iso2 is None:
        raise UnknownNameError("country", str(name).strip(), country_names())
    return iso2, _iso3(iso2)


def country_names() -> list[str]:
    """Every country name and alias known (for close-match suggestions)."""
    return list(_index()[1].values())


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
        A piece that names no country.

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
            raise UnknownNameError("country", parts[k], country_names())
    return out
