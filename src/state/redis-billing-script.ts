// One inference's bill as one Lua script, so that a crash never leaves it half written: a marker
// per inference (SET NX), then, the first time only, the spend settled at its cost in every budget
// period and the usage added; a repeat only releases the repeat's spend reservation.
//
// KEYS: marker, the periods' spend keys, then (with usage) the period's tenant set and usage hash.
// ARGV: marker TTL (ms), period count, reservation id ('' for none), cost, each period's TTL (ms),
//       '1' with usage ('0' without), tenant, usage TTL (s), then usage field and amount pairs.
export const billInferenceScript = `
local periods = tonumber(ARGV[2])
local first = redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1])
local id = ARGV[3]
for index = 1, periods do
  local key = KEYS[1 + index]
  if id ~= '' then
    redis.call('ZREM', key .. ':res', id)
    redis.call('HDEL', key .. ':amt', id)
  end
  if first then
    redis.call('HINCRBYFLOAT', key, 'committed', ARGV[4])
    redis.call('PEXPIRE', key, ARGV[4 + index])
  end
end
local usage = 5 + periods
if first and ARGV[usage] == '1' then
  local tenants, hash, ttl = KEYS[2 + periods], KEYS[3 + periods], ARGV[usage + 2]
  redis.call('SADD', tenants, ARGV[usage + 1])
  redis.call('EXPIRE', tenants, ttl)
  for index = usage + 3, #ARGV, 2 do redis.call('HINCRBYFLOAT', hash, ARGV[index], ARGV[index + 1]) end
  redis.call('EXPIRE', hash, ttl)
end
if first then return 1 end
return 0
`;
