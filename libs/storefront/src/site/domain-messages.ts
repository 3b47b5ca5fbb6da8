import { VitrineError, type MessageParams, type MessageRef } from '@vitrine/errors';
import { formatMoney } from '@vitrine/pricing';
import { addMessages, label, type SiteLocale } from './messages';

/**
 * The site's texts for the messages of the domain services (cart refusals, checkout, approval,
 * quote and company-user errors), by the keys the services give them (`VitrineError.withMessage`,
 * `RejectedLine.key`). The services keep their English text for the API; pages say the same in
 * the page's language. Registered under `msg.<key>` so they never collide with the page labels.
 *
 * Parameters: a name ending in `Minor` is an amount in minor units of the `currency` parameter
 * and is formatted in the page's locale; `status` is an order or quote status (its label);
 * `weightGrams` is shown in kg; `shortStock` (`SKU=available;…`) as a list of `checkout.stockLine`.
 * Anything else is shown as given.
 */
export const DOMAIN_MESSAGES: Record<SiteLocale, Record<string, string>> = {
  en: {
    // cart (quantityProblem and CartService.add)
    'cart.problem.quantity':
      'The quantity of {sku} must be a whole number from 1 to {max}; got {added}.',
    'cart.problem.discontinued': '{sku} is discontinued; {left} left.',
    'cart.problem.outOfStock': '{sku} is out of stock.',
    'cart.problem.lowStock': '{sku}: only {stock} in stock; the cart would hold {total}.',
    'cart.problem.minimum': '{sku} is sold from {minimum} pieces; the cart would hold {total}.',
    'cart.problem.multiple':
      '{sku} is sold in multiples of {multiple}; the cart would hold {total}.',
    'cart.problem.unknown': '{sku} is not an article of this shop.',
    'cart.problem.noPrice': '{sku} has no price for you; ask for a quote.',
    'cart.noLines': 'Add at least one line.',
    'cart.tooManyLines': 'At most {max} lines at once; split the list.',
    // checkout (order drafts, order writer, shipping)
    'checkout.emptyCart': 'Your cart is empty; add articles before ordering.',
    'checkout.noApproverForAmount':
      'The order ({orderMinor} excl. VAT) is above your spend limit of {limitMinor}. Nobody in your company can approve an order of this size; reduce the order or ask your company admin to raise a limit.',
    'checkout.noApprover':
      'Your orders need approval, and your company has no approver who could give it. Ask your company admin.',
    'checkout.accountInactive': 'Your account is not active; sign in again.',
    'checkout.companyBlocked':
      'Ordering is blocked for your company; please contact your account manager.',
    'checkout.poRequired': 'Your company requires a purchase order (PO) number.',
    'checkout.poTooLong': 'A PO number has at most {max} characters.',
    'checkout.noteTooLong': 'A note has at most {max} characters.',
    'checkout.badDate': '{date} is not a date; use YYYY-MM-DD.',
    'checkout.dateOutOfRange':
      'The delivery date must be between today ({today}) and one year ahead; got {date}.',
    'checkout.costCentre': '{code} is not an active cost centre of your company.',
    'checkout.addressNotFound': '{id} is not a ship-to address of your company.',
    'checkout.noAddress':
      'Your company has no ship-to address yet; your company admin can add one.',
    'checkout.cartChanged':
      'Your cart changed while the order was being placed; check it and order again.',
    'checkout.creditLimit':
      "This order ({orderMinor} incl. VAT) exceeds your company's available credit of {availableMinor}. Reduce the order or contact your account manager.",
    'checkout.outOfStock': 'Not enough stock: {shortStock}. Adjust the quantities and order again.',
    'checkout.stockLine': '{sku} ({count} available)',
    'checkout.noLongerSold':
      'Not enough stock: an article is no longer sold. Adjust the quantities and order again.',
    'checkout.shippingUnavailable':
      'We cannot ship this order to {country} ({weightGrams}, {valueMinor}) with the rates of this shop. Choose another address, split the order, or contact us.',
    // approval
    'approval.requisitioner':
      'Orders of requisitioners are approved by an approver of the company.',
    'approval.aboveLimit':
      'The order ({orderMinor} excl. VAT) is above your spend limit of {limitMinor}.',
    'approval.aboveOwnLimit':
      'Order {number} ({orderMinor} excl. VAT) is above your own limit of {limitMinor}; another approver must decide.',
    'approval.reasonMissing': 'Give the requester a reason (1 to {max} characters).',
    'approval.noOrder': 'Your company has no order {number}.',
    'approval.ownOrder':
      'You cannot decide on your own order; another approver of your company must.',
    'approval.decided': 'Order {number} is {status}, not waiting for approval.',
    // quotes
    'quote.notFound': 'You have no quote {number}.',
    'quote.expired': 'The offer of quote {number} expired on {date}; request a new quote.',
    'quote.notOffered': 'Quote {number} is {status}; only an offered quote can be accepted.',
    'quote.noLongerAcceptable':
      'This offer can no longer be accepted (it expired or was answered meanwhile).',
    'quote.unpricedLines': 'The offer has lines without a price; ask the seller.',
    'quote.badEmail': '{email} is not an e-mail address.',
    'quote.emailMissing': 'Give an e-mail address for the offer.',
    'quote.unknownArticles': 'Not articles of this shop: {skus}.',
    'quote.lineCount': 'A quote request has 1 to {max} lines.',
    // orders
    'orders.notFound': 'You have no order {number}.',
    'orders.badFilter': '“{filter}” is not an order status to filter on.',
    // order lists
    'lists.emptyCart': 'Your cart is empty; nothing to save.',
    'lists.empty': 'The list "{name}" is empty.',
    // company users
    'users.badEmail': '"{email}" is not an e-mail address.',
    'users.exists': '{email} already has an account on this site.',
    'users.negativeLimit': 'A spend limit cannot be negative.',
    'users.notFound': 'No such user in your company.',
    'users.self': 'You cannot change or deactivate your own account; ask another administrator.',
    'users.noRole': 'A user needs at least one role.',
    'users.unknownRoles': 'Unknown role(s): {roles}.',
    // quick order lines the page cannot read (ordering/quick-order-lines.ts)
    'quick.noSku': 'No article number in the first column.',
    'quick.badQuantity': 'The quantity “{value}” is not a whole number of at least 1.',
    // session
    'session.formExpired': 'The form expired or was tampered with; reload the page and try again.',
  },
  nl: {
    'cart.problem.quantity':
      'Het aantal van {sku} moet een heel getal van 1 tot {max} zijn; het was {added}.',
    'cart.problem.discontinued': '{sku} is uit het assortiment; er zijn er nog {left}.',
    'cart.problem.outOfStock': '{sku} is niet op voorraad.',
    'cart.problem.lowStock':
      '{sku}: nog maar {stock} op voorraad; de winkelwagen zou er {total} bevatten.',
    'cart.problem.minimum':
      '{sku} wordt verkocht vanaf {minimum} stuks; de winkelwagen zou er {total} bevatten.',
    'cart.problem.multiple':
      '{sku} wordt verkocht per {multiple} stuks; de winkelwagen zou er {total} bevatten.',
    'cart.problem.unknown': '{sku} is geen artikel van deze webshop.',
    'cart.problem.noPrice': '{sku} heeft geen prijs voor u; vraag een offerte aan.',
    'cart.noLines': 'Voeg minstens één regel toe.',
    'cart.tooManyLines': 'Maximaal {max} regels tegelijk; splits de lijst.',
    'checkout.emptyCart': 'Uw winkelwagen is leeg; voeg artikelen toe voordat u bestelt.',
    'checkout.noApproverForAmount':
      'De bestelling ({orderMinor} excl. btw) is hoger dan uw bestedingslimiet van {limitMinor}. Niemand in uw bedrijf kan een bestelling van deze omvang goedkeuren; verklein de bestelling of vraag uw beheerder een limiet te verhogen.',
    'checkout.noApprover':
      'Uw bestellingen moeten worden goedgekeurd, en uw bedrijf heeft niemand die dat kan. Neem contact op met uw beheerder.',
    'checkout.accountInactive': 'Uw account is niet actief; log opnieuw in.',
    'checkout.companyBlocked':
      'Bestellen is geblokkeerd voor uw bedrijf; neem contact op met uw accountmanager.',
    'checkout.poRequired': 'Uw bedrijf vereist een inkoopordernummer (PO-nummer).',
    'checkout.poTooLong': 'Een PO-nummer heeft maximaal {max} tekens.',
    'checkout.noteTooLong': 'Een opmerking heeft maximaal {max} tekens.',
    'checkout.badDate': '{date} is geen datum; gebruik JJJJ-MM-DD.',
    'checkout.dateOutOfRange':
      'De leverdatum moet tussen vandaag ({today}) en een jaar vooruit liggen; het was {date}.',
    'checkout.costCentre': '{code} is geen actieve kostenplaats van uw bedrijf.',
    'checkout.addressNotFound': '{id} is geen afleveradres van uw bedrijf.',
    'checkout.noAddress':
      'Uw bedrijf heeft nog geen afleveradres; uw beheerder kan er een toevoegen.',
    'checkout.cartChanged':
      'Uw winkelwagen is gewijzigd terwijl de bestelling werd geplaatst; controleer hem en bestel opnieuw.',
    'checkout.creditLimit':
      'Deze bestelling ({orderMinor} incl. btw) is hoger dan het beschikbare krediet van uw bedrijf van {availableMinor}. Verklein de bestelling of neem contact op met uw accountmanager.',
    'checkout.outOfStock':
      'Onvoldoende voorraad: {shortStock}. Pas de aantallen aan en bestel opnieuw.',
    'checkout.stockLine': '{sku} ({count} beschikbaar)',
    'checkout.noLongerSold':
      'Onvoldoende voorraad: een artikel wordt niet meer verkocht. Pas de aantallen aan en bestel opnieuw.',
    'checkout.shippingUnavailable':
      'Wij kunnen deze bestelling niet naar {country} verzenden ({weightGrams}, {valueMinor}) met de tarieven van deze webshop. Kies een ander adres, splits de bestelling of neem contact met ons op.',
    'approval.requisitioner':
      'Bestellingen van aanvragers worden goedgekeurd door een goedkeurder van het bedrijf.',
    'approval.aboveLimit':
      'De bestelling ({orderMinor} excl. btw) is hoger dan uw bestedingslimiet van {limitMinor}.',
    'approval.aboveOwnLimit':
      'Bestelling {number} ({orderMinor} excl. btw) is hoger dan uw eigen limiet van {limitMinor}; een andere goedkeurder moet beslissen.',
    'approval.reasonMissing': 'Geef de aanvrager een reden (1 tot {max} tekens).',
    'approval.noOrder': 'Uw bedrijf heeft geen bestelling {number}.',
    'approval.ownOrder':
      'U kunt niet over uw eigen bestelling beslissen; een andere goedkeurder van uw bedrijf moet dat doen.',
    'approval.decided': 'Bestelling {number} is {status}, niet in afwachting van goedkeuring.',
    'quote.notFound': 'U heeft geen offerte {number}.',
    'quote.expired':
      'De aanbieding van offerte {number} is verlopen op {date}; vraag een nieuwe offerte aan.',
    'quote.notOffered':
      'Offerte {number} is {status}; alleen een aangeboden offerte kan worden geaccepteerd.',
    'quote.noLongerAcceptable':
      'Deze aanbieding kan niet meer worden geaccepteerd (ze is verlopen of intussen beantwoord).',
    'quote.unpricedLines': 'De aanbieding heeft regels zonder prijs; vraag het de verkoper.',
    'quote.badEmail': '{email} is geen e-mailadres.',
    'quote.emailMissing': 'Geef een e-mailadres voor de aanbieding.',
    'quote.unknownArticles': 'Geen artikelen van deze webshop: {skus}.',
    'quote.lineCount': 'Een offerteaanvraag heeft 1 tot {max} regels.',
    'orders.notFound': 'U heeft geen bestelling {number}.',
    'orders.badFilter': '“{filter}” is geen bestelstatus om op te filteren.',
    'lists.emptyCart': 'Uw winkelwagen is leeg; er is niets om op te slaan.',
    'lists.empty': 'De lijst "{name}" is leeg.',
    'users.badEmail': '"{email}" is geen e-mailadres.',
    'users.exists': '{email} heeft al een account op deze site.',
    'users.negativeLimit': 'Een bestedingslimiet kan niet negatief zijn.',
    'users.notFound': 'Deze gebruiker bestaat niet in uw bedrijf.',
    'users.self':
      'U kunt uw eigen account niet wijzigen of deactiveren; vraag een andere beheerder.',
    'users.noRole': 'Een gebruiker heeft minstens één rol nodig.',
    'users.unknownRoles': 'Onbekende rol(len): {roles}.',
    'quick.noSku': 'Geen artikelnummer in de eerste kolom.',
    'quick.badQuantity': 'Het aantal “{value}” is geen heel getal van minstens 1.',
    'session.formExpired':
      'Het formulier is verlopen of gewijzigd; laad de pagina opnieuw en probeer het nog eens.',
  },
};

