"""Sample (async-report-api): start a report job; its id encodes when it started."""

import time


def handler(event, context):
    return {"jobId": f"{event['reportType']}-{int(time.time())}", "state": "RUNNING"}
