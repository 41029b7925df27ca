"""The Amazon States Language core: pure Python, no Django, no database, no network."""

from designer.asl.diagnostics import Diagnostic
from designer.asl.document import Document, ParseError, parse
from designer.asl.errors import ASLError, ASLSyntaxError, PathNotFound, error_matches, state_cause
from designer.asl.intrinsics import compile_intrinsic
from designer.asl.jsonata import compile_jsonata, compile_jsonata_template
from designer.asl.jsonpath import apply_result_path, compile_path
from designer.asl.model import StateMachine, build_state_machine, build_state_machine_from_text
from designer.asl.payload import compile_payload
from designer.asl.scope import MISSING, Scope
from designer.asl.validate import validate

__all__ = [
    "MISSING",
    "ASLError",
    "ASLSyntaxError",
    "Diagnostic",
    "Document",
    "ParseError",
    "PathNotFound",
    "Scope",
    "StateMachine",
    "apply_result_path",
    "build_state_machine",
    "build_state_machine_from_text",
    "compile_intrinsic",
    "compile_jsonata",
    "compile_jsonata_template",
    "compile_path",
    "compile_payload",
    "error_matches",
    "parse",
    "state_cause",
    "validate",
]
