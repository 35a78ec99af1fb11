import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messagesBodySchema } from './messages-schema';
import { describeZodError } from '../zod-error-message';

const body = (extra: Record<string, unknown>) => ({
  model: 'claude',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('the Messages fields sent as headers', () => {
  it('takes a workspace_id and a user_profile_id of visible ASCII', () => {
    assert.equal(
      messagesBodySchema.safeParse(body({ workspace_id: 'wrkspc_01AbC', user_profile_id: 'uprof-7' })).success,
      true,
    );
  });

  it('refuses one a header cannot carry with 400 naming the field, rather than failing the provider call', () => {
    for (const [field, value] of [
      ['workspace_id', 'wrkspc é'],
      ['user_profile_id', 'a\nb'],
      ['workspace_id', ''],
    ] as const) {
      const parsed = messagesBodySchema.safeParse(body({ [field]: value }));
      assert.equal(parsed.success, false, `${field}: ${JSON.stringify(value)}`);
      assert.equal(describeZodError(parsed.error!).param, field);
    }
  });
});
