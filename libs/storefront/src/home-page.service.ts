import { Injectable } from '@nestjs/common';
import { CatalogQueryService } from '@vitrine/catalog';
import { OrderQueryService } from '@vitrine/ordering';
import { formatMoney } from '@vitrine/pricing';
import { permissionsOf, type TenantContext } from '@vitrine/tenancy';
import { ListingPageService } from './catalog/listing-page.service';
import { listingQuery } from './catalog/listing-params';
import { PricedVariants } from './catalog/priced-variants.service';
import { label } from './site/messages';

export interface HomePageQuery {
  search: string | null;
  after: string | null;
}

/** Orders shown as "order again" shortcuts on the home page. */
export const REORDER_SHORTCUTS = 3;

/**
 * The view model of a microsite's home page: the tenant's top-level categories (linked to their
 * listings), a signed-in buyer's last orders as "order again" shortcuts, and one page of the
 * assortment with the viewer's prices — read through the same services as the GraphQL API, so
 * the page and the API can never disagree about what a tenant sees or pays.
 */
@Injectable()
export class HomePageService {
  constructor(
    private readonly catalog: CatalogQueryService,
    private readonly listings: ListingPageService,
    private readonly variants: PricedVariants,
    private readonly orders: OrderQueryService,
  ) {}

  async view(ctx: TenantContext, query: HomePageQuery): Promise<Record<string, unknown>> {
    // A login-only site shows anonymous visitors its name and theme, nothing of the assortment.
    if (!ctx.user && !ctx.tenant.publicBrowsing) return { signInRequired: true };
    const [listing, categories, recentOrders] = await Promise.all([
      this.listings.page(
        ctx,
        { search: query.search },
        { after: query.after, filters: [] },
        (after) => `/${listingQuery({ q: query.search, after })}`,
      ),
      this.catalog.categories(ctx),
      this.recentOrders(ctx),
    ]);
    return {
      search: query.search ?? '',
      categories: categories
        .filter((c) => c.parentId === null)
        .map((c) => ({ slug: c.slug, name: c.name, href: `/c/${encodeURIComponent(c.slug)}` })),
      recentOrders,
      ...listing.view,
    };
  }

  /** The buyer's (or, with VIEW_COMPANY_ORDERS, the company's) last orders; none for others. */
  private async recentOrders(ctx: TenantContext) {
    if (!ctx.user?.company || !permissionsOf(ctx.user.roles).has('VIEW_ORDERS')) return [];
    const { views } = await this.orders.page(ctx, REORDER_SHORTCUTS, null, null);
    const showPrices = this.variants.canSeePrices(ctx);
    const date = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium' });
    return views.map((o) => ({
      number: o.number,
      href: `/orders/${encodeURIComponent(o.number)}`,
      summary: label(ctx.locale, 'home.orderSummary', {
        date: date.format(o.createdAt),
        lines: o.lines.length,
      }),
      total: showPrices ? formatMoney(o.totalMinor, o.currency, ctx.locale) : null,
    }));
  }
}
