import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import OpenAI from 'openai';
import { removeDataDirectories, startGatewayProcess, started } from '../helpers/gateway-process';

describe('the compiled production build', () => {
  after(removeDataDirectories);

  it('npm run build compiles src to dist/, and plain node serves an inference from it', async () => {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { encoding: 'utf8', timeout: 240_000 });
    assert.equal(build.status, 0, `${build.stdout}${build.stderr}`);
    assert.doesNotMatch(readFileSync('dist/main.js', 'utf8'), /require\("tsx/, 'the build does not load tsx');
    // No --import tsx: a TypeScript file reached at run time would fail to load.
    const gateway = await startGatewayProcess({
      args: ['dist/main.js'],
      environment: { GATEWAY_DEV_KEY: 'gw-dev-compiled' },
    });
    try {
      await started(gateway);
      const openai = new OpenAI({ apiKey: 'gw-dev-compiled', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const completion = await openai.chat.completions.create({
        model: 'chat-default',
        messages: [{ role: 'user', content: 'compiled' }],
      });
      assert.equal(completion.choices[0]?.message.content, 'Simulated reply to: compiled');
    } finally {
      gateway.child.kill('SIGTERM');
      assert.equal(await gateway.exit, 0, gateway.output());
    }
  });
});
