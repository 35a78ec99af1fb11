import { z } from 'zod';

/**
 * An integer of the spec's int64 range (2^63 - 1 is 2^63 as a double): past 2^53 a JSON number is the
 * nearest double, which zod's `.int()` (safe integers only) would refuse.
 */
export const int64 = z
  .number()
  .min(-(2 ** 63))
  .max(2 ** 63)
  .refine(Number.isInteger, 'expected an integer');
