export { formatBanner } from './banner.js';
export { type ConsoleDemoLogin, ensureDemoOperator } from './demo-operator.js';
export { ensureDemoProgram } from './demo-program.js';
export { openLogFiles } from './log-files.js';
export { main, type StackIo } from './main.js';
export { PortInUseError, type RunningStack, type StackOptions, startStack } from './start-stack.js';
