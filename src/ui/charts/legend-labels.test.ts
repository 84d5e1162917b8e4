import { describe, expect, it } from 'vitest';
import { distinctLabels, sharedParts } from './legend-labels';

describe('legend labels', () => {
  const names = ['FP · R8 w8 · MNIST · 240 steps · lr 0.002 · seed 1', 'IR-Net · R8 w8 · MNIST · 240 steps · lr 0.002/0.005 · seed 1', '#3 IR-Net · R8 w8 · MNIST · 500 steps · lr 0.002/0.005 · seed 1'];

  it('drops the parts every name shares and keeps the method', () => {
    expect(distinctLabels(names)).toEqual(['FP · 240 steps · lr 0.002', 'IR-Net · 240 steps · lr 0.002/0.005', '#3 IR-Net · 500 steps · lr 0.002/0.005']);
    expect(sharedParts(names)).toEqual(['R8 w8', 'MNIST', 'seed 1']);
  });

  it('keeps one name whole, and names that share nothing as they are', () => {
    expect(distinctLabels([names[0]])).toEqual([names[0]]);
    expect(sharedParts([names[0]])).toEqual([]);
    expect(distinctLabels(['a · x', 'b · y'])).toEqual(['a · x', 'b · y']);
  });
});
