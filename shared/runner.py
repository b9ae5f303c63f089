"""Runs one service in this process: `python -m shared.runner <service>` (what `shifan run` does)."""
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402 — before anything imports socket or threading

import importlib  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

from shared.config import service_config  # noqa: E402
from shared.logs import configure as configure_logs  # noqa: E402

SERVICES = {
    "applications": "services.applications.service:ApplicationsService",
    "review": "services.review.service:ReviewService",
    "registry": "services.registry.service:RegistryService",
    "notify": "services.notify.service:NotifyService",
}


def service_class(name: str):
    module, _, attr = SERVICES[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def run(name: str) -> None:
    config = service_config(name)
    configure_logs(name, str(config.get("LOG_FORMAT") or "json"))
    # nameko logs every expected error (a 400, a 404) with a traceback; keep real failures only.
    logging.getLogger("nameko.containers").setLevel(logging.ERROR)
    runner = ServiceRunner(config)
    runner.add_service(service_class(name))

    def shutdown(signum, frame):
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    runner.start()
    logging.getLogger(__name__).info("%s listening on http://%s", name, config["WEB_SERVER_ADDRESS"])
    runner.wait()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in SERVICES:
        sys.exit(f"usage: python -m shared.runner {{{'|'.join(SERVICES)}}}")
    run(sys.argv[1])
