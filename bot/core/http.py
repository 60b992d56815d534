"""The Bot API's HTTP client: python-telegram-bot's request interface over aiohttp.

PTB's default client (httpx/httpcore) scans every pooled connection, with a system call on
each idle one, for every request; with the dozens of connections concurrent chats open, that
scan was a fifth of the bot's CPU per update (bench/update_throughput.py --profile). aiohttp
keeps idle connections in a queue per host.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_DEFAULT = BaseRequest.DEFAULT_NONE
# One line per request at INFO, as httpx wrote; the URL holds the token (bot/logs.py redacts).
log = logging.getLogger(__name__)


class AiohttpRequest(BaseRequest):
    """`BaseRequest` over one aiohttp session (built on first use, in the running loop)."""

    def __init__(
        self,
        *,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB lengthens it for long polling)."""
        return self._timeouts["read"]

    async def initialize(self) -> None:
        """Open the session."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _timeout(self, files: bool, **given: Any) -> aiohttp.ClientTimeout:
        """PTB's four timeouts as aiohttp's: a default where the call gave none."""
        chosen = {}
        for name, value in given.items():
            if isinstance(value, DefaultValue):
                value = self._media_write_timeout if name == "write" and files else None
                value = value if value is not None else self._timeouts[name]
            chosen[name] = value
        # aiohttp has no write timeout; `connect` covers waiting for a pooled connection too.
        pool, connect = chosen["pool"], chosen["connect"]
        return aiohttp.ClientTimeout(
            total=None,
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=chosen["read"],
        )

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = _DEFAULT,
        write_timeout: Any = _DEFAULT,
        connect_timeout: Any = _DEFAULT,
        pool_timeout: Any = _DEFAULT,
    ) -> tuple[int, bytes]:
        """Send one request; PTB's TimedOut and NetworkError on failure, as with httpx."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        body: Any = fields
        if files:
            body = aiohttp.FormData(quote_fields=False)
            for name, value in (fields or {}).items():
                body.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                body.add_field(name, content, filename=filename, content_type=mimetype)
        timeout = self._timeout(
            bool(files),
            read=read_timeout,
            write=write_timeout,
            connect=connect_timeout,
            pool=pool_timeout,
        )
        try:
            async with self._session.request(method, url, data=body, timeout=timeout) as res:
                content = await res.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err
        log.info("HTTP Request: %s %s %s", method, url, res.status)
        return res.status, content
