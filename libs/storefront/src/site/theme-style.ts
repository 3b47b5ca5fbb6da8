import type { TenantSnapshot } from '@vitrine/tenancy';
import { palette } from './palette';

/** What the layout's <style> and header take from a theme: only checked values. */
export interface ThemeStyle {
  primaryColor: string;
  onPrimaryColor: string;
  secondaryColor: string;
  onSecondaryColor: string;
  textColor: string;
  backgroundColor: string;
  accentColor: string;
  fontFamily: string;
  logoUrl: string | null;
  faviconUrl: string | null;
}

/**
 * The theme's colours with readable partners (see palette.ts) and its font, as the layout uses
 * them. Derived once per theme version (ThemeEnvironments keeps it), not per page.
 */
export function themeStyle(theme: TenantSnapshot['theme']): ThemeStyle {
  const p = palette({
    primary: cssColor(theme.primaryColor, '#1f4e79'),
    secondary: cssColor(theme.secondaryColor, '#f2f5f8'),
    text: cssColor(theme.textColor, '#1b1f23'),
    background: cssColor(theme.backgroundColor, '#ffffff'),
  });
  return {
    primaryColor: p.primary,
    onPrimaryColor: p.onPrimary,
    secondaryColor: p.secondary,
    onSecondaryColor: p.onSecondary,
    textColor: p.text,
    backgroundColor: p.background,
    accentColor: p.accent,
    fontFamily: cssFontFamily(theme.fontFamily),
    logoUrl: theme.logoUrl ?? null,
    faviconUrl: theme.faviconUrl ?? null,
  };
}

/**
 * Theme values go into a <style> element, where HTML escaping does not apply. The tenant schema
 * already restricts them; these checks keep a page safe even if a value got past it.
 */
export function cssColor(value: string | undefined, fallback: string): string {
  return value && /^#[0-9a-fA-F]{6}$/.test(value) ? value : fallback;
}
export function cssFontFamily(value: string | undefined): string {
  return value && /^[\w\s,'"-]{1,200}$/.test(value) ? value : 'system-ui, sans-serif';
}
