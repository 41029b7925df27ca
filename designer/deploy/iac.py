"""Infrastructure as code for a version on a target: a CloudFormation template and a Terraform
configuration that deploy what publish deploys.

Both keep the ``${Name}`` placeholders in the definition and pass the target's values beside it
(CloudFormation's ``DefinitionSubstitutions``; Terraform's ``templatefile`` variables), each value
JSON-escaped as publish escapes it, so the text either tool sends equals the text publish sends.
CloudFormation: AWS::StepFunctions::StateMachine, ::StateMachineVersion and ::StateMachineAlias
(CloudFormation User Guide, "AWS::StepFunctions::StateMachine", DefinitionString and
DefinitionSubstitutions). Terraform: the AWS provider's aws_sfn_state_machine (``publish``) and
aws_sfn_alias.
"""

import io
import json
import re
import zipfile

from designer import formats
from designer.deploy.models import LogLevel, Target
from designer.deploy.publish import prepare
from designer.deploy.substitutions import PLACEHOLDER_RE
from designer.models import Workflow


def _escaped(target: Target) -> dict[str, str]:
    return {name: json.dumps(value, ensure_ascii=False)[1:-1] for name, value in target.substitutions.items()}


def _source(workflow: Workflow, actor, target: Target, version_number: int | None, alias: str):
    """The version's JSON text with its placeholders, once publish's checks have passed."""
    prepared = prepare(workflow, actor, target, version_number, alias)
    return prepared, formats.convert(prepared.version.definition, "json")


def cloudformation(
    workflow: Workflow, actor, *, target: Target, version_number: int | None = None, alias: str = ""
) -> str:
    """A CloudFormation template (YAML) for the version, with its alias when one is named."""
    prepared, text = _source(workflow, actor, target, version_number, alias)
    properties: dict = {
        "StateMachineName": workflow.name,
        "StateMachineType": str(workflow.type),
        "RoleArn": target.role_arn,
        "DefinitionString": text,
    }
    used = {match[1] for match in PLACEHOLDER_RE.finditer(text)}
    substitutions = {k: v for k, v in _escaped(target).items() if k in used}
    if substitutions:
        properties["DefinitionSubstitutions"] = substitutions
    if target.log_level != LogLevel.OFF:
        properties["LoggingConfiguration"] = {
            "Level": target.log_level,
            "IncludeExecutionData": target.include_execution_data,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": target.log_group_arn}}],
        }
    properties["TracingConfiguration"] = {"Enabled": target.tracing_enabled}
    if target.tags:
        properties["Tags"] = [{"Key": k, "Value": v} for k, v in target.tags.items()]
    resources: dict = {
        "StateMachine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": properties},
        "StateMachineVersion": {
            "Type": "AWS::StepFunctions::StateMachineVersion",
            "Properties": {
                "StateMachineArn": {"Ref": "StateMachine"},
                "Description": prepared.version.message,
            },
        },
    }
    outputs = {
        "StateMachineArn": {"Value": {"Ref": "StateMachine"}},
        "StateMachineVersionArn": {"Value": {"Ref": "StateMachineVersion"}},
    }
    if alias:
        resources["StateMachineAlias"] = {
            "Type": "AWS::StepFunctions::StateMachineAlias",
            "Properties": {
                "Name": alias,
                "RoutingConfiguration": [
                    {"StateMachineVersionArn": {"Ref": "StateMachineVersion"}, "Weight": 100}
                ],
            },
        }
        outputs["StateMachineAliasArn"] = {"Value": {"Ref": "StateMachineAlias"}}
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"{workflow.name} v{prepared.version.number} for {target.name}, exported by Symphony",
        "Resources": resources,
        "Outputs": outputs,
    }
    return formats.dump(template, "yaml")


def _hcl(value: str) -> str:
    """An HCL quoted string: JSON's escapes, with template sequences made literal."""
    return json.dumps(value, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def _identifier(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return cleaned if re.match(r"^[A-Za-z_]", cleaned) else f"sm_{cleaned}"


def terraform(
    workflow: Workflow, actor, *, target: Target, version_number: int | None = None, alias: str = ""
) -> dict[str, str]:
    """``{file name: text}``: main.tf and the definition template it reads with templatefile."""
    prepared, text = _source(workflow, actor, target, version_number, alias)
    template_name = f"{workflow.name}.asl.json"
    # In a template file "${" starts a substitution (all of them are ours) and "%{" a directive.
    template = text.replace("%{", "%%{")
    used = {match[1] for match in PLACEHOLDER_RE.finditer(text)}
    variables = "".join(f"    {k} = {_hcl(v)}\n" for k, v in _escaped(target).items() if k in used)
    resource = _identifier(workflow.name)
    lines = [
        f"# {workflow.name} v{prepared.version.number} for target {target.name}, exported by Symphony.",
        "terraform {",
        "  required_providers {",
        '    aws = { source = "hashicorp/aws", version = ">= 5.0" }',
        "  }",
        "}",
        "",
        'provider "aws" {',
        f"  region = {_hcl(target.region)}",
        "}",
        "",
        f'resource "aws_sfn_state_machine" "{resource}" {{',
        f"  name     = {_hcl(workflow.name)}",
        f"  type     = {_hcl(workflow.type)}",
        f"  role_arn = {_hcl(target.role_arn)}",
        "  publish  = true",
        f"  version_description = {_hcl(prepared.version.message)}",
        f'  definition = templatefile("${{path.module}}/{template_name}", {{\n{variables}  }})',
        "",
        "  tracing_configuration {",
        f"    enabled = {'true' if target.tracing_enabled else 'false'}",
        "  }",
    ]
    if target.log_level != LogLevel.OFF:
        lines += [
            "  logging_configuration {",
            f"    level                  = {_hcl(target.log_level)}",
            f"    include_execution_data = {'true' if target.include_execution_data else 'false'}",
            f"    log_destination        = {_hcl(target.log_group_arn)}",
            "  }",
        ]
    if target.tags:
        lines.append("  tags = {")
        lines += [f"    {_hcl(k)} = {_hcl(v)}" for k, v in target.tags.items()]
        lines.append("  }")
    lines.append("}")
    if alias:
        lines += [
            "",
            f'resource "aws_sfn_alias" "{_identifier(alias)}" {{',
            f"  name = {_hcl(alias)}",
            "  routing_configuration {",
            f"    state_machine_version_arn = aws_sfn_state_machine.{resource}.state_machine_version_arn",
            "    weight                    = 100",
            "  }",
            "}",
        ]
    return {"main.tf": "\n".join(lines) + "\n", template_name: template}


def terraform_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()
