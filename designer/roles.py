"""The four roles as Django groups and the permissions each one holds.

`manage.py bootstrap` applies this table idempotently. A permission whose app has not defined it yet
(one a later migration adds, say) is skipped and granted by the next bootstrap once it exists.
"""

from django.contrib.auth.models import Group, Permission

AUTHORS = "authors"
REVIEWERS = "reviewers"
PUBLISHERS = "publishers"
VIEWERS = "viewers"

_READ = [
    "designer.view_workflow",
    "designer.view_draft",
    "designer.view_version",
    "executions.view_execution",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    AUTHORS: [
        *_READ,
        "designer.add_workflow",
        "designer.change_workflow",
        "designer.delete_workflow",
        "designer.change_draft",
        "designer.add_version",
        "executions.add_execution",
        "executions.add_localfunction",
        "executions.change_localfunction",
        "executions.delete_localfunction",
    ],
    REVIEWERS: [*_READ, "executions.decide_approval"],
    PUBLISHERS: [*_READ, "designer.publish_workflow"],
    VIEWERS: _READ,
}


def apply_roles() -> dict[str, list[str]]:
    """Create the groups and grant what exists of their permissions; returns what is missing, per role."""
    missing: dict[str, list[str]] = {}
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                missing.setdefault(role, []).append(name)
            else:
                group.permissions.add(permission)
    return missing
