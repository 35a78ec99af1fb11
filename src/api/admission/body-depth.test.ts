import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestingDepth } from './body-depth';

describe('nestingDepth', () => {
  it('counts arrays and objects, not scalars', () => {
    assert.equal(nestingDepth('text', 64), 0);
    assert.equal(nestingDepth({ a: 1 }, 64), 1);
    assert.equal(nestingDepth({ a: [{ b: [] }], c: 'x' }, 64), 4);
  });

  it('stops once past the limit, without recursion, however deep the value', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    assert.equal(nestingDepth(deep, 64), 65);
  });
});
