/**
 * A deterministic demo catalog of a fictional Dutch technical wholesaler ("Vitrine Groothandel")
 * whose key accounts are a construction company, a hospital group and a car-parts manufacturer.
 * Same options, same catalog, on every machine: tests, `npm start` and benchmarks rely on it.
 */

export interface LocalizedText {
  nl: string;
  en: string;
}

export interface DemoCategory {
  slug: string;
  parentSlug: string | null;
  names: LocalizedText;
  position: number;
}

export interface DemoVariant {
  /** `SKU-` + 6 digits: the n-th variant overall (1-based). */
  sku: string;
  /** A valid, unique EAN-13. */
  gtin: string;
  /** Manufacturer part number, unique per variant. */
  mpn: string;
  names: LocalizedText;
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  stockOnHand: number;
  /** Advisory list price in EUR cents. */
  listPriceMinor: number;
  /** UN/ECE Rec. 20 unit code: PCE (piece), BX (box), PR (pair), L (litre), M (metre). */
  unit: string;
  orderMultiple: number;
  minOrderQuantity: number;
  volumeMl: number;
  status: 'ACTIVE' | 'DISCONTINUED';
  successorSku: string | null;
  /** Typed attribute values by code (see demoAttributes()). */
  attributes: Record<string, string | number>;
}

/** A typed technical attribute of the demo catalog. */
export interface DemoAttribute {
  code: string;
  type: 'TEXT' | 'NUMBER' | 'ENUM';
  unit: string | null;
  names: LocalizedText;
  enumValues: string[] | null;
}

/** Attribute definitions used by the demo catalog's variants. */
export function demoAttributes(): DemoAttribute[] {
  return [
    {
      code: 'material',
      type: 'ENUM',
      unit: null,
      names: { nl: 'Materiaal', en: 'Material' },
      enumValues: [...new Set(Object.values(MATERIALS).flat())],
    },
    {
      code: 'colour',
      type: 'ENUM',
      unit: null,
      names: { nl: 'Kleur', en: 'Colour' },
      enumValues: COLOURS,
    },
    {
      code: 'length_mm',
      type: 'NUMBER',
      unit: 'mm',
      names: { nl: 'Lengte', en: 'Length' },
      enumValues: null,
    },
    {
      code: 'size',
      type: 'ENUM',
      unit: null,
      names: { nl: 'Maat', en: 'Size' },
      enumValues: ['S', 'M', 'L', 'XL'],
    },
  ];
}

/** Materials by top category; the first is the most common. */
const MATERIALS: Record<string, string[]> = {
  bevestigingsmaterialen: ['staal verzinkt', 'RVS A2', 'RVS A4', 'messing'],
  gereedschap: ['staal', 'chroom-vanadium', 'kunststof'],
  pbm: ['nitril', 'polycarbonaat', 'katoen', 'polyester'],
  'medisch-verbruik': ['nitril', 'latex', 'polypropyleen'],
  'schoonmaak-hygiene': ['papier', 'polyethyleen', 'microvezel'],
  'auto-onderdelen': ['staal', 'rubber', 'kunststof'],
  'smeermiddelen-chemie': ['mineraal', 'synthetisch'],
  elektra: ['koper', 'kunststof', 'aluminium'],
};
const COLOURS = ['zwart', 'wit', 'blauw', 'geel', 'oranje', 'rood', 'grijs'];
const UNITS: Record<string, string> = {
  pluggen: 'BX',
  spijkers: 'BX',
  handschoenen: 'PR',
  olie: 'L',
  kabels: 'M',
};

/**
 * Fields added with the catalog depth of issue #3, derived from the variant number alone so
 * that the original random sequence (and every SKU, price and stock) stays as it was.
 */
function depth(
  n: number,
  leaf: { slug: string; parent: string },
  spec: { nl: string },
  dimsMm: [number, number, number],
): Pick<
  DemoVariant,
  | 'unit'
  | 'orderMultiple'
  | 'minOrderQuantity'
  | 'volumeMl'
  | 'status'
  | 'successorSku'
  | 'attributes'
