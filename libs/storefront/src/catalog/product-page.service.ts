import { Injectable } from '@nestjs/common';
import { CatalogQueryService, type ProductRecord, type VariantRecord } from '@vitrine/catalog';
import { VitrineError } from '@vitrine/errors';
import type { TenantContext } from '@vitrine/tenancy';
import { label } from '../site/messages';
import { PricedVariants, type VariantView } from './priced-variants.service';

/** Longer than any slug the catalog makes; a longer one is not worth a query. */
const MAX_SLUG_LENGTH = 200;

/**
 * The product detail page: the product of the tenant's assortment by its slug
 * (`CatalogQueryService.findProduct`, the API's `product(slug:)`), its assortment variants
 * with stock, technical attributes and dimensions, its documents, and the viewer's prices —
 * unit price, list price and the tier table — from `PricedVariants` (the API's `Variant.price`,
 * `listPrice`, `tierPrices`).
 */
@Injectable()
export class ProductPageService {
  constructor(
    private readonly catalog: CatalogQueryService,
    private readonly variants: PricedVariants,
  ) {}

  /**
   * The page's view model. A slug outside this tenant's assortment — unknown, or another
   * tenant's — is the same 404 with the same message: a page never reveals that an article
   * exists elsewhere.
   */
  async view(
    ctx: TenantContext,
    slug: string,
  ): Promise<Record<string, unknown> & { title: string; slug: string }> {
    const product =
      slug.length <= MAX_SLUG_LENGTH ? await this.catalog.findProduct(ctx, { slug }) : null;
    if (!product) throw VitrineError.notFound(label(ctx.locale, 'catalog.productNotFound'));
    const [variants, categories] = await Promise.all([
      this.variants.ofProducts(ctx, [product.id]),
      this.catalog.categories(ctx),
    ]);
    const list = variants.get(product.id) ?? [];
    const category = categories.find((c) => c.id === product.categoryId) ?? null;
    const bySlug = new Map(categories.map((c) => [c.slug, c]));
    const showPrices = this.variants.canSeePrices(ctx);
    const rates = [...new Set(list.map(({ record }) => this.variants.vatRate(ctx, record)))];
    return {
      title: product.name,
      slug: product.slug,
      product: {
        name: product.name,
        description: product.description,
        manufacturer: product.manufacturer,
      },
      breadcrumbs: (category?.path ?? [])
        .map((s) => bySlug.get(s))
        .filter((c) => c !== undefined)
        .map((c) => ({ name: c.name, href: `/c/${encodeURIComponent(c.slug)}` })),
      showPrices,
      showListPrices: showPrices && list.some(({ view }) => view.listPrice !== null),
      vatNote: showPrices
        ? rates.map((r) => label(ctx.locale, 'catalog.vatNote', { rate: percent(r, ctx.locale) }))
        : [],
      variants: list.map(({ record, view }) => variantDetails(ctx, record, view)),
      documents: documents(ctx, product),
    };
  }
}

function variantDetails(ctx: TenantContext, v: VariantRecord, view: VariantView) {
  const n = (value: number, digits = 0) =>
    new Intl.NumberFormat(ctx.locale, { maximumFractionDigits: digits }).format(value);
  const dimensions = [
    v.lengthMm != null && {
      name: label(ctx.locale, 'catalog.length'),
      value: `${n(v.lengthMm)} mm`,
    },
    v.widthMm != null && { name: label(ctx.locale, 'catalog.width'), value: `${n(v.widthMm)} mm` },
    v.heightMm != null && {
      name: label(ctx.locale, 'catalog.height'),
      value: `${n(v.heightMm)} mm`,
    },
    v.weightGrams != null && {
      name: label(ctx.locale, 'catalog.weight'),
      value: v.weightGrams >= 1000 ? `${n(v.weightGrams / 1000, 3)} kg` : `${n(v.weightGrams)} g`,
    },
    v.volumeMl != null &&
      v.volumeMl > 0 && {
        name: label(ctx.locale, 'catalog.volume'),
        value: v.volumeMl >= 1000 ? `${n(v.volumeMl / 1000, 3)} l` : `${n(v.volumeMl)} ml`,
      },
  ].filter((d): d is { name: string; value: string } => !!d);
  return {
    ...view,
    mpn: v.mpn,
    customerSku: v.customerSku,
    unit: v.unit,
    minOrderQuantity: v.minOrderQuantity,
    orderMultiple: v.orderMultiple,
    minOrderNote: v.minOrderQuantity > 1 ? v.minOrderQuantity : null,
    multipleNote: v.orderMultiple > 1 ? v.orderMultiple : null,
    discontinued: v.status === 'DISCONTINUED',
    successorSku: v.successorSku,
    attributes: v.attributes.map((a) => ({
      name: a.name,
      value: a.unit
        ? `${a.numberValue != null ? n(a.numberValue, 3) : a.value} ${a.unit}`
        : a.value,
    })),
    dimensions,
    anchor: `v-${v.sku.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`,
  };
}

/** Every medium that is not an image is a document to download (data sheet, manual, …). */
function documents(ctx: TenantContext, product: ProductRecord) {
  return product.media
    .filter((m) => m.kind !== 'image' && /^https?:\/\//i.test(m.url))
    .map((m) => {
      const kind = label(ctx.locale, `media.${m.kind}`);
      return {
        url: m.url,
        title: m.title ?? (kind === `media.${m.kind}` ? label(ctx.locale, 'media.document') : kind),
        kind: kind === `media.${m.kind}` ? null : kind,
      };
    });
}

/** "21.00" → "21", "5.50" → "5,5" in nl. */
function percent(rate: string, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(Number(rate));
}