const PREFIX = 'msg.';
for (const locale of ['en', 'nl'] as const)
  addMessages(
    locale,
    Object.fromEntries(Object.entries(DOMAIN_MESSAGES[locale]).map(([k, v]) => [PREFIX + k, v])),
  );

/**
 * A domain message in the page's language: by its key when the site has a text for it, else the
 * English text the service gave (a message without a key yet still reads, in English).
 */
export function pageMessage(
  locale: string,
  ref: MessageRef | null | undefined,
  englishFallback: string,
): string {
  if (!ref || !(ref.key in DOMAIN_MESSAGES.en)) return englishFallback;
  return label(locale, PREFIX + ref.key, displayParams(locale, ref.params));
}

/** The message of an error for a page: its key's text when it has one, else its English message. */
export function errorMessage(locale: string, err: unknown): string {
  if (err instanceof VitrineError) return pageMessage(locale, err.messageRef, err.message);
  return err instanceof Error ? err.message : String(err);
}

function displayParams(locale: string, params: MessageParams): Record<string, string | number> {
  const currency = typeof params.currency === 'string' ? params.currency.trim() : null;
  const shown: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Minor') && typeof value === 'number' && currency)
      shown[name] = formatMoney(value, currency, locale);
    else if (name === 'status' && typeof value === 'string')
      shown[name] = label(locale, `status.${value}`).toLowerCase();
    else if (name === 'shortStock' && typeof value === 'string')
      shown[name] = value
        .split(';')
        .map((pair) => {
          const at = pair.lastIndexOf('=');
          return label(locale, `${PREFIX}checkout.stockLine`, {
            sku: pair.slice(0, at),
            count: pair.slice(at + 1),
          });
        })
        .join(', ');
    else if (name === 'weightGrams' && typeof value === 'number')
      shown[name] =
        `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value / 1000)} kg`;
    else shown[name] = value;
  }
  return shown;
}
