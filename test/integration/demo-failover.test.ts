import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

describe('npm run demo: failover on the default config', () => {
  it('walks the whole chain of chat-default as the providers break, and links a failover in the Temporal UI', () => {
    const { GATEWAY_CONFIG: _ignored, ...environment } = process.env;
    const run = spawnSync('npm', ['run', '--silent', 'demo', '--', '--exit'], {
      encoding: 'utf8',
      timeout: 240_000,
      env: environment,
    });
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout
      .split('\n')
      .filter((line) => /^\| \d+ \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    assert.equal(rows.length, 8, run.stdout);
    const servedBy = rows.map((row) => row[3]!.split(' ')[0]);
    assert.deepEqual(
      servedBy.slice(0, 3),
      Array(3).fill('anthropic/claude-sonnet-5-5'),
      'OpenAI down: the secondary on Anthropic serves',
    );
    assert.deepEqual(
      servedBy.slice(3, 6),
      Array(3).fill('bedrock/us.anthropic.claude-sonnet-5-5-v1:0'),
      'Anthropic down too: the tertiary on Bedrock serves',
    );
    assert.deepEqual(
      servedBy.slice(6),
      Array(2).fill('bedrock/amazon.nova-lite-v1:0'),
      'background traffic falls back to the cheaper group',
    );
    assert.equal(rows[0]![5], 'true', 'the first request failed over');
    assert.match(
      run.stdout,
      /A failover in the Temporal UI: http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/inf-/,
    );
  });
});
