import { PasswordService } from './password.service';

describe('PasswordService', () => {
  const passwords = new PasswordService();

  it('hashes with argon2id and verifies', async () => {
    const hash = await passwords.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verifyOrDummy(hash, 'correct horse battery staple')).toBe(true);
    expect(await passwords.verifyOrDummy(hash, 'wrong horse battery staple')).toBe(false);
  });

  it('checks a dummy hash when there is no user, so both paths do the same work', async () => {
    expect(await passwords.verifyOrDummy(null, 'anything at all here')).toBe(false);
  });

  it('refuses short passwords with a clear message', async () => {
    await expect(passwords.hash('short')).rejects.toThrow(/12 to 256 characters/);
  });
});
