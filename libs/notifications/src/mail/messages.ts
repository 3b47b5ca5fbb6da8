import type { MailTemplate } from '@vitrine/outbox';

/**
 * The words of the e-mails, per language. `{name}` placeholders are filled by the `t` helper
 * (HTML-escaped in the HTML part). Subjects are plain text.
 */
export interface MailMessages {
  subjects: Record<MailTemplate, string>;
  intros: Record<MailTemplate, string>;
  words: Record<
    | 'greeting'
    | 'greetingAnonymous'
    | 'regards'
    | 'team'
    | 'order'
    | 'quote'
    | 'poNumber'
    | 'placedBy'
    | 'costCentre'
    | 'deliveryDate'
    | 'shipTo'
    | 'note'
    | 'reason'
    | 'status'
    | 'sku'
    | 'article'
    | 'quantity'
    | 'unitPrice'
    | 'lineTotal'
    | 'subtotal'
    | 'shipping'
    | 'vatAt'
    | 'total'
    | 'paymentTerms'
    | 'validUntil'
    | 'onRequest'
    | 'acceptButton'
    | 'resetButton'
    | 'linkExpires'
    | 'ignoreIfNotYou'
    | 'contact',
    string
  >;
  /** Order statuses as a buyer reads them. */
  statuses: Record<string, string>;
}

const en: MailMessages = {
  subjects: {
    'order-confirmation': 'Order {number} confirmed – {site}',
    'order-submitted': 'Order {number} submitted for approval – {site}',
    'approval-requested': 'Approval requested: order {number} – {site}',
    'order-approved': 'Order {number} approved – {site}',
    'order-rejected': 'Order {number} rejected – {site}',
    'order-status': 'Order {number}: {status} – {site}',
    'quote-requested': 'Quote request {number} received – {site}',
    'quote-offered': 'Your quote {number} is ready – {site}',
    invitation: 'Your account for {site}',
    'password-reset': 'Reset your password for {site}',
  },
  intros: {
    'order-confirmation':
      'Thank you for your order. We have received order {number} and will process it shortly.',
    'order-submitted':
      'Your order {number} has been submitted. An approver of your company will review it; we will let you know the decision.',
    'approval-requested':
      '{buyer} placed order {number}, which needs your approval before it is processed.',
    'order-approved': 'Order {number} has been approved and is being processed.',
    'order-rejected': 'Order {number} has not been approved.',
    'order-status': 'The status of order {number} is now: {status}.',
    'quote-requested':
      'We have received your quote request {number}. We will send you our offer as soon as possible.',
    'quote-offered': 'Our offer for quote {number} is ready. You can accept it on the site.',
    invitation:
      'You have been invited to order on {site}. Choose a password to activate your account.',
    'password-reset': 'We received a request to reset the password of your account on {site}.',
  },
  words: {
    greeting: 'Dear {name},',
    greetingAnonymous: 'Hello,',
    regards: 'Kind regards,',
    team: 'The {site} team',
    order: 'Order',
    quote: 'Quote',
    poNumber: 'PO number',
    placedBy: 'Placed by',
    costCentre: 'Cost centre',
    deliveryDate: 'Requested delivery date',
    shipTo: 'Ship to',
    note: 'Note',
    reason: 'Reason',
    status: 'Status',
    sku: 'Article no.',
    article: 'Article',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    lineTotal: 'Total',
    subtotal: 'Subtotal',
    shipping: 'Shipping',
    vatAt: 'VAT {rate}%',
    total: 'Total incl. VAT',
    paymentTerms: 'Payment: net {days} days',
    validUntil: 'Valid until',
    onRequest: 'on request',
    acceptButton: 'Activate your account',
    resetButton: 'Choose a new password',
    linkExpires: 'This link can be used once and expires on {date}.',
    ignoreIfNotYou: 'If you did not expect this e-mail, you can ignore it.',
    contact: 'Questions? Contact us',
  },
  statuses: {
    PENDING_APPROVAL: 'awaiting approval',
    PLACED: 'placed',
    REJECTED: 'rejected',
    CONFIRMED: 'confirmed',
    SHIPPED: 'shipped',
    INVOICED: 'invoiced',
    CANCELLED: 'cancelled',
  },
};