> {
  const h = prng(n * 7919 + 17);
  const materials = MATERIALS[leaf.parent] ?? ['staal'];
  const attributes: Record<string, string | number> = {
    material: materials[Math.floor(h() ** 2 * materials.length)],
    colour: COLOURS[Math.floor(h() * COLOURS.length)],
  };
  // "4,0 x 40 mm" → length 40; "120 cm" → 1200.
  const dim = /x\s*(\d+)\s*mm/.exec(spec.nl) ?? /^(\d+)\s*mm/.exec(spec.nl);
  const cm = /^(\d+)\s*cm/.exec(spec.nl);
  if (dim) attributes.length_mm = Number(dim[1]);
  else if (cm) attributes.length_mm = Number(cm[1]) * 10;
  const size = /^(S|M|L|XL)$/.exec(spec.nl);
  if (size) attributes.size = size[1];
  const discontinued = n % 97 === 0;
  return {
    unit: UNITS[leaf.slug] ?? 'PCE',
    orderMultiple: leaf.parent === 'bevestigingsmaterialen' && n % 3 === 0 ? 5 : 1,
    minOrderQuantity: n % 11 === 0 ? 10 : 1,
    volumeMl: Math.max(1, Math.round((dimsMm[0] * dimsMm[1] * dimsMm[2]) / 1000)),
    status: discontinued ? 'DISCONTINUED' : 'ACTIVE',
    successorSku: discontinued ? `SKU-${String(n + 1).padStart(6, '0')}` : null,
    attributes,
  };
}

export interface DemoProduct {
  slug: string;
  /** Always a leaf of demoCategories(). */
  categorySlug: string;
  manufacturer: string;
  names: LocalizedText;
  descriptions: LocalizedText;
  /** Image and document links. */
  media: Array<{
    kind: 'image' | 'datasheet' | 'safety_sheet' | 'manual';
    url: string;
    title: string;
  }>;
  variants: DemoVariant[];
}

/** One spec a variant differs by, e.g. "4,0 x 40 mm" / "4.0 x 40 mm". */
type Spec = { nl: string; en: string; factor: number };

interface Family {
  nl: string;
  en: string;
  descNl: string;
  descEn: string;
  /** Price of the cheapest variant in cents, and how much a variant's factor scales it. */
  price: [number, number];
  weight: [number, number];
  specs: Spec[];
}

const sizes = (list: string[]): Spec[] =>
  list.map((s, i) => ({ nl: s, en: s, factor: 1 + i * 0.15 }));
const dims = (list: Array<[number, number]>, unit = 'mm'): Spec[] =>
  list.map(([a, b], i) => ({
    nl: `${String(a).replace('.', ',')} x ${b} ${unit}`,
    en: `${a} x ${b} ${unit}`,
    factor: 1 + i * 0.2,
  }));
const packs = (list: number[]): Spec[] =>
  list.map((n) => ({ nl: `doos ${n} st.`, en: `box of ${n}`, factor: Math.sqrt(n / list[0]) }));
const lengths = (list: number[], unit: string): Spec[] =>
  list.map((n, i) => ({ nl: `${n} ${unit}`, en: `${n} ${unit}`, factor: 1 + i * 0.6 }));

const f = (
  nl: string,
  en: string,
  descNl: string,
  descEn: string,
  price: [number, number],
  weight: [number, number],
  specs: Spec[],
): Family => ({
  nl,
  en,
  descNl,
  descEn,
  price,
  weight,
  specs,
});

/** Leaf categories with their product families and relative share of the catalog. */
const LEAVES: Array<{
  slug: string;
  parent: string;
  nl: string;
  en: string;
  weight: number;
  families: Family[];
}> = [
  {
    slug: 'schroeven',
    parent: 'bevestigingsmaterialen',
    nl: 'Schroeven',
    en: 'Screws',
    weight: 9,
    families: [
      f(
        'Spaanplaatschroef verzinkt',
        'Chipboard screw zinc-plated',
        'Verzinkte spaanplaatschroef met torx-aandrijving en freesribben.',
        'Zinc-plated chipboard screw with torx drive and milling ribs.',
        [450, 1900],
        [300, 2500],
        dims([
          [3.5, 30],
          [4, 40],
          [4.5, 50],
          [5, 60],
          [6, 80],
          [6, 120],
        ]),
      ),
      f(
        'Houtbouwschroef RVS A2',
        'Timber construction screw stainless A2',
        'Roestvaststalen houtbouwschroef voor buitentoepassingen.',
        'Stainless steel timber screw for outdoor use.',
        [1200, 5200],
        [400, 3000],
        dims([
          [5, 50],
          [6, 80],
          [8, 120],
          [8, 200],
        ]),
      ),
      f(
        'Gipsplaatschroef fosfaat',
        'Drywall screw phosphated',
        'Gefosfateerde gipsplaatschroef met trompetkop.',
        'Phosphated drywall screw with bugle head.',
        [380, 1400],
        [250, 1800],
        dims([
          [3.5, 25],
          [3.5, 35],
          [3.9, 45],
          [3.9, 55],
        ]),
      ),
    ],
  },
  {
    slug: 'bouten-moeren',
    parent: 'bevestigingsmaterialen',
    nl: 'Bouten en moeren',
    en: 'Bolts and nuts',
    weight: 6,
    families: [
      f(
        'Zeskantbout DIN 933 8.8',
        'Hex bolt DIN 933 8.8',
        'Zeskantbout volgens DIN 933, sterkteklasse 8.8, verzinkt.',
        'Hex bolt to DIN 933, property class 8.8, zinc-plated.',
        [600, 3400],
        [500, 4000],
        dims(
          [
            [6, 30],
            [8, 40],
            [10, 50],
            [12, 60],
            [16, 80],
          ],
          'mm (M)',
        ),
      ),
      f(
        'Zeskantmoer DIN 934',
        'Hex nut DIN 934',
        'Zeskantmoer volgens DIN 934, verzinkt.',
        'Hex nut to DIN 934, zinc-plated.',
        [350, 1600],
        [200, 1500],
        sizes(['M6', 'M8', 'M10', 'M12', 'M16']),
      ),
    ],
  },
  {
    slug: 'pluggen',
    parent: 'bevestigingsmaterialen',
    nl: 'Pluggen',
    en: 'Wall plugs',
    weight: 5,
    families: [
      f(
        'Nylon plug universeel',
        'Nylon universal plug',
        'Universele nylon plug voor beton, steen en plaatmateriaal.',
        'Universal nylon plug for concrete, brick and board.',
        [390, 1500],
        [100, 900],
        packs([100, 200, 500]),
      ),
      f(
        'Chemisch anker set',
        'Chemical anchor set',
        'Injectiemortel met ankerstangen voor zware bevestigingen.',
        'Injection mortar with threaded rods for heavy-duty fixings.',
        [1850, 6400],
        [400, 1600],
        sizes(['M8', 'M10', 'M12']),
      ),
    ],
  },
  {
    slug: 'spijkers',
    parent: 'bevestigingsmaterialen',
    nl: 'Spijkers',
    en: 'Nails',
    weight: 3,
    families: [
      f(
        'Draadnagel blank',
        'Wire nail bright',
        'Blanke draadnagel met platte kop.',
        'Bright wire nail with flat head.',
        [290, 1100],
        [500, 5000],
        dims([
          [2, 40],
          [2.8, 60],
          [3.4, 80],
          [4.2, 100],
        ]),
      ),
    ],
  },
  {
    slug: 'handgereedschap',
    parent: 'gereedschap',
    nl: 'Handgereedschap',
    en: 'Hand tools',
    weight: 6,
    families: [
      f(
        'Combinatietang VDE',
        'Combination pliers VDE',
        'Geïsoleerde combinatietang tot 1000 V.',
        'Insulated combination pliers up to 1000 V.',
        [1450, 3900],
        [180, 320],
        lengths([160, 180, 200], 'mm'),
      ),
      f(
        'Schroevendraaierset',
        'Screwdriver set',
        'Set schroevendraaiers met tweecomponentengreep.',
        'Screwdriver set with two-component grip.',
        [1990, 6900],
        [300, 1200],
        sizes(['6-delig', '8-delig', '12-delig']),
      ),
      f(
        'Waterpomptang',
        'Water pump pliers',
        'Verstelbare waterpomptang met drukknop.',
        'Adjustable water pump pliers with push button.',
        [1690, 4200],
        [200, 600],
        lengths([180, 250, 300], 'mm'),
      ),
    ],
  },
  {
    slug: 'elektrisch-gereedschap',
    parent: 'gereedschap',
    nl: 'Elektrisch gereedschap',
    en: 'Power tools',
    weight: 5,
    families: [
      f(
        'Accuboormachine 18V',
        'Cordless drill 18V',
        'Borstelloze accuboormachine met twee snelheden.',
        'Brushless cordless drill with two speeds.',
        [14900, 38900],
        [1300, 2200],
        sizes(['body', '2x 2,0 Ah', '2x 5,0 Ah']),
      ),
      f(
        'Haakse slijper',
        'Angle grinder',
        'Haakse slijper met softstart en herstartbeveiliging.',
        'Angle grinder with soft start and restart protection.',
        [8900, 24900],
        [1800, 2800],
        lengths([115, 125, 230], 'mm'),
      ),
      f(
        'Cirkelzaag',
        'Circular saw',
        'Handcirkelzaag met geleiderail-aansluiting.',
        'Circular saw compatible with guide rails.',
        [17900, 42900],
        [3500, 5500],
        lengths([165, 190], 'mm'),
      ),
    ],
  },
  {
    slug: 'meetgereedschap',
    parent: 'gereedschap',
    nl: 'Meetgereedschap',
    en: 'Measuring tools',
    weight: 3,
    families: [
      f(
        'Rolmaat',
        'Tape measure',
        'Rolmaat met nylon gecoate band en magneethaak.',
        'Tape measure with nylon-coated blade and magnetic hook.',
        [690, 2400],
        [150, 450],
        lengths([3, 5, 8, 10], 'm'),
      ),
      f(
        'Waterpas aluminium',
        'Spirit level aluminium',
        'Aluminium waterpas met twee libellen.',
        'Aluminium spirit level with two vials.',
        [1590, 6900],
        [300, 1500],
        lengths([40, 60, 100, 200], 'cm'),
      ),
    ],
  },
  {
    slug: 'handschoenen',
    parent: 'pbm',
    nl: 'Werkhandschoenen',
    en: 'Work gloves',
    weight: 5,
    families: [
      f(
        'Werkhandschoen nitril-coating',
        'Work glove nitrile coated',
        'Naadloze werkhandschoen met nitrilcoating, EN 388.',
        'Seamless work glove with nitrile coating, EN 388.',
        [190, 690],
        [40, 80],
        sizes(['S', 'M', 'L', 'XL', 'XXL']),
      ),
      f(
        'Snijbestendige handschoen',
        'Cut-resistant glove',
        'Snijbestendige handschoen niveau C.',
        'Cut-resistant glove level C.',
        [590, 1490],
        [50, 90],
        sizes(['7', '8', '9', '10', '11']),
      ),
    ],
  },
  {
    slug: 'veiligheidsbrillen',
    parent: 'pbm',
    nl: 'Veiligheidsbrillen',
    en: 'Safety glasses',
    weight: 2,
    families: [
      f(
        'Veiligheidsbril anti-condens',
        'Safety glasses anti-fog',
        'Veiligheidsbril met anti-condens- en krasvaste coating, EN 166.',
        'Safety glasses with anti-fog and scratch-resistant coating, EN 166.',
        [490, 1590],
        [25, 60],
        sizes(['helder', 'getint', 'geel']),
      ),
    ],
  },
  {
    slug: 'helmen',
    parent: 'pbm',
    nl: 'Veiligheidshelmen',
    en: 'Safety helmets',
    weight: 2,
    families: [
      f(
        'Veiligheidshelm ABS',
        'Safety helmet ABS',
        'Veiligheidshelm met draaiknopverstelling, EN 397.',
        'Safety helmet with ratchet adjustment, EN 397.',
        [990, 3490],
        [350, 450],
        sizes(['wit', 'geel', 'blauw', 'oranje']),
      ),
    ],
  },
  {
    slug: 'gehoorbescherming',
    parent: 'pbm',
    nl: 'Gehoorbescherming',
    en: 'Hearing protection',
    weight: 2,
    families: [
      f(
        'Oorkap',
        'Ear muff',
        'Comfortabele oorkap met verstelbare hoofdband.',
        'Comfortable ear muff with adjustable headband.',
        [1290, 3990],
        [180, 300],
        sizes(['SNR 27 dB', 'SNR 31 dB', 'SNR 35 dB']),
      ),
      f(
        'Oordoppen schuim',
        'Foam earplugs',
        'Wegwerp-oordoppen van schuim.',
        'Disposable foam earplugs.',
        [890, 3490],
        [200, 1200],
        packs([50, 200]),
      ),
    ],
  },
  {
    slug: 'werkkleding',
    parent: 'pbm',
    nl: 'Werkkleding',
    en: 'Workwear',
    weight: 3,
    families: [
      f(
        'Werkbroek met kniezakken',
        'Work trousers with knee pockets',
        'Slijtvaste werkbroek met kniezakken voor kniestukken.',
        'Durable work trousers with knee-pad pockets.',
        [3990, 8990],
        [600, 900],
        sizes(['46', '48', '50', '52', '54', '56']),
      ),
      f(
        'Signaalvest klasse 2',
        'High-visibility vest class 2',
        'Fluorescerend signaalvest volgens EN ISO 20471.',
        'Fluorescent high-visibility vest to EN ISO 20471.',
        [390, 1290],
        [100, 200],
        sizes(['M', 'L', 'XL', 'XXL']),
      ),
    ],
  },
  {
    slug: 'onderzoekshandschoenen',
    parent: 'medisch-verbruik',
    nl: 'Onderzoekshandschoenen',
    en: 'Examination gloves',
    weight: 5,
    families: [
      f(
        'Nitril onderzoekshandschoen poedervrij',
        'Nitrile examination glove powder-free',
        'Poedervrije nitril onderzoekshandschoen, EN 455, doos 100 st.',
        'Powder-free nitrile examination glove, EN 455, box of 100.',
        [590, 1290],
        [400, 700],
        sizes(['XS', 'S', 'M', 'L', 'XL']),
      ),
      f(
        'Latex onderzoekshandschoen',
        'Latex examination glove',
        'Licht gepoederde latex onderzoekshandschoen, doos 100 st.',
        'Lightly powdered latex examination glove, box of 100.',
        [490, 990],
        [400, 700],
        sizes(['S', 'M', 'L']),
      ),
    ],
  },
  {
    slug: 'verbandmiddelen',
    parent: 'medisch-verbruik',
    nl: 'Verbandmiddelen',
    en: 'Dressings',
    weight: 4,
    families: [
      f(
        'Steriel gaaskompres',
        'Sterile gauze swab',
        'Steriel gaaskompres, 12-laags, individueel verpakt.',
        'Sterile gauze swab, 12-ply, individually packed.',
        [690, 2490],
        [100, 600],
        dims(
          [
            [5, 5],
            [7.5, 7.5],
            [10, 10],
          ],
          'cm',
        ),
      ),
      f(
        'Elastisch windsel',
        'Elastic bandage',
        'Elastisch windsel met hoge rek.',
        'Elastic high-stretch bandage.',
        [290, 990],
        [30, 120],
        dims(
          [
            [4, 6],
            [4, 8],
            [4, 10],
          ],
          'm x cm',
        ),
      ),
    ],
  },
  {
    slug: 'desinfectie',
    parent: 'medisch-verbruik',
    nl: 'Desinfectie',
    en: 'Disinfection',
    weight: 3,
    families: [
      f(
        'Handalcohol 70%',
        'Hand sanitiser 70%',
        'Handalcohol op basis van ethanol 70%, met huidverzorgende stoffen.',
        'Ethanol-based hand sanitiser 70% with skin conditioners.',
        [390, 2490],
        [550, 5300],
        lengths([500, 1000, 5000], 'ml'),
      ),
      f(
        'Oppervlaktedesinfectie doekjes',
        'Surface disinfection wipes',
        'Alcoholvrije desinfectiedoekjes voor medische oppervlakken.',
        'Alcohol-free disinfection wipes for medical surfaces.',
        [690, 1890],
        [400, 1300],
        packs([100, 200]),
      ),
    ],
  },
  {
    slug: 'injectiemateriaal',
    parent: 'medisch-verbruik',
    nl: 'Injectiemateriaal',
    en: 'Injection supplies',
    weight: 3,
    families: [
      f(
        'Injectiespuit 2-delig',
        'Syringe 2-part',
        'Steriele wegwerpspuit met luer-aansluiting, doos 100 st.',
        'Sterile disposable syringe with luer connector, box of 100.',
        [790, 1990],
        [300, 900],
        lengths([2, 5, 10, 20], 'ml'),
      ),
      f(
        'Injectienaald',
        'Hypodermic needle',
        'Steriele injectienaald, doos 100 st.',
        'Sterile hypodermic needle, box of 100.',
        [390, 990],
        [100, 200],
        sizes(['18G', '21G', '23G', '25G']),
      ),
    ],
  },
  {
    slug: 'reinigingsmiddelen',
    parent: 'schoonmaak-hygiene',
    nl: 'Reinigingsmiddelen',
    en: 'Cleaning agents',
    weight: 3,
    families: [
      f(
        'Allesreiniger geconcentreerd',
        'All-purpose cleaner concentrate',
        'Geconcentreerde allesreiniger met frisse geur.',
        'Concentrated all-purpose cleaner with fresh scent.',
        [490, 2990],
        [1100, 10500],
        lengths([1, 5, 10], 'l'),
      ),
      f(
        'Sanitairreiniger',
        'Sanitary cleaner',
        'Ontkalkende sanitairreiniger.',
        'Descaling sanitary cleaner.',
        [390, 1990],
        [800, 5300],
        lengths([750, 5000], 'ml'),
      ),
    ],
  },
  {
    slug: 'papier-dispensers',
    parent: 'schoonmaak-hygiene',
    nl: 'Papier en dispensers',
    en: 'Paper and dispensers',
    weight: 3,
    families: [
      f(
        'Handdoekpapier Z-vouw',
        'Z-fold paper towels',
        'Tweelaags handdoekpapier in Z-vouw.',
        'Two-ply Z-fold paper towels.',
        [1990, 4990],
        [3500, 8000],
        packs([3000, 4000]),
      ),
      f(
        'Toiletpapier systeemrol',
        'System toilet roll',
        'Tweelaags toiletpapier op systeemrol.',
        'Two-ply toilet paper on system roll.',
        [1490, 3990],
        [4000, 9000],
        packs([36, 48]),
      ),
    ],
  },
  {
    slug: 'afvalzakken',
    parent: 'schoonmaak-hygiene',
    nl: 'Afvalzakken',
    en: 'Waste bags',
    weight: 2,
    families: [
      f(
        'Afvalzak LDPE',
        'Waste bag LDPE',
        'Extra sterke afvalzak van LDPE.',
        'Extra strong LDPE waste bag.',
        [690, 2490],
        [1000, 4000],
        lengths([60, 120, 240], 'l'),
      ),
    ],
  },
  {
    slug: 'filters',
    parent: 'auto-onderdelen',
    nl: 'Filters',
    en: 'Filters',
    weight: 5,
    families: [
      f(
        'Oliefilter',
        'Oil filter',
        'Oliefilter in OE-kwaliteit.',
        'Oil filter in OE quality.',
        [690, 2490],
        [200, 600],
        sizes([
          'VAG 1.4 TSI',
          'BMW N47',
          'Ford 1.0 EcoBoost',
          'Toyota 2.0 D-4D',
          'Renault 1.5 dCi',
        ]),
      ),
      f(
        'Interieurfilter actieve kool',
        'Cabin filter activated carbon',
        'Interieurfilter met actieve kool tegen geur en fijnstof.',
        'Cabin filter with activated carbon against odours and fine dust.',
        [1290, 3490],
        [200, 500],
        sizes(['Golf VII', 'Octavia III', 'Focus IV', 'Corolla E21']),
      ),
    ],
  },
  {
    slug: 'remmen',
    parent: 'auto-onderdelen',
    nl: 'Remmen',
    en: 'Brakes',
    weight: 4,
    families: [
      f(
        'Remblokset vooras',
        'Brake pad set front axle',
        'Remblokset met slijtagesensor, ECE R90.',
        'Brake pad set with wear sensor, ECE R90.',
        [2490, 7900],
        [1500, 2500],
        sizes(['VAG MQB 312 mm', 'BMW F30', 'Ford C-Max', 'Peugeot 308']),
      ),
      f(
        'Remschijf geventileerd',
        'Brake disc ventilated',
        'Geventileerde remschijf, gecoat.',
        'Ventilated brake disc, coated.',
        [3490, 11900],
        [5000, 9000],
        lengths([280, 312, 340], 'mm'),
      ),
    ],
  },
  {
    slug: 'auto-verlichting',
    parent: 'auto-onderdelen',
    nl: 'Autoverlichting',
    en: 'Vehicle lighting',
    weight: 3,
    families: [
      f(
        'Halogeenlamp',
        'Halogen bulb',
        'Halogeenlamp 12 V met E-keur.',
        'Halogen bulb 12 V, E-marked.',
        [390, 1490],
        [20, 60],
        sizes(['H1', 'H4', 'H7', 'H11']),
      ),
    ],
  },
  {
    slug: 'accus',
    parent: 'auto-onderdelen',
    nl: "Accu's",
    en: 'Batteries',
    weight: 2,
    families: [
      f(
        'Startaccu AGM',
        'Starter battery AGM',
        'AGM-startaccu voor start-stopsystemen.',
        'AGM starter battery for start-stop systems.',
        [11900, 27900],
        [14000, 26000],
        lengths([60, 70, 80, 95], 'Ah'),
      ),
    ],
  },
  {
    slug: 'ruitenwissers',
    parent: 'auto-onderdelen',
    nl: 'Ruitenwissers',
    en: 'Wiper blades',
    weight: 2,
    families: [
      f(
        'Flatblade ruitenwisser',
        'Flat wiper blade',
        'Flatblade ruitenwisser met universele adapter.',
        'Flat wiper blade with universal adapter.',
        [990, 2490],
        [150, 300],
        lengths([400, 475, 530, 600, 650], 'mm'),
      ),
    ],
  },
  {
    slug: 'olie',
    parent: 'smeermiddelen-chemie',
    nl: 'Motorolie',
    en: 'Engine oil',
    weight: 3,
    families: [
      f(
        'Motorolie volsynthetisch',
        'Engine oil fully synthetic',
        'Volsynthetische motorolie volgens ACEA C3.',
        'Fully synthetic engine oil to ACEA C3.',
        [990, 8900],
        [1000, 21000],
        lengths([1, 5, 20], 'l'),
      ),
    ],
  },
  {
    slug: 'vetten',
    parent: 'smeermiddelen-chemie',
    nl: 'Vetten en sprays',
    en: 'Greases and sprays',
    weight: 2,
    families: [
      f(
        'Multifunctionele spray',
        'Multi-purpose spray',
        'Kruipende, waterverdrijvende multifunctionele spray.',
        'Penetrating, water-repellent multi-purpose spray.',
        [490, 1490],
        [300, 600],
        lengths([200, 400], 'ml'),
      ),
      f(
        'Lithiumvet',
        'Lithium grease',
        'Lithiumvet voor lagers en scharnieren.',
        'Lithium grease for bearings and hinges.',
        [690, 2990],
        [450, 1100],
        lengths([400, 1000], 'g'),
      ),
    ],
  },
  {
    slug: 'kitten-lijmen',
    parent: 'smeermiddelen-chemie',
    nl: 'Kitten en lijmen',
    en: 'Sealants and adhesives',
    weight: 3,
    families: [
      f(
        'Montagekit',
        'Construction adhesive',
        'Sterke montagekit voor binnen en buiten.',
        'Strong construction adhesive for indoor and outdoor use.',
        [590, 1490],
        [350, 500],
        sizes(['wit', 'transparant']),
      ),
      f(
        'Sanitairsiliconen',
        'Sanitary silicone',
        'Schimmelwerende sanitairsiliconen.',
        'Mould-resistant sanitary silicone.',
        [690, 1290],
        [350, 400],
        sizes(['wit', 'transparant', 'grijs', 'zwart']),
      ),
    ],
  },
  {
    slug: 'kabels',
    parent: 'elektra',
    nl: 'Kabels',
    en: 'Cables',
    weight: 3,
    families: [
      f(
        'Installatiekabel YMvK',
        'Installation cable YMvK',
        'Installatiekabel YMvK, eca-klasse.',
        'YMvK installation cable, Eca class.',
        [2990, 18900],
        [5000, 30000],
        dims(
          [
            [3, 1.5],
            [3, 2.5],
            [5, 2.5],
          ],
          'x mm² (100 m)',
        ),
      ),
    ],
  },
  {
    slug: 'schakelmateriaal',
    parent: 'elektra',
    nl: 'Schakelmateriaal',
    en: 'Switches and sockets',
    weight: 3,
    families: [
      f(
        'Wandcontactdoos randaarde',
        'Wall socket with earthing',
        'Inbouw-wandcontactdoos met randaarde en kinderbeveiliging.',
        'Flush wall socket with earthing and child protection.',
        [390, 1290],
        [60, 120],
        sizes(['enkel', 'dubbel', 'enkel spatwaterdicht']),
      ),
      f(
        'Wisselschakelaar',
        'Two-way switch',
        'Inbouw-wisselschakelaar 10 A.',
        'Flush two-way switch 10 A.',
        [390, 990],
        [50, 90],
        sizes(['wit', 'antraciet', 'aluminium']),
      ),
    ],
  },
  {
    slug: 'installatie-verlichting',
    parent: 'elektra',
    nl: 'Verlichting',
    en: 'Lighting',
    weight: 3,
    families: [
      f(
        'LED-paneel',
        'LED panel',
        'LED-paneel voor systeemplafonds, UGR<19.',
        'LED panel for suspended ceilings, UGR<19.',
        [3490, 8990],
        [2500, 4000],
        sizes(['3000 K', '4000 K', '6500 K']),
      ),
      f(
        'LED-buis T8',
        'LED tube T8',
        'LED-buis als vervanging van TL.',
        'LED tube replacing fluorescent tubes.',
        [690, 1690],
        [150, 300],
        lengths([60, 120, 150], 'cm'),
      ),
    ],
  },
];

