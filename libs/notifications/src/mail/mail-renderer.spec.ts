import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MailTemplate } from '@vitrine/outbox';
import { sampleOrder, sampleQuote } from '../sample-documents';
import {
  formatMoney,
  MAIL_TEMPLATES,
  MailDataError,
  MailRenderer,
  type MailTenant,
} from './mail-renderer';
import { mailLocale } from './messages';

const tenant = (over: Partial<MailTenant> = {}): MailTenant => ({
  key: 'jansen:1',
  name: 'Jansen Bouw B.V.',
  locales: ['nl', 'en'],
  siteUrl: 'https://jansen-bouw.example',
  logoUrl: 'https://jansen-bouw.example/theme/assets/logo.svg',
  primaryColor: '#e8590c',
  textColor: '#212529',
  backgroundColor: '#ffffff',
  fontFamily: 'Inter, "Segoe UI", sans-serif',
  contact: { email: 'support@jansen.example', phone: '+31 20 555 0100' },
  partialsDir: null,
  ...over,
});

const dataFor = (template: MailTemplate): Record<string, unknown> => {
  if (template === 'invitation' || template === 'password-reset')
    return { name: 'Kees de Vries', token: 'tok123', expiresAt: '2026-06-01T10:00:00.000Z' };
  if (template.startsWith('quote')) return { quote: sampleQuote() };
  if (template === 'order-rejected') return { order: sampleOrder(), reason: 'Budget overschreden' };
  return { order: sampleOrder() };
};

