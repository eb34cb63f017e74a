"""Small helpers for commands: progress on stderr, domain errors as clean exits."""
import functools

import click

from ..errors import DomainError, ImportRowError


def progress(label: str):
    def show(done: int, total: int) -> None:
        click.echo(f"  {label}: {done}/{total}", err=True)
    return show


def domain_errors_exit(fn):
    """Print a DomainError as a message (every bad row of an import) and exit 1, no traceback."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ImportRowError as exc:
            for line in exc.errors:
                click.echo(line, err=True)
            raise click.ClickException(f"{len(exc.errors)} dòng lỗi; không nhập gì cả (nothing imported)") from None
        except DomainError as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper
