export * from './admin-policy';
export * from './admin-account.service';
export * from './admin-login.service';
export * from './admin-gate.service';
export * from './admin-user.service';
