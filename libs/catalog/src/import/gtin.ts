/**
 * GTIN check digits (GS1 mod-10): EAN-8, UPC-A (GTIN-12), EAN-13 and GTIN-14. Weights 3,1,3,1…
 * from the digit left of the check digit, so one function serves every length.
 */
export function isValidGtin(code: string): boolean {
  if (!/^(?:\d{8}|\d{12}|\d{13}|\d{14})$/.test(code)) return false;
  let sum = 0;
  for (let i = code.length - 2, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) {
    sum += (code.charCodeAt(i) - 48) * w;
  }
  return (10 - (sum % 10)) % 10 === code.charCodeAt(code.length - 1) - 48;
}
