"""``manage.py rollouts``: advance gradual rollouts from their rows (beside ``runner`` in the
scaled-out shape; the embedded app runs the same loop itself)."""

import time

from django.core.management.base import BaseCommand

from designer.deploy import rollouts


class Command(BaseCommand):
    help = "Advance running gradual rollouts: shift alias weights, roll back on failures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes.")

    def handle(self, *args, once: bool = False, interval: float = 5.0, **options) -> None:
        while True:
            looked = rollouts.tick()
            if once:
                self.stdout.write(f"Looked at {looked} running rollout(s).")
                return
            time.sleep(interval)
