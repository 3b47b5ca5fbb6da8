import { VitrineError } from '@vitrine/errors';
import { decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('round-trips', () => {
    expect(decodeCursor(encodeCursor({ rank: 1, slug: 'schroef-01' }))).toEqual({
      rank: 1,
      slug: 'schroef-01',
    });
  });
  it.each(['', 'not-a-cursor', Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(500)])(
    'rejects %p with BAD_USER_INPUT',
    (c) => {
      expect(() => decodeCursor(c)).toThrow(VitrineError);
      try {
        decodeCursor(c);
      } catch (e) {
        expect((e as VitrineError).code).toBe('BAD_USER_INPUT');
      }
    },
  );
});
