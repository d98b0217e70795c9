/**
 * The version in the function's AWS user agent (`domtory-recovery/<version>`), so CloudTrail shows which release
 * rebooted an instance. A constant rather than a package.json import, so the bundle carries no file beside it; a
 * test keeps it equal to package.json's version.
 */
export const LAMBDA_VERSION = '0.1.0';
