import type { CheckOutcome } from './run-merchant-check.js';

const MARK = { pass: 'PASS', fail: 'FAIL', manual: 'TODO' } as const;

/** The pass/fail table of `mycard merchant-check`, with what each failure means and how to fix it. */
export function formatReport(outcomes: readonly CheckOutcome[], target: string): string {
  const width = Math.max(...outcomes.map((o) => o.title.length));
  const lines = [`merchant-check of ${target}`, ''];
  for (const o of outcomes) {
    lines.push(`  ${MARK[o.result]}  ${o.title.padEnd(width)}  ${o.detail}`);
    if (o.result === 'fail') {
      lines.push(`        ${' '.repeat(width)}  means: ${o.meaning}`);
      lines.push(`        ${' '.repeat(width)}  fix:   ${o.fix}`);
    }
  }
  const count = (r: CheckOutcome['result']) => outcomes.filter((o) => o.result === r).length;
  lines.push(
    '',
    `result: ${count('pass')} pass · ${count('fail')} fail · ${count('manual')} to check by hand`,
    '',
  );
  return lines.join('\n');
}
