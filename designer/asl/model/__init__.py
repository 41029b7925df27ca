"""The compiled model of a definition (frozen dataclasses built once) and how to build it."""

from designer.asl.choice import ChoiceRule
from designer.asl.model.build import build_state_machine, build_state_machine_from_text
from designer.asl.model.states import (
    DEFAULT,
    JSONATA,
    JSONPATH,
    Catcher,
    Choice,
    Fail,
    ItemBatcher,
    ItemReader,
    Map,
    Parallel,
    Pass,
    ResultWriter,
    Retrier,
    State,
    StateMachine,
    Succeed,
    Task,
    Wait,
)

__all__ = [
    "DEFAULT",
    "JSONATA",
    "JSONPATH",
    "Catcher",
    "Choice",
    "ChoiceRule",
    "Fail",
    "ItemBatcher",
    "ItemReader",
    "Map",
    "Parallel",
    "Pass",
    "ResultWriter",
    "Retrier",
    "State",
    "StateMachine",
    "Succeed",
    "Task",
    "Wait",
    "build_state_machine",
    "build_state_machine_from_text",
]
