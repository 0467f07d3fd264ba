"""mySociety's register of UK councils: the credit its licence asks for, and how its types and
regions map onto the library's. ``manage.py import_council_register`` reads the register with it;
the about page, the API root, the council pages and the council CSV show ``REGISTER``."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .models import CouncilType, Region


@dataclass(frozen=True)
class Attribution:
    """A data set the library republishes, and how to credit it."""

    title: str
    publisher: str
    release: str  # the data set's version ("version" is kept out of the API: tests/config/test_no_leaks.py)
    url: str
    licence: str
    licence_url: str
    used_for: str

    @property
    def credit(self) -> str:
        """One line, as a CSV export or a footnote carries it."""
        return f"{self.publisher}, {self.title} (version {self.release}), {self.licence}"

    def as_dict(self) -> dict[str, str]:
        return {**asdict(self), "credit": self.credit}


# The one home of the register's provenance. The import refuses a register whose datapackage.yaml
# names another version or licence: update this first, then re-run the import.
REGISTER = Attribution(
    title="UK Local Authorities (past and current)",
    publisher="mySociety",
    release="1.6.1",
    url="https://github.com/mysociety/uk_local_authority_names_and_codes",
    licence="CC BY 4.0",
    licence_url="https://creativecommons.org/licenses/by/4.0/",
    used_for="councils' GSS codes, types, regions, start and end dates, successors, 2020 population and coordinates",
)
REGISTER_LICENCE_NAME = "CC-BY-4.0"  # as datapackage.yaml spells it
POPULATION_YEAR = 2020  # the register's pop-2020 column

# The register's local-authority-type -> ours.
TYPES: dict[str, str] = {
    "CTY": CouncilType.COUNTY,
    "NMD": CouncilType.DISTRICT,
    "UA": CouncilType.UNITARY,
    "LBO": CouncilType.LONDON_BOROUGH,
    "MD": CouncilType.METROPOLITAN_BOROUGH,
    "SCO": CouncilType.SCOTTISH_COUNCIL,
    "WPA": CouncilType.WELSH_PRINCIPAL_AREA,
    "NID": CouncilType.NORTHERN_IRELAND_DISTRICT,
    "COMB": CouncilType.COMBINED_AUTHORITY,
    "SRA": CouncilType.STRATEGIC_AUTHORITY,
    "CC": CouncilType.CITY_CORPORATION,
}

# The register's region (English regions; the nation elsewhere) -> ours. Blank for some abolished
# councils: their successor's region applies (the register's README says so).
REGIONS: dict[str, str] = {
    "North East": Region.NORTH_EAST,
    "North West": Region.NORTH_WEST,
    "Yorkshire and The Humber": Region.YORKSHIRE_AND_THE_HUMBER,
    "East Midlands": Region.EAST_MIDLANDS,
    "West Midlands": Region.WEST_MIDLANDS,
    "East of England": Region.EAST_OF_ENGLAND,
    "London": Region.LONDON,
    "South East": Region.SOUTH_EAST,
    "South West": Region.SOUTH_WEST,
    "Scotland": Region.SCOTLAND,
    "Wales": Region.WALES,
    "Northern Ireland": Region.NORTHERN_IRELAND,
}
