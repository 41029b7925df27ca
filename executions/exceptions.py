"""Domain errors of the runner, named as AWS Step Functions names them.

Services raise these; ``sfn_api/errors.py`` turns them into AWS's JSON error shape and the
web pages into messages. The class name is the AWS error code.
"""


class StepFunctionsError(Exception):
    """Base: a request the service refuses, with a message a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        return type(self).__name__


class ValidationException(StepFunctionsError):
    pass


class InvalidArn(StepFunctionsError):
    pass


class InvalidName(StepFunctionsError):
    pass


class InvalidDefinition(StepFunctionsError):
    pass


class InvalidExecutionInput(StepFunctionsError):
    pass


class InvalidOutput(StepFunctionsError):
    pass


class InvalidToken(StepFunctionsError):
    pass


class StateMachineDoesNotExist(StepFunctionsError):
    pass


class StateMachineAlreadyExists(StepFunctionsError):
    pass


class StateMachineDeleting(StepFunctionsError):
    pass


class StateMachineTypeNotSupported(StepFunctionsError):
    pass


class ExecutionDoesNotExist(StepFunctionsError):
    pass


class ExecutionAlreadyExists(StepFunctionsError):
    pass


class ExecutionNotRedrivable(StepFunctionsError):
    pass


class ActivityDoesNotExist(StepFunctionsError):
    pass


class TaskDoesNotExist(StepFunctionsError):
    pass


class TaskTimedOut(StepFunctionsError):
    pass


class ResourceNotFound(StepFunctionsError):
    pass


class ConflictException(StepFunctionsError):
    pass


class TooManyTags(StepFunctionsError):
    pass
