export * from './kpi-period';
export * from './tenant-kpis.service';
export * from './tenant-kpis.types';
export * from './tenant-kpis.resolver';
export * from './bar-chart';
