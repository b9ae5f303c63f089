"""Two clerks of one department recommend for the last slot of its quota at the same moment, from
two processes on one SQLite store: exactly one succeeds, the other is told the quota is full."""
import multiprocessing

import pytest

from givens import AT, round_of, submission
from race_worker import recommend_when_released
from services.applications.app import ApplicationsApp

RUNS = 50


@pytest.fixture(scope="module")
def clerks():
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    inboxes = [spawn.Queue(), spawn.Queue()]
    workers = [spawn.Process(target=recommend_when_released, args=(inbox, results, barrier), daemon=True)
               for inbox in inboxes]
    for worker in workers:
        worker.start()
    yield inboxes, results
    for inbox in inboxes:
        inbox.put(None)
    for worker in workers:
        worker.join(10)


@pytest.mark.parametrize("run", range(RUNS))
def test_racing_recommenders_for_the_last_slot_exactly_one_succeeds(tmp_path, clerks, run):
    inboxes, results = clerks
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "applications.sqlite")}
    app = ApplicationsApp(env=env)
    ids = []
    for n in (1, 2, 3):
        values = submission(credit_code=f"91510703MA6{n:06d}X", unit_name=f"绵阳企业{n}", region_code="510703")
        application = app.draft(round_id=round_of(app), **values)
        app.submit(application.id, by="applicant", at=AT)
        ids.append(application.id)
    app.recommend(ids[0], by="510700", at=AT)  # one of Mianyang's two enterprise slots is left

    for inbox, application_id in zip(inboxes, ids[1:]):
        inbox.put((env, str(application_id)))
    outcomes = sorted(results.get(timeout=60) for _ in inboxes)

    assert [o for o, _ in outcomes if o == "recommended"] == ["recommended"]
    assert [o for o, _ in outcomes if o.startswith("conflict")] and "quota" in outcomes[0][0]
    statuses = sorted(ApplicationsApp(env=env).application(i).status for i in ids[1:])
    assert statuses == ["recommended", "submitted"]
    app.close()