describe('MailRenderer', () => {
  const renderer = new MailRenderer();

  it.each(MAIL_TEMPLATES.flatMap((t) => ['nl', 'en', 'de', 'fr'].map((l) => [t, l] as const)))(
    'renders %s in %s: subject, HTML and plain text in the theme',
    (template, locale) => {
      const mail = renderer.render(tenant(), template, locale, dataFor(template));
      expect(mail.locale).toBe(locale);
      expect(mail.subject).toContain('Jansen Bouw B.V.');
      expect(mail.html).toContain('<html lang="' + locale + '">');
      expect(mail.html).toContain('background:#e8590c');
      expect(mail.html).toContain('src="https://jansen-bouw.example/theme/assets/logo.svg"');
      expect(mail.html).toContain('support@jansen.example');
      expect(mail.text).toContain('https://jansen-bouw.example');
      expect(mail.text).not.toMatch(/<[a-z]/i);
      expect(mail.text).not.toMatch(/\n{3}/);
      if (template.startsWith('order') || template === 'approval-requested') {
        expect(mail.subject).toContain('JB-000042');
        expect(mail.html).toContain('FIX-0001');
        expect(mail.text).toContain('PO-2026-117');
      }
    },
  );

  it('writes Dutch with Dutch money and dates, English with English ones', () => {
    const nbsp = (m: { text: string }) => ({ text: m.text.replace(/\u00a0/g, ' ') }); // Intl's spaces
    const nl = nbsp(
      renderer.render(tenant(), 'order-confirmation', 'nl', dataFor('order-confirmation')),
    );
    expect(nl.text).toContain('Beste Petra Jansen,');
    expect(nl.text).toContain('€ 1.234,50');
    expect(nl.text).toContain('3 juni 2026');
    expect(nl.text).toContain('Btw 21%: € 544,74');
    const en = nbsp(
      renderer.render(tenant(), 'order-confirmation', 'en', dataFor('order-confirmation')),
    );
    expect(
      renderer.render(tenant(), 'order-confirmation', 'nl', dataFor('order-confirmation')).subject,
    ).toBe('Bestelling JB-000042 bevestigd – Jansen Bouw B.V.');
    expect(en.text).toContain('€1,234.50');
    expect(en.text).toContain('June 3, 2026');
    const invite = renderer.render(tenant(), 'invitation', 'nl', dataFor('invitation'));
    expect(invite.text).toContain('https://jansen-bouw.example/invitation?token=tok123');
    // Handlebars entity-encodes "=" in attributes (&#x3D;), which browsers read as "=".
    expect(invite.html).toContain(
      'href="https://jansen-bouw.example/invitation?token&#x3D;tok123"',
    );
    const quote = renderer.render(tenant(), 'quote-offered', 'en', dataFor('quote-offered'));
    expect(quote.text).toContain('3 × TLS-0100 Accuboormachine: on request');
  });

  it('falls back to the tenant default locale, then English', () => {
    expect(mailLocale('de-AT', ['nl'])).toBe('de');
    expect(mailLocale('es', ['fr', 'nl'])).toBe('fr');
    expect(mailLocale('es', ['es'])).toBe('en');
    const mail = renderer.render(
      tenant({ locales: ['nl'] }),
      'invitation',
      'pt',
      dataFor('invitation'),
    );
    expect(mail.locale).toBe('nl');
    expect(mail.subject).toBe('Uw account voor Jansen Bouw B.V.');
  });

  it('escapes what buyers typed in the HTML part, and keeps it readable in the text part', () => {
    const evil = '<script>alert("x")</script> & <b>';
    const order = sampleOrder({
      note: evil,
      poNumber: '"><img src=x onerror=alert(1)>',
      placedBy: { name: '<i>Petra</i>', email: 'p@x.example' },
    });
    const mail = renderer.render(tenant(), 'order-rejected', 'en', { order, reason: evil });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).not.toContain('<i>Petra');
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;',
    );
    expect(mail.html).toContain('Dear &lt;i&gt;Petra&lt;/i&gt;,');
    expect(mail.text).toContain(`Note: ${evil}`);
    expect(mail.text).toContain(`Reason: ${evil}`);
    expect(mail.text).not.toContain('&lt;');
  });

  it("uses a tenant's own mail partials, and never another tenant's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mail-partials-'));
    mkdirSync(join(dir, 'partials'));
    writeFileSync(
      join(dir, 'partials', 'mail-footer.hbs'),
      '<tr><td class="acme-footer">ACME footer for {{tenant.name}} {{t "words.contact"}}</td></tr>',
    );
    writeFileSync(join(dir, 'partials', 'mail-footer-text.hbs'), 'ACME text footer');
    writeFileSync(join(dir, 'partials', 'not-a-mail-partial.hbs'), 'ignored');
    const acme = tenant({
      key: 'acme:1',
      name: 'Acme <Tools>',
      partialsDir: join(dir, 'partials'),
    });
    const other = tenant({ key: 'other:1', name: 'Other' });
    const data = dataFor('order-confirmation');
    const a = renderer.render(acme, 'order-confirmation', 'nl', data);
    const b = renderer.render(other, 'order-confirmation', 'nl', data);
    const a2 = renderer.render(acme, 'order-confirmation', 'en', data);
    expect(a.html).toContain('ACME footer for Acme &lt;Tools&gt; Vragen? Neem contact op');
    expect(a2.html).toContain('ACME footer for Acme &lt;Tools&gt; Questions? Contact us');
    expect(a.text).toContain('ACME text footer');
    expect(a.html).toContain('background:#e8590c'); // the header is still the default
    expect(b.html).not.toContain('ACME');
    expect(b.text).not.toContain('ACME');
    expect(b.html).toContain('support@jansen.example');
  });

  it('refuses data that does not fit the template, with what is missing', () => {
    expect(() => renderer.render(tenant(), 'order-confirmation', 'nl', {})).toThrow(MailDataError);
    expect(() => renderer.render(tenant(), 'order-confirmation', 'nl', {})).toThrow(/data\.order/);
    expect(() =>
      renderer.render(tenant(), 'order-rejected', 'nl', { order: sampleOrder() }),
    ).toThrow(/data\.reason/);
    expect(() =>
      renderer.render(tenant(), 'invitation', 'nl', { name: 'X', expiresAt: '2026-01-01' }),
    ).toThrow(/data\.token/);
    expect(() => renderer.render(tenant(), 'nope' as MailTemplate, 'nl', {})).toThrow(
      /Unknown mail template/,
    );
    const { lines: _lines, ...incomplete } = sampleOrder();
    expect(() =>
      renderer.render(tenant(), 'order-confirmation', 'nl', { order: incomplete }),
    ).toThrow(/lines/);
  });

  it('formats amounts from their decimal strings, exactly', () => {
    expect(formatMoney('12345678901.05', 'EUR', 'nl')).toBe('€\u00a012.345.678.901,05');
    expect(() => formatMoney('1e3', 'EUR', 'nl')).toThrow(MailDataError);
  });
});
