"""Forms for the server-rendered pages. They check shape only; `designer.services` holds the rules."""

from django import forms

from designer.models import Visibility, WorkflowType

NAME_HELP = "1-80 letters, digits, hyphens or underscores."


class WorkflowCreateForm(forms.Form):
    name = forms.CharField(max_length=200, help_text=NAME_HELP, strip=False)
    type = forms.ChoiceField(choices=WorkflowType.choices, initial=WorkflowType.STANDARD)
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PRIVATE)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="A .json, .yaml or .yml file.")
    text = forms.CharField(
        required=False,
        strip=False,
        label="or paste the definition",
        widget=forms.Textarea(attrs={"rows": 6, "class": "mono", "spellcheck": "false"}),
    )
    name = forms.CharField(required=False, max_length=200, strip=False, help_text="Default: the file's name.")
    type = forms.ChoiceField(choices=WorkflowType.choices, initial=WorkflowType.STANDARD)
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PRIVATE)

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("text")):
            raise forms.ValidationError("Choose a file or paste a definition (one of the two).")
        if data.get("text") and not data.get("name"):
            self.add_error("name", "Name the workflow (pasted text has no file name).")
        return data


class DraftForm(forms.Form):
    definition = forms.CharField(
        strip=False, widget=forms.Textarea(attrs={"rows": 24, "class": "mono", "spellcheck": "false"})
    )
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class VersionForm(forms.Form):
    """Snapshots the draft as it is now: the editor on the same page may have autosaved since load."""

    message = forms.CharField(
        required=False, max_length=1000, widget=forms.TextInput(attrs={"placeholder": "What changed"})
    )


class WorkflowSettingsForm(forms.Form):
    name = forms.CharField(max_length=200, help_text=NAME_HELP, strip=False)
    type = forms.ChoiceField(choices=WorkflowType.choices)
    visibility = forms.ChoiceField(choices=Visibility.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono", "placeholder": "team=payments"}),
        help_text="One key=value per line.",
    )

    def clean_tags(self) -> dict[str, str]:
        tags: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["tags"].splitlines(), start=1):
            if not line.strip():
                continue
            key, equals, value = line.partition("=")
            if not equals or not key.strip():
                raise forms.ValidationError(f"Line {number}: write key=value.")
            tags[key.strip()] = value.strip()
        return tags

    @staticmethod
    def tags_as_text(tags: dict[str, str]) -> str:
        return "\n".join(f"{key}={value}" for key, value in tags.items())
