/**
 * What the test suite needs from the machine besides Node and npm, in one place: the explorer's
 * browser test, the Redis-backed limit tests and the preflight of `npm test` (test/preflight.ts)
 * all read it from here, and the README's requirements name the same install commands (run as
 * root, or with sudo).
 */

/** Debian's Chromium, which the explorer's browser test drives (playwright-core downloads none). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'apt-get install -y chromium';

/** The machine's Redis, for the limits shared between replicas (test/security/permit-oracle.test.ts). */
export const TEST_REDIS_URL = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
export const REDIS_INSTALL = 'apt-get install -y redis-server';

/** Go builds the embedded FerretDB (common/db/ferretdb-build.ts says which); `git` applies the hub's patches to it. */
export { GO_INSTALL, GO_MINIMUM } from '../../common/db/ferretdb-build.js';
export const GIT_INSTALL = 'apt-get install -y git';

/** HAProxy and `ip netns`, for the fault tests on the multi-host cluster (test/cluster/, run as root only). */
export const CLUSTER_INSTALL = 'apt-get install -y haproxy iproute2';
