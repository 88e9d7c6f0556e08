/** Whether `text` parses as an absolute URL (config rules use it for the apps' URL settings). */
export function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}
