// The working rhythm of the demo sites: weekdays, public holidays (date-holidays), the Danish
// school holidays, Christmas, and the hours offices are open, on days counted in UTC.
import Holidays from 'date-holidays';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The two countries of the demo sites: Randers in Denmark, Redbridge and Ilford in England. */
export type Country = 'dk' | 'gb';

/** How much of a weekday's work a kind of service does on a given day. */
export type DayKind = 'weekday' | 'weekend' | 'holiday' | 'christmas' | 'school-holiday';

const holidaysOf: Record<Country, () => Holidays> = {
  dk: () => new Holidays('DK'),
  gb: () => new Holidays('GB', 'ENG'),
};

/** `YYYY-MM-DD` of a UTC day. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The ISO 8601 week number of a UTC day: the week of its Thursday. */
export function isoWeek(day: Date): number {
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * DAY_MS);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.ceil(((thursday.getTime() - yearStart) / DAY_MS + 1) / 7);
}

/** The calendar of one country over some years: its public holidays and Denmark's school breaks. */
export class SiteCalendar {
  private readonly publicHolidays = new Set<string>();

  constructor(
    readonly country: Country,
    years: readonly number[],
  ) {
    const holidays = holidaysOf[country]();
    for (const year of years)
      for (const holiday of holidays.getHolidays(year))
        if (holiday.type === 'public') this.publicHolidays.add(holiday.date.slice(0, 10));
  }

  kindOf(day: Date): DayKind {
    const month = day.getUTCMonth() + 1;
    const date = day.getUTCDate();
    if ((month === 12 && date >= 24) || (month === 1 && date === 1)) return 'christmas';
    if (this.publicHolidays.has(dayOf(day))) return 'holiday';
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) return 'weekend';
    if (this.isSchoolHoliday(day)) return 'school-holiday';
    return 'weekday';
  }

  /**
   * Danish school breaks, roughly as Randers keeps them: winter (week 7), the summer holiday
   * (the last days of June to the second week of August), autumn (week 42) and Christmas.
   * English schools' breaks are not modelled: no English school is in the demo directory.
   */
  private isSchoolHoliday(day: Date): boolean {
    if (this.country !== 'dk') return false;
    const month = day.getUTCMonth() + 1;
    const date = day.getUTCDate();
    const week = isoWeek(day);
    return (
      week === 7 ||
      week === 42 ||
      (month === 6 && date >= 27) ||
      month === 7 ||
      (month === 8 && date <= 9) ||
      (month === 12 && date >= 21) ||
      (month === 1 && date <= 2)
    );
  }
}

/** The first hour (UTC) and length in hours of a working day, by country (local 08:00-16:00). */
export const OFFICE_HOURS: Record<Country, { opens: number; hours: number }> = {
  dk: { opens: 7, hours: 8 },
  gb: { opens: 8, hours: 8.5 },
};
