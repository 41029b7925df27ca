"""Every write of the runner app, one module per kind of resource: state machines and their
versions (machines), aliases, executions, redrives, map runs, leases, task tokens, activities,
tags, local functions, access keys, and the payload checks they share. Import the module you
need (``from executions.services import executions``); this package re-exports nothing.

Views, the Step Functions endpoint, consumers and the runner call these; none of them saves a
model itself. The transition commit (history + checkpoint) lives in ``executions.effects``.
"""
