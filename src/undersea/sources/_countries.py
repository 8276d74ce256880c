"""Country names as the sources spell them -> ISO 3166-1 codes.

:func:`country_codes` looks a name up in pycountry (ISO 3166-1 names, official names and
common names, ignoring case and accents) after a small alias table for the names that
TeleGeography and similar sources use but ISO does not (``"Congo, Dem. Rep."``,
``"Virgin Islands (U.K.)"``, ``"Turkey"``...). :func:`country_of_place` finds the country
part of a landing-point name such as ``"Abidjan, Côte d'Ivoire"`` for snapshots that
carry no country field.

Decisions worth knowing (each alias is listed in :data:`ALIASES`):

- ``"Canary Islands"`` -> Spain (ES/ESP): the islands are an autonomous community of Spain
  (ISO 3166-2 ES-CN); ``IC`` is only an exceptionally reserved code, unknown to most data.
- ``"Kosovo"`` -> XK/XKX: the user-assigned codes used by the EU, IMF and World Bank.
- ``"Saint Martin"`` -> MF (the French part; TeleGeography's landings there, Marigot and
  Baie Longue, are on the French side); ``"Sint Maarten"`` -> SX (the Dutch part).
- ``"Chuuk"`` -> FM (a state of Micronesia); ``"Saipan"`` -> MP (Northern Mariana Islands);
  ``"Sint Eustatius and Saba"`` / ``"Ascension and Tristan da Cunha"`` are the tails of
  the comma-containing ISO names (BQ, SH) that older snapshots split at the wrong comma.
- ``"Netherlands Antilles"`` (dissolved 2010) has no single successor and is not an alias;
  :data:`PLACE_COUNTRIES` resolves the two landing points that use it by place.
"""

from __future__ import annotations

import functools
import unicodedata

import pycountry

from undersea._errors import UnknownNameError

__all__ = ["ALIASES", "PLACE_COUNTRIES", "country_codes", "country_of_place"]

#: Source country names that pycountry does not know -> (iso2, iso3).
ALIASES: dict[str, tuple[str, str]] = {
    "Ascension and Tristan da Cunha": ("SH", "SHN"),
    "Bolivia": ("BO", "BOL"),
    "Brunei": ("BN", "BRN"),
    "Burma": ("MM", "MMR"),
    "Canary Islands": ("ES", "ESP"),
    "Cape Verde": ("CV", "CPV"),
    "Chuuk": ("FM", "FSM"),
    "Congo, Dem. Rep.": ("CD", "COD"),
    "Congo, Rep.": ("CG", "COG"),
    "Curacao": ("CW", "CUW"),
    "Czech Republic": ("CZ", "CZE"),
    "East Timor": ("TL", "TLS"),
    "Faeroe Islands": ("FO", "FRO"),
    "Ivory Coast": ("CI", "CIV"),
    "Korea, Dem. Rep.": ("KP", "PRK"),
    "Korea, Rep.": ("KR", "KOR"),
    "Kosovo": ("XK", "XKX"),
    "Laos": ("LA", "LAO"),
    "Macau": ("MO", "MAC"),
    "Micronesia": ("FM", "FSM"),
    "North Korea": ("KP", "PRK"),
    "Palestine": ("PS", "PSE"),
    "Republic of Marshall Islands": ("MH", "MHL"),
    "Russia": ("RU", "RUS"),
    "Saint Helena": ("SH", "SHN"),
    "Saint Martin": ("MF", "MAF"),
    "SaintMartin": ("MF", "MAF"),  # a typo in the 2018-03 snapshot
    "Saipan": ("MP", "MNP"),
    "Sint Eustatius and Saba": ("BQ", "BES"),
    "Sint Maarten": ("SX", "SXM"),
    "South Korea": ("KR", "KOR"),
    "Turkey": ("TR", "TUR"),
    "Vatican": ("VA", "VAT"),
    "Virgin Islands (U.K.)": ("VG", "VGB"),
    "Virgin Islands (U.S.)": ("VI", "VIR"),
}

#: Landing-point names whose country part is missing or names a dissolved country -> the
#: country the place lies in today. Tyra, Valdemar and South Arne are oil and gas
#: platforms in the Danish sector of the North Sea.
PLACE_COUNTRIES: dict[str, str] = {
    "Tyra": "Denmark",
    "Valdemar": "Denmark",
    "South Arne": "Denmark",
    "Saint Maarten, Netherlands Antilles": "Sint Maarten",
    "North Salina, Bonaire, Netherlands Antilles": "Bonaire, Sint Eustatius and Saba",
}


def _key(name: str) -> str:
    """Case-, accent- and spacing-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("’", "'").casefold().split())


@functools.cache
def _index() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """(normalised name -> codes, normalised name -> display name), built once."""
    codes: dict[str, tuple[str, str]] = {}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        pair = (country.alpha_2, country.alpha_3)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                codes.setdefault(_key(value), pair)
                display.setdefault(_key(value), value)
    for alias, pair in ALIASES.items():
        codes[_key(alias)] = pair
        display[_key(alias)] = alias
    return codes, display


@functools.lru_cache(maxsize=1024)
def _lookup(name: str) -> tuple[str, str] | None:
    codes, _ = _index()
    hit = codes.get(_key(name))
    if hit is None and name.isupper() and len(name) in (2, 3):
        found = (
            pycountry.countries.get(alpha_2=name)
            if len(name) == 2
            else pycountry.countries.get(alpha_3=name)
        )
        hit = (found.alpha_2, found.alpha_3) if found is not None else None
    return hit


def country_codes(name: str) -> tuple[str, str]:
    """ISO 3166-1 alpha-2 and alpha-3 codes of a country name.

    Parameters
    ----------
    name
        A country name as a source spells it (``"Côte d'Ivoire"``, ``"Congo, Dem. Rep."``),
        or an upper-case ISO alpha-2 / alpha-3 code.

    Returns
    -------
    tuple of str
        ``(iso2, iso3)``.

    Raises
    ------
    UnknownNameError
        The name is not known; the message lists close matches.

    Examples
    --------
    >>> country_codes("Virgin Islands (U.K.)")
    ('VG', 'VGB')
    """
    hit = _lookup(name.strip())
    if hit is None:
        raise UnknownNameError("country", name, _index()[1].values())
    return hit


def country_of_place(name: str) -> str:
    """The country part of a landing-point name such as ``"Muanda, Congo, Dem. Rep."``.

    The last two comma-separated parts are tried first (for country names that contain a
    comma), then the last part; names listed in :data:`PLACE_COUNTRIES` are resolved by
    place. When nothing is known the last part is returned as is, so that the caller can
    report it.

    Examples
    --------
    >>> country_of_place("Anchorage, Alaska, United States")
    'United States'
    >>> country_of_place("Muanda, Congo, Dem. Rep.")
    'Congo, Dem. Rep.'
    """
    cleaned = " ".join(name.split())
    if cleaned in PLACE_COUNTRIES:
        return PLACE_COUNTRIES[cleaned]
    parts = [p.strip() for p in cleaned.split(",")]
    if len(parts) >= 3:
        pair = ", ".join(parts[-2:])
        if _lookup(pair) is not None:
            return pair
    return parts[-1]
