from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.permissions import forget_roles

        User = get_user_model()
        for model in (User, Group, Permission):
            post_save.connect(forget_roles, sender=model, dispatch_uid=f"roles-save-{model.__name__}")
            post_delete.connect(forget_roles, sender=model, dispatch_uid=f"roles-delete-{model.__name__}")
        for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(forget_roles, sender=through, dispatch_uid=f"roles-m2m-{through.__name__}")
