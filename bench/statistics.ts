/** Nearest-rank percentile (0–100) of unsorted numbers; NaN for none. */
export function percentile(values: number[], rank: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: number[]) => percentile(values, 50);

export const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** Least-squares slope of y over x; NaN with fewer than two points. */
export function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return Number.NaN;
  const meanX = sum(points.map((point) => point.x)) / points.length;
  const meanY = sum(points.map((point) => point.y)) / points.length;
  const covariance = sum(points.map((point) => (point.x - meanX) * (point.y - meanY)));
  const variance = sum(points.map((point) => (point.x - meanX) ** 2));
  return covariance / variance;
}
