export { CalendarStore } from './calendar-store.ts';
export { DEFAULT_WORKING_HOURS, loadBundledCalendarData } from './load-calendar-data.ts';
export type { CalendarData, CalendarException, DayOff, OfficeWindow } from './types.ts';
export { WorkingCalendar } from './working-calendar.ts';
