import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { MemoryStreamChannel } from '../../src/streaming/memory-stream-channel';
import { RedisStreamChannel } from '../../src/streaming/redis-stream-channel';
import type { StreamChannel, StreamMessage, StreamSubscription } from '../../src/streaming/stream-channel';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

// One contract, two channels: the in-process one and Redis pub/sub (a real redis-server on a free
// loopback port). Every test runs against both.
const route = { provider: 'openai', providerKind: 'openai' as const, model: 'gpt', account: 'a1', region: 'us' };
const reset = (attempt: string): StreamMessage => ({ type: 'reset', attempt, route });
const text = (attempt: string, value: string): StreamMessage => ({
  type: 'event',
  attempt,
  event: { type: 'text', text: value },
});

/** The next message, or undefined when none arrives within the wait. */
async function nextWithin(subscription: StreamSubscription, milliseconds = 150): Promise<StreamMessage | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), milliseconds)));
  try {
    return await Promise.race([subscription.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function contract(name: string, channel: () => Promise<StreamChannel>) {
  describe(name, () => {
    it('delivers every message published after subscribing, in order, resets included', async () => {
      const streams = await channel();
      const id = `inf-${randomUUID()}`;
      await streams.publish(id, text('a/1', 'lost: nobody listens yet'));
      const subscription = await streams.subscribe(id);
      const sent: StreamMessage[] = [
        reset('a/1'),
        text('a/1', 'Hel'),
        reset('a/2'),
        text('a/2', 'Hello'),
        {
          type: 'event',
          attempt: 'a/2',
          event: { type: 'tool_call_start', index: 0, id: 'call_1', name: 'get_weather' },
        },
        {
          type: 'event',
          attempt: 'a/2',
          event: { type: 'usage', usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } },
        },
        { type: 'done', attempt: 'a/2' },
      ];
      for (const message of sent) await streams.publish(id, message);
      const received: StreamMessage[] = [];
      for (let index = 0; index < sent.length; index++) received.push(await subscription.next());
      assert.deepEqual(received, sent);
      assert.equal(await nextWithin(subscription), undefined, 'the message published before subscribing never arrives');
      await subscription.close();
    });

    it('keeps inferences apart and serves every subscriber of one', async () => {
      const streams = await channel();
      const [one, two] = [`inf-${randomUUID()}`, `inf-${randomUUID()}`];
      const first = await streams.subscribe(one);
      const second = await streams.subscribe(one);
      const other = await streams.subscribe(two);
      await streams.publish(one, text('x/1', 'for one'));
      assert.deepEqual(await first.next(), text('x/1', 'for one'));
      assert.deepEqual(await second.next(), text('x/1', 'for one'));
      assert.equal(await nextWithin(other), undefined);
      await Promise.all([first.close(), second.close(), other.close()]);
    });

    it('stops delivering after close', async () => {
      const streams = await channel();
      const id = `inf-${randomUUID()}`;
      const subscription = await streams.subscribe(id);
      await subscription.close();
      await streams.publish(id, text('y/1', 'too late'));
      assert.equal(await nextWithin(subscription), undefined);
    });

    it('broadcasts a cancellation to every watcher, by inference id', async () => {
      const streams = await channel();
      const heard: string[] = [];
      await streams.watchCancels((inferenceId) => heard.push(inferenceId));
      const id = `inf-${randomUUID()}`;
      await streams.publishCancel(id);
      for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(heard, [id]);
    });

    it('keeps delivering while many inferences subscribe and close at once', async () => {
      // The churn of 10 concurrent inferences, each subscribing for its call and closing after it.
      const streams = await channel();
      for (let wave = 0; wave < 30; wave++) {
        await Promise.all(
          Array.from({ length: 10 }, async () => {
            const id = `inf-${randomUUID()}`;
            const subscription = await streams.subscribe(id);
            await streams.publish(id, reset('c/1'));
            assert.deepEqual(await nextWithin(subscription, 2_000), reset('c/1'));
            await subscription.close();
          }),
        );
      }
    });
  });
}

contract('MemoryStreamChannel', async () => new MemoryStreamChannel());

describe('with Redis', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const channels: StreamChannel[] = [];
  before(async () => {
    redis = await startTestRedis();
  });
  after(async () => {
    for (const channel of channels) await channel.close();
    for (const client of clients) client.disconnect();
    await redis?.stop();
  });
  const connect = () => {
    const client = new Redis(redis.url);
    clients.push(client);
    return client;
  };

  contract('RedisStreamChannel', async () => {
    const channel = new RedisStreamChannel(connect(), `test-${randomUUID()}:`);
    channels.push(channel);
    return channel;
  });

  it("carries messages between two processes' channels (separate connections), and unsubscribes on close", async () => {
    const prefix = `test-${randomUUID()}:`;
    const worker = new RedisStreamChannel(connect(), prefix);
    const api = new RedisStreamChannel(connect(), prefix);
    channels.push(worker, api);
    const id = `inf-${randomUUID()}`;
    const subscription = await api.subscribe(id);
    await worker.publish(id, reset('w/1'));
    await worker.publish(id, { type: 'done', attempt: 'w/1' });
    assert.deepEqual(await subscription.next(), reset('w/1'));
    assert.deepEqual(await subscription.next(), { type: 'done', attempt: 'w/1' });
    const probe = connect();
    assert.deepEqual(await probe.pubsub('NUMSUB', `${prefix}stream:${id}`), [`${prefix}stream:${id}`, 1]);
    await subscription.close();
    assert.deepEqual(await probe.pubsub('NUMSUB', `${prefix}stream:${id}`), [`${prefix}stream:${id}`, 0]);
  });

  describe('an inference streamed end to end through Redis', () => {
    let stack: TestStack;
    let spy: Redis;
    const seen: StreamMessage[] = [];
    const prefix = `test-${randomUUID()}:`;

    before(async () => {
      spy = connect();
      await spy.psubscribe(`${prefix}stream:*`);
      spy.on('pmessage', (_pattern: string, _channel: string, message: string) =>
        seen.push(JSON.parse(message) as StreamMessage),
      );
      const streams = new RedisStreamChannel(connect(), prefix);
      channels.push(streams);
      stack = await startTestStack(undefined, undefined, undefined, undefined, streams);
    });
    after(async () => stack?.stop());

    it('streams to the OpenAI SDK with every token published on Redis, a retry before the first token invisible', async () => {
      stack.simulator.setFaults([
        { match: { provider: 'anthropic' }, error: 'overloaded', times: 1, retryAfterSeconds: 0 },
      ]);
      const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
      const stream = await openai.chat.completions.create({
        model: 'claude',
        messages: [{ role: 'user', content: 'through redis' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = '';
      let finishReason: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta.content ?? '';
        finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
        usage = chunk.usage ?? usage;
      }
      assert.equal(content, 'Simulated reply to: through redis');
      assert.equal(finishReason, 'stop');
      assert.ok((usage?.completion_tokens ?? 0) > 0);
      assert.equal(
        stack.simulator.callCount('anthropic/'),
        2,
        'the first call failed before any token, the retry answered',
      );

      // The spy is a separate subscriber: give its copy of the last message a moment to land.
      for (let tries = 0; tries < 40 && !seen.some((message) => message.type === 'done'); tries++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const resets = seen.filter((message) => message.type === 'reset');
      assert.equal(resets.length, 2, 'each try began with a reset on Redis');
      const published = seen
        .filter((message) => message.type === 'event' && message.attempt === resets[1]?.attempt)
        .map((message) => (message.type === 'event' && message.event.type === 'text' ? message.event.text : ''))
        .join('');
      assert.equal(published, content, 'the text the client got is the text that crossed Redis');
      assert.ok(seen.some((message) => message.type === 'done'));
    });
  });
});
