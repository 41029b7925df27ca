"""Sample (async-report-api): a report is complete two seconds after it started."""

import time


def handler(event, context):
    started = int(event["jobId"].rsplit("-", 1)[1])
    if time.time() - started < 2:
        return {"state": "RUNNING"}
    return {"state": "COMPLETE", "url": f"https://reports.example.com/{event['jobId']}.csv", "rows": 42}
