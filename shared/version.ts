/**
 * The release, sent in every AWS request's user agent and the health probe's (`domtory-recovery/<version>`), so
 * CloudTrail and the app's access log show which release rebooted an instance or knocked. A constant rather than
 * a package.json import: a bundle must not depend on a file beside it. A test keeps it equal to package.json's.
 */
export const DOMTORY_VERSION = '0.1.0';
