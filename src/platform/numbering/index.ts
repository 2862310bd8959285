export { type AllocatedNumber, type AllocationRequest, allocateNumber, periodKeyOf, type SeriesVersion, seriesInForce, type UpstreamNumberSource, type VoidRequest, voidNumber } from './allocate-number.ts';
export { type NumberParts, type ParsedNumber, parseNumber, renderNumber, templateProblems } from './template.ts';
export { registerUpstreamSource } from './upstream-sources.ts';
