"""How long `shifan audit verify` takes on a log of 100,000 events.

Builds, in a temporary folder, an applications store (SQLite, AES-encrypted like a real one) of
N events — drafts, amendments and submissions of applications, each stored as the service stores
it — with a tree head signed every 1,000 events as the service's timer would, then times:
  - the service building its tree from the store (what it does at start),
  - `shifan audit verify` on the folder (recomputing the tree from the file, checking every head's
    signature and root, comparing every event with the leaf its head recorded),
  - an inclusion and a consistency proof.

    .venv/bin/python bench/verify_100k.py [N]
"""
from __future__ import annotations

import io
import math
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.applications.app import ApplicationsApp  # noqa: E402
from services.applications.domain import Application  # noqa: E402
from shared.audit import cli  # noqa: E402
from shared.audit.tree import ServiceTree  # noqa: E402
from shared.certificates import load_private_key  # noqa: E402
from shared.keys import ensure_local_keys  # noqa: E402
from shared.samples import sample_application  # noqa: E402

HEAD_EVERY = 1_000
AT = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)


def build(var: Path, total: int) -> ApplicationsApp:
    keys = ensure_local_keys(var)
    app = ApplicationsApp(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(var / "applications.sqlite"),
                               "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher",
                               "CIPHER_KEY": keys.cipher_keys["applications"]})
    tree = ServiceTree(app, load_private_key(keys.audit_keys["applications"]))
    sample, round_id, written, n = sample_application(1), uuid4(), 0, 0
    while written < total:
        batch = []
        while len(batch) < HEAD_EVERY - 1 and written + len(batch) < total - 1:
            n += 1
            application = Application(round_id=round_id, program_id="sichuan-ecommerce-demo",
                                      credit_code=sample["credit_code"], unit_name=f"成都样例电子商务有限公司{n}",
                                      unit_type=sample["unit_type"], subtype=sample["subtype"],
                                      region_code=sample["region_code"], provincial_level=False, recommender="510100",
                                      contact=sample["contact"], figures=sample["figures"],
                                      declarations=sample["declarations"], by="applicant", at=AT)
            application.amend({"unit_name": f"成都样例电子商务股份有限公司{n}"}, by="applicant", at=AT)
            application.submit("bench", {"eligible": True, "criteria": []}, by="applicant", at=AT)
            batch += application.collect_events()
        batch = batch[:max(0, min(HEAD_EVERY - 1, total - written - 1))]
        app.recorder.insert_events([app.mapper.to_stored_event(e) for e in batch])
        tree.sign(datetime.now(timezone.utc))  # the head is the batch's last event
        written += len(batch) + 1
    return app


def timed(what: str, function):
    start = time.perf_counter()
    result = function()
    print(f"{what:<58} {time.perf_counter() - start:8.2f} s")
    return result


def main(total: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        var = Path(folder)
        app = timed(f"build a store of {total:,} events (a head every {HEAD_EVERY:,})", lambda: build(var, total))
        size = (var / "applications.sqlite").stat().st_size
        print(f"{'  store file':<58} {size / 1e6:8.1f} MB, {app.recorder.max_notification_id():,} events")
        key = load_private_key(var / "keys" / "audit" / "applications.pem")
        tree = timed("the service builds its tree from the store (at start)", lambda: _built(ServiceTree(app, key)))
        out = io.StringIO()
        code = timed("shifan audit verify (recompute, check every head, compare)",
                     lambda: cli.verify(str(var), out=out))
        print(f"{'  verify says':<58} {out.getvalue().splitlines()[-1]} (exit {code})")
        head = tree.head()
        proof = timed("an inclusion proof in the latest head", lambda: tree.inclusion(total // 3))
        timed("a consistency proof from half the log", lambda: tree.consistency(head["tree_size"] // 2))
        print(f"{'  audit path':<58} {len(proof['audit_path'])} hashes "
              f"(ceil(log2 {head['tree_size']:,}) = {math.ceil(math.log2(head['tree_size']))})")
        if code != 0:
            sys.exit(out.getvalue())


def _built(tree: ServiceTree) -> ServiceTree:
    tree.catch_up()
    assert tree.problem is None, tree.problem
    return tree


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
