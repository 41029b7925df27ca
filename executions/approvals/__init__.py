"""Reviewer approvals for workflows running in AWS: the approvals API a target's request-approval
Lambda calls, the requests it records, and the answer sent back through the target's boto3 client."""
