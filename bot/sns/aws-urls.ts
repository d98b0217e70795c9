/**
 * Which URLs in an SNS message may be fetched. The signing certificate and the subscription link both come from
 * the message itself, so an attacker chooses them: only `https` on an `sns.<region>.amazonaws.com` host (or the
 * `.com.cn` partition) is trusted, with no port, user info or other tricks.
 */

const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

function snsHostUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '')
    return undefined;
  return SNS_HOST.test(url.hostname) ? url : undefined;
}

/** The signing certificate: a `.pem` on an SNS host, e.g. `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-….pem`. */
export function trustedCertificateUrl(raw: string): URL | undefined {
  const url = snsHostUrl(raw);
  return url?.pathname.endsWith('.pem') && url.search === '' ? url : undefined;
}

/**
 * The link that confirms a subscription: SNS's own `ConfirmSubscription` action for the topic the message names,
 * so a signed message cannot make the bot call anything else.
 */
export function trustedSubscribeUrl(raw: string, topicArn: string): URL | undefined {
  const url = snsHostUrl(raw);
  if (url === undefined) return undefined;
  const params = url.searchParams;
  if (params.get('Action') !== 'ConfirmSubscription' || params.get('TopicArn') !== topicArn) return undefined;
  return params.get('Token') ? url : undefined;
}
