import { VitrineError } from '@vitrine/errors';
import { formatDecimal, type MoneyType } from '@vitrine/pricing';
import type { TenantContext } from '@vitrine/tenancy';

/**
 * Money for the API. For a user who may not see prices every money field is refused
 * (FORBIDDEN) — the contract makes most of them non-null, so they cannot be null — while
 * lines, SKUs and quantities stay readable.
 */
export function moneyView(ctx: TenantContext, currency: string): (minor: number) => MoneyType {
  const hidden = !!ctx.user && !ctx.user.canSeePrices;
  return (minor) => (hidden ? hiddenMoney() : { amount: formatDecimal(minor, currency), currency });
}

function hiddenMoney(): MoneyType {
  const refuse = (): never => {
    throw new VitrineError('FORBIDDEN', 'Prices are hidden for your account.');
  };
  return Object.defineProperties({} as MoneyType, {
    amount: { get: refuse, enumerable: true },
    currency: { get: refuse, enumerable: true },
  });
}
