import { formatMoney } from '@vitrine/pricing';

/** The admin pages are English: money reads "€1,234.50" (the pricing lib's formatter). */
export const ADMIN_MONEY_LOCALE = 'en-GB';

/** An amount in minor units as the admin pages show it. */
export function adminMoney(amountMinor: number, currency: string): string {
  return formatMoney(amountMinor, currency, ADMIN_MONEY_LOCALE);
}
