/**
 * A system that hands out a series' values itself (e.g. the national public-service portal's GetNextValue). It may
 * skip values; CQS records those as skipped so that every value stays accounted for.
 */
export interface UpstreamNumberSource {
  nextValue(request: { readonly seriesKey: string; readonly scopeKey: string; readonly periodKey: string; readonly date: string }): Promise<{ readonly value: number; readonly number?: string }>;
}

const sources = new Map<string, UpstreamNumberSource>();

/**
 * Wires the adapter that allocates a series upstream (done once at start-up by the code that owns the connection).
 * Until one is wired, administrators cannot switch that series to upstream allocation: receipts would fail.
 */
export function registerUpstreamSource(seriesKey: string, source: UpstreamNumberSource): void {
  sources.set(seriesKey, source);
}

export function upstreamSourceFor(seriesKey: string): UpstreamNumberSource | undefined {
  return sources.get(seriesKey);
}