const TOPS: Array<{ slug: string; nl: string; en: string }> = [
  { slug: 'bevestigingsmaterialen', nl: 'Bevestigingsmaterialen', en: 'Fasteners' },
  { slug: 'gereedschap', nl: 'Gereedschap', en: 'Tools' },
  { slug: 'pbm', nl: 'Persoonlijke beschermingsmiddelen', en: 'Personal protective equipment' },
  { slug: 'medisch-verbruik', nl: 'Medische verbruiksartikelen', en: 'Medical consumables' },
  { slug: 'schoonmaak-hygiene', nl: 'Schoonmaak en hygiëne', en: 'Cleaning and hygiene' },
  { slug: 'auto-onderdelen', nl: 'Auto-onderdelen', en: 'Car parts' },
  { slug: 'smeermiddelen-chemie', nl: 'Smeermiddelen en chemie', en: 'Lubricants and chemicals' },
  { slug: 'elektra', nl: 'Elektra', en: 'Electrical' },
];

const MANUFACTURERS = [
  'Fixtra',
  'Boltec',
  'Nordwerk',
  'Protexa',
  'Medicor',
  'Hygiena',
  'Autoline',
  'Lubrix',
  'Voltano',
  'Kraftmann',
];

/** The category tree, parents before children. */
export function demoCategories(): DemoCategory[] {
  const out: DemoCategory[] = TOPS.map((t, i) => ({
    slug: t.slug,
    parentSlug: null,
    names: { nl: t.nl, en: t.en },
    position: i,
  }));
  LEAVES.forEach((l, i) =>
    out.push({ slug: l.slug, parentSlug: l.parent, names: { nl: l.nl, en: l.en }, position: i }),
  );
  return out;
}

