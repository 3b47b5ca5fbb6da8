import { Injectable } from '@nestjs/common';
import { VitrineError } from '@vitrine/errors';
import { CartService } from '@vitrine/ordering';
import type { TenantContext } from '@vitrine/tenancy';
import { pageMessage } from '../site/domain-messages';
import { label } from '../site/messages';
import { parseQuickOrder, readUpload, type UploadedFile } from './quick-order-lines';

/** What a quick order did: lines added, lines refused (with the reason), lines to try again. */
export interface QuickOrderResult {
  added: Array<{ sku: string; quantity: number }>;
  refused: Array<{ line: number | null; text: string; reason: string }>;
  /** The refused lines as text, to correct in the textarea and send again. */
  retry: string;
}

/**
 * Quick order: pasted or uploaded lines of `SKU;quantity` go to CartService.add — the same call
 * as the API's `addLinesToCart` — which adds what it can and says why it refuses the rest.
 */
@Injectable()
export class QuickOrderPageService {
  constructor(private readonly carts: CartService) {}

  async add(
    ctx: TenantContext,
    pasted: string,
    file: UploadedFile | null,
  ): Promise<QuickOrderResult> {
    // The file is checked first: a non-CSV upload changes nothing, even with lines pasted too.
    const texts = [file && file.data.length > 0 ? readUpload(file) : '', pasted].filter(
      (t) => t.trim() !== '',
    );
    if (texts.length === 0) throw VitrineError.badInput(label(ctx.locale, 'quick.nothing'));
    const parsed = texts.map(parseQuickOrder);
    const lines = parsed.flatMap((p) => p.lines);
    const refused: QuickOrderResult['refused'] = parsed.flatMap((p) =>
      p.unreadable.map((u) => ({
        line: u.line,
        text: u.text,
        reason: pageMessage(ctx.locale, u, u.reason),
      })),
    );
    const added: QuickOrderResult['added'] = [];
    if (lines.length) {
      const result = await this.carts.add(
        ctx,
        lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      );
      // The cart reports refusals by the SKU as sent: pair them with their lines, in order.
      const pending = [...result.rejected];
      for (const line of lines) {
        const at = pending.findIndex((r) => r.sku === line.sku);
        if (at >= 0) {
          refused.push({
            line: line.line,
            text: `${line.sku};${line.quantity}`,
            reason: pageMessage(ctx.locale, pending[at], pending[at].reason),
          });
          pending.splice(at, 1);
        } else added.push({ sku: line.sku, quantity: line.quantity });
      }
    }
    refused.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { added, refused, retry: refused.map((r) => r.text).join('\n') };
  }
}
