import { Type } from 'typebox';

/** A calendar date YYYY-MM-DD (a real one: 2025-02-30 fails), read in Asia/Ho_Chi_Minh. */
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD, Asia/Ho_Chi_Minh' });

export const Uuid = Type.String({ format: 'uuid' });
