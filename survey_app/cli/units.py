"""units import: the official list, and a commune's hamlets and households from files."""
import click
from flask import Flask

from survey_app.services.units.catalogue import import_commune, import_hamlets, import_households, import_official_units
from survey_app.services.units.legacy import import_legacy_units

from ._util import domain_errors_exit, progress


def register(app: Flask) -> None:
    @app.cli.group("units")
    def units():
        """Administrative units (provinces, communes, hamlets) and households."""

    @units.command("import")
    @click.option("--commune", "commune_code", help="Commune code (5 digits) for --hamlets/--households.")
    @click.option("--hamlets", type=click.Path(exists=True, dir_okay=False), help="CSV/XLSX: name[, code].")
    @click.option("--households", type=click.Path(exists=True, dir_okay=False),
                  help="CSV/XLSX: hamlet, number[, head_name, address].")
    @domain_errors_exit
    def import_units(commune_code, hamlets, households):
        """Without files: all 34 provinces and 3,321 communes/wards. With files: one commune's data."""
        if hamlets or households:
            if not commune_code:
                raise click.UsageError("--hamlets and --households need --commune CODE")
            commune = import_commune(commune_code)
            if hamlets:
                click.echo(f"hamlets={import_hamlets(commune, hamlets)}")
            if households:
                click.echo(f"households={import_households(commune, households, progress('households'))}")
            return
        counts = import_official_units(progress("communes"))
        click.echo(f"provinces={counts['provinces']} communes={counts['communes']}")

    @units.command("legacy")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @domain_errors_exit
    def legacy(path):
        """Pre-2025 units and mergers from CSV/XLSX: code, name, level, parent, valid_from, valid_to, merged_into."""
        counts = import_legacy_units(path)
        click.echo(f"units={counts['units']} mergers={counts['mergers']}")
