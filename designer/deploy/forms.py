"""Forms for the publishing pages. They check shape only; ``designer.deploy`` holds the rules."""

from django import forms

from designer.deploy.models import LogLevel


def parse_pairs(text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            raise forms.ValidationError(f"Line {number}: write NAME=value.")
        pairs[key.strip()] = value.strip()
    return pairs


class TargetForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="1-80 letters, digits, '-' or '_'.")
    region = forms.CharField(max_length=64, initial="us-east-1")
    role_arn = forms.CharField(
        label="Execution role ARN", max_length=2048, help_text="The IAM role the state machines run as."
    )
    this_symphony = forms.BooleanField(
        required=False,
        label="This Symphony",
        help_text="Publish to this Symphony's own endpoint, in your account.",
    )
    endpoint_url = forms.CharField(
        required=False,
        max_length=2048,
        label="Endpoint URL",
        help_text="Empty: AWS. Or moto, LocalStack, a Symphony.",
    )
    profile = forms.CharField(
        required=False, max_length=128, help_text="A named profile of this server's AWS config."
    )
    assume_role_arn = forms.CharField(required=False, max_length=2048, label="Role to assume for publishing")
    external_id = forms.CharField(required=False, max_length=1224, label="External id")
    log_level = forms.ChoiceField(choices=LogLevel.choices, initial=LogLevel.OFF, label="Logging")
    log_group_arn = forms.CharField(required=False, max_length=2048, label="Log group ARN")
    include_execution_data = forms.BooleanField(required=False)
    tracing_enabled = forms.BooleanField(required=False, label="X-Ray tracing")
    substitutions = forms.CharField(
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "class": "mono", "placeholder": "GreetFn=arn:aws:lambda:..."}
        ),
        help_text="One NAME=value per line: ${NAME} in a definition becomes the value.",
    )
    tags = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "mono", "placeholder": "team=payments"}),
        help_text="One key=value per line, set on the state machines it creates.",
    )

    def clean_substitutions(self) -> dict[str, str]:
        return parse_pairs(self.cleaned_data["substitutions"])

    def clean_tags(self) -> dict[str, str]:
        return parse_pairs(self.cleaned_data["tags"])


class PublishForm(forms.Form):
    target = forms.ChoiceField()
    version = forms.TypedChoiceField(coerce=int)
    alias = forms.CharField(required=False, max_length=80, help_text="Point this alias at the new version.")
    rollout = forms.CharField(
        required=False,
        max_length=40,
        help_text="Empty: all at once. canary10-5m: 10% for 5 minutes, then all. linear10-1m: +10% a minute.",
    )
    max_failures = forms.IntegerField(
        required=False,
        min_value=0,
        initial=0,
        label="Failures tolerated",
        help_text="More failed executions roll it back.",
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, help_text="Show every call and the diff; make none."
    )

    def __init__(self, *args, targets=(), versions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.name, t.name) for t in targets]
        self.fields["version"].choices = [(v.number, f"v{v.number} {v.message}".strip()) for v in versions]


class RollbackForm(forms.Form):
    target = forms.CharField(max_length=80)
    alias = forms.CharField(max_length=80)
    version = forms.IntegerField(min_value=1, label="AWS version")
