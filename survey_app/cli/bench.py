"""bench seed --households N: generated data for tests, demos and benchmarks."""
import json
import time

import click
from flask import Flask

from survey_app.devdata.bench import seed_bench

from ._util import domain_errors_exit


def register(app: Flask) -> None:
    @app.cli.group("bench")
    def bench():
        """Generated data for benchmarks and demos."""

    @bench.command("seed")
    @click.option("--households", type=click.IntRange(min=50), required=True)
    @domain_errors_exit
    def seed(households):
        """A test province (code 99) with N households, two campaigns per commune, answers and feedback."""
        started = time.perf_counter()
        made = seed_bench(households)
        made["seconds"] = round(time.perf_counter() - started, 1)
        click.echo(json.dumps(made))
