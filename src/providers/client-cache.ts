/**
 * Keeps one SDK client per distinct set of connection settings (provider, account, region, base
 * URL, key, timeout), so connections are reused across calls and a rotated key gets a new client.
 */
export function createClientCache<Client>() {
  const clients = new Map<string, Client>();
  return (settings: Array<string | number>, create: () => Client): Client => {
    const key = settings.join('\u0000');
    let client = clients.get(key);
    if (!client) {
      client = create();
      clients.set(key, client);
    }
    return client;
  };
}
