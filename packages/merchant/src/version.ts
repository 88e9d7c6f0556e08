/**
 * The SDK's version, sent in the `User-Agent` of every platform call. Kept equal to
 * `package.json` by a test (a JSON import would tie the source to one module loader).
 *
 * @example
 * ```ts
 * console.log(`using @mycard/merchant ${SDK_VERSION}`);
 * ```
 */
export const SDK_VERSION = '0.1.0';
