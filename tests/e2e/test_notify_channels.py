"""Notify over real channels: an email lands in a local SMTP server; a webhook that fails twice
then succeeds gets the event exactly once, and the dispatch's history shows the two failures."""
import email
import json
import mailbox
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.notify.channels import SIGNATURE_HEADER, verify_signature
from support import free_port, get, new_stack, open_round, post, settled, submit, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def smtp(tmp_path):
    """aiosmtpd, as a process, storing every message it receives in a Maildir."""
    port, maildir = free_port(), tmp_path / "maildir"
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Mailbox", str(maildir)])
    time.sleep(1.0)
    yield port, maildir
    server.terminate()
    server.wait(10)


class Hook(BaseHTTPRequestHandler):
    """An agency's webhook endpoint that answers 503 twice, then accepts."""

    received, failures_left, secret = [], 2, ""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if not verify_signature(Hook.secret, self.headers[SIGNATURE_HEADER], body, int(time.time())):
            self.send_response(401)
        elif Hook.failures_left > 0:
            Hook.failures_left -= 1
            self.send_response(503)
        else:
            Hook.received.append(json.loads(body))
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_stack(tmp_path, amqp_uri, smtp):
    port, _ = smtp
    stack, clock = new_stack(tmp_path / "stack", amqp_uri)
    stack.extra_env.update({"SHIFAN_SMTP_PORT": str(port), "SHIFAN_NOTIFY_RETRY_BASE_SECONDS": "0.2"})
    stack.clock = clock
    stack.start()
    yield stack
    stack.stop()


def test_a_recommendation_emails_the_applicant_and_a_flaky_webhook_gets_the_event_once(notify_stack, smtp):
    stack = notify_stack
    notify, apps = stack.url("notify"), stack.url("applications")
    _, maildir = smtp
    hook_port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", hook_port), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Hook.received, Hook.failures_left = [], 2
    try:
        # given an applicant that subscribed its email, and an agency its webhook
        applicant = stack.headers("applicant", _credit_code(1))
        post(f"{notify}/subscriptions", {"channel": "email", "address": "sales@yunlian.example.cn"}, expect=201,
             headers=applicant)
        hook = post(f"{notify}/subscriptions", {"channel": "webhook", "url": f"http://127.0.0.1:{hook_port}/hook",
                                                "events": ["shifan.applications.application_recommended.v1"]},
                    expect=201, headers=stack.headers("agency", "market-regulation"))
        Hook.secret = hook["secret"]

        # when the city recommends its application
        application_id = submit(stack, 1, open_round(stack))
        post(f"{apps}/applications/{application_id}/recommend", {}, headers=stack.headers("recommender", "510700"))

        # then the email lands in the SMTP server, naming the unit and its city
        def recommendation_mail():
            for message in mailbox.Maildir(str(maildir)):
                subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
                if "推荐" in subject:
                    return subject, message.get_payload(decode=True).decode("utf-8"), message["To"]
            return None

        subject, body, to = wait_for("the recommendation email", recommendation_mail)
        assert to == "sales@yunlian.example.cn"
        assert "示范001电子商务有限公司" in subject and "绵阳市" in body and "recommended" in body

        # and the webhook, after two failures, has the event exactly once
        wait_for("the webhook delivery", lambda: Hook.received)
        wait_for("everything settled", lambda: settled(stack))
        time.sleep(1.0)  # a second delivery, if there were one, would have been sent by now
        assert [e["type"] for e in Hook.received] == ["shifan.applications.application_recommended.v1"]
        assert Hook.received[0]["data"]["application_id"] == application_id
        dispatches = get(f"{notify}/dispatches", headers=stack.headers("operator"))["dispatches"]
        webhook = next(d for d in dispatches if d["channel"] == "webhook")
        assert [h["outcome"] for h in webhook["history"]] == ["failed", "failed", "delivered"]
        assert all("503" in h["reason"] for h in webhook["history"][:2])
    finally:
        server.shutdown()


def _credit_code(n):
    from shared.samples import credit_code

    return credit_code("510703", n)
