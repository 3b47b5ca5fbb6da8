import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateRenderer } from './template-renderer';

describe('TemplateRenderer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-tpl-'));
  writeFileSync(join(dir, 'page.hbs'), '<h1>{{title}}</h1>{{> footer}}');
  writeFileSync(join(dir, 'footer.hbs'), '<footer>{{#if (eq kind "x")}}x{{else}}y{{/if}}</footer>');
  const renderer = new TemplateRenderer(dir);

  it('renders a template with its partials', () => {
    expect(renderer.render('page', { title: 'Jansen', kind: 'x' })).toBe(
      '<h1>Jansen</h1><footer>x</footer>',
    );
  });

  it('escapes data, so a tenant name or a search term cannot inject markup', () => {
    expect(renderer.render('page', { title: '<script>alert(1)</script>', kind: 'y' })).toBe(
      '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1><footer>y</footer>',
    );
  });

  it('fails loudly on a missing value instead of rendering an empty hole', () => {
    expect(() => renderer.render('page', { kind: 'x' })).toThrow(/title/);
  });

  it('refuses an unknown template', () => {
    expect(() => renderer.render('nope', {})).toThrow(/No template named nope/);
  });
});
