/** Languages the microsite's own texts exist in; a tenant locale without texts falls back to en. */
export type SiteLocale = 'nl' | 'en';

type Messages = Record<string, string>;

const en: Messages = {
  'site.skip': 'Skip to content',
  'site.search': 'Search by article number, EAN or name',
  'site.searchButton': 'Search',
  'site.language': 'Language',
  'site.exVat': 'Prices excl. VAT',
  'nav.home': 'Home',
  'nav.cart': 'Cart',
  'nav.quickOrder': 'Quick order',
  'nav.orders': 'Orders',
  'nav.quotes': 'Quotes',
  'nav.users': 'Users',
  'nav.signIn': 'Sign in',
  'nav.signOut': 'Sign out',
  'nav.account': 'Account menu',
  'catalog.allCategories': 'All categories',
  'catalog.results': '{count} articles',
  'catalog.next': 'Next page',
  'catalog.first': 'First page',
  'catalog.inStock': 'In stock',
  'catalog.outOfStock': 'Out of stock',
  'catalog.noResults': 'No articles found.',
  'catalog.sku': 'SKU',
  'catalog.listPrice': 'List price',
  'catalog.noPrice': 'Price on request',
  'catalog.signInForPrices': 'Sign in to see your prices',
  'home.welcome': 'Welcome',
  'home.signInText':
    'This shop is for customers with an account. Sign in to see the assortment and your prices.',
  'error.title.400': 'That did not work',
  'error.title.403': 'Not allowed',
  'error.title.404': 'Page not found',
  'error.title.413': 'Too large',
  'error.title.415': 'Unsupported file',
  'error.title.429': 'Too many requests',
  'error.title.500': 'Something went wrong',
  'error.text.404': 'The page you asked for does not exist in this shop.',
  'error.text.500': 'Please try again in a moment. If it keeps happening, contact us.',
  'error.back': 'Back to the shop',
  'footer.contact': 'Questions? Contact us',
};

const nl: Messages = {
  'site.skip': 'Naar de inhoud',
  'site.search': 'Zoek op artikelnummer, EAN of naam',
  'site.searchButton': 'Zoeken',
  'site.language': 'Taal',
  'site.exVat': 'Prijzen excl. btw',
  'nav.home': 'Home',
  'nav.cart': 'Winkelwagen',
  'nav.quickOrder': 'Snel bestellen',
  'nav.orders': 'Bestellingen',
  'nav.quotes': 'Offertes',
  'nav.users': 'Gebruikers',
  'nav.signIn': 'Inloggen',
  'nav.signOut': 'Uitloggen',
  'nav.account': 'Accountmenu',
  'catalog.allCategories': 'Alle categorieën',
  'catalog.results': '{count} artikelen',
  'catalog.next': 'Volgende pagina',
  'catalog.first': 'Eerste pagina',
  'catalog.inStock': 'Op voorraad',
  'catalog.outOfStock': 'Niet op voorraad',
  'catalog.noResults': 'Geen artikelen gevonden.',
  'catalog.sku': 'Art.nr.',
  'catalog.listPrice': 'Adviesprijs',
  'catalog.noPrice': 'Prijs op aanvraag',
  'catalog.signInForPrices': 'Log in voor uw prijzen',
  'home.welcome': 'Welkom',
  'home.signInText':
    'Deze webshop is voor klanten met een account. Log in om het assortiment en uw prijzen te zien.',
  'error.title.400': 'Dat lukte niet',
  'error.title.403': 'Niet toegestaan',
  'error.title.404': 'Pagina niet gevonden',
  'error.title.413': 'Te groot',
  'error.title.415': 'Bestandstype niet ondersteund',
  'error.title.429': 'Te veel verzoeken',
  'error.title.500': 'Er ging iets mis',
  'error.text.404': 'De pagina die u zocht bestaat niet in deze webshop.',
  'error.text.500': 'Probeer het zo nog eens. Blijft het misgaan, neem dan contact met ons op.',
  'error.back': 'Terug naar de webshop',
  'footer.contact': 'Vragen? Neem contact op',
};

const MESSAGES: Record<SiteLocale, Messages> = { en, nl };

/** The site language for a tenant locale ("nl-BE" → nl); unknown → en. */
export function siteLocale(locale: string): SiteLocale {
  const base = locale.toLowerCase().split('-')[0];
  return base === 'nl' ? 'nl' : 'en';
}

/**
 * A text of the site in a language, with `{name}` placeholders filled; a key missing in the
 * language falls back to English, then to the key itself (visible, so it gets fixed).
 */
export function label(locale: string, key: string, params: Record<string, unknown> = {}): string {
  const text = MESSAGES[siteLocale(locale)][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    params[name] === undefined ? m : String(params[name]),
  );
}

/** Adds texts for a feature (pages register theirs at module load); existing keys stay. */
export function addMessages(locale: SiteLocale, messages: Messages): void {
  for (const [key, text] of Object.entries(messages))
    if (!(key in MESSAGES[locale])) MESSAGES[locale][key] = text;
}
