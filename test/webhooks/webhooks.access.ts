import type { AccessCase, AccessContext } from '../access/access-case.js';

/**
 * The webhook endpoint routes (`@OwnerOrAdmin('webhook endpoint')`). Another user's endpoint
 * answers 404, as a missing one does; the list is always the caller's own; admins reach every
 * endpoint by id. The URL is public and https, so it passes the rules in any environment
 * (a host name is not resolved at registration).
 */
const byOwner = (status: number) => ({ anonymous: 401, other: 404, owner: status, admin: status });
const own = (status: number) => ({ anonymous: 401, other: status, owner: status, admin: status });

/** A fresh endpoint of the context's owner, made through the API with the owner's token. */
async function ownersEndpoint({ baseUrl, owner }: AccessContext): Promise<string> {
  const res = await fetch(`${baseUrl}/v1/webhooks/endpoints`, {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'https://hooks.example.com/matrix', description: 'access matrix' }),
  });
  if (res.status !== 201) throw new Error(`POST /v1/webhooks/endpoints answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export const accessCases: AccessCase[] = [
  {
    route: 'POST /v1/webhooks/endpoints',
    request: async () => ({
      path: '/v1/webhooks/endpoints',
      body: { url: 'https://hooks.example.com/matrix', description: 'access matrix' },
    }),
    expect: own(201),
  },
  {
    route: 'GET /v1/webhooks/endpoints',
    request: async () => ({ path: '/v1/webhooks/endpoints' }),
    expect: own(200),
  },
  {
    route: 'GET /v1/webhooks/endpoints/:id',
    request: async (context) => ({ path: `/v1/webhooks/endpoints/${await ownersEndpoint(context)}` }),
    expect: byOwner(200),
  },
  {
    route: 'POST /v1/webhooks/endpoints/:id/rotate-secret',
    request: async (context) => ({ path: `/v1/webhooks/endpoints/${await ownersEndpoint(context)}/rotate-secret` }),
    expect: byOwner(200),
  },
  {
    route: 'DELETE /v1/webhooks/endpoints/:id',
    request: async (context) => ({ path: `/v1/webhooks/endpoints/${await ownersEndpoint(context)}` }),
    expect: byOwner(204),
  },
];
