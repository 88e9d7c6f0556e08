/** Types of run-entry.js (plain JavaScript: it runs before any TypeScript loader exists). */
export interface BuildFacts {
  production: boolean;
  distBuilt: boolean;
  tsxInstalled: boolean;
}
export function chooseBuild(facts: BuildFacts): 'dist' | 'source';
export function isProduction(env: NodeJS.ProcessEnv): boolean;
export function runEntry(packageUrl: URL, entry: { source: string; dist: string }): Promise<void>;
