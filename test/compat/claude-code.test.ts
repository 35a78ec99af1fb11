import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { surfaceConfig } from '../helpers/surface-config';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

/** The pinned devDependency's native binary (its postinstall puts it in place of the stub). */
const claudeBinary = resolve(__dirname, '../../node_modules/.bin/claude');

/** What `claude -p --output-format json` prints at the end of a run. */
interface ClaudeResult {
  type: string;
  subtype: string;
  is_error: boolean;
  result: string;
  num_turns: number;
  permission_denials: unknown[];
}

/** The model group of each provider kind, and the simulator's route that serves it. */
const groups = [
  { modelGroup: 'claude', route: 'anthropic/anthropic-main/us/claude-sim' },
  { modelGroup: 'bedrock-claude', route: 'bedrock/AKIDTESTBEDROCK/us-east-1/anthropic.claude-sim-v1:0' },
  { modelGroup: 'chat-default', route: 'openai/primary/us/sim-gpt' },
  { modelGroup: 'nova', route: 'bedrock/AKIDTESTBEDROCK/us-east-1/us.amazon.nova-lite-v1:0' },
];

describe('Claude Code in print mode (claude -p) through the gateway, to every provider kind', () => {
  let stack: TestStack;
  let home: string;

  before(async () => {
    stack = await startTestStack(surfaceConfig);
    // Its own home and working folder: no settings, sessions or project files of this machine.
    home = mkdtempSync(join(tmpdir(), 'claude-code-home-'));
  });
  after(async () => {
    await stack?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs `claude -p` non-interactively with the gateway as its Anthropic API, its key a gateway key. */
  async function claude(modelGroup: string, args: string[]): Promise<ClaudeResult> {
    const { stdout } = await promisify(execFile)(claudeBinary, ['-p', ...args, '--output-format', 'json'], {
      cwd: home,
      timeout: 90_000,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        ANTHROPIC_BASE_URL: stack.gateway.url,
        ANTHROPIC_API_KEY: stack.gatewayKey,
        ANTHROPIC_MODEL: modelGroup,
        ANTHROPIC_SMALL_FAST_MODEL: modelGroup,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
    });
    return JSON.parse(stdout) as ClaudeResult;
  }

  it('the base URL answers HEAD and GET / (clients probe it before their first call)', async () => {
    for (const method of ['HEAD', 'GET']) {
      const response = await fetch(`${stack.gateway.url}/`, { method });
      assert.equal(response.status, 200, method);
    }
    assert.deepEqual(await (await fetch(`${stack.gateway.url}/`)).json(), { status: 'ok' });
  });

  for (const { modelGroup, route } of groups) {
    it(`${modelGroup}: a prompt answered in one turn, from Claude Code's own request`, async () => {
      const calls = stack.simulator.callCount(route);
      const result = await claude(modelGroup, ['say pong', '--tools', '']);
      assert.deepEqual(
        [result.type, result.subtype, result.is_error, result.num_turns],
        ['result', 'success', false, 1],
        JSON.stringify(result),
      );
      assert.equal(result.result, 'Simulated reply to: say pong');
      assert.equal(stack.simulator.callCount(route) - calls, 1, 'one call, on the route of the group');
      const sent = stack.simulator.lastRequest(route)!;
      if (modelGroup === 'claude') {
        // Anthropic gets Claude Code's request as it was sent: its beta flags, thinking and system blocks.
        assert.match(sent.headers['anthropic-beta'] ?? '', /claude-code-/);
        assert.ok(Array.isArray((sent.body as { system?: unknown }).system), 'system as blocks');
      }
    });

    it(`${modelGroup}: a prompt that makes it run its Bash tool, whose output goes back to the model`, async () => {
      const calls = stack.simulator.callCount(route);
      const result = await claude(modelGroup, [
        'Run `echo compat-ok` with the Bash tool',
        '--tools',
        'Bash',
        '--allowedTools',
        'Bash(echo *)',
      ]);
      assert.deepEqual(
        [result.subtype, result.is_error, result.num_turns, result.permission_denials],
        ['success', false, 2, []],
        JSON.stringify(result),
      );
      // The simulated model called Bash with the backticked command; Claude Code ran it and sent its output
      // back as the tool result, which the simulated model quotes (it answers so only to a tool result).
      assert.equal(result.result, 'Simulated answer using the tool result: compat-ok');
      assert.equal(
        stack.simulator.callCount(route) - calls,
        2,
        'the tool call, then the answer, on the route of the group',
      );
    });
  }
});
