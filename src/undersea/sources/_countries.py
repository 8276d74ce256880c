"""Country names as the sources spell them -> ISO 3166-1 codes.

:func:`country_codes` is :func:`undersea.geo.countries.country_codes` (one alias table,
:data:`~undersea.geo.countries.ALIASES`, for sources and users alike) except that a code
must be upper case here: ``"ca"`` in ``"Los Angeles, ca, United States"`` is a state.
:func:`country_of_place` finds the country part of a landing-point name such as
``"Abidjan, Côte d'Ivoire"`` for snapshots that carry no country field;
``"Netherlands Antilles"`` (dissolved 2010) has no single successor, so
:data:`PLACE_COUNTRIES` resolves the two landing points that use it by place.
"""

from __future__ import annotations

from undersea.geo.countries import ALIASES, country_error, country_iso2, country_matches
from undersea.geo.countries import country_codes as _codes

__all__ = ["ALIASES", "PLACE_COUNTRIES", "country_codes", "country_of_place"]

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


def _lookup(name: str) -> str | None:
    text = name.strip()
    if len(text) in (2, 3) and text.isalpha() and not text.isupper():
        return None  # lower-case letters in a source name are no country code
    return country_iso2(text)


def country_codes(name: str) -> tuple[str, str]:
    """``(iso2, iso3)`` of a country name as a source spells it, or an upper-case code.

    Raises :class:`~undersea.UnknownNameError` with close matches, or
    :class:`~undersea.AmbiguousNameError` for a name of several countries (``"Korea"``).

    >>> country_codes("Virgin Islands (U.K.)")
    ('VG', 'VGB')
    """
    if _lookup(name) is None:
        raise country_error(name, country_matches(name, codes=False))
    return _codes(name)


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
