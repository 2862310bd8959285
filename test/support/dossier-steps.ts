import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/platform/http/server.ts';
import { authHeaders, type Session } from './test-app.ts';

export const act = (app: App, id: string, action: string, version: number, s: Session, payload: Record<string, unknown> = {}) =>
  app.inject({ method: 'POST', url: `/api/v1/dossiers/${id}/actions/${action}`, headers: { ...authHeaders(s), 'if-match': `"${version}"` }, payload });

/** Takes a dossier in processing through the default workflow: the reviewer hands it on, the leader decides. */
export async function decideThroughSteps(app: App, id: string, version: number, reviewer: Session, leader: Session, payload: Record<string, unknown> = {}): Promise<LightMyRequestResponse> {
  const forwarded = await act(app, id, 'forward', version, reviewer);
  if (forwarded.statusCode !== 200) throw new Error(`forward: ${forwarded.statusCode} ${forwarded.body}`);
  return act(app, id, 'decide', forwarded.json().rowVersion, leader, { ...PAPER_RESULT, ...payload });
}

/** What a decision carries when no signed PDF is attached: the paper result issued, by number and date. */
export const PAPER_RESULT = { resultNumber: '15/QĐ-STP', resultIssuedOn: '2026-01-05' } as const;
