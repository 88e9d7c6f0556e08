import { printTable } from './harness.js';
import { benchMerchant } from './merchant.bench.js';
import { benchPlatform } from './platform.bench.js';
import { benchProtocol } from './protocol.bench.js';

/**
 * `npm run bench`: every benchmark group, printed as one table with ratios against the baseline of
 * each group measured in the same run. Bounded in time; servers listen on 127.0.0.1 only.
 */
const started = performance.now();
const results = [...(await benchProtocol()), ...(await benchPlatform()), ...(await benchMerchant())];
printTable(results);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
