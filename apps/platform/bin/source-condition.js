// Module resolve hook for development: adds the `@mycard/source` export condition, so a workspace
// package (`@mycard/protocol`, …) resolves to its TypeScript sources instead of its dist/.
export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, '@mycard/source'] });
}
