/**
 * Checks that catch what cosine similarity lets through: two prompts a few words apart can mean
 * opposite things and still score above 0.95 ("convert USD to EUR" and "convert EUR to USD").
 * A semantic hit needs all of them to pass; each is plain text work, no model.
 */

/** Number words read as their digits, so "five" and "5" are the same number. */
const numberWords: Record<string, string> = {
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  eleven: '11',
  twelve: '12',
  thirteen: '13',
  fourteen: '14',
  fifteen: '15',
  sixteen: '16',
  seventeen: '17',
  eighteen: '18',
  nineteen: '19',
  twenty: '20',
  thirty: '30',
  forty: '40',
  fifty: '50',
  sixty: '60',
  seventy: '70',
  eighty: '80',
  ninety: '90',
  hundred: '100',
  thousand: '1000',
  million: '1000000',
  billion: '1000000000',
  half: '0.5',
  double: '2x',
  twice: '2x',
  triple: '3x',
};

/** Words that negate, each read as one negation ("can't", "cannot" and "can not" alike). */
const negationWords = new Set([
  'not',
  'no',
  'never',
  'none',
  'nobody',
  'nothing',
  'nowhere',
  'neither',
  'nor',
  'without',
]);

/** Words that give the words around them a direction: swapping those words changes the meaning. */
const directionWords = new Set([
  'to',
  'into',
  'from',
  'than',
  'vs',
  'versus',
  'before',
  'after',
  'above',
  'below',
  'over',
  'under',
  'against',
  'toward',
  'towards',
  'per',
  'minus',
]);

/** Words too common to be an argument of a direction. */
const stopWords = new Set([
  'a',
  'an',
  'the',
  'is',
  'are',
  'was',
  'were',
  'be',
  'do',
  'does',
  'did',
  'i',
  'me',
  'my',
  'you',
  'your',
  'it',
  'its',
  'of',
  'in',
  'on',
  'at',
  'for',
  'and',
  'or',
  'what',
  'how',
  'which',
  'who',
  'please',
  'can',
  'could',
  'would',
  'should',
  'will',
  'much',
  'many',
  'there',
  'this',
  'that',
  'with',
  'by',
  'as',
]);

interface Word {
  /** Lower case, a possessive `'s` and a contraction's `n't` taken off. */
  text: string;
  /** Written with a capital, not at the start of a sentence (a name, a code like USD). */
  named: boolean;
}

/** The words of a text, in order, with negations and numbers in canonical form. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  // A number keeps its decimal point and thousands separators; a word keeps its apostrophe.
  const pattern = /(\d+(?:[.,]\d+)*)|([\p{L}][\p{L}\p{N}]*(?:['’][\p{L}]+)?)|([.!?])/gu;
  let sentenceStart = true;
  for (const match of text.matchAll(pattern)) {
    if (match[3]) {
      sentenceStart = true;
      continue;
    }
    if (match[1]) {
      words.push({ text: match[1].replace(/,/g, ''), named: false });
      sentenceStart = false;
      continue;
    }
    const written = match[2]!.replace(/’/g, "'");
    let lower = written.toLowerCase();
    const named = !sentenceStart && /\p{Lu}/u.test(written) && lower !== 'i';
    sentenceStart = false;
    if (lower.endsWith("n't")) {
      words.push(
        { text: lower === "won't" ? 'will' : lower === "can't" ? 'can' : lower.slice(0, -3), named: false },
        { text: 'not', named: false },
      );
      continue;
    }
    if (lower.endsWith("'s")) lower = lower.slice(0, -2);
    words.push({ text: lower === 'cannot' ? 'can' : lower, named });
    if (lower === 'cannot') words.push({ text: 'not', named: false });
  }
  return words;
}

/** The numbers of a text in order, digits and number words alike. */
export function numbersOf(words: Word[]): string[] {
  return words
    .map((word) => (/^\d/.test(word.text) ? String(Number(word.text)) : numberWords[word.text]))
    .filter((number): number is string => number !== undefined);
}

/** The negation words of a text, sorted. */
export function negationsOf(words: Word[]): string[] {
  return words
    .map((word) => word.text)
    .filter((text) => negationWords.has(text))
    .sort();
}

const sameList = (left: string[], right: string[]) =>
  left.length === right.length && left.every((item, index) => item === right[index]);

/** Names written with a capital in either text, counted in both whatever their case: each text must name the same ones. */
function sameNames(left: Word[], right: Word[]): boolean {
  const names = new Set([...left, ...right].filter((word) => word.named).map((word) => word.text));
  const namesIn = (words: Word[]) =>
    words
      .map((word) => word.text)
      .filter((text) => names.has(text))
      .sort();
  return sameList(namesIn(left), namesIn(right));
}

/**
 * Two content words found once in each text, in one order in one and the other order in the other,
 * with a direction word between them in both: "celsius to fahrenheit" against "fahrenheit to celsius".
 */
function reversedAroundDirection(left: Word[], right: Word[]): boolean {
  const onceIn = (words: Word[]) => {
    const counts = new Map<string, number>();
    for (const word of words) counts.set(word.text, (counts.get(word.text) ?? 0) + 1);
    return counts;
  };
  const leftCounts = onceIn(left);
  const rightCounts = onceIn(right);
  const shared = [...leftCounts.keys()].filter(
    (text) =>
      leftCounts.get(text) === 1 && rightCounts.get(text) === 1 && !stopWords.has(text) && !directionWords.has(text),
  );
  const position = (words: Word[], text: string) => words.findIndex((word) => word.text === text);
  const directionBetween = (words: Word[], from: number, to: number) =>
    words.slice(Math.min(from, to) + 1, Math.max(from, to)).some((word) => directionWords.has(word.text));
  for (let first = 0; first < shared.length; first++) {
    for (let second = first + 1; second < shared.length; second++) {
      const [a, b] = [shared[first]!, shared[second]!];
      const [leftA, leftB, rightA, rightB] = [
        position(left, a),
        position(left, b),
        position(right, a),
        position(right, b),
      ];
      if (
        leftA < leftB !== rightA < rightB &&
        directionBetween(left, leftA, leftB) &&
        directionBetween(right, rightA, rightB)
      )
        return true;
    }
  }
  return false;
}

/** Why two texts similar by meaning must still not share an answer; undefined when none. */
export type GuardRefusal = 'numbers' | 'negations' | 'names' | 'direction';

/**
 * The guards of a semantic hit: the same numbers in the same order, the same negation words, the
 * same names (words written with a capital), and no pair of words swapped across a direction word.
 */
export function guardRefusal(stored: string, asked: string): GuardRefusal | undefined {
  const [left, right] = [wordsOf(stored), wordsOf(asked)];
  if (!sameList(numbersOf(left), numbersOf(right))) return 'numbers';
  if (!sameList(negationsOf(left), negationsOf(right))) return 'negations';
  if (!sameNames(left, right)) return 'names';
  if (reversedAroundDirection(left, right)) return 'direction';
  return undefined;
}
