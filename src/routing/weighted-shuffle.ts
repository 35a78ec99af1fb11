/**
 * Orders items by weighted random sampling without replacement (Efraimidis–Spirakis): an item
 * with twice the weight is twice as likely to come first. `random` is injectable for tests.
 */
export function weightedShuffle<T>(items: T[], weightOf: (item: T) => number, random: () => number = Math.random): T[] {
  return items
    .map((item) => ({ item, key: Math.pow(random(), 1 / Math.max(weightOf(item), Number.EPSILON)) }))
    .sort((left, right) => right.key - left.key)
    .map(({ item }) => item);
}
