/**
 * Ready-made Task templates for the common service integrations, and the service a Resource
 * ARN names (so a node can show "Lambda" or "SQS" rather than a bare "Task"). The human approval
 * pattern, several states, is in approval.ts.
 */
import type { QueryLanguage } from "../kind";

export interface Integration {
  id: string;
  label: string;
  description: string;
  /** Short badge shown on nodes. */
  service: string;
  template(language: QueryLanguage): Record<string, unknown>;
}

const task = (resource: string, jsonPath: Record<string, unknown>, jsonata: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  (language: QueryLanguage) =>
    language === "JSONata"
      ? { Type: "Task", Resource: resource, Arguments: jsonata, ...extra, End: true }
      : { Type: "Task", Resource: resource, Parameters: jsonPath, ...extra, End: true };

export const INTEGRATIONS: Integration[] = [
  {
    id: "lambda",
    label: "Lambda: invoke",
    description: "Invoke a function",
    service: "Lambda",
    template: task(
      "arn:aws:states:::lambda:invoke",
      { FunctionName: "${FunctionArn}", "Payload.$": "$" },
      { FunctionName: "${FunctionArn}", Payload: "{% $states.input %}" },
      { Retry: [{ ErrorEquals: ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }] },
    ),
  },
  {
    id: "sns",
    label: "SNS: publish",
    description: "Publish a message to a topic",
    service: "SNS",
    template: task("arn:aws:states:::sns:publish", { TopicArn: "${TopicArn}", "Message.$": "$" }, { TopicArn: "${TopicArn}", Message: "{% $states.input %}" }),
  },
  {
    id: "sqs",
    label: "SQS: send message",
    description: "Send a message to a queue",
    service: "SQS",
    template: task("arn:aws:states:::sqs:sendMessage", { QueueUrl: "${QueueUrl}", "MessageBody.$": "$" }, { QueueUrl: "${QueueUrl}", MessageBody: "{% $states.input %}" }),
  },
  {
    id: "dynamodb-get",
    label: "DynamoDB: get item",
    description: "Read an item",
    service: "DynamoDB",
    template: task(
      "arn:aws:states:::dynamodb:getItem",
      { TableName: "${TableName}", Key: { id: { "S.$": "$.id" } } },
      { TableName: "${TableName}", Key: { id: { S: "{% $states.input.id %}" } } },
    ),
  },
  {
    id: "dynamodb-put",
    label: "DynamoDB: put item",
    description: "Write an item",
    service: "DynamoDB",
    template: task(
      "arn:aws:states:::dynamodb:putItem",
      { TableName: "${TableName}", Item: { id: { "S.$": "$.id" } } },
      { TableName: "${TableName}", Item: { id: { S: "{% $states.input.id %}" } } },
    ),
  },
  {
    id: "eventbridge",
    label: "EventBridge: put events",
    description: "Send events to a bus",
    service: "EventBridge",
    template: task(
      "arn:aws:states:::events:putEvents",
      { Entries: [{ Detail: { "Message.$": "$" }, DetailType: "Symphony", EventBusName: "default", Source: "symphony" }] },
      { Entries: [{ Detail: { Message: "{% $states.input %}" }, DetailType: "Symphony", EventBusName: "default", Source: "symphony" }] },
    ),
  },
  {
    id: "http",
    label: "HTTP: call an API",
    description: "Call an HTTPS endpoint",
    service: "HTTP",
    template: task(
      "arn:aws:states:::http:invoke",
      { ApiEndpoint: "https://example.com/api", Method: "GET", Authentication: { ConnectionArn: "${ConnectionArn}" } },
      { ApiEndpoint: "https://example.com/api", Method: "GET", Authentication: { ConnectionArn: "${ConnectionArn}" } },
    ),
  },
  {
    id: "start-execution",
    label: "Step Functions: start execution",
    description: "Run another state machine and wait",
    service: "Step Functions",
    template: task(
      "arn:aws:states:::states:startExecution.sync:2",
      { StateMachineArn: "${StateMachineArn}", "Input.$": "$" },
      { StateMachineArn: "${StateMachineArn}", Input: "{% $states.input %}" },
    ),
  },
  {
    id: "callback",
    label: "Wait for callback",
    description: "Send a task token and wait for it to come back",
    service: "Callback",
    template: task(
      "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      { QueueUrl: "${QueueUrl}", MessageBody: { "Input.$": "$", "TaskToken.$": "$$.Task.Token" } },
      { QueueUrl: "${QueueUrl}", MessageBody: { Input: "{% $states.input %}", TaskToken: "{% $states.context.Task.Token %}" } },
      { HeartbeatSeconds: 3600 },
    ),
  },
];

const SERVICES: [RegExp, string][] = [
  [/request-approval/, "Approval"],
  [/\.waitForTaskToken$/, "Callback"],
  [/:lambda:|:function:/, "Lambda"],
  [/:::sns:/, "SNS"],
  [/:::sqs:/, "SQS"],
  [/:::dynamodb:/, "DynamoDB"],
  [/:::events:/, "EventBridge"],
  [/:::http:/, "HTTP"],
  [/:::states:/, "Step Functions"],
  [/:activity:/, "Activity"],
  [/:::aws-sdk:/, "AWS SDK"],
  [/:::(ecs|batch|glue|sagemaker|athena|emr|codebuild|eks|bedrock)[-:]/, "AWS"],
];

/** The service a Task's Resource calls, for its badge; undefined when not recognised. */
export function serviceOf(resource: string | undefined, parameters?: string): string | undefined {
  if (!resource) return undefined;
  const key = resource + (parameters ?? "");
  for (const [pattern, service] of SERVICES) if (pattern.test(key)) return service;
  const sdk = /:::aws-sdk:(\w+):/.exec(resource);
  return sdk ? sdk[1] : undefined;
}
