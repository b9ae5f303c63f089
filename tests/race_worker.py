"""A process that recommends on command, released together with its rival by a barrier (the
quota race test): two instances of the applications service on one store."""
from uuid import UUID


def recommend_when_released(tasks, results, barrier) -> None:
    from shared.errors import Conflict

    from givens import AT
    from services.applications.app import ApplicationsApp

    while (task := tasks.get()) is not None:
        env, application_id = task
        app = ApplicationsApp(env=env)
        try:
            barrier.wait(timeout=30)
            app.recommend(UUID(application_id), by="510700", at=AT)
            results.put(("recommended", application_id))
        except Conflict as exc:
            results.put((f"conflict: {exc.message}", application_id))
        finally:
            app.close()