const nl: MailMessages = {
  subjects: {
    'order-confirmation': 'Bestelling {number} bevestigd – {site}',
    'order-submitted': 'Bestelling {number} ter goedkeuring ingediend – {site}',
    'approval-requested': 'Goedkeuring gevraagd: bestelling {number} – {site}',
    'order-approved': 'Bestelling {number} goedgekeurd – {site}',
    'order-rejected': 'Bestelling {number} afgewezen – {site}',
    'order-status': 'Bestelling {number}: {status} – {site}',
    'quote-requested': 'Offerteaanvraag {number} ontvangen – {site}',
    'quote-offered': 'Uw offerte {number} staat klaar – {site}',
    invitation: 'Uw account voor {site}',
    'password-reset': 'Nieuw wachtwoord voor {site}',
  },
  intros: {
    'order-confirmation':
      'Hartelijk dank voor uw bestelling. We hebben bestelling {number} ontvangen en gaan ermee aan de slag.',
    'order-submitted':
      'Uw bestelling {number} is ingediend. Een fiatteur van uw bedrijf beoordeelt hem; wij laten u het besluit weten.',
    'approval-requested':
      '{buyer} heeft bestelling {number} geplaatst. Deze wacht op uw goedkeuring.',
    'order-approved': 'Bestelling {number} is goedgekeurd en wordt verwerkt.',
    'order-rejected': 'Bestelling {number} is niet goedgekeurd.',
    'order-status': 'De status van bestelling {number} is nu: {status}.',
    'quote-requested':
      'We hebben uw offerteaanvraag {number} ontvangen. U ontvangt onze aanbieding zo snel mogelijk.',
    'quote-offered':
      'Onze aanbieding voor offerte {number} staat klaar. U kunt deze op de site accepteren.',
    invitation:
      'U bent uitgenodigd om te bestellen op {site}. Kies een wachtwoord om uw account te activeren.',
    'password-reset':
      'We hebben een verzoek ontvangen om het wachtwoord van uw account op {site} opnieuw in te stellen.',
  },
  words: {
    greeting: 'Beste {name},',
    greetingAnonymous: 'Goedendag,',
    regards: 'Met vriendelijke groet,',
    team: 'Het team van {site}',
    order: 'Bestelling',
    quote: 'Offerte',
    poNumber: 'Inkoopordernummer',
    placedBy: 'Geplaatst door',
    costCentre: 'Kostenplaats',
    deliveryDate: 'Gewenste leverdatum',
    shipTo: 'Afleveradres',
    note: 'Opmerking',
    reason: 'Reden',
    status: 'Status',
    sku: 'Artikelnr.',
    article: 'Artikel',
    quantity: 'Aantal',
    unitPrice: 'Stukprijs',
    lineTotal: 'Totaal',
    subtotal: 'Subtotaal',
    shipping: 'Verzendkosten',
    vatAt: 'Btw {rate}%',
    total: 'Totaal incl. btw',
    paymentTerms: 'Betaling: {days} dagen netto',
    validUntil: 'Geldig tot',
    onRequest: 'op aanvraag',
    acceptButton: 'Account activeren',
    resetButton: 'Nieuw wachtwoord kiezen',
    linkExpires: 'Deze link werkt één keer en verloopt op {date}.',
    ignoreIfNotYou: 'Had u deze e-mail niet verwacht? Dan kunt u hem negeren.',
    contact: 'Vragen? Neem contact op',
  },
  statuses: {
    PENDING_APPROVAL: 'wacht op goedkeuring',
    PLACED: 'geplaatst',
    REJECTED: 'afgewezen',
    CONFIRMED: 'bevestigd',
    SHIPPED: 'verzonden',
    INVOICED: 'gefactureerd',
    CANCELLED: 'geannuleerd',
  },
};

