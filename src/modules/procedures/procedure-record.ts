import type { OnlineLevel, ProcessingUnit } from '../../platform/db/schema.ts';

export type Level = 'ministry' | 'province' | 'commune' | 'other';
export type Channel = 'counter' | 'online' | 'postal';

export interface ProcessingTime {
  readonly raw: string;
  readonly value: number | null;
  readonly unit: ProcessingUnit | null;
}

export interface Fee {
  readonly label: string;
  readonly amountVnd: number | null;
}

export interface RequiredDocument {
  readonly group: string | null;
  readonly name: string;
  readonly copies: number | null;
  readonly copyType: string | null;
}

export interface ChannelDetail {
  readonly channel: Channel | null;
  readonly channelRaw: string;
  readonly processingTime: ProcessingTime;
  readonly feeRaw: string;
  readonly description: string | null;
}

/** One procedure as published by a catalogue decision: the content of a procedure version. */
export interface ProcedureRecord {
  readonly nationalCode: string;
  readonly name: string;
  readonly sector: string;
  readonly ministry: string | null;
  readonly procedureType: string | null;
  readonly decisionRef: string | null;
  readonly levels: readonly Level[];
  readonly channels: readonly Channel[];
  readonly onlineLevel: OnlineLevel;
  readonly processingTime: ProcessingTime;
  readonly fees: readonly Fee[];
  readonly feeRaw: string;
  readonly documents: readonly RequiredDocument[];
  readonly channelDetails: readonly ChannelDetail[];
  readonly steps: string | null;
  readonly requirements: string | null;
  readonly result: string | null;
  readonly legalBasis: readonly { title: string; number: string }[];
  readonly applicants: string | null;
  readonly implementingAgency: string | null;
  readonly decidingAgency: string | null;
  readonly sourceUrl: string | null;
  readonly detailLevel: 'summary' | 'detailed';
}

export interface RejectedRow {
  readonly row: number;
  readonly code: string | null;
  readonly reasons: readonly string[];
}

export interface ParseResult {
  readonly records: ProcedureRecord[];
  readonly rejects: RejectedRow[];
}
