import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  type ListSubscriptionsByTopicCommandOutput,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { type AwsCall, isAwsError, toRecoveryError } from '../aws/aws-errors.js';
import type { AwsClients } from '../aws/client-factory.js';
import { RecoveryError } from '../errors.js';
import { type PlanItem, redactEndpoint } from './alarm-plan.js';

/**
 * The bot's SNS topic and its HTTPS subscription. Loaded only when a provision run manages the topic (or a
 * doctor run checks it), so the usual alarm-only run never loads the SNS client.
 */

const call = (clients: AwsClients, operation: string, resource: string): AwsCall => ({
  service: 'sns',
  operation,
  resource,
  region: clients.region,
});

export interface TopicState {
  exists: boolean;
  confirmed: number;
  pending: number;
}

export async function describeTopic(clients: AwsClients, topicArn: string): Promise<TopicState> {
  try {
    const output = await clients
      .client(SNSClient)
      .send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    const count = (key: string) => Number(output.Attributes?.[key] ?? 0) || 0;
    return {
      exists: true,
      confirmed: count('SubscriptionsConfirmed'),
      pending: count('SubscriptionsPending'),
    };
  } catch (error) {
    if (isAwsError(error, 'NotFound', 'NotFoundException'))
      return { exists: false, confirmed: 0, pending: 0 };
    throw toRecoveryError(error, call(clients, 'GetTopicAttributes', `topic ${topicArn}`));
  }
}

/** `undefined` when the endpoint is not subscribed; SNS lists an unconfirmed one as `PendingConfirmation`. */
async function findSubscription(
  clients: AwsClients,
  topicArn: string,
  endpoint: string,
): Promise<{ pending: boolean } | undefined> {
  let nextToken: string | undefined;
  do {
    let output: ListSubscriptionsByTopicCommandOutput;
    try {
      output = await clients
        .client(SNSClient)
        .send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }));
    } catch (error) {
      throw toRecoveryError(error, call(clients, 'ListSubscriptionsByTopic', `topic ${topicArn}`));
    }
    const found = output.Subscriptions?.find(
      (subscription) => subscription.Protocol === 'https' && subscription.Endpoint === endpoint,
    );
    if (found !== undefined) return { pending: found.SubscriptionArn === 'PendingConfirmation' };
    nextToken = output.NextToken;
  } while (nextToken !== undefined);
  return undefined;
}

export interface TopicPlanRequest {
  topicArns: readonly string[];
  create: boolean;
  subscriptionEndpoint?: string;
}

/** The topic items of a plan; `warnings` for a topic that is missing but was not asked to be created. */
export async function planTopics(
  clients: AwsClients,
  request: TopicPlanRequest,
): Promise<{ plan: PlanItem[]; warnings: string[] }> {
  const plan: PlanItem[] = [];
  const warnings: string[] = [];
  for (const topicArn of request.topicArns) {
    const state = await describeTopic(clients, topicArn);
    if (!state.exists) {
      if (!request.create) {
        warnings.push(
          `SNS topic ${topicArn} does not exist: the alarm would notify nobody. Create it, or run provision with create-topic: true.`,
        );
        continue;
      }
      plan.push({ kind: 'create-topic', topicArn });
    } else {
      plan.push({ kind: 'topic-unchanged', topicArn });
    }
    const endpoint = request.subscriptionEndpoint;
    if (endpoint === undefined) continue;
    const existing = state.exists ? await findSubscription(clients, topicArn, endpoint) : undefined;
    plan.push(
      existing === undefined
        ? { kind: 'subscribe', topicArn, endpoint }
        : { kind: 'subscription-unchanged', topicArn, endpoint, pending: existing.pending },
    );
  }
  return { plan, warnings };
}

export async function createTopic(clients: AwsClients, topicArn: string): Promise<void> {
  const name = topicArn.split(':')[5] ?? '';
  let created: string | undefined;
  try {
    ({ TopicArn: created } = await clients
      .client(SNSClient)
      .send(
        new CreateTopicCommand({ Name: name, Tags: [{ Key: 'managed-by', Value: 'domtory-recovery' }] }),
      ));
  } catch (error) {
    throw toRecoveryError(error, call(clients, 'CreateTopic', `topic ${topicArn}`));
  }
  // CreateTopic creates in the caller's account: a config naming another account's topic must not pass silently.
  if (created !== topicArn) {
    throw new RecoveryError(
      'config-invalid',
      `created topic ${String(created)}, but the config names ${topicArn}`,
      {
        fix: 'The topic ARN must name the account these credentials belong to; correct alarm.topicArn.',
      },
    );
  }
}

export async function subscribeEndpoint(
  clients: AwsClients,
  topicArn: string,
  endpoint: string,
): Promise<void> {
  try {
    await clients.client(SNSClient).send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'https',
        Endpoint: endpoint,
        ReturnSubscriptionArn: true,
      }),
    );
  } catch (error) {
    throw toRecoveryError(
      error,
      call(clients, 'Subscribe', `topic ${topicArn} (endpoint ${redactEndpoint(endpoint)})`),
    );
  }
}
