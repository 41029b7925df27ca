"""The engine's behaviour version, written into every checkpoint.

A running execution resumes by replaying its committed history with the engine of the moment
(checkpoint.py); an engine that writes any event differently would diverge. Such a change
either keeps the old behaviour for executions whose checkpoint names an older version
(branch on ``Execution.engine_version``) and bumps ENGINE_VERSION, or is named in the release
notes with the executions it fails. tests/replay replays stored histories in CI to catch it.
"""

ENGINE_VERSION = 1
