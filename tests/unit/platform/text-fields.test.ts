import { describe, expect, it } from 'vitest';
import { text } from '../../../shared/platform/http/schemas.js';

/** Names, addresses and other text fields: printable Unicode only (found by the fuzz test). */
describe('text fields', () => {
  const field = text(50);
  it.each(['Zhang Min', '张三', '新华社区 3 号楼', '😀', "O'Brien-Li"])('accept %s', (v) => {
    expect(field.safeParse(v).success).toBe(true);
  });
  it.each([
    ['NUL', 'a\u0000'],
    ['a tab', 'a\tb'],
    ['DEL', 'a\u007f'],
    ['a C1 control', 'a\u0085b'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'x\udc00'],
  ])('refuse %s', (_what, v) => {
    const parsed = field.safeParse(v);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/control characters|broken Unicode/);
  });
});
