/**
 * The version sent in the user agent (`domtory-recovery/<version>`), so CloudTrail shows which release rebooted
 * an instance. A constant rather than a package.json import: the bundle must not depend on a file next to it.
 * A test keeps it equal to package.json's version.
 */
export const ACTION_VERSION = '0.1.0';
