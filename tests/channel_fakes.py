"""Fake Telegram Bot API and Zalo OpenAPI/OAuth servers: real HTTP on 127.0.0.1, speaking the documented protocols.

Each records what it received and can be told to fail the next calls: an HTTP status with a body, a
Zalo `error` code in a 200 body, or a dropped connection (a network error for the client); or to answer
message sends late (`answer_late`): the message is delivered, the answer comes after the delay.
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class _Server:
    def __init__(self):
        self.lock = threading.Lock()
        self.failures: list = []  # consumed one per matching call: ("http", status, body) | ("drop",) | …
        self.late = 0.0  # seconds a message send waits before answering
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body = outer.handle(self.path, dict(self.headers), raw)
                if outer.late and outer.is_send(self.path):
                    time.sleep(outer.late)
                if status is None:  # drop the connection: the client sees a network error
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # a late answer to a client that gave up waiting

            do_GET = do_POST

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer_late(self, seconds: float) -> None:
        """From now on, deliver each message at once but answer the sender only after `seconds`."""
        self.late = seconds

    def is_send(self, path: str) -> bool:
        raise NotImplementedError

    def _next_failure(self, kind: str):
        with self.lock:
            for i, failure in enumerate(self.failures):
                if failure[0] == kind or kind == "*":
                    return self.failures.pop(i)
        return None


class FakeTelegram(_Server):
    """POST /bot<token>/<method>; form-encoded parameters as PTB sends them (complex values JSON-encoded)."""

    TOKEN = "123456:TEST-token"

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []
        self.updates: list[dict] = []  # served by getUpdates
        self._message_id = 1000
        super().__init__()

    @property
    def base_url(self) -> str:
        return self.url + "/bot"

    def fail_next(self, method: str, *failures) -> None:
        """Each failure: ("http", status, body_dict) or ("drop",)."""
        with self.lock:
            self.failures.extend((method, *f) for f in failures)

    def is_send(self, path: str) -> bool:
        return path.endswith("/sendMessage")

    def handle(self, path, headers, raw):
        token, _, method = path[len("/bot"):].partition("/")
        if token != self.TOKEN:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        ctype = headers.get("Content-Type", "")
        if ctype.startswith("application/json"):
            params = json.loads(raw or b"{}")
        else:
            params = {}
            for k, v in parse_qsl(raw.decode()):
                try:
                    params[k] = json.loads(v) if v[:1] in "[{" else v
                except ValueError:
                    params[k] = v
        failure = self._next_failure(method)
        if failure is not None:
            if failure[1] == "drop":
                return None, None
            return failure[2], failure[3]
        result = self._result(method, params)
        if method == "sendMessage":
            params["_message_id"] = result["message_id"]
        with self.lock:
            self.calls.append((method, params))
        return 200, {"ok": True, "result": result}

    def _result(self, method, params):
        if method == "getMe":
            return {"id": 42, "is_bot": True, "first_name": "HaiLong", "username": "hailong_test_bot"}
        if method == "sendMessage":
            with self.lock:
                self._message_id += 1
                mid = self._message_id
            result = {"message_id": mid, "date": int(time.time()), "text": params.get("text", ""),
                      "chat": {"id": int(params["chat_id"]), "type": "private"}}
            if "reply_markup" in params:
                result["reply_markup"] = params["reply_markup"]
            return result
        if method == "getUpdates":
            with self.lock:
                updates, self.updates = self.updates, []
            return updates
        return True

    def sent(self, chat_id=None) -> list[dict]:
        """sendMessage parameters received (in order), optionally for one chat."""
        with self.lock:
            return [p for m, p in self.calls if m == "sendMessage"
                    and (chat_id is None or str(p["chat_id"]) == str(chat_id))]

    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.calls]


class FakeZalo(_Server):
    """/v3.0/oa/message/cs (header access_token) and /v4/oa/access_token (single-use refresh tokens)."""

    APP_ID = "1234567890123456789"
    APP_SECRET = "app-secret"

    def __init__(self):
        self.messages: list[dict] = []
        self.refreshes = 0
        self.refresh_token = "rt-0"
        self.access_token = None
        self.refresh_delay = 0.0
        super().__init__()

    def fail_next(self, *failures) -> None:
        """Each failure: ("zalo", error_code) in a 200 body, ("http", status, body) or ("drop",)."""
        with self.lock:
            self.failures.extend(failures)

    def expire_access_token(self) -> None:
        with self.lock:
            self.access_token = "expired-" + str(self.access_token)

    def is_send(self, path: str) -> bool:
        return path.startswith("/v3.0/oa/message/cs")

    def handle(self, path, headers, raw):
        if path.startswith("/v4/oa/access_token"):
            return self._refresh(headers, dict(parse_qsl(raw.decode())))
        if path.startswith("/v3.0/oa/message/cs"):
            with self.lock:
                valid = self.access_token is not None and headers.get("access_token") == self.access_token
            if not valid:
                return 200, {"error": -216, "message": "Access token is invalid"}
            failure = self._next_failure("*")
            if failure is not None:
                if failure[0] == "drop":
                    return None, None
                if failure[0] == "http":
                    return failure[1], failure[2]
                return 200, {"error": failure[1], "message": "scripted"}
            body = json.loads(raw)
            with self.lock:
                self.messages.append(body)
                n = len(self.messages)
            return 200, {"error": 0, "message": "Success", "data": {"message_id": f"m{n}",
                                                                    "user_id": body["recipient"]["user_id"]}}
        return 404, {"error": 404, "message": "not found"}

    def _refresh(self, headers, form):
        time.sleep(self.refresh_delay)
        with self.lock:
            if headers.get("secret_key") != self.APP_SECRET or form.get("app_id") != self.APP_ID \
                    or form.get("grant_type") != "refresh_token":
                return 400, {"error": -14002, "error_description": "Invalid app"}
            if form.get("refresh_token") != self.refresh_token:
                return 400, {"error": -14014, "error_description": "Invalid refresh token"}
            self.refreshes += 1
            self.access_token = f"at-{self.refreshes}"
            self.refresh_token = f"rt-{self.refreshes}"
            return 200, {"access_token": self.access_token, "refresh_token": self.refresh_token,
                         "expires_in": "90000"}

    def sent(self, user_id=None) -> list[dict]:
        with self.lock:
            return [m["message"] for m in self.messages
                    if user_id is None or m["recipient"]["user_id"] == user_id]
