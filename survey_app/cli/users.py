"""users create, users unlock."""
import click
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from survey_app.services.staff.users import create_or_reset_user, unlock_by_name
from survey_app.services.units.catalogue import current_unit

from ..errors import DomainError
from ..models import StaffRole, UnitLevel
from ._util import domain_errors_exit


def register(app: Flask) -> None:
    @app.cli.group("users")
    def users():
        """Staff accounts."""

    @users.command("create")
    @click.argument("username")
    @click.option("--role", type=click.Choice(StaffRole.ALL), default=StaffRole.COMMUNE, show_default=True)
    @click.option("--unit", "unit_code", help="Commune code (commune staff) or province code (province officers).")
    @click.option("--name", "full_name", default="")
    @domain_errors_exit
    def create(username, role, unit_code, full_name):
        """Create a staff account (or reset its password); the generated password is printed once."""
        unit = None
        if unit_code:
            level = UnitLevel.PROVINCE if role == StaffRole.PROVINCE else UnitLevel.COMMUNE
            unit = current_unit(level, unit_code)
            if unit is None:
                raise DomainError(_l("Không tìm thấy đơn vị nào mang mã %(code)s; hãy chạy `flask units import` "
                                     "trước.", code=unit_code))
        user, password = create_or_reset_user(username, role=role, unit=unit, full_name=full_name)
        click.echo(f"user={user.username} role={user.role} password={password}")

    @users.command("unlock")
    @click.argument("username")
    @domain_errors_exit
    def unlock(username):
        """Let an account locked by wrong passwords sign in again now (audited)."""
        user = unlock_by_name(username)
        click.echo(f"user={user.username} unlocked")
        if not current_app.config.get("REDIS_URL"):
            click.echo("REDIS_URL is not set: the web server counts wrong passwords in its own memory, which this "
                       "command cannot reach; use /staff/accounts or restart the web server.", err=True)
