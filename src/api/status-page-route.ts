import express, { type Request, type Response, type Router } from 'express';
import { anyInferenceTypeClause } from '../workflows/inference-types';
import { gatewaySearchAttributes as attributes } from '../workflows/search-attributes';
import type { ApiDependencies } from './api-dependencies';
import { authenticateBrowserCaller, browserSignInRoutes, htmlPage } from './codec/browser-sign-in';
import { CodecSessions } from './codec/codec-sessions';
import { routeStatusViews, type RouteStatusView } from './route-status-view';

export const statusSessionCookie = 'gateway_status_session';

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const table = (headers: string[], rows: string[][]) =>
  `<table style="border-collapse: collapse; font-size: 0.9rem" border="1" cellpadding="4">
<thead><tr>${headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('')}</tr></thead>
<tbody>${rows.map((row) => `<tr>${row.join('')}</tr>`).join('\n')}</tbody></table>`;

const cell = (value: unknown, colour?: string) =>
  `<td${colour ? ` style="background: ${colour}"` : ''}>${escapeHtml(value)}</td>`;
const circuitColour = { closed: '#dff5df', 'half-open': '#fff3c4', open: '#ffd6d6' } as const;

function window({ used, limit }: RouteStatusView['windows']['requests']): string {
  return limit === null ? `${used}` : `${used} / ${limit}`;
}

function routeRows(views: RouteStatusView[]): string[][] {
  return views.map((view) => [
    cell(view.route),
    cell(view.model_groups.join(', ')),
    cell(
      `${view.circuit.state}${view.circuit.next_trial_at ? ` (trial at ${view.circuit.next_trial_at})` : ''}`,
      circuitColour[view.circuit.state],
    ),
    cell(view.circuit.consecutive_failures),
    cell(view.cool_down ? `${view.cool_down.scope} until ${view.cool_down.until}: ${view.cool_down.reason}` : '—'),
    cell(window(view.windows.requests)),
    cell(window(view.windows.tokens)),
    cell(view.latency_ewma_ms ?? '—'),
    cell(
      view.last_probe
        ? `${view.last_probe.ok ? 'ok' : (view.last_probe.skipped ?? view.last_probe.error_type)} at ${view.last_probe.at}`
        : '—',
    ),
    cell(
      Object.entries(view.recent_errors)
        .map(([type, count]) => `${type} ×${count}`)
        .join(', ') || '—',
    ),
  ]);
}

/**
 * `/status`: the routes at a glance (the same data as `GET /v1/routes`) and the last inferences
 * with links into the Temporal UI, server-rendered. Admin keys only: a browser signs in at
 * `/status/session` and gets a cookie for `/status`.
 */
export function statusPageRouter(dependencies: ApiDependencies): Router {
  const { client, getConfig, keyring, state, temporalUiUrl, temporalDeadlineMs = 5_000 } = dependencies;
  const sessions = new CodecSessions();
  const router = express.Router();
  router.use(
    browserSignInRoutes(keyring, sessions, {
      cookie: statusSessionCookie,
      path: '/status',
      title: 'Sign in to the route status',
      explanation:
        '<p>The route status is for admin gateway keys. The gateway keeps the key and gives this browser a cookie for <code>/status</code> only, for 8 hours.</p>',
      signedIn: htmlPage('Signed in', '<p><a href="../status">Open the route status</a>.</p>'),
    }),
  );
  router.use(authenticateBrowserCaller(keyring, sessions, statusSessionCookie));
  router.get('/', async (request: Request, response: Response) => {
    if (!request.keyOwner?.admin) {
      response
        .status(403)
        .type('html')
        .send(
          htmlPage(
            'Admin key needed',
            '<p>The route status needs an admin gateway key. <a href="status/session">Sign in</a>.</p>',
          ),
        );
      return;
    }
    const now = Date.now();
    const views = state ? await routeStatusViews(getConfig(), state, now) : [];
    const inferences: string[][] = [];
    await client
      .withDeadline(now + temporalDeadlineMs, async () => {
        for await (const execution of client.workflow.list({ query: anyInferenceTypeClause, pageSize: 20 })) {
          const id = escapeHtml(execution.workflowId);
          const link = temporalUiUrl
            ? `<a href="${escapeHtml(temporalUiUrl)}/namespaces/${escapeHtml(client.options.namespace)}/workflows/${id}">${id}</a>`
            : id;
          inferences.push([
            `<td>${link}</td>`,
            cell(execution.startTime.toISOString()),
            cell(execution.typedSearchAttributes.get(attributes.trafficClass) ?? ''),
            cell(execution.status.name.toLowerCase()),
            cell(execution.typedSearchAttributes.get(attributes.outcome) ?? ''),
            cell(
              [
                execution.typedSearchAttributes.get(attributes.provider),
                execution.typedSearchAttributes.get(attributes.model),
                execution.typedSearchAttributes.get(attributes.region),
              ]
                .filter(Boolean)
                .join(' / '),
            ),
            cell(execution.typedSearchAttributes.get(attributes.fallbacks) ?? ''),
          ]);
          if (inferences.length >= 20) break;
        }
      })
      .catch(() =>
        inferences.push([cell('Temporal did not answer in time: the inferences cannot be listed right now.')]),
      );
    response.type('html').send(
      htmlPage(
        'Gateway route status',
        `<p>As of ${escapeHtml(new Date(now).toISOString())}. The same data as JSON: <code>GET /v1/routes</code>.</p>
${state ? table(['route', 'model groups', 'circuit', 'failures in a row', 'cool-down', 'requests this minute', 'tokens this minute', 'latency EWMA ms', 'last probe', 'errors, last 15 min'], routeRows(views)) : '<p>No state store.</p>'}
<h2>Last inferences</h2>
${table(['inference', 'started', 'traffic class', 'status', 'outcome', 'provider / model / region', 'fallbacks'], inferences)}`,
        '90rem',
      ),
    );
  });
  return router;
}
