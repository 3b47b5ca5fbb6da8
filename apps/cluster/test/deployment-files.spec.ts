import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { findNginx, freePort } from '../src/cluster';
import { proxyLocation, renderNginxConfig } from '../src/nginx-config';

const DOCKER = resolve(__dirname, '../../../docker');
const K8S = join(DOCKER, 'k8s');
const nginx = findNginx();

type Doc = {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
};

function k8sDocs(): Array<Doc & { file: string }> {
  const docs: Array<Doc & { file: string }> = [];
  for (const file of readdirSync(K8S).filter((f) => f.endsWith('.yaml'))) {
    for (const d of parseAllDocuments(readFileSync(join(K8S, file), 'utf8'))) {
      expect(d.errors.map((e) => `${file}: ${e.message}`)).toEqual([]);
      docs.push({ ...(d.toJS() as Doc), file });
    }
  }
  return docs;
}

/** `nginx -t` on a main-context configuration; the error text, or '' when it passed. */
function nginxTest(conf: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vitrine-nginx-t-'));
  try {
    for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, conf.replaceAll('@PREFIX@', dir));
    const r = spawnSync(nginx!, ['-t', '-p', dir, '-e', join(dir, 'error.log'), '-c', file], {
      encoding: 'utf8',
    });
    return r.status === 0 ? '' : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The deployment files checked offline (no container engine here): they parse, hold the topology
 * docs/deployment.md describes, and the proxy configurations pass `nginx -t`.
 */
describe('deployment files (docker/)', () => {
  it('Dockerfile: multi-stage, production dependencies only, non-root, with a health check', () => {
    const text = readFileSync(join(DOCKER, 'Dockerfile'), 'utf8');
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^HEALTHCHECK .*/m);
    expect(text).toMatch(/\/healthz/);
    expect(existsSync(join(DOCKER, 'Dockerfile.dockerignore'))).toBe(true);
  });

  it('compose.yaml: PostgreSQL, Redis, a migrations one-shot before two API instances, a worker and the proxy', () => {
    const compose = parse(readFileSync(join(DOCKER, 'compose.yaml'), 'utf8'), {
      merge: true,
    }) as { services: Record<string, Record<string, unknown>> };
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(
      ['api-1', 'api-2', 'migrate', 'postgres', 'proxy', 'redis', 'worker'].sort(),
    );
    for (const name of ['api-1', 'api-2', 'worker']) {
      expect(s[name].depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
      expect((s[name].environment as Record<string, string>).OUTBOX_WORKER).toBe('off');
      expect(s[name].volumes).toEqual(['data:/data']);
    }
    expect(s.migrate.command).toEqual(['node', 'dist/apps/cli/src/main.js', 'db', 'migrate']);
    expect(s.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
  });

  it('k8s: API and worker Deployments with probes, Service, Ingress, HPA, PDBs, the migrations Job, ConfigMap and Secret', () => {
    const docs = k8sDocs();
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
    expect(
      byKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['vitrine-api', 'vitrine-worker']);
    for (const kind of [
      'Service',
      'Ingress',
      'HorizontalPodAutoscaler',
      'Job',
      'ConfigMap',
      'Secret',
    ])
      expect(byKind(kind).length).toBeGreaterThanOrEqual(1);
    expect(byKind('PodDisruptionBudget').length).toBe(2);
    for (const d of byKind('Deployment')) {
      const c = (
        d.spec as {
          template: { spec: { containers: Array<Record<string, { httpGet: { path: string } }>> } };
        }
      ).template.spec.containers[0];
      expect(c.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    }
    const ingress = byKind('Ingress')[0].spec as {
      rules: Array<{ host: string }>;
      defaultBackend?: unknown;
    };
    expect(ingress.rules.some((r) => r.host.startsWith('*.'))).toBe(true);
    expect(ingress.defaultBackend).toBeDefined();
    // Every resource the kustomization names exists.
    const kz = parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    for (const r of kz.resources) expect(existsSync(join(K8S, r))).toBe(true);
  });

  it('docker/nginx.conf has the same proxy rules as the local cluster', () => {
    const text = readFileSync(join(DOCKER, 'nginx.conf'), 'utf8');
    for (const line of proxyLocation('').split('\n')) expect(text).toContain(line);
  });

  (nginx ? it : it.skip)(
    'nginx -t accepts the generated configuration and docker/nginx.conf',
    async () => {
      const port = await freePort();
      expect(
        nginxTest(
          renderNginxConfig({
            listen: `127.0.0.1:${port}`,
            upstreams: ['127.0.0.1:3101', '127.0.0.1:3102'],
            prefix: '@PREFIX@',
            revealUpstream: true,
          }),
        ),
      ).toBe('');
      // The compose file's config is an http-context include whose upstreams are service names.
      const docker = readFileSync(join(DOCKER, 'nginx.conf'), 'utf8')
        .replace(/api-(\d):3000/g, '127.0.0.1:310$1')
        .replace('listen 80', `listen 127.0.0.1:${port}`);
      expect(
        nginxTest(
          `pid @PREFIX@/nginx.pid;\nevents {}\nhttp {\n  access_log off;\n  client_body_temp_path @PREFIX@/client_body;\n  proxy_temp_path @PREFIX@/proxy;\n  fastcgi_temp_path @PREFIX@/fastcgi;\n  uwsgi_temp_path @PREFIX@/uwsgi;\n  scgi_temp_path @PREFIX@/scgi;\n${docker}\n}\n`,
        ),
      ).toBe('');
    },
  );
});
