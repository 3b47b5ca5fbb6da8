import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/** Values a template may receive: plain data, never live objects with behaviour. */
export type TemplateData = Record<string, unknown>;

/**
 * One isolated Handlebars environment over a folder of `*.hbs` files: every file is a template
 * (by its base name) and a partial (`{{> name}}`). Templates are compiled once, on first use,
 * and kept. Output is HTML-escaped unless a template opts out with triple braces, which our
 * templates do only for values checked for their context (CSS inside <style>), never for text
 * a tenant or a buyer typed.
 *
 * Tenant themes will layer their own partials over these defaults (the microsite pages issue);
 * each theme then gets its own environment, so one tenant's partial can never leak into
 * another's page.
 */
export class TemplateRenderer {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly sources = new Map<string, string>();

  constructor(dir: string) {
    for (const file of readdirSync(dir)) {
      if (extname(file) !== '.hbs') continue;
      const name = basename(file, '.hbs');
      const source = readFileSync(join(dir, file), 'utf8');
      this.sources.set(name, source);
      this.hbs.registerPartial(name, source);
    }
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  }

  render(name: string, data: TemplateData): string {
    let template = this.compiled.get(name);
    if (!template) {
      const source = this.sources.get(name);
      if (source === undefined) throw new Error(`No template named ${name}`);
      template = this.hbs.compile(source, { strict: true, noEscape: false });
      this.compiled.set(name, template);
    }
    return template(data, { allowProtoPropertiesByDefault: false });
  }
}
