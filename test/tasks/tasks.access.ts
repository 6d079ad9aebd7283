import type { AccessCase, AccessContext } from '../access/access-case.js';

/**
 * The tasks routes. A task belongs to whoever submitted it: another user gets 404 for it
 * (exactly as for a missing task), admins reach every task. Any signed-in user may submit
 * (`tasks.echo` is open to users) and list (their own tasks).
 */

/** A task of the row's owner that waits a minute before it runs, so it is still queued when called. */
async function ownersTask({ baseUrl, owner }: AccessContext): Promise<string> {
  const res = await fetch(`${baseUrl}/v1/tasks`, {
    method: 'POST',
    headers: { ...owner.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'tasks.echo', payload: { message: 'access matrix' }, delayMs: 60_000 }),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/tasks as the owner answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

export const accessCases: AccessCase[] = [
  {
    route: 'POST /v1/tasks',
    request: async () => ({
      path: '/v1/tasks',
      body: { type: 'tasks.echo', payload: { message: 'access matrix' }, delayMs: 60_000 },
    }),
    expect: { anonymous: 401, other: 202, owner: 202, admin: 202 },
  },
  {
    route: 'GET /v1/tasks',
    request: async () => ({ path: '/v1/tasks' }),
    expect: { anonymous: 401, other: 200, owner: 200, admin: 200 },
  },
  {
    route: 'GET /v1/tasks/:id',
    request: async (context) => ({ path: `/v1/tasks/${await ownersTask(context)}` }),
    expect: { anonymous: 401, other: 404, owner: 200, admin: 200 },
  },
  {
    route: 'POST /v1/tasks/:id/cancel',
    request: async (context) => ({ path: `/v1/tasks/${await ownersTask(context)}/cancel` }),
    expect: { anonymous: 401, other: 404, owner: 200, admin: 200 },
  },
];
