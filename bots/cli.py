"""`flask bots ...`: connect the channels and send what is waiting."""
from __future__ import annotations

import logging
import secrets
import time

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.extensions import db
from survey_app.outages import is_outage

from . import sender, telegram, zalo_token
from .inbound import Outcome, handle, retry_parked

bots = AppGroup("bots", help="Telegram and Zalo: webhooks, polling, tokens, the outbox.")
log = logging.getLogger(__name__)


@bots.command("set-webhook")
@click.argument("url")
@click.option("--max-connections", default=40, show_default=True)
def set_webhook(url: str, max_connections: int) -> None:
    """Register URL (https://…/bots/telegram) with Telegram once, from a deploy step — never at import."""
    secret = current_app.config.get("TELEGRAM_WEBHOOK_SECRET")
    if not current_app.config.get("TELEGRAM_BOT_TOKEN") or not secret:
        raise click.ClickException("set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first "
                                   f"(for example TELEGRAM_WEBHOOK_SECRET={secrets.token_urlsafe(32)})")
    telegram.call("set_webhook", url=url, secret_token=secret, allowed_updates=telegram.ALLOWED_UPDATES,
                  max_connections=max_connections)
    click.echo(f"webhook set: {url}")


@bots.command("telegram-poll")
@click.option("--timeout", default=30, show_default=True, help="Long-poll seconds per getUpdates call.")
@click.option("--once", is_flag=True, help="One getUpdates round, then stop (for scripts and tests).")
def telegram_poll(timeout: int, once: bool) -> None:
    """Without a public HTTPS address: fetch updates by long polling and feed the same conversation."""
    if not current_app.config.get("TELEGRAM_BOT_TOKEN"):
        raise click.ClickException("set TELEGRAM_BOT_TOKEN first")
    telegram.call("delete_webhook")  # getUpdates refuses to run while a webhook is set
    offset = None
    click.echo("polling Telegram (Ctrl+C to stop)")
    while True:
        try:
            updates = telegram.call("get_updates", wait=timeout + 60, offset=offset, timeout=timeout,
                                    allowed_updates=telegram.ALLOWED_UPDATES, read_timeout=timeout + 30)
        except Exception as exc:
            log.warning("getUpdates failed: %r", exc)
            if once:
                raise click.ClickException(str(exc)) from exc
            time.sleep(5)
            continue
        stalled = False
        for update in updates:
            if handle(telegram, update.to_dict()) is Outcome.RETRY:
                stalled = True  # not recorded (the database is away): fetched again from this offset
                break
            offset = update.update_id + 1
        if once:
            if stalled:
                raise click.ClickException("an update could not be recorded; the next poll fetches it again")
            click.echo(f"updates={len(updates)}")
            return
        if stalled:
            time.sleep(5)


@bots.command("zalo-token")
@click.argument("refresh_token")
def zalo_token_command(refresh_token: str) -> None:
    """Start the Zalo token rotation from a refresh token copied from the Zalo developer console."""
    zalo_token.store_refresh_token(refresh_token)
    click.echo("refresh token stored; the access token is fetched on the first send")


@bots.command("retry-parked")
@click.option("--limit", default=1000, show_default=True)
def retry_parked_command(limit: int) -> None:
    """Handle again the updates parked because handling them failed (after the cause is fixed)."""
    counts = retry_parked(limit=limit)  # every channel's adapter reads its own parked updates
    click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing parked")


@bots.command("send-pending")
@click.option("--loop", "loop_seconds", type=float, default=0,
              help="Keep sweeping every N seconds (a worker without Redis).")
@click.option("--rounds", type=int, default=0, hidden=True, help="With --loop: stop after N sweeps (scripts, tests).")
def send_pending(loop_seconds: float, rounds: int) -> None:
    """Send every outbox row that is due: after a crash, a back-off, or a resident's return.

    With --loop, a sweep that finds the database away (restarting, failing over) waits for the next one
    instead of ending the process: a process runner such as honcho would stop every process with it."""
    done = 0
    while True:
        try:
            counts = sender.send_pending()
        except Exception as exc:
            db.session.rollback()
            if not is_outage(exc):
                raise
            if not loop_seconds:
                raise click.ClickException("the database is unavailable; nothing was sent (run again later)") from exc
            log.warning("send-pending: the database is unavailable (%s); next sweep in %s s",
                        type(exc).__name__, loop_seconds)
            click.echo("database unavailable")
        else:
            click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "nothing due")
        done += 1
        if not loop_seconds or (rounds and done >= rounds):
            return
        time.sleep(loop_seconds)
