import { type Static, Type } from 'typebox';
import { IsoDate } from '../http/common-schemas.ts';

export const ExceptionKind = Type.Union([Type.Literal('day_off'), Type.Literal('working_day')]);

export const NewCalendarException = Type.Object(
  {
    date: IsoDate,
    kind: ExceptionKind,
    reason: Type.String({ minLength: 3, maxLength: 300 }),
    decisionRef: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type NewCalendarException = Static<typeof NewCalendarException>;

export const CalendarExceptionView = Type.Object({
  id: Type.String(),
  date: Type.String(),
  kind: ExceptionKind,
  reason: Type.String(),
  decisionRef: Type.Union([Type.String(), Type.Null()]),
});

export const YearParams = Type.Object({ year: Type.Integer({ minimum: 1990, maximum: 2060 }) });

export const CalendarYearView = Type.Object({
  year: Type.Integer(),
  daysOff: Type.Array(Type.Object({ date: Type.String(), name: Type.String() })),
  exceptions: Type.Array(CalendarExceptionView),
  workingDays: Type.Integer(),
});

export const DueDateQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'ISO 8601 instant, e.g. 2026-02-13T09:00:00+07:00' }),
    workingDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    workingHours: Type.Optional(Type.Number({ minimum: 0, maximum: 10000 })),
  },
  { additionalProperties: false },
);

export const DueDateView = Type.Object({ from: Type.String(), due: Type.String(), dueLocal: Type.String() });
