import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a full page; preact escapes every interpolated value, so user text cannot inject markup. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
