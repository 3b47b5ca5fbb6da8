export * from './access-token.service';
export * from './accounts.module';
export * from './authenticator.service';
export * from './company-directory.service';
