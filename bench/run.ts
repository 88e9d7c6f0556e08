import { printTable } from './harness.js';
import { benchProtocol } from './protocol.bench.js';

/**
 * `npm run bench`: every benchmark group, printed as one table with ratios against the baseline of
 * each group measured in the same run. Bounded in time; servers listen on 127.0.0.1 only.
 */
const results = [...(await benchProtocol())];
printTable(results);
