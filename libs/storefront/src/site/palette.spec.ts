import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { contrast, MIN_TEXT_CONTRAST, palette } from './palette';

const TENANTS = resolve(__dirname, '../../../../tenants');
const DEFAULT = {
  primary: '#1f4e79',
  secondary: '#f2f5f8',
  text: '#1b1f23',
  background: '#ffffff',
};

/** Every demo theme (and the default theme) as the pages use it. */
function themes(): Array<[string, typeof DEFAULT]> {
  const out: Array<[string, typeof DEFAULT]> = [['default', DEFAULT]];
  for (const slug of readdirSync(TENANTS)) {
    const file = join(TENANTS, slug, 'theme', 'theme.yaml');
    if (!existsSync(file)) continue;
    const t = parse(readFileSync(file, 'utf8')) as Record<string, string>;
    out.push([
      slug,
      {
        primary: t.primaryColor ?? DEFAULT.primary,
        secondary: t.secondaryColor ?? DEFAULT.secondary,
        text: t.textColor ?? DEFAULT.text,
        background: t.backgroundColor ?? DEFAULT.background,
      },
    ]);
  }
  return out;
}

describe('palette', () => {
  it.each(themes())('%s: every text colour pair of the layout meets WCAG AA', (_slug, theme) => {
    const p = palette(theme);
    const pairs: Array<[string, string, string]> = [
      ['text on background', p.text, p.background],
      ['links on background', p.accent, p.background],
      ['on primary', p.onPrimary, p.primary],
      ['on secondary', p.onSecondary, p.secondary],
    ];
    for (const [what, fg, bg] of pairs)
      expect([what, contrast(fg, bg) >= MIN_TEXT_CONTRAST]).toEqual([what, true]);
  });

  it('keeps brand colours that are readable, and moves only the lightness of those that are not', () => {
    expect(palette({ ...DEFAULT, primary: '#1f4e79' }).accent).toBe('#1f4e79');
    const orange = palette({ ...DEFAULT, primary: '#e8590c' }).accent;
    expect(orange).not.toBe('#e8590c');
    expect(contrast(orange, '#ffffff')).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(palette({ ...DEFAULT, text: '#dddddd' }).text).toBe('#000000');
  });
});
