"""TestState: one state run on its own through the engine, with mocks and inspection data.

request.py reads and checks a request; mocks.py answers the tested state's work from a mock;
mock_schema.py checks a mocked result against the API's response shape; inspection.py sees the
tested state's data flow and builds the inspection data; service.py runs it and answers.
"""

from executions.teststate.service import test_state

__all__ = ["test_state"]
