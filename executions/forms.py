"""Forms for the runner's pages. They check shape only; ``executions.services`` holds the rules."""

import json

from django import forms

# Lambda console's template for a new Python function, with this runner's default handler name.
NEW_FUNCTION_CODE = """import json


def handler(event, context):
    print("event:", json.dumps(event))
    return {"statusCode": 200, "body": event}
"""


class LocalFunctionForm(forms.Form):
    name = forms.CharField(
        max_length=200, strip=False, help_text="1-64 letters, digits, hyphens or underscores (Lambda's rule)."
    )
    handler = forms.CharField(
        max_length=64, initial="handler", help_text="The function to call, or Lambda's module.function."
    )
    timeout_seconds = forms.IntegerField(label="Timeout (seconds)", initial=30, help_text="1 to 900.")
    memory_mb = forms.IntegerField(label="Memory (MB)", initial=256, help_text="128 to 10,240.")
    environment = forms.CharField(
        label="Environment variables",
        required=False,
        strip=False,
        initial="{}",
        help_text='A JSON object, e.g. {"TABLE": "orders"}: the only variables the handler sees '
        "besides the runtime's own (4 KB in all).",
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono", "spellcheck": "false"}),
    )
    network_access = forms.BooleanField(
        label="Network access",
        required=False,
        help_text="Off: the function's sandbox has no network at all.",
    )
    code = forms.CharField(
        strip=False,
        required=False,
        initial=NEW_FUNCTION_CODE,
        help_text="Python: handler(event, context). Tab indents; Esc then Tab leaves the editor.",
        widget=forms.Textarea(
            attrs={"rows": 20, "class": "mono", "spellcheck": "false", "aria-label": "Code"}
        ),
    )

    def clean_code(self) -> str:
        # Browsers post a textarea's line breaks as CRLF (HTML's form encoding); the code is
        # what the editor showed, with LF.
        return self.cleaned_data["code"].replace("\r\n", "\n")

    def clean_environment(self) -> object:
        # Parsed here (not by forms.JSONField, which lets a RecursionError through): an empty
        # field is no variables; any other shape is the service's to refuse.
        text = self.cleaned_data["environment"]
        if not text.strip():
            return {}
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
            raise forms.ValidationError(f"Enter valid JSON: {where}") from None
        except RecursionError:
            raise forms.ValidationError("Enter valid JSON: it is nested too deeply") from None
