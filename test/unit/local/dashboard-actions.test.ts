import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardEndpoint, RefusedBody } from '#local/http/dashboard-endpoint.js';
import { close, listen } from '#local/http/listen.js';

describe('the dashboard endpoint actions (POST with a JSON body)', () => {
  let server: Server;
  let url: string;
  const received: unknown[] = [];

  beforeEach(async () => {
    received.length = 0;
    server = createDashboardEndpoint({
      api: { stats: () => ({ calls: 3 }) },
      actions: {
        echo: async (body) => {
          received.push(body);
          const from = (body as { from?: unknown }).from;
          if (typeof from !== 'string') throw new RefusedBody('from: a phone number is required');
          return { heard: from };
        },
      },
      maxBodyBytes: 64,
      pulse: () => ({}),
    });
    url = `http://127.0.0.1:${await listen(server, 0, 'the dashboard', '--dashboard-port')}`;
  });

  afterEach(() => close(server));

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method: 'POST', body, headers });
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  it('passes the parsed body to the action and answers what it returns, whatever the content type says', async () => {
    // Act: curl -d sends form encoding unless told otherwise; the body is still JSON.
    const res = await post('/api/echo', '{"from":"+48601234567"}', {
      'content-type': 'application/x-www-form-urlencoded',
    });

    // Assess
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ heard: '+48601234567' });
    expect(received).toEqual([{ from: '+48601234567' }]);
  });

  it('answers 400 with the reason for a body that is not JSON, an empty one, or one the action refuses', async () => {
    // Act
    const notJson = await post('/api/echo', '{from: 1');
    const empty = await post('/api/echo', '');
    const refused = await post('/api/echo', '{"to":"+48601234567"}');

    // Assess
    expect(notJson.status).toBe(400);
    expect(await errorOf(notJson)).toMatch(/^the body is not JSON \(/);
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toBe('the body is empty: send a JSON object');
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toBe('from: a phone number is required');
    expect(received).toEqual([{ to: '+48601234567' }]);
  });

  it('refuses a body over the cap with 413 without calling the action', async () => {
    // Act
    const res = await post('/api/echo', JSON.stringify({ from: 'x'.repeat(100) }));

    // Assess
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toBe('the body is larger than 64 bytes');
    expect(received).toEqual([]);
  });

  it('answers 405 to a GET of an action and to a POST of a read-only resource, saying which method to use', async () => {
    // Act
    const getAction = await fetch(`${url}/api/echo`);
    const postResource = await post('/api/stats', '{}');
    const stats = await fetch(`${url}/api/stats`);

    // Assess
    expect(getAction.status).toBe(405);
    expect(getAction.headers.get('allow')).toBe('POST');
    expect(await errorOf(getAction)).toBe('/api/echo takes a JSON body by POST');
    expect(postResource.status).toBe(405);
    expect(postResource.headers.get('allow')).toBe('GET');
    expect(await errorOf(postResource)).toBe('/api/stats is read-only: use GET (POST takes /api/echo)');
    expect(await stats.json()).toEqual({ calls: 3 });
  });
});