/** mulberry32: a small, fast, well-distributed seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The EAN-13 check digit of 12 digits (weights 1,3,1,3… from the left). */
export function ean13CheckDigit(first12Digits: string): number {
  if (!/^\d{12}$/.test(first12Digits))
    throw new RangeError(`expected 12 digits, got "${first12Digits}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12Digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && ean13CheckDigit(code.slice(0, 12)) === code.charCodeAt(12) - 48;
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Yields products until exactly `variants` variants exist (the last product may be cut short).
 * Same seed, same output, always; streams, so 100,000 variants never sit in memory at once.
 */
export function* generateDemoProducts(opts: {
  variants: number;
  seed?: number;
}): Generator<DemoProduct> {
  const rand = prng(opts.seed ?? 20260101);
  const totalWeight = LEAVES.reduce((s, l) => s + l.weight, 0);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  let produced = 0;
  let productNo = 0;
  while (produced < opts.variants) {
    productNo++;
    let r = rand() * totalWeight;
    let leaf = LEAVES[0];
    for (const l of LEAVES) {
      r -= l.weight;
      if (r < 0) {
        leaf = l;
        break;
      }
    }
    const family = pick(leaf.families);
    const manufacturer = pick(MANUFACTURERS);
    const series = `${manufacturer} ${String.fromCharCode(65 + (productNo % 26))}${100 + (productNo % 900)}`;
    const names = { nl: `${family.nl} ${series}`, en: `${family.en} ${series}` };
    const count = Math.min(
      opts.variants - produced,
      1 + Math.floor(rand() * Math.min(6, family.specs.length)),
    );
    const start = Math.floor(rand() * (family.specs.length - count + 1));
    const basePrice = between(family.price[0], family.price[1]);
    const baseWeight = between(family.weight[0], family.weight[1]);
    const variants: DemoVariant[] = [];
    for (let v = 0; v < count; v++) {
      const n = produced + v + 1;
      const spec = family.specs[start + v];
      const gtinBody = `87${String(n).padStart(10, '0')}`;
      const base = {
        sku: `SKU-${String(n).padStart(6, '0')}`,
        gtin: `${gtinBody}${ean13CheckDigit(gtinBody)}`,
        mpn: `${manufacturer.slice(0, 3).toUpperCase()}-${String(productNo).padStart(5, '0')}-${String.fromCharCode(65 + v)}`,
        names: { nl: `${names.nl}, ${spec.nl}`, en: `${names.en}, ${spec.en}` },
        weightGrams: Math.max(1, Math.round(baseWeight * spec.factor)),
        lengthMm: between(40, 600),
        widthMm: between(20, 400),
        heightMm: between(10, 300),
        stockOnHand: rand() < 0.05 ? 0 : between(1, 2500),
        listPriceMinor: Math.max(1, Math.round(basePrice * spec.factor)),
      };
      const more = depth(n, leaf, spec, [base.lengthMm, base.widthMm, base.heightMm]);
      // The last variant of the catalog has no successor to point at.
      if (more.successorSku && n >= opts.variants) more.successorSku = null;
      variants.push({ ...base, ...more });
    }
    produced += count;
    yield {
      slug: `${slugify(family.nl)}-${String(productNo).padStart(6, '0')}`,
      categorySlug: leaf.slug,
      manufacturer,
      names,
      descriptions: {
        nl: `${family.descNl} Merk: ${manufacturer}.`,
        en: `${family.descEn} Brand: ${manufacturer}.`,
      },
      media: [
        {
          kind: 'image',
          url: `https://media.vitrine.example/products/${slugify(family.nl)}-${productNo}.jpg`,
          title: names.en,
        },
        {
          kind: 'datasheet',
          url: `https://media.vitrine.example/datasheets/${slugify(family.nl)}-${productNo}.pdf`,
          title: `Datasheet ${series}`,
        },
      ],
      variants,
    };
  }
}
