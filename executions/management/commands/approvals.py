"""``manage.py approvals``: escalate and expire approval requests past their deadline and send the
approvals webhooks (beside ``runner`` in the scaled-out shape; the embedded app runs the same
loop itself)."""

import time

from django.core.management.base import BaseCommand

from executions.approvals import clock


class Command(BaseCommand):
    help = "Escalate or expire approval requests past their deadline; send due webhook deliveries."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes.")

    def handle(self, *args, once: bool = False, interval: float = 5.0, **options) -> None:
        while True:
            done = clock.tick()
            if once:
                self.stdout.write(
                    f"Escalated {done['escalated']}, expired {done['expired']}, "
                    f"tried {done['webhooks']} webhook delivery(ies)."
                )
                return
            time.sleep(interval)
