export * from './card.js';
export * from './console.js';
export * from './envelope.js';
export * from './merchant.js';
export * from './primitives.js';
export * from './program.js';
export * from './program-detail.js';
export * from './wallet.js';
