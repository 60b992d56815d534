"""HTTP face of the Bot API double: tornado handlers and decoding of PTB's request params."""

from __future__ import annotations

import contextlib
import json
import re
import socket
from typing import TYPE_CHECKING, Any

import tornado.httpserver
import tornado.httputil
import tornado.iostream
import tornado.netutil
import tornado.web

from bot.dev.botapi_limits import bad_request
from bot.dev.botapi_messages import MAX_UPLOAD, Upload

if TYPE_CHECKING:
    from bot.dev.botapi import BotApiDouble

# PTB sends strings raw and everything else JSON-encoded; these stay strings even if they
# happen to look like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    "text caption parse_mode callback_query_id url action language_code secret_token "
    "inline_message_id business_connection_id message_effect_id document photo thumbnail "
    "file_id ip_address title description emoji".split()
)
# Telegram also accepts these as JSON-serialised strings inside a JSON body.
_JSON_PARAMS = frozenset(
    "reply_markup reply_parameters entities caption_entities link_preview_options commands "
    "scope menu_button allowed_updates".split()
)
_INT_PARAMS = ("chat_id", "from_chat_id", "message_id", "user_id", "reply_to_message_id")


def decode_params(raw: dict[str, Any], *, from_form: bool) -> dict[str, Any]:
    """Undo PTB's encoding: JSON-decode non-string form values and coerce numeric ids."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        decode = key not in _STRING_PARAMS if from_form else key in _JSON_PARAMS
        if decode and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        params[key] = value
    for key in _INT_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            params[key] = int(value)
    return params


def parse_request(
    request: tornado.httputil.HTTPServerRequest,
) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Collect query, form/multipart or JSON parameters and uploaded files."""
    raw: dict[str, Any] = {k: v[-1].decode() for k, v in request.query_arguments.items()}
    params = decode_params(raw, from_form=True)
    if request.headers.get("Content-Type", "").startswith("application/json") and request.body:
        body = json.loads(request.body)
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(decode_params(body, from_form=False))
    else:
        form = {k: v[-1].decode() for k, v in request.body_arguments.items()}
        params.update(decode_params(form, from_form=True))
    # Parts stay keyed by their form name: sendDocument/sendPhoto resolve "attach://<name>".
    files = {
        name: Upload(parts[0].filename or None, parts[0].body, parts[0].content_type)
        for name, parts in request.files.items()
        if parts
    }
    return params, files


class _ApiHandler(tornado.web.RequestHandler):
    """Serves /bot<token>/<method> for GET and POST."""

    def initialize(self, double: BotApiDouble) -> None:
        """Keep a reference to the double that answers requests."""
        self._double = double

    async def get(self, token: str, method: str) -> None:
        """Answer one Bot API call."""
        self._double.request_started()
        try:
            try:
                params, files = parse_request(self.request)
            except (ValueError, UnicodeDecodeError) as exc:
                status, payload = 400, bad_request(f"can't parse request: {exc}").payload()
            else:
                status, payload = await self._double.call(token, method, params, files)
            self.set_status(status)
            self.set_header("Content-Type", "application/json")
            # The client may have timed out (e.g. during an injected hang); nothing to tell it.
            with contextlib.suppress(tornado.iostream.StreamClosedError):
                await self.finish(json.dumps(payload, ensure_ascii=False))
        finally:
            self._double.request_finished()

    post = get


class _FileHandler(tornado.web.RequestHandler):
    """Serves /file/bot<token>/<file_path> for File.download_*."""

    def initialize(self, double: BotApiDouble) -> None:
        """Keep a reference to the double that owns the files."""
        self._double = double

    def get(self, token: str, file_path: str) -> None:
        """Stream a stored file or answer 401/404."""
        path = self._double.file_for_path(file_path) if token == self._double.token else None
        if path is None or not path.exists():
            self.set_status(401 if token != self._double.token else 404)
            self.finish()
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(path.read_bytes())


def listen(double: BotApiDouble, port: int) -> tuple[tornado.httpserver.HTTPServer, int]:
    """Serve `double` on 127.0.0.1:`port` (0 picks a free port); returns (server, bound port)."""
    app = tornado.web.Application(
        [
            (r"/bot([^/]+)/([^/]+)", _ApiHandler, {"double": double}),
            (r"/file/bot([^/]+)/(.+)", _FileHandler, {"double": double}),
        ],
        log_function=lambda _handler: None,
    )
    sockets = tornado.netutil.bind_sockets(port, "127.0.0.1", family=socket.AF_INET)
    # Room for a maximal upload plus the multipart framing around it.
    server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_UPLOAD + 2**20)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]
