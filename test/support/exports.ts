import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/platform/http/server.ts';
import { authHeaders, type Session } from './test-app.ts';

/**
 * Asks for the dossier register of [from, to] through the API as `who`, runs the queued exports as the server's
 * runner would, and downloads the file: the answer of the request when it was refused, else the download's.
 */
export async function exportRegister(app: App, who: Session, from: string, to: string): Promise<LightMyRequestResponse> {
  const asked = await app.inject({ method: 'POST', url: '/api/v1/dossier-register/exports', payload: { from, to }, headers: authHeaders(who) });
  if (asked.statusCode !== 202) return asked;
  await app.exports.runPending();
  return app.inject({ method: 'GET', url: `${asked.headers.location}/file`, headers: authHeaders(who) });
}
