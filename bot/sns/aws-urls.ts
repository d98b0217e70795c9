/**
 * Which URLs in an SNS message may be fetched. The signing certificate and the subscription link both come from
 * the message itself, so an attacker chooses them. Only `https` on exactly `sns.<region>.amazonaws.com` (or
 * `.amazonaws.com.cn` in the China partition) is trusted, where `<region>` and the partition are those of the
 * message's own TopicArn, with no port, user info or other tricks. A looser "sns.<anything>.amazonaws.com" would
 * take in hosts that are not SNS at all: `sns.s3.amazonaws.com` is the S3 bucket named "sns", which anybody can own.
 */

/** A region's name, e.g. `us-east-1`, `cn-north-1`, `us-gov-west-1`: never `s3`, `s3-us-west-2` or `s3-accelerate`. */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;
/** The domain of SNS's endpoints in each partition the bot supports. */
const PARTITION_DOMAINS: ReadonlyMap<string, string> = new Map([
  ['aws', 'amazonaws.com'],
  ['aws-us-gov', 'amazonaws.com'],
  ['aws-cn', 'amazonaws.com.cn'],
]);
/** Any region's SNS host, for a check that does not know the topic. */
const ANY_REGION_SNS_HOST = /^sns\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** `sns.<region>.<domain>` for the topic `arn:<partition>:sns:<region>:<account>:<name>`, if it is one. */
export function snsHostOfTopic(topicArn: string): string | undefined {
  const [arn, partition, service, region] = topicArn.split(':');
  if (arn !== 'arn' || service !== 'sns' || partition === undefined || region === undefined) return undefined;
  const domain = PARTITION_DOMAINS.get(partition);
  if (domain === undefined || !REGION.test(region)) return undefined;
  return `sns.${region}.${domain}`;
}

function httpsUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '')
    return undefined;
  return url;
}

/** `raw` on the SNS host of the topic's own region and partition. */
function topicHostUrl(raw: string, topicArn: string): URL | undefined {
  const host = snsHostOfTopic(topicArn);
  const url = httpsUrl(raw);
  return host !== undefined && url?.hostname === host ? url : undefined;
}

const isPemPath = (url: URL) => url.pathname.endsWith('.pem') && url.search === '';

/**
 * The signing certificate: a `.pem` on the SNS host of the topic's region, e.g.
 * `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-….pem` for `arn:aws:sns:us-east-1:…`.
 */
export function trustedCertificateUrl(raw: string, topicArn: string): URL | undefined {
  const url = topicHostUrl(raw, topicArn);
  return url !== undefined && isPemPath(url) ? url : undefined;
}

/**
 * A certificate URL on some region's SNS host, for a fetcher that does not know the topic: a last line behind
 * `trustedCertificateUrl`, which only keeps it from being pointed off SNS (an S3 bucket named "sns" included).
 */
export function snsCertificateUrl(raw: string): URL | undefined {
  const url = httpsUrl(raw);
  if (url === undefined || !isPemPath(url)) return undefined;
  const region = ANY_REGION_SNS_HOST.exec(url.hostname)?.[1];
  return region !== undefined && REGION.test(region) ? url : undefined;
}

/**
 * The link that confirms a subscription: SNS's own `ConfirmSubscription` action, on the SNS host of the topic's
 * region, for the topic the message names, so a signed message cannot make the bot call anything else.
 */
export function trustedSubscribeUrl(raw: string, topicArn: string): URL | undefined {
  const url = topicHostUrl(raw, topicArn);
  if (url === undefined) return undefined;
  const params = url.searchParams;
  if (params.get('Action') !== 'ConfirmSubscription' || params.get('TopicArn') !== topicArn) return undefined;
  return params.get('Token') ? url : undefined;
}
