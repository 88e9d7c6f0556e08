import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pinSelf } from './harness.js';
import { bindFreshUser, profileUpdater, startPlatform } from './platform-http.bench.js';
import { printShares } from './profile-shares.js';

/**
 * `npm run bench:profile [dir]`: CPU profiles of the platform over real HTTP (SQLite, FULL): the binding
 * flow and the profile update at c=8, each a window of its own, written as .cpuprofile files (open
 * them in Chrome DevTools) and summarized as shares by category.
 */
const dir = process.argv[2] ?? 'bench-profiles';
mkdirSync(dir, { recursive: true });
pinSelf();
const p = await startPlatform();
try {
  for (let i = 0; i < 50; i++) await bindFreshUser(p);
  const run = async (ms: number, op: () => Promise<unknown>) => {
    const end = performance.now() + ms;
    let n = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < end) {
          await op();
          n++;
        }
      }),
    );
    return n;
  };
  await run(2000, () => bindFreshUser(p));
  const flowFile = join(dir, 'flow.cpuprofile');
  const flows = await p.server.profile(flowFile, () => run(8000, () => bindFreshUser(p)));
  const cards: string[] = [];
  for (let i = 0; i < 32; i++) cards.push((await bindFreshUser(p)).bindingId);
  const update = profileUpdater(p, cards);
  await run(1000, update);
  const profileFile = join(dir, 'profile-update.cpuprofile');
  const updates = await p.server.profile(profileFile, () => run(6000, update));
  console.log(`${flows} flows, ${updates} profile updates profiled; files in ${dir}`);
  printShares('platform CPU profile (SQLite, c=8)', [
    { name: 'binding flow', file: flowFile },
    { name: 'profile update', file: profileFile },
  ]);
} finally {
  await p.close();
}