const de: MailMessages = {
  subjects: {
    'order-confirmation': 'Bestellung {number} bestätigt – {site}',
    'order-submitted': 'Bestellung {number} zur Freigabe eingereicht – {site}',
    'approval-requested': 'Freigabe erbeten: Bestellung {number} – {site}',
    'order-approved': 'Bestellung {number} freigegeben – {site}',
    'order-rejected': 'Bestellung {number} abgelehnt – {site}',
    'order-status': 'Bestellung {number}: {status} – {site}',
    'quote-requested': 'Angebotsanfrage {number} erhalten – {site}',
    'quote-offered': 'Ihr Angebot {number} liegt bereit – {site}',
    invitation: 'Ihr Konto für {site}',
    'password-reset': 'Passwort zurücksetzen für {site}',
  },
  intros: {
    'order-confirmation':
      'Vielen Dank für Ihre Bestellung. Wir haben Bestellung {number} erhalten und bearbeiten sie in Kürze.',
    'order-submitted':
      'Ihre Bestellung {number} wurde eingereicht. Eine freigabeberechtigte Person Ihres Unternehmens prüft sie; wir teilen Ihnen die Entscheidung mit.',
    'approval-requested':
      '{buyer} hat Bestellung {number} aufgegeben; sie wartet auf Ihre Freigabe.',
    'order-approved': 'Bestellung {number} wurde freigegeben und wird bearbeitet.',
    'order-rejected': 'Bestellung {number} wurde nicht freigegeben.',
    'order-status': 'Der Status von Bestellung {number} ist jetzt: {status}.',
    'quote-requested':
      'Wir haben Ihre Angebotsanfrage {number} erhalten und senden Ihnen so bald wie möglich unser Angebot.',
    'quote-offered':
      'Unser Angebot zu {number} liegt bereit. Sie können es auf der Website annehmen.',
    invitation:
      'Sie wurden eingeladen, auf {site} zu bestellen. Wählen Sie ein Passwort, um Ihr Konto zu aktivieren.',
    'password-reset':
      'Wir haben eine Anfrage erhalten, das Passwort Ihres Kontos auf {site} zurückzusetzen.',
  },
  words: {
    greeting: 'Guten Tag {name},',
    greetingAnonymous: 'Guten Tag,',
    regards: 'Mit freundlichen Grüßen',
    team: 'Ihr Team von {site}',
    order: 'Bestellung',
    quote: 'Angebot',
    poNumber: 'Bestellnummer (PO)',
    placedBy: 'Bestellt von',
    costCentre: 'Kostenstelle',
    deliveryDate: 'Gewünschter Liefertermin',
    shipTo: 'Lieferadresse',
    note: 'Anmerkung',
    reason: 'Grund',
    status: 'Status',
    sku: 'Artikelnr.',
    article: 'Artikel',
    quantity: 'Menge',
    unitPrice: 'Stückpreis',
    lineTotal: 'Summe',
    subtotal: 'Zwischensumme',
    shipping: 'Versand',
    vatAt: 'MwSt. {rate}%',
    total: 'Gesamt inkl. MwSt.',
    paymentTerms: 'Zahlung: {days} Tage netto',
    validUntil: 'Gültig bis',
    onRequest: 'auf Anfrage',
    acceptButton: 'Konto aktivieren',
    resetButton: 'Neues Passwort wählen',
    linkExpires: 'Dieser Link ist einmal gültig und läuft am {date} ab.',
    ignoreIfNotYou: 'Falls Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.',
    contact: 'Fragen? Kontaktieren Sie uns',
  },
  statuses: {
    PENDING_APPROVAL: 'wartet auf Freigabe',
    PLACED: 'aufgegeben',
    REJECTED: 'abgelehnt',
    CONFIRMED: 'bestätigt',
    SHIPPED: 'versandt',
    INVOICED: 'berechnet',
    CANCELLED: 'storniert',
  },
};

