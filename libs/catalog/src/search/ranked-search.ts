import { escapeLike, type SqlParams } from './sql-params';

/** Search tiers, best first. A product ranks by its best match. */
export const SearchTier = {
  /** An exact SKU, GTIN, manufacturer part number or this tenant's customer article number. */
  Exact: 0,
  /** A prefix of one of those. */
  Prefix: 1,
  /** Full text over names, manufacturer, variant names and description, in the locale's language: every word. */
  FullText: 2,
  /**
   * Full text matching some of several words ("verzinkte schroeven" finds galvanized bolts when
   * no article has both words), ranked by how much matches. Empty for one-word searches.
   */
  FullTextAny: 3,
  /** Similar words (pg_trgm word similarity), or a plain substring without pg_trgm. */
  Similar: 4,
} as const;

/** Trigram similarity needs a few characters to mean anything. */
const MIN_SIMILAR_LENGTH = 3;
/** Scores are integers so that cursors compare exactly: millionths of the rank, negated. */
const SCALE = 1_000_000;

export interface SearchFeatures {
  /** pg_trgm is installed: word similarity (typos, parts of compound words) with its GIN index. */
  trigram: boolean;
}

/**
 * One token with a digit in it ("SKU-0012", "4711-A", an EAN): a buyer typing an article
 * number. Tiers 0/1 find those; word similarity over names would only add noise, and it is
 * the most expensive tier, so it is left out for the most frequent B2B search.
 */
export function looksLikeArticleNumber(search: string): boolean {
  return /\d/.test(search) && !/\s/.test(search);
}

/**
 * `SELECT product_id, tier, score` of every product of the tenant's assortment matching
 * `search`, one row per product with its best (tier, score). $1 is the tenant, $2 the request
 * locale and $3 the tenant's default locale; the text enters only as parameters, and full text
 * goes through websearch_to_tsquery, which accepts any input, so no input is ever parsed as
 * SQL, LIKE or tsquery syntax.
 */
export function rankedSearchSql(search: string, p: SqlParams, features: SearchFeatures): string {
  const upper = search.toUpperCase();
  const exact = p.add(upper);
  const prefix = p.add(`${escapeLike(upper)}%`);
  const text = p.add(search);
  const query = (locale: string) =>
    `websearch_to_tsquery(vitrine_ts_config(${locale}::text), ${text}::text)`;
  // Any word: the AND query's operators turned into OR. tsquery's text form quotes every
  // lexeme, so rewriting ' & ' between them cannot change what a lexeme is.
  const anyQuery = (locale: string) => `replace(${query(locale)}::text, ' & ', ' | ')::tsquery`;
  const fullTextIn = (locale: string, extra: string, tier: number, q: string) => `
    SELECT ps.product_id, ${tier} AS tier,
           -round(least(ts_rank_cd(ps.document, ${q}), 1000) * ${SCALE})::int AS score
    FROM product_search ps
    JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = ps.product_id
    WHERE ps.locale = ${locale}::text AND ps.document @@ ${q} ${extra}`;
  const multiWord = /\S\s+\S/.test(search);
  const fullText = (locale: string, extra: string) =>
    fullTextIn(locale, extra, SearchTier.FullText, query(locale)) +
    (multiWord
      ? `
    UNION ALL ${fullTextIn(locale, extra, SearchTier.FullTextAny, anyQuery(locale))}`
      : '');
  const similar =
    search.length < MIN_SIMILAR_LENGTH || looksLikeArticleNumber(search)
      ? ''
      : features.trigram
        ? `UNION ALL
    SELECT ps.product_id, ${SearchTier.Similar},
           -round(word_similarity(${text}::text, ps.text) * ${SCALE})::int
    FROM product_search ps
    JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = ps.product_id
    WHERE ps.locale IN ($2::text, $3::text) AND ${text}::text <% ps.text`
        : `UNION ALL
    SELECT ps.product_id, ${SearchTier.Similar}, 0
    FROM product_search ps
    JOIN tenant_product tp ON tp.tenant_id = $1 AND tp.product_id = ps.product_id
    WHERE ps.locale IN ($2::text, $3::text) AND ps.text ILIKE ${p.add(`%${escapeLike(search)}%`)}`;
  return `
    SELECT DISTINCT ON (product_id) product_id, tier, score FROM (
      SELECT tv.product_id,
             CASE WHEN v.sku = ${exact} OR v.gtin = ${exact} OR upper(v.mpn) = ${exact}
                  THEN ${SearchTier.Exact} ELSE ${SearchTier.Prefix} END AS tier,
             0 AS score
      FROM variant v
      JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = v.id
      WHERE v.sku LIKE ${prefix} OR v.gtin LIKE ${prefix} OR upper(v.mpn) LIKE ${prefix}
      UNION ALL
      SELECT tv.product_id,
             CASE WHEN cs.customer_sku = ${exact} THEN ${SearchTier.Exact} ELSE ${SearchTier.Prefix} END,
             0
      FROM customer_sku cs
      JOIN tenant_variant tv ON tv.tenant_id = $1 AND tv.variant_id = cs.variant_id
      WHERE cs.tenant_id = $1 AND cs.customer_sku LIKE ${prefix}
      UNION ALL
      ${fullText('$2', '')}
      UNION ALL
      ${fullText(
        '$3',
        `AND $3::text <> $2::text AND NOT EXISTS (
          SELECT 1 FROM product_search own WHERE own.product_id = ps.product_id AND own.locale = $2::text)`,
      )}
      ${similar}
    ) m
    ORDER BY product_id, tier, score`;
}
