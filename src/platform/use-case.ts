import type { CalendarStore } from './calendar/calendar-store.ts';
import type { WorkingCalendar } from './calendar/working-calendar.ts';
import type { Clock } from './time.ts';

/**
 * What a use case runs on besides its input: the instant it happens and the working calendar it is timed on. Routes
 * take it from the app's clock (`useCaseContext`), tests from a fixed or moving one, so no use case reads the system
 * time itself and a test can move time without rewriting rows.
 */
export interface UseCaseContext {
  readonly calendar: WorkingCalendar;
  readonly now: Date;
}

/** For use cases that need the instant only (no working-day arithmetic). */
export type InstantContext = Pick<UseCaseContext, 'now'>;

/** The context of a use case starting now on the app's clock and calendar. */
export async function useCaseContext(services: { readonly calendar: CalendarStore; readonly clock: Clock }): Promise<UseCaseContext> {
  return { calendar: await services.calendar.get(), now: services.clock.now() };
}
