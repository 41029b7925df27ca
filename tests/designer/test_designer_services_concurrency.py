"""Racing saves of one draft: exactly one wins per revision and no save is half-applied."""

import threading

import pytest
from django.db import connection

from designer import services
from designer.models import Draft

RACERS = 6


@pytest.mark.django_db(transaction=True)
def test_racing_saves_on_one_revision_have_exactly_one_winner(author):
    workflow = services.create_workflow(author, name="raced")
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []

    def save(index: int) -> None:
        barrier.wait()
        try:
            services.save_draft(
                workflow, author, expected_revision=1, definition=f'{{"StartAt": "T{index}"}}'
            )
            outcomes.append(f"won:{index}")
        except services.StaleRevision:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1, outcomes
    assert outcomes.count("stale") == RACERS - 1
    draft = Draft.objects.get(pk=workflow.pk)
    assert draft.revision == 2
    assert draft.definition == f'{{"StartAt": "T{winners[0].split(":")[1]}"}}'
