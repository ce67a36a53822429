// Compile-time check that the three dictionaries have exactly the same keys.
// (Type-only: nothing from this file reaches the bundle.)
import type bg from './bg.json';
import type en from './en.json';
import type pl from './pl.json';

type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;

export const dictionariesMatch: [SameKeys<typeof bg, typeof en>, SameKeys<typeof bg, typeof pl>] = [true, true];
