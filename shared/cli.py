"""The `shifan` command line for operators and auditors."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path


def _amqp_uri() -> str:
    uri = os.environ.get("AMQP_URI")
    if not uri:
        sys.exit("AMQP_URI is not set (make demo / make up set it; scripts/broker.sh start prints one)")
    return uri


def cmd_run(args) -> int:
    os.execv(sys.executable, [sys.executable, "-m", "shared.runner", args.service])


def cmd_demo(args) -> int:
    from shared.demo import main

    return main(_amqp_uri(), Path(args.var) if args.var else None)


def cmd_up(args) -> int:
    from shared.stack import DEFAULT_PORTS, GATEWAY_PORT, ROOT, Stack

    import signal
    import time

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)  # a TERM stops the services as Ctrl-C does
    var_dir = Path(args.var) if args.var else ROOT / "var"
    ports = {name: int(os.environ.get(f"SHIFAN_{name.upper()}_HTTP", f":{port}").rpartition(":")[2])
             for name, port in DEFAULT_PORTS.items()}
    gateway = int(os.environ.get("SHIFAN_GATEWAY_HTTP", f":{GATEWAY_PORT}").rpartition(":")[2])
    stack = Stack(var_dir=var_dir, amqp_uri=_amqp_uri(), ports=ports, gateway_port=gateway)
    stack.start()
    stack.start_gateway()
    print(f"{'web site':<13} {stack.site_url}/   (JSON APIs under {stack.site_url}/api/<service>/)")
    for name in stack.processes:
        print(f"{name:<13} {stack.url(name)}   (health: {stack.url(name)}/health)")
    print(f"stores and logs in {var_dir}; Ctrl-C stops everything")
    print(f"tokens: SHIFAN_TOKEN_SIGNING_KEY={stack.keys.signing_key} .venv/bin/shifan token issue --role operator")
    print(f"status: .venv/bin/shifan status --var {var_dir}")
    try:
        while True:  # a service that dies is started again; its store and queues kept what it had
            time.sleep(0.5)
            for name in stack.restart_dead():
                print(f"{name} exited; started it again (see {var_dir}/{name}.log)", file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        stack.stop()


def cmd_backup(args) -> int:
    from shared.backup import BackupError, backup

    try:
        manifest = backup(args.var, args.destination, with_keys=args.with_keys)
    except BackupError as exc:
        sys.exit(f"shifan backup: {exc}")
    for service, entry in manifest["stores"].items():
        print(f"{service:<13} {entry['last_notification_id']:>8} events  {entry['bytes']:>10} bytes  {entry['file']}")
    print(f"backup in {args.destination}" + (" (with the store keys: keep it as secret as they are)" if args.with_keys
                                             else " (stores only: restore needs the store keys)"))
    return 0


def cmd_restore(args) -> int:
    from shared.backup import BackupError, restore

    try:
        manifest = restore(args.source, args.var)
    except BackupError as exc:
        sys.exit(f"shifan restore: {exc}")
    for service, entry in manifest["stores"].items():
        print(f"{service:<13} {entry['last_notification_id']:>8} events restored")
    print(f"restored into {args.var}; start the services with SHIFAN_VAR_DIR={args.var} (read models rebuild from the log)")
    return 0


def cmd_status(args) -> int:
    from shared.status import all_healthy, collect, service_urls, table

    try:
        urls = service_urls(args.var, args.url)
    except ValueError as exc:
        sys.exit(f"shifan status: {exc}")
    states = collect(urls)
    print(table(states))
    return 0 if all_healthy(states) else 1


def cmd_clock_set(args) -> int:
    from shared.clock import FileClock

    moment = datetime.fromisoformat(args.moment)
    FileClock(args.file).set(moment)
    print(FileClock(args.file).now().isoformat())
    return 0


def cmd_token_issue(args) -> int:
    from datetime import timedelta

    from shared.auth import issue_token

    key = args.key or os.environ.get("SHIFAN_TOKEN_SIGNING_KEY")
    if not key:
        sys.exit("give --key PATH or set SHIFAN_TOKEN_SIGNING_KEY (the private key from `shifan token keygen`)")
    try:
        print(issue_token(key, args.role, args.scope, subject=args.subject, ttl=timedelta(hours=args.ttl_hours)))
    except ValueError as exc:
        sys.exit(f"shifan token issue: {exc}")
    return 0


def cmd_token_keygen(args) -> int:
    from shared.auth import generate_keypair

    private, public = generate_keypair(args.private_dir, args.public_dir, kid=args.kid)
    print(f"private key (keep it with whoever issues tokens): {private}")
    print(f"public key (copy into every service's SHIFAN_TOKEN_PUBLIC_KEYS folder): {public}")
    return 0


def cmd_keys_cipher(args) -> int:
    from shared.keys import new_cipher_key

    print(new_cipher_key())
    return 0


def cmd_eligibility_check(args) -> int:
    from shared.programs.cli import eligibility_check

    return eligibility_check(args.file)


def cmd_program_show(args) -> int:
    from shared.programs.cli import program_show

    return program_show(args.program_id)


def cmd_notice_period(args) -> int:
    from shared.programs import load_program
    from shared.workdays import working_day_period

    days = load_program(args.program).notice_working_days
    period = working_day_period(date.fromisoformat(args.date), days)
    print(f"a notice published on {args.date} runs {days} working days: {period.first_day} to {period.last_day}")
    print("the end date is an ESTIMATE: no official schedule covers it yet (shifan calendar load FILE)"
          if period.estimated else "on China's official calendar")
    return 0


def cmd_calendar_load(args) -> int:
    from marshmallow import ValidationError

    from shared.workdays import install_schedule

    try:
        target = install_schedule(args.file)
    except (ValidationError, OSError) as exc:
        sys.exit(f"shifan calendar load: {args.file}: {getattr(exc, 'messages', exc)}")
    print(f"official schedule installed as {target}; restart the review service to use it")
    return 0


def cmd_certificate_verify(args) -> int:
    from services.registry.cli import certificate_verify

    return certificate_verify(args.file, args.key)


def cmd_registry_rebuild(args) -> int:
    from services.registry.cli import rebuild

    return rebuild(args.var, check=args.check)


def cmd_agency_add(args) -> int:
    from shared.agencies import AgencyError, add_agency

    try:
        access = add_agency(args.name, args.events, _amqp_uri())
    except AgencyError as exc:
        sys.exit(f"shifan agency add: {exc}")
    print(access.describe())
    key = os.environ.get("SHIFAN_TOKEN_SIGNING_KEY")
    if key:
        from datetime import timedelta

        from shared.auth import issue_token

        print(f"feed token  {issue_token(key, 'agency', args.name, ttl=timedelta(days=90))}")
    return 0


def cmd_contracts_asyncapi(args) -> int:
    from shared.contracts.asyncapi import DOCUMENT, render

    text = render()
    if args.write:
        DOCUMENT.write_text(text, encoding="utf-8")
        print(f"wrote {DOCUMENT}")
    else:
        print(text, end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shifan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one service in the foreground")
    run.add_argument("service", choices=["applications", "review", "registry", "notify"])
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="play one unit from application to registry and stop")
    demo.add_argument("--var", help="folder for the demo's stores (default var/demo, wiped first)")
    demo.set_defaults(func=cmd_demo)

    up = sub.add_parser("up", help="run the four services until Ctrl-C")
    up.add_argument("--var", help="folder for stores and logs (default var/)")
    up.set_defaults(func=cmd_up)

    backup = sub.add_parser("backup", help="consistent copy of every SQLite store, taken while the services run")
    backup.add_argument("destination", help="a new or empty folder")
    backup.add_argument("--var", default=os.environ.get("SHIFAN_VAR_DIR", "var"), help="the stores' folder (default var/)")
    backup.add_argument("--with-keys", action="store_true", help="copy <var>/keys/ too (the backup is then secret)")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="put a backup's stores into a fresh folder, checked first")
    restore.add_argument("source", help="a folder `shifan backup` wrote")
    restore.add_argument("--var", required=True, help="the folder the services will run on (must hold no store)")
    restore.set_defaults(func=cmd_restore)

    status = sub.add_parser("status", help="every service's health and lags in one table (exit 1 if any fails)")
    status.add_argument("--var", default=os.environ.get("SHIFAN_VAR_DIR", "var"),
                        help="read the URLs a running `shifan up` or demo wrote to VAR/stack.json (default var/)")
    status.add_argument("--url", action="append", metavar="NAME=URL", help="where one service answers (repeatable)")
    status.set_defaults(func=cmd_status)

    eligibility = sub.add_parser("eligibility", help="pre-check an application against its program")
    eligibility_sub = eligibility.add_subparsers(dest="eligibility_command", required=True)
    check = eligibility_sub.add_parser(
        "check", help="print the per-criterion report; exit 0 eligible, 1 not eligible, 2 invalid input")
    check.add_argument("file", help="the application as JSON, as the HTTP API takes it")
    check.set_defaults(func=cmd_eligibility_check)

    program = sub.add_parser("program", help="programs as data (programs/*.yaml)")
    program_sub = program.add_subparsers(dest="program_command", required=True)
    show = program_sub.add_parser("show", help="print a program's rules in readable form")
    show.add_argument("program_id", help="e.g. sichuan-ecommerce-demo")
    show.set_defaults(func=cmd_program_show)

    notice = sub.add_parser("notice", help="public notices (公示)")
    notice_sub = notice.add_subparsers(dest="notice_command", required=True)
    period = notice_sub.add_parser("period", help="first and last day of a notice published on DATE")
    period.add_argument("date", help="YYYY-MM-DD")
    period.add_argument("--program", default="sichuan-ecommerce-demo")
    period.set_defaults(func=cmd_notice_period)

    calendar = sub.add_parser("calendar", help="China's official working-day calendar")
    calendar_sub = calendar.add_subparsers(dest="calendar_command", required=True)
    load = calendar_sub.add_parser("load", help="install a year's official holiday schedule (YAML)")
    load.add_argument("file", help="year, source, holidays, workdays (see shared/workdays.py)")
    load.set_defaults(func=cmd_calendar_load)

    certificate = sub.add_parser("certificate", help="demonstration certificates")
    certificate_sub = certificate.add_subparsers(dest="certificate_command", required=True)
    verify = certificate_sub.add_parser("verify", help="check a certificate's signature offline; exit 0 valid, "
                                        "1 altered or signed by another key, 2 unreadable")
    verify.add_argument("file", help="the certificate JSON (GET /units/<id>/certificate)")
    verify.add_argument("--key", required=True,
                        help="the registry's public key: PEM, or the JSON of GET /certificate-key")
    verify.set_defaults(func=cmd_certificate_verify)

    registry = sub.add_parser("registry", help="the registry's read models")
    registry_sub = registry.add_subparsers(dest="registry_command", required=True)
    rebuild = registry_sub.add_parser("rebuild", help="recompute the public registry from the event store")
    rebuild.add_argument("--var", help="the registry's var folder (default $SHIFAN_VAR_DIR or var/)")
    rebuild.add_argument("--check", action="store_true", help="only compare a fresh rebuild with the live model")
    rebuild.set_defaults(func=cmd_registry_rebuild)

    agency = sub.add_parser("agency", help="agencies that follow the public events")
    agency_sub = agency.add_subparsers(dest="agency_command", required=True)
    add = agency_sub.add_parser("add", help="a RabbitMQ user and durable queue for an agency (prints the details)")
    add.add_argument("name", help="e.g. market-regulation")
    add.add_argument("--events", nargs="+", required=True, metavar="PATTERN",
                     help="event types with * and #, e.g. 'shifan.registry.#' 'shifan.*.unit_revoked.v1'")
    add.set_defaults(func=cmd_agency_add)

    contracts = sub.add_parser("contracts", help="the public event contract")
    contracts_sub = contracts.add_subparsers(dest="contracts_command", required=True)
    asyncapi = contracts_sub.add_parser("asyncapi", help="the AsyncAPI 3 document generated from shared/contracts")
    asyncapi.add_argument("--write", action="store_true", help="write asyncapi.yaml instead of printing it")
    asyncapi.set_defaults(func=cmd_contracts_asyncapi)

    from shared.audit.cli import add_parser as add_audit_parser

    add_audit_parser(sub)  # shifan audit replay | verify | save-heads

    token = sub.add_parser("token", help="bearer tokens for the HTTP APIs")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    issue = token_sub.add_parser("issue", help="print a signed token for one role and scope")
    issue.add_argument("--role", required=True,
                       choices=["applicant", "recommender", "expert", "operator", "auditor", "agency", "coordinator",
                                "ministry"])
    issue.add_argument("--scope", help="credit code (applicant), region code (recommender), expert id, agency name,"
                                       " approver key (ministry)")
    issue.add_argument("--subject", help="who the token is for (default: role:scope)")
    issue.add_argument("--ttl-hours", type=float, default=8.0)
    issue.add_argument("--key", help="private key file (default: $SHIFAN_TOKEN_SIGNING_KEY)")
    issue.set_defaults(func=cmd_token_issue)
    keygen = token_sub.add_parser("keygen", help="make a new Ed25519 signing key pair")
    keygen.add_argument("--private-dir", required=True)
    keygen.add_argument("--public-dir", required=True)
    keygen.add_argument("--kid", help="key id (default: token-<UTC timestamp>)")
    keygen.set_defaults(func=cmd_token_keygen)

    keys = sub.add_parser("keys", help="store encryption keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    cipher = keys_sub.add_parser("cipher", help="print a new AES-256 key for one service's store")
    cipher.set_defaults(func=cmd_keys_cipher)

    clock = sub.add_parser("clock", help="drive a file clock (SHIFAN_CLOCK=file:PATH)")
    clock_sub = clock.add_subparsers(dest="clock_command", required=True)
    clock_set = clock_sub.add_parser("set", help="set the time every service reads")
    clock_set.add_argument("moment", help="ISO datetime with offset, e.g. 2026-12-01T09:00+08:00")
    clock_set.add_argument("--file", required=True)
    clock_set.set_defaults(func=cmd_clock_set)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
