"""Sending over the wire: email over SMTP and webhooks signed with HMAC-SHA256. The only I/O of notify."""
from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

import requests

SIGNATURE_HEADER = "X-Shifan-Signature"


class SendFailed(Exception):
    """The channel refused or could not be reached; the reason is recorded and the send retried."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>`: receivers recompute it and refuse
    a timestamp more than five minutes off, so a captured request cannot be replayed later."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


@dataclass(frozen=True)
class Channels:
    smtp_host: str
    smtp_port: int
    mail_from: str
    timeout: float = 10.0

    def send(self, dispatch, subscription, now_ts: int) -> None:
        if dispatch.channel == "email":
            self._email(subscription.target, dispatch.subject, dispatch.body, dispatch.id)
        elif dispatch.channel == "webhook":
            self._webhook(subscription.target, subscription.secret, dispatch, now_ts)
        else:
            raise SendFailed(f"unknown channel {dispatch.channel}")

    def _email(self, to: str, subject: str, body: str, dispatch_id) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.mail_from, to, subject
        message["Message-ID"] = make_msgid(idstring=str(dispatch_id))
        message.set_content(body, charset="utf-8")
        try:
            with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=self.timeout) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"SMTP {self.smtp_host}:{self.smtp_port}: {exc}") from exc

    def _webhook(self, url: str, secret: str, dispatch, now_ts: int) -> None:
        body = dispatch.body.encode("utf-8")
        headers = {"Content-Type": "application/cloudevents+json", SIGNATURE_HEADER: signature(secret, now_ts, body),
                   "X-Shifan-Delivery": str(dispatch.id), "X-Shifan-Event": dispatch.event_id}
        try:
            response = requests.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SendFailed(f"POST {url}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise SendFailed(f"POST {url}: HTTP {response.status_code} {response.text[:200]}")


def envelope_body(envelope: dict) -> str:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
