/**
 * Writes a catalog import file of N variants (4 per product) over the demo categories, for
 * measuring `vitrine import catalog`:
 *
 *   npm run build && node dist/bench/import-file.js 100000 /tmp/catalog-100k.csv
 *
 * Every row is valid, so a first import creates N variants and a second one changes nothing.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { demoCategories, ean13CheckDigit } from '@vitrine/catalog';

const COLUMNS =
  'sku,product,category,manufacturer,name_nl,name_en,product_name_nl,product_name_en,description_nl,description_en,gtin,mpn,weight_grams,length_mm,width_mm,height_mm,stock,unit,order_multiple,min_order_quantity,status,list_price,attr_material,attr_colour,attr_length_mm,media_image,media_datasheet';
const MATERIALS = ['staal verzinkt', 'RVS A2', 'kunststof', 'nitril'];
const COLOURS = ['zwart', 'wit', 'blauw', 'geel'];

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 100_000);
  const path = process.argv[3] ?? `/tmp/catalog-${n}.csv`;
  const leaves = demoCategories().filter((c) => c.parentSlug !== null);
  const out = createWriteStream(path);
  out.write(`${COLUMNS}\n`);
  for (let i = 1; i <= n; i++) {
    const p = Math.ceil(i / 4);
    const leaf = leaves[p % leaves.length];
    const body = `98${String(i).padStart(10, '0')}`;
    const len = 20 + (i % 4) * 10;
    const row = [
      `IMP-${String(i).padStart(7, '0')}`,
      `imp-${p}`,
      leaf.slug,
      'Fixtra',
      `${leaf.names.nl} ${p} ${len} mm`,
      `${leaf.names.en} ${p} ${len} mm`,
      `${leaf.names.nl} serie ${p}`,
      `${leaf.names.en} series ${p}`,
      `Importartikel uit de ${leaf.names.nl.toLowerCase()}-reeks.`,
      `Imported article of the ${leaf.names.en.toLowerCase()} range.`,
      `${body}${ean13CheckDigit(body)}`,
      `FIX-${p}-${i % 4}`,
      100 + (i % 900),
      len,
      30,
      10,
      i % 500,
      'PCE',
      1,
      1,
      'active',
      `${1 + (i % 90)}.${String(i % 100).padStart(2, '0')}`,
      MATERIALS[p % MATERIALS.length],
      COLOURS[i % COLOURS.length],
      len,
      `https://media.vitrine.example/import/${p}.jpg`,
      `https://media.vitrine.example/import/${p}.pdf`,
    ].join(',');
    if (!out.write(`${row}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  process.stdout.write(`${path}: ${n} variants\n`);
}

void main();
