import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { snsCertificateUrl } from './aws-urls.js';

/**
 * Where signing certificates come from. The intake only ever asks for URLs that passed `trustedCertificateUrl`
 * (the SNS host of the message's topic region); production fetches them over https from AWS, tests inject a
 * source that serves their own certificate.
 */
export interface CertificateSource {
  /** The public key of the certificate at `url`; rejects when it cannot be had or is not valid now. */
  publicKey(url: URL): Promise<KeyObject>;
}

/** Fetches a certificate's PEM text. */
export type PemFetcher = (url: URL) => Promise<string>;

export class CertificateUnavailableError extends Error {
  override readonly name = 'CertificateUnavailableError';
}

const MAX_PEM_BYTES = 16 * 1024;

/** Production: https GET from a region's SNS host only, no redirects, a short timeout and a size bound. */
export function awsPemFetcher(options: { timeoutMs?: number; fetch?: typeof fetch } = {}): PemFetcher {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  return async (url) => {
    // Checked again here so that this fetcher cannot be pointed off SNS, whoever calls it. It does not know the
    // message's topic, so only the host's shape is checked: `sns.<a region>.amazonaws.com(.cn)`.
    if (snsCertificateUrl(url.href) === undefined) {
      throw new CertificateUnavailableError(`refusing to fetch a certificate from ${url.host}`);
    }
    const response = await doFetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200)
      throw new CertificateUnavailableError(`certificate fetch answered ${response.status}`);
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_PEM_BYTES) throw new CertificateUnavailableError('certificate is too large');
    const text = await response.text();
    if (text.length > MAX_PEM_BYTES) throw new CertificateUnavailableError('certificate is too large');
    return text;
  };
}

/**
 * Parses and caches certificates by URL. SNS signs every message of a region with the same certificate, so after
 * the first message verification needs no network at all; the in-flight promise is shared so that a burst of
 * deliveries causes one fetch. A failed fetch is not cached: the next delivery (SNS retries) tries again.
 */
export function cachedCertificateSource(
  fetchPem: PemFetcher,
  options: { maxEntries?: number; now?: () => number } = {},
): CertificateSource {
  const maxEntries = options.maxEntries ?? 32;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Promise<{ key: KeyObject; validFrom: number; validTo: number }>>();
  const load = async (url: URL) => {
    const pem = await fetchPem(url);
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw new CertificateUnavailableError('not a PEM certificate');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (error) {
      throw new CertificateUnavailableError(`unreadable certificate: ${(error as Error).message}`);
    }
    return {
      key: createPublicKey(cert.toString()),
      validFrom: Date.parse(cert.validFrom),
      validTo: Date.parse(cert.validTo),
    };
  };
  return {
    async publicKey(url) {
      let entry = cache.get(url.href);
      if (entry === undefined) {
        if (cache.size >= maxEntries) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        entry = load(url);
        cache.set(url.href, entry);
        entry.catch(() => cache.delete(url.href));
      }
      const cert = await entry;
      const at = now();
      if (at < cert.validFrom || at > cert.validTo) {
        cache.delete(url.href);
        throw new CertificateUnavailableError('the signing certificate is not valid now');
      }
      return cert.key;
    },
  };
}

export function awsCertificateSource(): CertificateSource {
  return cachedCertificateSource(awsPemFetcher());
}
