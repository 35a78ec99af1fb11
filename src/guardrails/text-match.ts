/** Where a check matched inside one text: [start, end) in UTF-16 code units. */
export interface TextMatch {
  start: number;
  end: number;
}

/** Every match of a global regular expression, optionally kept only when `accept` says so. */
export function regexMatches(
  pattern: RegExp,
  text: string,
  accept: (matched: string) => boolean = () => true,
): TextMatch[] {
  const matches: TextMatch[] = [];
  for (const match of text.matchAll(pattern)) {
    if (match[0].length > 0 && accept(match[0]))
      matches.push({ start: match.index, end: match.index + match[0].length });
  }
  return matches;
}

/** The text with each (non-overlapping, merged) match replaced by the label. */
export function replaceMatches(text: string, matches: TextMatch[], label: string): string {
  const ordered = [...matches].sort((left, right) => left.start - right.start);
  let result = '';
  let position = 0;
  for (const { start, end } of ordered) {
    if (end <= position) continue;
    result += text.slice(position, Math.max(position, start)) + label;
    position = end;
  }
  return result + text.slice(position);
}
