"""Cookies a server sets, kept and sent back by the standard library's ``http.cookiejar``.

The jar speaks ``urllib.request``'s objects; these adapters let it read a ``messages.Response``'s
``Set-Cookie`` fields and write the ``Cookie`` field of a ``messages.Request``. Only runs whose servers set
cookies import any of this.
"""

from __future__ import annotations

import email.message
import http.cookiejar
import urllib.request

from compliance.inputs.messages import Headers, Request, Response

__all__ = ["keep_from", "new_jar", "send_with"]


def new_jar() -> http.cookiejar.CookieJar:
    return http.cookiejar.CookieJar()


def send_with(jar: http.cookiejar.CookieJar, request: Request) -> None:
    """Add the jar's cookies for ``request``'s URL to its headers (a ``Cookie`` field), if it has any."""
    shim = urllib.request.Request(request.url)
    jar.add_cookie_header(shim)
    value = shim.get_header("Cookie")
    if value is not None:
        value.encode("latin-1")  # a cookie no header can carry raises here, before anything is sent
        request.headers = Headers([*request.headers.raw(), ("Cookie", value)])


def keep_from(jar: http.cookiejar.CookieJar, response: Response) -> None:
    """Keep the cookies ``response`` sets, as the jar's policy allows for its URL."""
    jar.extract_cookies(_Answer(response.headers), urllib.request.Request(response.request.url))


class _Answer:
    """What the jar asks of a response: its header fields as an ``email.message.Message``."""

    def __init__(self, headers: Headers) -> None:
        self._headers = headers

    def info(self) -> email.message.Message:
        message = email.message.Message()
        for name, value in self._headers.raw():
            message[name] = value
        return message
