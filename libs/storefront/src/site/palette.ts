import { formatHex, oklch, parse, wcagContrast, type Oklch } from 'culori';

/** WCAG 2 AA for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

/** The colours a page uses, derived from a theme so that every text/background pair is readable. */
export interface Palette {
  primary: string;
  /** Text on the primary colour (buttons, active category). */
  onPrimary: string;
  secondary: string;
  /** Text on the secondary colour (the header bar). */
  onSecondary: string;
  text: string;
  background: string;
  /** Links and the focus ring on the background: the primary colour, darkened or lightened until readable. */
  accent: string;
}

/**
 * A theme's colours as the pages use them. A seller picks brand colours; the site keeps them
 * and picks readable partners: black or white text on the primary and secondary colours, the
 * theme's text colour only if it is readable on the background, and an accent for links that
 * stays close to the primary colour (same hue, lightness moved) but meets AA contrast.
 */
export function palette(theme: {
  primary: string;
  secondary: string;
  text: string;
  background: string;
}): Palette {
  const text =
    contrast(theme.text, theme.background) >= MIN_TEXT_CONTRAST
      ? theme.text
      : bestOf(theme.background);
  return {
    primary: theme.primary,
    onPrimary: bestOf(theme.primary),
    secondary: theme.secondary,
    onSecondary: bestOf(theme.secondary),
    text,
    background: theme.background,
    accent: readableVariant(theme.primary, theme.background),
  };
}

export function contrast(a: string, b: string): number {
  return wcagContrast(a, b);
}

/** White or black, whichever (one of them always reaches 4.58:1), reads better on `background`. */
function bestOf(background: string): string {
  return contrast('#ffffff', background) >= contrast('#000000', background) ? '#ffffff' : '#000000';
}

/** `color` with its OKLCH lightness moved toward dark (or light) until it reads on `background`. */
function readableVariant(color: string, background: string): string {
  if (contrast(color, background) >= MIN_TEXT_CONTRAST) return color;
  const base = oklch(parse(color)) as Oklch;
  const darker = contrast('#000000', background) > contrast('#ffffff', background);
  for (let step = 1; step <= 50; step++) {
    const l = darker ? base.l - step * 0.02 : base.l + step * 0.02;
    const candidate = formatHex({ ...base, l: Math.min(1, Math.max(0, l)) });
    if (contrast(candidate, background) >= MIN_TEXT_CONTRAST) return candidate;
  }
  return bestOf(background);
}
