"""The OA's access token and its single-use refresh token, rotated under a database row lock.

Refreshing burns the refresh token: two workers refreshing at once would leave one with a dead pair.
So the refresh happens inside a transaction holding the row (SELECT … FOR UPDATE on PostgreSQL; on
SQLite a write taken first serialises writers), and the new pair is stored in that same transaction
before anyone uses it.
"""
from __future__ import annotations

from datetime import timedelta

import requests
from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from survey_app.extensions import db
from survey_app.models import ZaloToken
from survey_app.models._common import utcnow

from .delivery import RetryLater

EARLY = timedelta(minutes=5)  # refresh a little before Zalo says the token expires


class NoRefreshToken(RuntimeError):
    """Neither ZALO_REFRESH_TOKEN nor `flask bots zalo-token` has given a first refresh token."""


def store_refresh_token(refresh_token: str) -> None:
    """`flask bots zalo-token`: start (or restart) the rotation from a refresh token taken from Zalo's console."""
    app_id = _app_id()
    row = db.session.execute(db.select(ZaloToken).filter_by(app_id=app_id)).scalar_one_or_none()
    if row is None:
        db.session.add(ZaloToken(app_id=app_id, refresh_token=refresh_token))
    else:
        row.refresh_token, row.access_token, row.expires_at = refresh_token, None, None
    db.session.commit()


def access_token() -> str:
    """A usable access token: the stored one while it is fresh, otherwise a refreshed one."""
    row = db.session.execute(db.select(ZaloToken).filter_by(app_id=_app_id())).scalar_one_or_none()
    token = row.access_token if row else None
    fresh = row is not None and row.expires_at is not None and row.expires_at - EARLY > utcnow()
    db.session.rollback()  # end the read: no transaction stays open across the HTTP send
    if token and fresh:
        return token
    return refresh(stale_access_token=token)


def refresh(stale_access_token: str | None = None) -> str:
    """Rotate the pair once, unless another worker already did since `stale_access_token` was read."""
    app_id = _app_id()
    _ensure_row(app_id)
    try:
        row = _locked_row(app_id)
        if row.access_token and row.access_token != stale_access_token and \
                row.expires_at is not None and row.expires_at - EARLY > utcnow():
            token = row.access_token  # someone refreshed while we waited for the lock
            db.session.rollback()
            return token
        data = _call_oauth(app_id, row.refresh_token)
        row.access_token = data["access_token"]
        row.refresh_token = data.get("refresh_token") or row.refresh_token
        row.expires_at = utcnow() + timedelta(seconds=int(str(data.get("expires_in") or "3600")))
        token = row.access_token
        db.session.commit()
        return token
    except Exception:
        db.session.rollback()
        raise


def _locked_row(app_id: str) -> ZaloToken:
    if db.engine.dialect.name == "sqlite":
        # SQLite has no row locks: a write first takes the database's single writer lock for this transaction.
        db.session.execute(update(ZaloToken).where(ZaloToken.app_id == app_id)
                           .values(app_id=ZaloToken.app_id))
    query = db.select(ZaloToken).filter_by(app_id=app_id).with_for_update().execution_options(
        populate_existing=True)
    return db.session.execute(query).scalar_one()


def _ensure_row(app_id: str) -> None:
    exists = db.session.execute(db.select(ZaloToken.id).filter_by(app_id=app_id)).first()
    db.session.rollback()
    if exists:
        return
    first = current_app.config.get("ZALO_REFRESH_TOKEN")
    if not first:
        raise NoRefreshToken("set ZALO_REFRESH_TOKEN or run `flask bots zalo-token REFRESH_TOKEN`")
    db.session.add(ZaloToken(app_id=app_id, refresh_token=first))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker stored it first: theirs is the same token


def _call_oauth(app_id: str, refresh_token: str) -> dict:
    url = current_app.config["ZALO_OAUTH_BASE_URL"].rstrip("/") + "/v4/oa/access_token"
    try:
        response = requests.post(url, data={"refresh_token": refresh_token, "app_id": app_id,
                                            "grant_type": "refresh_token"},
                                 headers={"secret_key": current_app.config.get("ZALO_APP_SECRET") or ""},
                                 timeout=15)
        data = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise RetryLater(f"zalo oauth: {exc!r}") from exc
    if response.status_code >= 400 or not data.get("access_token"):
        raise RetryLater(f"zalo oauth HTTP {response.status_code}: {data.get('error_description') or data}",
                         delay=300)
    return data


def _app_id() -> str:
    return current_app.config.get("ZALO_APP_ID") or ""
