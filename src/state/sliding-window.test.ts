import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SlidingWindow } from './sliding-window';

describe('SlidingWindow', () => {
  it('counts and sums the reservations within its length, dropping older ones on prune', () => {
    const window = new SlidingWindow(60_000);
    window.add({ id: 'a', at: 1_000, tokens: 10 });
    window.add({ id: 'b', at: 2_000, tokens: 20 });
    window.add({ id: 'c', at: 30_000, tokens: 5 });
    assert.deepEqual([window.count, window.tokens, window.oldestAt], [3, 35, 1_000]);
    // Exactly a minute after `a`: it is out, as the filter `at > now - 60 s` had it.
    window.prune(61_000);
    assert.deepEqual([window.count, window.tokens, window.oldestAt], [2, 25, 2_000]);
    window.prune(90_000);
    assert.deepEqual([window.count, window.tokens, window.oldestAt], [0, 0, undefined]);
  });

  it('keeps time order when a reservation comes with an earlier clock than the last', () => {
    const window = new SlidingWindow(60_000);
    window.add({ id: 'late', at: 5_000, tokens: 1 });
    window.add({ id: 'early', at: 4_000, tokens: 2 });
    assert.equal(window.oldestAt, 4_000);
    window.prune(64_000);
    assert.deepEqual([window.count, window.tokens, window.oldestAt], [1, 1, 5_000]);
  });

  it('changes a reservation’s tokens in the sum, and ignores ids no longer in the window', () => {
    const window = new SlidingWindow(60_000);
    window.add({ id: 'a', at: 0, tokens: 100 });
    window.add({ id: 'b', at: 10_000, tokens: 50 });
    window.setTokens('a', 30);
    assert.equal(window.tokens, 80);
    window.setTokens(undefined, 999);
    window.setTokens('unknown', 999);
    assert.equal(window.tokens, 80);
    window.prune(60_000);
    window.setTokens('a', 999);
    assert.deepEqual([window.count, window.tokens], [1, 50]);
  });

  it('stays exact over many reservations (pruned fronts compacted)', () => {
    const window = new SlidingWindow(1_000);
    let expectedTokens = 0;
    const kept: Array<{ at: number; tokens: number }> = [];
    for (let at = 0; at < 20_000; at++) {
      const tokens = at % 7;
      window.add({ id: `r${at}`, at, tokens });
      kept.push({ at, tokens });
      expectedTokens += tokens;
      if (at % 97 === 0) {
        window.prune(at);
        while (kept.length > 0 && kept[0]!.at <= at - 1_000) expectedTokens -= kept.shift()!.tokens;
        assert.deepEqual([window.count, window.tokens, window.oldestAt], [kept.length, expectedTokens, kept[0]?.at]);
      }
    }
  });
});