const fr: MailMessages = {
  subjects: {
    'order-confirmation': 'Commande {number} confirmée – {site}',
    'order-submitted': 'Commande {number} soumise à validation – {site}',
    'approval-requested': 'Validation demandée : commande {number} – {site}',
    'order-approved': 'Commande {number} validée – {site}',
    'order-rejected': 'Commande {number} refusée – {site}',
    'order-status': 'Commande {number} : {status} – {site}',
    'quote-requested': 'Demande de devis {number} reçue – {site}',
    'quote-offered': 'Votre devis {number} est prêt – {site}',
    invitation: 'Votre compte pour {site}',
    'password-reset': 'Réinitialisez votre mot de passe pour {site}',
  },
  intros: {
    'order-confirmation':
      'Merci pour votre commande. Nous avons bien reçu la commande {number} et la traitons rapidement.',
    'order-submitted':
      'Votre commande {number} a été soumise. Un valideur de votre entreprise va l’examiner ; nous vous informerons de sa décision.',
    'approval-requested': '{buyer} a passé la commande {number}, qui attend votre validation.',
    'order-approved': 'La commande {number} a été validée et est en cours de traitement.',
    'order-rejected': "La commande {number} n'a pas été validée.",
    'order-status': 'Le statut de la commande {number} est désormais : {status}.',
    'quote-requested':
      'Nous avons bien reçu votre demande de devis {number}. Nous vous enverrons notre offre au plus vite.',
    'quote-offered':
      'Notre offre pour le devis {number} est prête. Vous pouvez l’accepter sur le site.',
    invitation:
      'Vous êtes invité(e) à commander sur {site}. Choisissez un mot de passe pour activer votre compte.',
    'password-reset':
      'Nous avons reçu une demande de réinitialisation du mot de passe de votre compte sur {site}.',
  },
  words: {
    greeting: 'Bonjour {name},',
    greetingAnonymous: 'Bonjour,',
    regards: 'Cordialement,',
    team: "L'équipe {site}",
    order: 'Commande',
    quote: 'Devis',
    poNumber: 'Bon de commande',
    placedBy: 'Passée par',
    costCentre: 'Centre de coûts',
    deliveryDate: 'Date de livraison souhaitée',
    shipTo: 'Adresse de livraison',
    note: 'Remarque',
    reason: 'Motif',
    status: 'Statut',
    sku: 'Réf.',
    article: 'Article',
    quantity: 'Qté',
    unitPrice: 'Prix unitaire',
    lineTotal: 'Total',
    subtotal: 'Sous-total',
    shipping: 'Livraison',
    vatAt: 'TVA {rate} %',
    total: 'Total TTC',
    paymentTerms: 'Paiement : {days} jours net',
    validUntil: "Valable jusqu'au",
    onRequest: 'sur demande',
    acceptButton: 'Activer votre compte',
    resetButton: 'Choisir un nouveau mot de passe',
    linkExpires: 'Ce lien est à usage unique et expire le {date}.',
    ignoreIfNotYou: "Si vous n'attendiez pas cet e-mail, vous pouvez l'ignorer.",
    contact: 'Des questions ? Contactez-nous',
  },
  statuses: {
    PENDING_APPROVAL: 'en attente de validation',
    PLACED: 'passée',
    REJECTED: 'refusée',
    CONFIRMED: 'confirmée',
    SHIPPED: 'expédiée',
    INVOICED: 'facturée',
    CANCELLED: 'annulée',
  },
};

export const MESSAGES: Readonly<Record<string, MailMessages>> = { en, nl, de, fr };

/**
 * The language to write in: the requested locale, its language, the tenant's default locale
 * and its language, then English.
 */
export function mailLocale(requested: string, tenantLocales: readonly string[]): string {
  const candidates = [requested, tenantLocales[0] ?? 'en'].flatMap((l) => [l, l.split('-')[0]]);
  return candidates.find((l) => l in MESSAGES) ?? 'en';
}

/** `{name}` placeholders filled from `params`, each value passed through `escape`. */
export function fill(
  text: string,
  params: Record<string, unknown>,
  escape: (s: string) => string = (s) => s,
): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params && params[key] != null ? escape(String(params[key])) : whole,
  );
}
