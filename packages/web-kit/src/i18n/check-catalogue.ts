import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';

/** The argument names a message uses (`{name}`, `{count, plural, …}`, nested ones too), sorted. */
export function messageArguments(message: string): string[] {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type !== TYPE.literal && element.type !== TYPE.pound) names.add(String(element.value));
      if (element.type === TYPE.plural || element.type === TYPE.select)
        for (const option of Object.values(element.options)) walk(option.value);
      if (element.type === TYPE.tag) walk(element.children);
    }
  };
  walk(parse(message, { ignoreTag: true }));
  return [...names].sort();
}

/**
 * What is wrong with `catalogue` measured against the English reference: keys missing or extra,
 * empty messages, ICU syntax errors, arguments that differ from English's. Empty means complete.
 * Every app's i18n test runs this for each of its languages (the "missing keys fail a test" rule).
 */
export function catalogueProblems(
  reference: Readonly<Record<string, string>>,
  catalogue: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(reference))
    if (!Object.hasOwn(catalogue, key)) problems.push(`${key}: missing`);
  for (const [key, message] of Object.entries(catalogue)) {
    const english = reference[key];
    if (english === undefined) {
      problems.push(`${key}: not in English`);
      continue;
    }
    if (message.trim() === '') problems.push(`${key}: empty`);
    let args: string[];
    try {
      args = messageArguments(message);
    } catch (error) {
      problems.push(`${key}: syntax error (${(error as Error).message})`);
      continue;
    }
    let englishArgs: string[];
    try {
      englishArgs = messageArguments(english);
    } catch {
      continue; // reported when English itself is checked
    }
    if (args.join(',') !== englishArgs.join(','))
      problems.push(`${key}: arguments {${args.join(', ')}} differ from English {${englishArgs.join(', ')}}`);
  }
  return problems;
}
