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
    """A request the service refuses; ``field`` names the part at fault (and ``line`` and
    ``column`` point into its text) so that a form can show the error beside it."""

    def __init__(self, message: str, *, field: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field, self.detail, self.line, self.column = field, message, line, column


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


class ThrottlingException(StepFunctionsError):
    """More work than the runners can take now: AWS's throttling answer, which the SDKs retry
    with backoff."""
