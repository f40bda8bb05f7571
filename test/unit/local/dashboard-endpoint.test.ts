import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDashboardEndpoint } from '#local/http/dashboard-endpoint.js';
import { close, listen } from '#local/http/listen.js';

describe('the dashboard endpoint', () => {
  let server: Server;
  let url: string;

  beforeEach(async () => {
    server = createDashboardEndpoint({
      api: { stats: () => ({ calls: { offered: 3 } }) },
      documents: {
        'charts/wait.svg': () => ({
          contentType: 'image/svg+xml',
          body: '<svg xmlns="http://www.w3.org/2000/svg"/>',
        }),
      },
      pulse: () => ({}),
    });
    url = `http://127.0.0.1:${await listen(server, 0, 'the dashboard', '--dashboard-port')}`;
  });

  afterEach(() => close(server));

  it('serves a document with its own media type beside the JSON routes, and lists both', async () => {
    // Act
    const chart = await fetch(`${url}/api/charts/wait.svg`);
    const stats = await fetch(`${url}/api/stats`);
    const index = (await (await fetch(`${url}/api`)).json()) as string[];

    // Assess
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/svg+xml');
    expect(await chart.text()).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(await stats.json()).toEqual({ calls: { offered: 3 } });
    expect(index).toEqual(['/api/stats', '/api/charts/wait.svg']);
  });

  it('answers an unknown chart with a 404 that says where the list is', async () => {
    // Act
    const res = await fetch(`${url}/api/charts/nope.svg`);

    // Assess
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toContain('GET /api lists them');
  });
});
