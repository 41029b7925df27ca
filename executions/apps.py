from django.apps import AppConfig


class ExecutionsConfig(AppConfig):
    name = "executions"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Membership
        from executions.models import AccessKey
        from executions.services.access_keys import forget_keys

        # The keys kept for signature checks answer for their owners as they were.
        for model in (get_user_model(), Membership, AccessKey):
            post_save.connect(forget_keys, sender=model, dispatch_uid=f"keys-save-{model.__name__}")
            post_delete.connect(forget_keys, sender=model, dispatch_uid=f"keys-delete-{model.__name__}")
