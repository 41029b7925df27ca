"""Publishing to Step Functions: targets, publish, deployments, roll back, drift, IaC export.

Every call to a target goes through boto3 (``designer.deploy.clients``): AWS, moto's server,
LocalStack, another Symphony or this one's own endpoint are the same code path (DESIGN.md
decision 13).
"""
