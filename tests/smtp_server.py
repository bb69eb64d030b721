"""A real SMTP server for the tests (aiosmtpd on a free local port), and what arrives."""

from __future__ import annotations

import gc
import re
import socket
import threading
import time
import warnings
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"]+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """Every message the server accepted, parsed with the `email` package."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):   # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def wait(self, count: int, timeout: float = 15) -> list[EmailMessage]:
        """The messages once at least `count` have arrived (and a moment for more)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)   # a message too many would arrive now
        return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message: EmailMessage, path: str) -> str:
    """The first link in the plain text whose path contains `path`."""
    return next(u for u in LINK.findall(text_of(message)) if path in u)


class _CountingController(Controller):
    """aiosmtpd's controller, counting the connections open right now."""

    def __init__(self, handler, **kwargs):
        self.open = 0
        super().__init__(handler, **kwargs)

    def factory(self):
        protocol = super().factory()
        made, lost = protocol.connection_made, protocol.connection_lost

        def connection_made(transport):
            self.open += 1
            made(transport)

        def connection_lost(error):
            self.open -= 1
            lost(error)
        protocol.connection_made, protocol.connection_lost = connection_made, connection_lost
        return protocol


class SMTPServer:
    def __init__(self, port: int | None = None):
        self.mailbox = Mailbox()
        self.port = port or free_port()
        self.controller = _CountingController(self.mailbox, hostname="127.0.0.1",
                                              port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        # An app's background sender may still be delivering when its test ends: let it
        # finish (a few seconds at most), so stopping cuts no conversation short. One
        # cut short anyway leaves the server's end of it unclosed; it is closed here,
        # not warned about in whichever test the garbage collector happens to run in.
        deadline = time.monotonic() + 5
        while self.controller.open > 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        self.controller.stop()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()


def outbox_files(instance: str | Path) -> list[Path]:
    folder = Path(instance) / "outbox"
    return sorted(folder.glob("*.eml")) if folder.is_dir() else []


def wait_for_outbox(instance: str | Path, count: int, timeout: float = 15) -> list[Path]:
    deadline = time.monotonic() + timeout
    while len(outbox_files(instance)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    return outbox_files(instance)
