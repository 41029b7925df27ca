/**
 * The "Human approval" pattern: standard ASL that asks a person and runs unchanged in Symphony's
 * runner and in AWS (issue 16). A `lambda:invoke.waitForTaskToken` Task calls Symphony's
 * request-approval function (executions/approvals/lambda_handler.py, deployed to a target's Lambda
 * as `symphony-request-approval`) with the task token, a title, the context to show and who may
 * decide; the reviewer's answer comes back in the one shape the approval pages send (README,
 * "approval pages"): approve is SendTaskSuccess with `{"approved": true, "reviewer", "comment"}`,
 * reject is SendTaskFailure with the error `Rejected` and the comment as cause; a request whose
 * deadline passed with nobody to escalate to fails with `Approval.Expired`
 * (executions/approvals/decisions.py).
 */
import type { StateGroup } from "../../graph/state-group";
import type { QueryLanguage } from "../kind";

/** The name the approvals page deploys the function under (executions/approvals/lambda_deploy.py). */
export const REQUEST_APPROVAL_FUNCTION = "symphony-request-approval";

const NAMES = { ask: "Request approval", check: "Approved?", approved: "Approved", rejected: "Approval rejected", timedOut: "Approval timed out" };

const COMMENT =
  'Pauses until a reviewer decides on Symphony\'s approval page: SendTaskSuccess {"approved": true, "reviewer", "comment"}, or SendTaskFailure with the error Rejected (the comment is its cause).';

/** Who may decide: users and groups by name (none: any reviewer). */
const APPROVERS = { users: [], groups: ["reviewers"] };
/** How many of them must approve (one rejection rejects). */
const QUORUM = 1;

// A day to decide; no HeartbeatSeconds: nothing beats while a person reads, so it would time out the wait.
const TIMEOUT_SECONDS = 86400;

// The function raises SymphonyUnavailable when Symphony cannot be reached or asks it to slow down.
const RETRY = [{ ErrorEquals: ["SymphonyUnavailable"], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 }];

function ask(language: QueryLanguage): Record<string, unknown> {
  const catches = [
    { ErrorEquals: ["Rejected"], Next: NAMES.rejected },
    { ErrorEquals: ["States.Timeout", "Approval.Expired"], Next: NAMES.timedOut },
  ];
  if (language === "JSONata") {
    return {
      Type: "Task",
      Comment: COMMENT,
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Arguments: {
        FunctionName: REQUEST_APPROVAL_FUNCTION,
        Payload: {
          taskToken: "{% $states.context.Task.Token %}",
          execution: "{% $states.context.Execution.Id %}",
          title: "Approve this step",
          context: "{% $states.input %}",
          approvers: APPROVERS,
          quorum: QUORUM,
        },
      },
      // The answer in a variable; the workflow's data goes on unchanged.
      Assign: { approval: "{% $states.result %}" },
      Output: "{% $states.input %}",
      TimeoutSeconds: TIMEOUT_SECONDS,
      Retry: RETRY,
      Catch: catches,
      Next: NAMES.check,
    };
  }
  return {
    Type: "Task",
    Comment: COMMENT,
    Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    Parameters: {
      FunctionName: REQUEST_APPROVAL_FUNCTION,
      Payload: {
        "taskToken.$": "$$.Task.Token",
        "execution.$": "$$.Execution.Id",
        title: "Approve this step",
        "context.$": "$",
        approvers: APPROVERS,
        quorum: QUORUM,
      },
    },
    ResultPath: "$.approval",
    TimeoutSeconds: TIMEOUT_SECONDS,
    Retry: RETRY,
    Catch: catches,
    Next: NAMES.check,
  };
}

function check(language: QueryLanguage): Record<string, unknown> {
  // Only the documented approval approves; any other answer is not one.
  const rule =
    language === "JSONata"
      ? { Condition: "{% $approval.approved = true %}", Next: NAMES.approved }
      : {
          And: [
            { Variable: "$.approval.approved", IsPresent: true },
            { Variable: "$.approval.approved", BooleanEquals: true },
          ],
          Next: NAMES.approved,
        };
  return { Type: "Choice", Choices: [rule], Default: NAMES.rejected };
}

export function approvalGroup(language: QueryLanguage): StateGroup {
  return {
    states: [
      { name: NAMES.ask, type: "Task", body: ask(language) },
      { name: NAMES.check, type: "Choice", body: check(language) },
      { name: NAMES.approved, type: "Pass", body: { Type: "Pass", Comment: "A reviewer approved: the workflow goes on from here.", End: true } },
      { name: NAMES.rejected, type: "Fail", body: { Type: "Fail", Error: "ApprovalRejected", Cause: "A reviewer rejected the request (their comment is the cause of the task's failure in the execution's history)." } },
      { name: NAMES.timedOut, type: "Fail", body: { Type: "Fail", Error: "ApprovalTimedOut", Cause: `No reviewer decided in time: the task's ${TIMEOUT_SECONDS} TimeoutSeconds, or the request's deadline with nobody to escalate to.` } },
    ],
    exit: NAMES.approved,
  };
}
